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
