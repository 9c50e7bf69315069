"""Dot voting on a community's common needs, and recording its top three."""

import uuid
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from cohorts.access import cohort_view
from copkit.errors import ServiceError, show_error
from planning.archived import community_open
from planning.models import CommonNeed
from planning.needs.forms import ChooseTopForm, CommonNeedForm
from planning.needs.services import voting as services


def _page_url(access):
    return redirect("planning:common-needs", access.cohort.slug, access.community.slug)


def _voting_context(community, ranked, *, is_voter):
    """What the candidates' rows and the dots-left counter show. The rows keep one order,
    by title, so a candidate stays where it is while people vote; `ranked` (most dots
    first) is the standings, shown apart."""
    member_count = community.memberships.count()
    used = sum(1 for need in ranked if getattr(need, "is_mine", False))
    return {
        "community": community,
        "needs": sorted(ranked, key=lambda need: (need.title.casefold(), need.pk)),
        "standings": ranked,
        "member_count": max(member_count, 1),
        "voters": member_count,
        "is_voter": is_voter,
        "dots_total": CommonNeed.VOTES_PER_MEMBER,
        "dots_left": CommonNeed.VOTES_PER_MEMBER - used,
        "dots_range": range(CommonNeed.VOTES_PER_MEMBER),
        "dots_used": used,
    }


def _render_page(request, access, *, add_form=None, choose_form=None, status=200):
    community = access.community
    membership = access.membership()
    participant = membership.participant if membership else None
    ranked = services.ranked_needs(community, participant)
    proposal = services.propose_top(ranked)
    can_lead = access.can("community.lead")
    chosen = sorted((n for n in ranked if n.chosen_rank), key=lambda n: n.chosen_rank)
    context = _voting_context(community, ranked, is_voter=membership is not None)
    context |= {"chosen": chosen, "proposal": proposal, "can_lead": can_lead}
    if can_lead:
        context["add_form"] = add_form or CommonNeedForm(community=community)
        if choose_form is None:
            # Default to what is recorded, else to the three with the most dots.
            picks = chosen or proposal.picks
            initial = {
                f"rank_{rank}": str(need.public_id) for rank, need in enumerate(picks, start=1)
            }
            choose_form = ChooseTopForm(needs=ranked, initial=initial)
        context["choose_form"] = choose_form
    return render(request, "planning/needs/voting/common_needs.html", context, status=status)


@cohort_view("community.members")
def common_needs(request, access):
    return _render_page(request, access)


@require_POST
@cohort_view("community.lead")
@community_open
def common_need_add(request, access):
    community = access.community
    if request.POST.get("action") == "suggest":
        created = services.suggest_from_needs(community, actor=request.user)
        if created:
            messages.success(
                request,
                ngettext(
                    "Added %(n)d candidate from members' needs: %(titles)s.",
                    "Added %(n)d candidates from members' needs: %(titles)s.",
                    len(created),
                )
                % {"n": len(created), "titles": ", ".join(need.title for need in created)},
            )
        else:
            messages.info(
                request,
                _(
                    "No new candidates: every practice area members named as a need is "
                    "on the list already, or none has been named yet."
                ),
            )
        return _page_url(access)
    form = CommonNeedForm(request.POST, community=community)
    if form.is_valid():
        try:
            need = services.add_candidate(
                community,
                actor=request.user,
                title=form.cleaned_data["title"],
                topic=form.cleaned_data["topic"],
                description=form.cleaned_data["description"],
            )
        except ServiceError as error:
            form.add_error("title", str(error))
        else:
            messages.success(request, _("“%(title)s” is on the list.") % {"title": need.title})
            return _page_url(access)
    messages.error(request, _("The need was not added. Check the form below."))
    return _render_page(request, access, add_form=form)


def _htmx_redirects_the_page(view):
    """A redirect answering an htmx post (a refusal that sends people elsewhere) moves the
    whole page there, instead of htmx swapping that page into a candidate's row."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.htmx and response.status_code == 302:
            return HttpResponseClientRedirect(response.url)
        return response

    return wrapped


@require_POST
@_htmx_redirects_the_page
@cohort_view("community.members")
@community_open
def common_need_vote(request, access):
    """Place or take back a dot. Through htmx the answer is the candidate's row and the
    dots-left counter, swapped in place (the page keeps its scroll and the focus); without
    JavaScript the page comes back at the candidate's anchor."""
    membership = access.membership()
    if membership is None:  # staff and others count the dots but hold none
        raise PermissionDenied
    need = access.community.common_needs.filter(public_id=_uuid(request.POST.get("need"))).first()
    if need is None:
        messages.error(request, _("Choose a need from the list to place a dot on."))
        return _page_url(access)
    place = request.POST.get("action") != "remove"
    try:
        result = services.vote(
            need, participant=membership.participant, actor=request.user, place=place
        )
    except ServiceError as error:
        if request.htmx:
            return _vote_fragment(request, access, need, membership, error=str(error))
        show_error(request, error)
        return _at_candidate(access, need)
    left = ngettext("You have %(n)d dot left.", "You have %(n)d dots left.", result.dots_left) % {
        "n": result.dots_left
    }
    if result.placed:
        text = _("Your dot is on “%(title)s”.") % {"title": need.title}
    else:
        text = _("Your dot is off “%(title)s”.") % {"title": need.title}
    if request.htmx:
        return _vote_fragment(request, access, need, membership, status=f"{text} {left}")
    messages.success(request, f"{text} {left}")
    return _at_candidate(access, need)


def _at_candidate(access, need):
    page = reverse("planning:common-needs", args=[access.cohort.slug, access.community.slug])
    return redirect(f"{page}#candidate-{need.public_id}")


def _vote_fragment(request, access, need, membership, *, status="", error=""):
    """The candidate's row, with the counter, the standings and the spoken status swapped
    out of band."""
    ranked = services.ranked_needs(access.community, membership.participant)
    context = _voting_context(access.community, ranked, is_voter=True)
    context |= {
        "need": next(n for n in ranked if n.pk == need.pk),
        "row_error": error,
        "vote_status": error or status,
        "oob": True,
    }
    return render(request, "planning/needs/voting/_vote_result.html", context)


def _uuid(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


@require_POST
@cohort_view("community.lead")
@community_open
def common_needs_choose(request, access):
    community = access.community
    ranked = services.ranked_needs(community)
    form = ChooseTopForm(request.POST, needs=ranked)
    if not ranked:
        messages.error(request, _("Add the candidate needs first, then record the top three."))
        return _page_url(access)
    if form.is_valid():
        try:
            chosen = services.choose_top(community, actor=request.user, needs=form.chosen())
        except ServiceError as error:
            show_error(request, error, form)
        else:
            messages.success(
                request,
                _("Top needs recorded: %(titles)s. They now show on the community page.")
                % {"titles": "; ".join(f"{n.chosen_rank}. {n.title}" for n in chosen)},
            )
            return _page_url(access)
    messages.error(request, _("The top three were not recorded. Check the choices below."))
    return _render_page(request, access, choose_form=form)
