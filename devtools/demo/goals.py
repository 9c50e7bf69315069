"""The demo's goal progress: each community's goals taken from its plan (the plans are
bulk-written, so nothing synced them), with a few dated updates since the program started,
some given in a check-in, some measured, a few met and one or two missed by their date."""

import random
from datetime import timedelta

from django.utils import timezone

from planning.evaluations.services.goals import counts_something, record_update, sync_goals
from planning.models import CheckIn, Goal, GoalStatus, GoalUpdate, PlanPart

NOTES = {
    GoalStatus.ON_TRACK: (
        "Moving as planned; we went over it at the last meeting.",
        "Two members took on the next step.",
        "Good progress since the training.",
    ),
    GoalStatus.AT_RISK: (
        "Fewer members came this month, so it slipped.",
        "Waiting on one organization's board to agree.",
    ),
    GoalStatus.MET: ("Done, and the group celebrated it.", "Reached at the last meeting."),
}


def _story(rng, passed):
    """The statuses a goal went through: a goal past its date ends met, or (now and then)
    stuck where it was."""
    if passed:
        return (
            [GoalStatus.ON_TRACK, GoalStatus.MET]
            if rng.random() < 0.75
            else [
                GoalStatus.ON_TRACK,
                GoalStatus.AT_RISK,
            ]
        )
    return rng.choice(
        [
            [],
            [GoalStatus.ON_TRACK],
            [GoalStatus.ON_TRACK, GoalStatus.AT_RISK],
            [GoalStatus.AT_RISK, GoalStatus.ON_TRACK],
        ]
    )


# A short, counted goal the last community added to its plan, due a month into the program:
# with the program under way it shows as missed, its value measured along the way.
DRIVE = {
    "goal": "Recruit volunteers together for the fall food drive",
    "indicator": "15 new volunteers signed up across the members",
}


def _add_drive_goal(community, start, today):
    due = start + timedelta(days=30)
    if due >= today:
        return
    part = PlanPart.objects.get(plan__community=community, key="goals")
    entries = list((part.data or {}).get("goals") or [])
    entries.append({**DRIVE, "target_date": due.isoformat()})
    part.data = {**(part.data or {}), "goals": entries}
    part.save(update_fields=["data", "updated_at"])


def add_goals_data(cohort, *, staff, seed=2026):
    """Goals and their updates for `cohort`'s communities. Returns counts for the summary."""
    rng = random.Random(f"goals-{seed}-{cohort.slug}")
    today = timezone.localdate()
    start = min(cohort.starts_on, today)
    communities = list(
        cohort.communities.active().filter(plans__parts__key="goals").order_by("name")
    )
    if communities:
        _add_drive_goal(communities[-1], start, today)
    for community in communities:
        checkin = (
            CheckIn.objects.filter(community=community, answered_at__isnull=False)
            .select_related("leader")
            .order_by("-answered_at")
            .first()
        )
        for goal in sync_goals(community):
            passed = goal.target_date is not None and goal.target_date < today
            story = _story(rng, passed)
            if goal.text == DRIVE["goal"]:
                story = [GoalStatus.ON_TRACK, GoalStatus.AT_RISK]  # short of 15 by its date
            span = max((min(goal.target_date or today, today) - start).days, len(story) + 1)
            for step, status in enumerate(story, start=1):
                day = min(start + timedelta(days=span * step // (len(story) + 1)), today)
                value = None
                if counts_something(goal):
                    value = rng.randint(2, 6) * step
                record_update(
                    goal,
                    status=status,
                    actor=staff,
                    note=rng.choice(NOTES[status]),
                    value=value,
                    recorded_on=day,
                )
            if goal.position == 1 and community == communities[0] and story:
                # The first community reached one of its goals early.
                record_update(
                    goal, status=GoalStatus.MET, actor=staff, note=NOTES[GoalStatus.MET][1]
                )
        if checkin is not None and (first := community.goals.filter(retired_at=None).first()):
            # The leader's latest check-in said where the first goal stands.
            record_update(
                first,
                status=first.status
                if first.status != GoalStatus.NOT_STARTED
                else GoalStatus.ON_TRACK,
                actor=checkin.leader,
                note="Said in the check-in: the group keeps at it.",
                recorded_on=timezone.localtime(checkin.answered_at).date(),
                source=GoalUpdate.Source.CHECKIN,
                checkin=checkin,
            )
    updates = GoalUpdate.objects.filter(goal__community__cohort=cohort)
    return {
        "goals": Goal.objects.filter(community__cohort=cohort, retired_at=None).count(),
        "goal updates": updates.count(),
    }
