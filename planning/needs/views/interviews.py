"""Appreciative interviews: the rotation of pairs, the question set and the notes."""

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts.access import cohort_view
from copkit.concurrency import hold_for_saving
from copkit.errors import ServiceError, show_error
from planning.archived import community_open
from planning.models import InterviewPair, InterviewRotation
from planning.needs.forms import InterviewSetupForm, NotesForm
from planning.needs.services import interviews as services


def _rotation(community):
    return InterviewRotation.objects.filter(community=community).first()


def _pairs(rotation):
    return list(
        rotation.pairs.select_related("first__organization", "second__organization").order_by(
            "round_number", "id"
        )
    )


class MyRound:
    """One round of the viewer's schedule: their partner (None: they rest), the notes they
    wrote on the partner, and the notes the partner wrote on them."""

    def __init__(self, pair, me, form=None):
        self.pair = pair
        self.number = pair.round_number
        self.partner = services.partner_of(pair, me)
        if pair.first_id == me.pk:
            self.my_notes, self.notes_on_me = pair.notes_on_second, pair.notes_on_first
        else:
            self.my_notes, self.notes_on_me = pair.notes_on_first, pair.notes_on_second
        self.form = form or NotesForm(
            initial={"notes": self.my_notes}, prefix=f"p{pair.public_id.hex[:8]}"
        )


def _render_page(request, access, *, bound_pair=None, bound_form=None, status=200):
    community = access.community
    rotation = _rotation(community)
    membership = access.membership()
    me = membership.participant if membership else None
    can_lead = access.can("community.lead")
    context = {"community": community, "rotation": rotation, "can_lead": can_lead, "me": me}
    if rotation is not None:
        pairs = _pairs(rotation)
        context["questions"] = rotation.question_list
        rounds_count = max((pair.round_number for pair in pairs), default=0)
        context["rounds_count"] = rounds_count
        context["total_minutes"] = rounds_count * rotation.minutes_per_round
        if me is not None:
            mine = [pair for pair in pairs if me.pk in (pair.first_id, pair.second_id)]
            context["my_rounds"] = [
                MyRound(pair, me, bound_form if pair == bound_pair else None) for pair in mine
            ]
        if can_lead:
            context["schedule"] = [
                (number, list(round_pairs))
                for number, round_pairs in groupby(pairs, key=lambda pair: pair.round_number)
            ]
            context["preview"] = services.preview_rebuild(
                pairs, services.current_members(community)
            )
    return render(request, "planning/needs/interviews/interviews.html", context, status=status)


@cohort_view("community.members")
def interviews(request, access):
    return _render_page(request, access)


@cohort_view("community.lead")
@community_open
@transaction.atomic
def interviews_setup(request, access):
    community = access.community
    rotation = _rotation(community)
    members = services.current_members(community)
    initial = {}
    if rotation is None:
        initial = {
            "questions": services.default_questions(),
            "minutes_per_round": services.DEFAULT_MINUTES,
        }
    form = InterviewSetupForm(request.POST or None, instance=rotation, initial=initial)
    preview = None
    if rotation is not None:
        preview = services.preview_rebuild(_pairs(rotation), members)
    if request.method == "POST" and form.is_valid() and hold_for_saving(form, rotation):
        rebuild = rotation is None or form.cleaned_data.get("rebuild", False)
        try:
            services.set_up(
                community,
                actor=request.user,
                questions=form.cleaned_data["questions"],
                minutes_per_round=form.cleaned_data["minutes_per_round"],
                rebuild=rebuild,
            )
        except ServiceError as error:
            show_error(request, error, form)
        else:
            if rotation is None:
                messages.success(
                    request, _("The interview rounds are ready. Members see theirs here.")
                )
            elif rebuild:
                messages.success(
                    request, _("Rounds made again from the current members; notes kept.")
                )
            elif preview.changed:
                messages.warning(
                    request,
                    _(
                        "Questions saved. The rounds were kept as they were, though members "
                        "have changed: tick the box on the setup page to make them again."
                    ),
                )
            else:
                messages.success(request, _("Questions saved."))
            return redirect("planning:interviews", access.cohort.slug, community.slug)
    # The form is new (setting up) or rebuilt rounds need confirming: say what would change.
    rounds_after = len(services.round_robin(members)) if len(members) > 1 else 0
    return render(
        request,
        "planning/needs/interviews/setup.html",
        {
            "community": community,
            "form": form,
            "rotation": rotation,
            "preview": preview,
            "member_count": len(members),
            "rounds_after": rounds_after,
        },
        status=200,
    )


@require_POST
@cohort_view("community.members")
@community_open
def interview_notes(request, access, pair_id):
    community = access.community
    pair = get_object_or_404(
        InterviewPair.objects.filter(rotation__community=community).select_related(
            "first", "second", "rotation__community"
        ),
        public_id=pair_id,
    )
    membership = access.membership()
    me = membership.participant if membership else None
    if me is None or me.pk not in (pair.first_id, pair.second_id):
        raise PermissionDenied  # notes are the pair's to write; staff read them on the page
    partner = services.partner_of(pair, me)
    form = NotesForm(request.POST, prefix=f"p{pair.public_id.hex[:8]}")
    if form.add_prefix("notes") not in request.POST:
        messages.error(request, _("Write your notes in the box of that round, then save."))
        return redirect("planning:interviews", access.cohort.slug, community.slug)
    if form.is_valid():
        try:
            services.save_notes(
                pair, author=me, actor=request.user, text=form.cleaned_data["notes"]
            )
        except ServiceError as error:
            show_error(request, error)
        else:
            messages.success(
                request,
                _("Your notes on %(name)s are saved; %(name)s can read them too.")
                % {"name": partner.name},
            )
        return redirect("planning:interviews", access.cohort.slug, community.slug)
    messages.error(request, _("The notes were not saved. See the message under the box."))
    return _render_page(request, access, bound_pair=pair, bound_form=form)
