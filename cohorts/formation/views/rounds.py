"""Formation rounds, staff side: the list, setting a round up, the round's page, sending
links and who takes part. What a method adds to the set-up (topics, criteria) and input
entered on paper are in views/method_setup.py."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cohorts.access import cohort_view
from cohorts.formation.attributes import ATTRIBUTES, RULE_CHOICES
from cohorts.formation.forms.rounds import (
    METHOD_HELP,
    PeopleForm,
    RoundForm,
)
from cohorts.formation.methods import method_of
from cohorts.formation.services import reminders
from cohorts.formation.services import setup as setup_service
from cohorts.models import CohortRole, FormationEntry, FormationRound, Membership
from copkit.errors import ServiceError, show_error

PAGE_SIZE = 50
Method = FormationRound.Method
Status = FormationRound.Status

STATUS_BADGES = {
    Status.SETUP: "text-bg-light border",
    Status.COLLECTING: "text-bg-info",
    Status.REVIEW: "text-bg-warning",
    Status.PUBLISHED: "text-bg-success",
}


def get_round(access, round_id):
    return get_object_or_404(
        FormationRound.objects.select_related("cohort"), cohort=access.cohort, public_id=round_id
    )


def _badge(formation_round):
    formation_round.badge = STATUS_BADGES.get(formation_round.status, "text-bg-light border")
    return formation_round


def _methods():
    return [
        {"value": value, "label": label, "help": METHOD_HELP[value]}
        for value, label in Method.choices
    ]


def _back(request, url):
    """`url` with the page and search of the posted form (if any) kept."""
    keep = QueryDict(mutable=True)
    for name in ("q", "page"):
        value = request.POST.get(name, "").strip()
        if value:
            keep[name] = value
    return redirect(f"{url}?{keep.urlencode()}" if keep else url)


def _round_url(name, formation_round):
    return reverse(
        f"cohorts:{name}",
        kwargs={
            "cohort_slug": formation_round.cohort.slug,
            "round_id": formation_round.public_id,
        },
    )


# -- the list and the round's settings -------------------------------------------------------


@cohort_view("cohort.manage")
def round_list(request, access):
    rounds = setup_service.with_counts(access.cohort.formation_rounds.all()).order_by(
        "-created_at", "-pk"
    )
    return render(
        request,
        "cohorts/formation/round_list.html",
        {"rounds": [_badge(r) for r in rounds], "methods": _methods()},
    )


@cohort_view("cohort.manage")
def round_create(request, access):
    initial = {}
    if request.GET.get("method") in Method.values:
        initial["method"] = request.GET["method"]
    form = RoundForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        formation_round = setup_service.create_round(
            access.cohort, request.user, **form.round_data()
        )
        people = formation_round.entries.count()
        message = ngettext(
            "Round created with %(n)d person taking part.",
            "Round created with %(n)d people taking part.",
            people,
        ) % {"n": people}
        next_step = method_of(formation_round).next_step
        if next_step:
            message += " " + str(next_step)
        messages.success(request, message)
        return redirect(formation_round)
    return render(
        request,
        "cohorts/formation/round_form.html",
        {"form": form, "formation_round": None},
    )


@cohort_view("cohort.manage")
def round_edit(request, access, round_id):
    formation_round = get_round(access, round_id)
    try:
        setup_service.check_settings_editable(formation_round)
    except ServiceError as error:
        show_error(request, error)
        return redirect(formation_round)
    # The form works on its own copy: the page keeps showing the saved name while the
    # form shows what was typed.
    form = RoundForm(
        request.POST or None,
        instance=get_round(access, round_id),
        method_locked=setup_service.method_locked(formation_round),
    )
    if request.method == "POST" and form.is_valid():
        try:
            synced = setup_service.update_round(formation_round, request.user, **form.round_data())
        except ServiceError as error:
            show_error(request, error, form)
        else:
            message = _("Round settings saved.")
            if synced is not None:
                message += (
                    " "
                    + _(
                        "Who takes part now follows the new choice: %(added)d added, "
                        "%(removed)d removed."
                    )
                    % synced
                )
                if synced["kept"]:
                    message += " " + ngettext(
                        "%(n)d person outside it stays, because they already gave their "
                        "input; remove them on the People page if you want.",
                        "%(n)d people outside it stay, because they already gave their "
                        "input; remove them on the People page if you want.",
                        synced["kept"],
                    ) % {"n": synced["kept"]}
            messages.success(request, message)
            return redirect(formation_round)
    return render(
        request,
        "cohorts/formation/round_form.html",
        {"form": form, "formation_round": _badge(formation_round)},
    )


@require_POST
@cohort_view("cohort.manage")
def round_delete(request, access, round_id):
    formation_round = get_round(access, round_id)
    try:
        setup_service.delete_round(formation_round, request.user)
    except ServiceError as error:
        show_error(request, error)
        return redirect(formation_round)
    messages.success(request, _("Round “%(name)s” deleted.") % {"name": formation_round.name})
    return redirect("cohorts:formation-list", access.cohort.slug)


# -- the round's hub -------------------------------------------------------------------------


def _summary(formation_round):
    return formation_round.entries.aggregate(
        people=Count("pk"),
        answered=Count("pk", filter=Q(submitted_at__isnull=False)),
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        unsent=Count("pk", filter=Q(sent_at__isnull=True)),
        waiting=Count("pk", filter=Q(sent_at__isnull=False, submitted_at__isnull=True)),
    )


def _criteria_rows(formation_round):
    rules = dict(RULE_CHOICES)
    return [
        {
            "label": ATTRIBUTES[c["attribute"]].label,
            "rule": rules.get(c["rule"], c["rule"]),
            "weight": c["weight"],
        }
        for c in formation_round.criteria
        if c.get("attribute") in ATTRIBUTES
    ]


@cohort_view("cohort.manage")
def round_detail(request, access, round_id):
    formation_round = _badge(get_round(access, round_id))
    summary = _summary(formation_round)
    query = request.GET.get("q", "").strip()
    staff = CohortRole.objects.filter(
        cohort_id=formation_round.cohort_id, user=OuterRef("entered_by"), role=CohortRole.Role.STAFF
    )
    entries = (
        formation_round.entries.select_related("participant__organization", "entered_by")
        .annotate(entered_by_staff=Exists(staff))
        .order_by("participant__name", "pk")
    )
    if query:
        entries = entries.filter(participant__name__icontains=query)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page:
        entry.link = reminders.answer_url(entry)
    send_problem = ""
    if formation_round.asks_participants:
        try:
            reminders.check_can_collect(formation_round)
        except ServiceError as error:
            send_problem = str(error)
    topics = []
    cap_shortfall = None
    if method_of(formation_round).uses_topics:
        topics = list(formation_round.topics.all())
        cap_shortfall = setup_service.cap_shortfall(formation_round, summary["people"])
    return render(
        request,
        "cohorts/formation/round_detail.html",
        {
            "formation_round": formation_round,
            "summary": summary,
            "page": page,
            "query": query,
            "method_help": METHOD_HELP.get(formation_round.method, ""),
            "topics": topics,
            "cap_shortfall": cap_shortfall,
            "criteria": _criteria_rows(formation_round),
            "send_problem": send_problem,
            "can_send": (
                formation_round.asks_participants and not send_problem and summary["unsent"] > 0
            ),
            "can_remind": formation_round.is_open_for_input and summary["waiting"] > 0,
            "has_proposal": formation_round.proposals.exists(),
        },
    )


@require_POST
@cohort_view("cohort.manage")
def round_send(request, access, round_id):
    formation_round = get_round(access, round_id)
    action = request.POST.get("action")
    try:
        if action == "send":
            sent = reminders.send_links(formation_round, request.user)
            if sent:
                messages.success(
                    request,
                    ngettext(
                        "Personal link on its way to %(n)d person.",
                        "Personal links on their way to %(n)d people.",
                        sent,
                    )
                    % {"n": sent},
                )
            else:
                messages.info(request, _("Everyone in the round has their link already."))
        elif action == "remind":
            counts = reminders.remind(formation_round, request.user)
            message = ngettext(
                "%(n)d person reminded.", "%(n)d people reminded.", counts["reminded"]
            ) % {"n": counts["reminded"]}
            if counts["recent"]:
                message += " " + ngettext(
                    "%(n)d was reminded in the last 24 hours and was skipped.",
                    "%(n)d were reminded in the last 24 hours and were skipped.",
                    counts["recent"],
                ) % {"n": counts["recent"]}
            if not counts["reminded"] and not counts["recent"]:
                message = _("Nobody to remind: everyone sent a link has answered.")
            messages.add_message(
                request, messages.SUCCESS if counts["reminded"] else messages.INFO, message
            )
        else:
            messages.error(request, _("Choose whether to send the links or to remind people."))
    except ServiceError as error:
        show_error(request, error)
    return redirect(formation_round)


# -- who takes part --------------------------------------------------------------------------


@cohort_view("cohort.manage")
def round_people(request, access, round_id):
    formation_round = _badge(get_round(access, round_id))
    cohort = access.cohort
    if request.method == "POST" and request.POST.get("action") == "add_missing":
        try:
            added = setup_service.add_missing(formation_round, request.user)
        except ServiceError as error:
            show_error(request, error)
        else:
            messages.success(
                request,
                ngettext("%(n)d person added.", "%(n)d people added.", added) % {"n": added},
            )
        return _back(request, _round_url("formation-people", formation_round))
    if request.method == "POST":
        form = PeopleForm(request.POST, cohort=cohort)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return _back(request, _round_url("formation-people", formation_round))
        try:
            counts = setup_service.set_people(
                formation_round,
                request.user,
                shown=form.cleaned_data["shown"],
                ticked=form.cleaned_data["takes_part"],
            )
        except ServiceError as error:
            show_error(request, error)
        else:
            if counts["added"] or counts["removed"]:
                message = _("Saved: %(added)d added, %(removed)d removed.") % counts
                if counts["removed_with_input"]:
                    message += " " + ngettext(
                        "%(n)d of those removed had given their input; it was removed with them.",
                        "%(n)d of those removed had given their input; it was removed with them.",
                        counts["removed_with_input"],
                    ) % {"n": counts["removed_with_input"]}
                messages.success(request, message)
            else:
                messages.info(request, _("Nothing changed."))
        return _back(request, _round_url("formation-people", formation_round))
    query = request.GET.get("q", "").strip()
    participants = cohort.participants.all()
    if query:
        participants = participants.filter(
            Q(name__icontains=query) | Q(organization__name__icontains=query)
        )
    participants = (
        participants.select_related("organization")
        .annotate(
            takes_part=Exists(
                FormationEntry.objects.filter(round=formation_round, participant=OuterRef("pk"))
            )
        )
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(community__archived_at__isnull=True)
                .select_related("community")
                .order_by("community__name"),
                to_attr="current_memberships",
            )
        )
        .order_by("name", "pk")
    )
    page = Paginator(participants, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cohorts/formation/people.html",
        {
            "formation_round": formation_round,
            "page": page,
            # The "tick everyone" boxes start ticked when everyone on the page takes part,
            # so one click unticks them all.
            "all_ticked": len(page) > 0 and all(p.takes_part for p in page),
            "query": query,
            "people_count": formation_round.entries.count(),
            "missing_count": setup_service.missing_from_scope(formation_round).count(),
            "total": cohort.participants.count() if query else page.paginator.count,
        },
    )
