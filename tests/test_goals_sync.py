"""Goals follow the plan's goals part: one row per entry, by position; a removed entry's row is
retired with its history, and a dated update keeps the goal's latest status and value."""

import datetime

import pytest
from django.utils import timezone

from copkit.errors import ServiceError
from planning.evaluations.services import goals
from planning.models import ActionPlan, Goal, GoalStatus, PlanPart

pytestmark = pytest.mark.django_db


def write_goals(community, *entries):
    plan, _ = ActionPlan.objects.get_or_create(community=community)
    return PlanPart.objects.update_or_create(
        plan=plan,
        key="goals",
        defaults={
            "data": {
                "goals": [{"goal": g, "indicator": i, "target_date": d} for g, i, d in entries]
            }
        },
    )[0]


def test_sync_makes_one_goal_per_entry_in_order(world):
    write_goals(
        world.community,
        ("Share one volunteer pool", "20 shared volunteers", "2027-06-30"),
        ("Write a joint grant", "A proposal sent", ""),
    )
    synced = goals.sync_goals(world.community)
    assert [(g.position, g.text, g.target_date) for g in synced] == [
        (0, "Share one volunteer pool", datetime.date(2027, 6, 30)),
        (1, "Write a joint grant", None),
    ]
    assert goals.sync_goals(world.community) == synced  # a second sync changes nothing
    assert Goal.objects.filter(community=world.community).count() == 2


def test_a_removed_goal_is_retired_and_comes_back_with_its_history(world):
    write_goals(world.community, ("A", "1", ""), ("B", "2", ""))
    _first, second = goals.sync_goals(world.community)
    goals.record_update(second, status=GoalStatus.ON_TRACK, actor=world.staff, note="Going")
    write_goals(world.community, ("A", "1", ""))
    assert [g.text for g in goals.sync_goals(world.community)] == ["A"]
    second.refresh_from_db()
    assert second.retired_at is not None
    write_goals(world.community, ("A", "1", ""), ("B", "2", ""))
    revived = goals.sync_goals(world.community)[1]
    assert revived.pk == second.pk and revived.retired_at is None
    assert revived.updates.count() == 1


def test_an_update_keeps_the_latest_status_and_value(world):
    write_goals(world.community, ("Share one volunteer pool", "20 shared volunteers", ""))
    (goal,) = goals.sync_goals(world.community)
    assert goals.counts_something(goal)
    today = timezone.localdate()
    goals.record_update(
        goal, status=GoalStatus.ON_TRACK, actor=world.staff, value=goals.parse_value("1,2")
    )
    goals.record_update(
        goal,
        status=GoalStatus.AT_RISK,
        actor=world.staff,
        recorded_on=today - datetime.timedelta(days=30),
    )
    goal.refresh_from_db()
    assert (goal.status, str(goal.value)) == (GoalStatus.ON_TRACK, "12.00")
    with pytest.raises(ServiceError) as refused:
        goals.parse_value("twelve")
    assert refused.value.field == "value"
    with pytest.raises(ServiceError):
        goals.record_update(
            goal,
            status=GoalStatus.MET,
            actor=world.staff,
            recorded_on=today + datetime.timedelta(days=1),
        )


def test_outcome_against_the_target_date(world):
    goal = Goal(status=GoalStatus.ON_TRACK, target_date=datetime.date(2027, 1, 31))
    assert goals.outcome(goal, today=datetime.date(2027, 1, 31)) == ""
    assert goals.outcome(goal, today=datetime.date(2027, 2, 1)) == "missed"
    goal.status = GoalStatus.MET
    assert goals.outcome(goal, today=datetime.date(2027, 2, 1)) == "met"
