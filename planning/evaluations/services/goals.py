"""A community's goals and their progress.

The plan's "goals" part is where goals are written; `sync_goals` keeps one `Goal` row per
entry, matched by position (an edited goal keeps its history; a removed one is retired, and
comes back if an entry is added at its position again with the same text). `record_update`
adds one dated status, and keeps the goal's latest status, date and value beside it.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.services.activity import record
from copkit.errors import ServiceError
from planning.archived import refuse_if_archived
from planning.models import Goal, GoalStatus, GoalUpdate, PlanPart

GOALS_PART = "goals"


def _entries(community):
    """The goals part's entries of `community`'s plan, in order: (text, indicator, date)."""
    part = PlanPart.objects.filter(plan__community=community, key=GOALS_PART).only("data").first()
    entries = []
    for item in ((part.data if part else None) or {}).get("goals") or []:
        if not isinstance(item, dict):
            continue
        text = " ".join(str(item.get("goal") or "").split())[:500]
        if not text:
            continue
        indicator = " ".join(str(item.get("indicator") or "").split())[:500]
        entries.append((text, indicator, _date(item.get("target_date"))))
    return entries


def _date(value):
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


@transaction.atomic
def sync_goals(community):
    """Make the community's live goals match its plan's goals part. Returns the live goals,
    in order. Safe to call twice at once: the community row is locked while it runs."""
    type(community).objects.select_for_update().filter(pk=community.pk).first()
    entries = _entries(community)
    live = {
        goal.position: goal for goal in Goal.objects.filter(community=community, retired_at=None)
    }
    now = timezone.now()
    result = []
    for position, (text, indicator, target_date) in enumerate(entries):
        goal = live.pop(position, None)
        revived = False
        if goal is None:
            goal = (
                Goal.objects.filter(community=community, position=position, text=text)
                .exclude(retired_at=None)
                .order_by("-retired_at")
                .first()
            )
            if goal is not None:
                goal.retired_at, revived = None, True
        if goal is None:
            goal = Goal(community=community, position=position)
        changed = (goal.text, goal.indicator, goal.target_date) != (text, indicator, target_date)
        if goal.pk is None or changed or revived:
            goal.text, goal.indicator, goal.target_date = text, indicator, target_date
            goal.save()
        result.append(goal)
    for goal in live.values():
        goal.retired_at = now
        goal.save(update_fields=["retired_at", "updated_at"])
    return result


def live_goals(community):
    return Goal.objects.filter(community=community, retired_at=None).order_by("position")


NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def counts_something(goal):
    """Whether the goal's indicator names a number ("20 member organizations use it"): then
    an update may carry a measured value."""
    return bool(NUMBER.search(goal.indicator or ""))


def parse_value(raw):
    """A measured value typed by a person: "1,200", "35.5", "" (None). Raises ServiceError
    (on the field "value") for anything else."""
    raw = (raw or "").strip().replace(",", "")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ServiceError(_("Enter a number, such as 12 or 3.5."), field="value") from None
    if not value.is_finite() or abs(value) >= Decimal("1e12"):
        raise ServiceError(_("Enter a number, such as 12 or 3.5."), field="value")
    return value.quantize(Decimal("0.01"))


def outcome(goal, today=None):
    """How the goal stands against its target date: "met", "missed" (the date passed and it
    is not met or dropped), or "" (no verdict yet)."""
    if goal.status == GoalStatus.MET:
        return "met"
    if goal.status == GoalStatus.DROPPED:
        return ""
    today = today or timezone.localdate()
    if goal.target_date and goal.target_date < today:
        return "missed"
    return ""


@transaction.atomic
def record_update(
    goal,
    *,
    status,
    actor,
    note="",
    value=None,
    recorded_on=None,
    source=GoalUpdate.Source.COMMUNITY_PAGE,
    checkin=None,
    evaluation=None,
):
    """Add a dated status to `goal` (a value from `parse_value`, or None). The goal keeps the
    latest one by date: an update back-dated before the latest is kept in the history only."""
    refuse_if_archived(goal.community)
    if status not in GoalStatus.values:
        raise ServiceError(_("Choose a status."), field="status")
    today = timezone.localdate()
    recorded_on = recorded_on or today
    if recorded_on > today:
        raise ServiceError(_("The date cannot be in the future."), field="recorded_on")
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    if goal.retired_at is not None:
        raise ServiceError(_("This goal is no longer in the plan."))
    update = GoalUpdate.objects.create(
        goal=goal,
        status=status,
        recorded_on=recorded_on,
        note=(note or "").strip(),
        value=value,
        source=source,
        checkin=checkin,
        evaluation=evaluation,
        recorded_by=actor,
    )
    if goal.status_on is None or recorded_on >= goal.status_on:
        goal.status, goal.status_on = status, recorded_on
        if value is not None:
            goal.value = value
        goal.save(update_fields=["status", "status_on", "value", "updated_at"])
    community = goal.community
    record(community.cohort, actor, "updated a goal", community, status=status)
    return update


def _refresh_latest(goal):
    """Set the goal's status, date and value from its updates (the latest by date, then by
    when it was written; the value from the latest update that carried one)."""
    updates = GoalUpdate.objects.filter(goal=goal).order_by("-recorded_on", "-created_at")
    latest = updates.first()
    goal.status = latest.status if latest else GoalStatus.NOT_STARTED
    goal.status_on = latest.recorded_on if latest else None
    goal.value = updates.exclude(value=None).values_list("value", flat=True).first()
    goal.save(update_fields=["status", "status_on", "value", "updated_at"])


def record_checkin_updates(checkin, updates, *, actor, recorded_on):
    """The goal statuses given with a check-in: `updates` is a list of (goal, status, note)
    for the goals whose status was chosen (a goal left blank keeps its status). Given again
    for the same check-in (a leader changing their answers), a goal's update from this
    check-in is changed rather than added twice. Call inside the check-in's transaction."""
    if not updates:
        return []
    community = checkin.community
    refuse_if_archived(community)
    wanted = {goal.pk: (status, (note or "").strip()) for goal, status, note in updates}
    for status, _note in wanted.values():
        if status not in GoalStatus.values:
            raise ServiceError(_("Choose a status."))
    rows = Goal.objects.select_for_update().filter(
        community=community, retired_at=None, pk__in=wanted
    )
    earlier = {
        update.goal_id: update
        for update in GoalUpdate.objects.filter(checkin=checkin, goal_id__in=wanted)
    }
    saved = []
    for goal in rows.order_by("position"):
        status, note = wanted[goal.pk]
        update = earlier.get(goal.pk)
        if update is None:
            update = GoalUpdate(
                goal=goal, checkin=checkin, source=GoalUpdate.Source.CHECKIN, recorded_by=actor
            )
        elif (update.status, update.note) == (status, note):
            saved.append(update)
            continue
        update.status, update.note, update.recorded_on = status, note, recorded_on
        update.save()
        _refresh_latest(goal)
        record(community.cohort, actor, "updated a goal", community, status=status)
        saved.append(update)
    return saved


def checkin_choices(checkin):
    """{goal id: (status, note)} given with this check-in, to show its form again."""
    if checkin is None or checkin.pk is None:
        return {}
    return {
        goal_id: (status, note)
        for goal_id, status, note in GoalUpdate.objects.filter(checkin=checkin).values_list(
            "goal_id", "status", "note"
        )
    }


def community_goals(community, today=None):
    """The live goals of a community, in the plan's order, each with `outcome` set."""
    today = today or timezone.localdate()
    rows = list(live_goals(community))
    for goal in rows:
        goal.outcome = outcome(goal, today)
        goal.counts = counts_something(goal)
    return rows


def history(goal):
    """A goal's updates, the latest first, with who wrote them and the evaluation's round."""
    return goal.updates.select_related(
        "recorded_by", "evaluation__round", "checkin__participant"
    ).order_by("-recorded_on", "-created_at")


def _missed(today):
    return Q(target_date__lt=today) & ~Q(status__in=[GoalStatus.MET, GoalStatus.DROPPED])


def cohort_goals(cohort):
    """The live goals of the cohort's communities that are not archived."""
    return Goal.objects.filter(
        community__cohort=cohort, community__archived_at__isnull=True, retired_at=None
    )


def cohort_figures(cohort, today=None):
    """Counts over the cohort's live goals, in one aggregate query: `total`, one per status
    (by its value), `met` and `missed` (past the target date, neither met nor dropped)."""
    today = today or timezone.localdate()
    counts = {status: Count("pk", filter=Q(status=status)) for status in GoalStatus.values}
    figures = cohort_goals(cohort).aggregate(
        total=Count("pk"), missed=Count("pk", filter=_missed(today)), **counts
    )
    figures["met"] = figures[GoalStatus.MET]
    figures["by_status"] = [(s.value, s.label, figures[s.value]) for s in GoalStatus]
    return figures


def people_behind(cohort):
    """How many people the cohort's goal figures speak for: the members of the communities
    that hold live goals. An observer sees the figures only from MIN_GROUP of them on."""
    from cohorts.models import Membership

    return (
        Membership.objects.filter(community__in=cohort_goals(cohort).values("community_id"))
        .values("participant_id")
        .distinct()
        .count()
    )


def cohort_rows(cohort, *, status="", missed=False, today=None):
    """The cohort's live goals for its Goals page, by community and position, each with
    `outcome` set; filtered by status and to those missed by their date."""
    today = today or timezone.localdate()
    rows = cohort_goals(cohort).select_related("community__cohort")
    if status in GoalStatus.values:
        rows = rows.filter(status=status)
    if missed:
        rows = rows.filter(_missed(today))
    rows = list(rows.order_by("community__name", "community_id", "position"))
    for goal in rows:
        goal.outcome = outcome(goal, today)
    return rows
