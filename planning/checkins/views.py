"""The check-in pages: staff's overview of every community and the cadence; a community's
history (its leaders and staff), the cadence changed for it and a call logged; the coach's
follow-up; and the answer page of a leader's personal link, which needs no password."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from cohorts.access import cohort_view
from cohorts.models import Community
from copkit.concurrency import EditConflict, hold_for_saving
from copkit.errors import ServiceError, show_error
from planning.archived import community_open
from planning.checkins.forms import AnswerForm, CadenceForm, FollowUpForm, LogCallForm
from planning.checkins.services import answers, overview, rules
from planning.evaluations.services.goals import checkin_choices, live_goals
from planning.models import CheckIn


def _cadence_initial(cohort):
    today = timezone.localdate()
    return {"every_weeks": 2, "starts_on": today, "remind_after_days": 3, "escalate_after_days": 7}


@cohort_view("cohort.manage")
def checkin_overview(request, access):
    cohort = access.cohort
    params = request.GET
    coach = params.get("coach", "")
    if coach == "me":
        coach = str(request.user.pk)
    phase = params.get("phase", "")
    if phase not in Community.Phase.values:
        phase = ""
    rows, staff = overview.cohort_rows(
        cohort,
        coach=coach,
        phase=phase,
        overdue=params.get("overdue") == "1",
        support=params.get("support") == "1",
    )
    return render(
        request,
        "planning/checkins/overview.html",
        {
            "rows": rows,
            "staff": staff,
            "phases": Community.Phase.choices,
            "chosen": {
                "coach": coach,
                "phase": phase,
                "overdue": params.get("overdue") == "1",
                "support": params.get("support") == "1",
            },
            "filtered": bool(coach or phase or params.get("overdue") or params.get("support")),
            "cadence": rules.cohort_cadence(cohort),
        },
    )


def _save_cadence(request, access, form, community=None):
    try:
        rules.set_cadence(
            access.cohort, actor=request.user, community=community, **form.cleaned_data
        )
    except ServiceError as error:
        show_error(request, error, form)
        return False
    return True


@cohort_view("cohort.manage")
@transaction.atomic
def cohort_cadence(request, access):
    row = rules.cohort_cadence(access.cohort)
    form = CadenceForm(
        request.POST or None,
        instance=row,
        initial=None if row else _cadence_initial(access.cohort),
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and hold_for_saving(form, row)
        and _save_cadence(request, access, form)
    ):
        messages.success(request, _("Check-in cadence saved."))
        return redirect("planning:checkins", access.cohort.slug)
    return render(request, "planning/checkins/cadence.html", {"form": form, "community": None})


@cohort_view("community.manage")
@community_open
@transaction.atomic
def community_cadence(request, access):
    community = access.community
    row = rules.community_cadence(community)
    if request.method == "POST" and request.POST.get("action") == "follow":
        rules.follow_cohort(community, actor=request.user)
        messages.success(request, _("This community follows the cohort's cadence again."))
        return redirect("planning:community-checkins", access.cohort.slug, community.slug)
    base = row or rules.cohort_cadence(access.cohort)
    initial = None
    if row is None:
        initial = (
            {name: getattr(base, name) for name in rules.FIELDS}
            if base
            else _cadence_initial(access.cohort)
        )
    form = CadenceForm(request.POST or None, instance=row, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and hold_for_saving(form, row)
        and _save_cadence(request, access, form, community)
    ):
        messages.success(request, _("Check-in cadence of this community saved."))
        return redirect("planning:community-checkins", access.cohort.slug, community.slug)
    return render(
        request,
        "planning/checkins/cadence.html",
        {"form": form, "community": community, "own": row is not None},
    )


@cohort_view("community.lead")
def community_checkins(request, access):
    community = access.community
    history = overview.community_history(community)
    participant = access.participant
    mine = [
        c
        for c in history["checkins"]
        if participant is not None
        and c.participant_id == participant.pk
        and c.answered_at is None
        and c.prompted_at is not None
    ]
    return render(
        request,
        "planning/checkins/community.html",
        {
            "community": community,
            "is_staff": access.is_staff,
            "own_cadence": rules.community_cadence(community) is not None,
            "mine": mine[0] if mine else None,
            "my_participant": participant,
            **history,
        },
    )


@cohort_view("community.manage")
@community_open
def checkin_log(request, access):
    community = access.community
    leaders = overview.leaders(community)
    form = LogCallForm(
        request.POST or None,
        leaders=leaders,
        goals=live_goals(community),
        initial={"held_on": timezone.localdate(), "how": CheckIn.How.PHONE},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            answers.log_call(
                community,
                actor=request.user,
                how=data["how"],
                held_on=data["held_on"],
                participant=data["participant"],
                values=data,
                goal_updates=form.goal_updates(),
            )
        except ServiceError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("Check-in logged."))
            return redirect("planning:community-checkins", access.cohort.slug, community.slug)
    return render(request, "planning/checkins/log.html", {"form": form, "community": community})


@cohort_view("cohort.manage")
def followup_edit(request, access, followup_id):
    followup = get_object_or_404(
        answers.FollowUp.objects.filter(community__cohort=access.cohort).select_related(
            "community__cohort", "checkin__participant"
        ),
        public_id=followup_id,
    )
    form = FollowUpForm(request.POST or None, instance=followup)
    if request.method == "POST" and form.is_valid():
        try:
            answers.update_followup(
                followup,
                actor=request.user,
                state=form.cleaned_data["state"],
                reply=form.cleaned_data["reply"],
                token=request.POST.get("edit_fingerprint"),
            )
        except EditConflict as conflict:
            form.show_conflict(conflict)
        except ServiceError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("Follow-up saved."))
            community = followup.community
            return redirect("planning:community-checkins", access.cohort.slug, community.slug)
    return render(
        request,
        "planning/checkins/followup.html",
        {"form": form, "followup": followup, "community": followup.community},
    )


def _checkin_of(token):
    checkin = (
        CheckIn.objects.select_related("community__cohort", "participant")
        .filter(token=token, participant__isnull=False)
        .first()
    )
    if checkin is None:
        raise Http404("No such check-in")
    return checkin


@never_cache
def checkin_answer(request, token):
    """A leader's check-in through their personal link: no login, works on a phone."""
    checkin = _checkin_of(token)
    community = checkin.community
    closed = community.is_archived
    initial = {name: getattr(checkin, name) for name in answers.ANSWER_FIELDS}
    form = AnswerForm(
        request.POST if request.method == "POST" and not closed else None,
        initial=initial,
        goals=() if closed else live_goals(community),
        chosen=checkin_choices(checkin),
    )
    if request.method == "POST" and not closed and form.is_valid():
        try:
            answers.answer(
                checkin,
                values=form.cleaned_data,
                user=request.user if request.user.is_authenticated else None,
                goal_updates=form.goal_updates(),
            )
        except ServiceError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("Thank you: your check-in is with your TTA coach."))
            return redirect("checkin-answer", token=token)
    someone_else = (
        request.user.is_authenticated
        and checkin.participant.user_id is not None
        and checkin.participant.user_id != request.user.pk
    )
    followup = answers.FollowUp.objects.filter(checkin=checkin).first()
    return render(
        request,
        "planning/checkins/answer.html",
        {
            "checkin": checkin,
            "community": community,
            "cohort": community.cohort,
            "participant": checkin.participant,
            "form": form,
            "closed": closed,
            "someone_else": someone_else,
            "followup": followup,
        },
    )
