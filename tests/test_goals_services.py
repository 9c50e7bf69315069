"""Goals and their progress, the services: the plan keeps the goals in step (saving the goals
part, approving the plan), a check-in and a logged call record goal statuses in their own
transaction, an archived community is refused, the cohort's figures come from one aggregate
query, and the one-off migration gives earlier plans their goals."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from copkit.errors import ServiceError
from planning.archived import CommunityArchived
from planning.checkins.services import answers
from planning.evaluations.services import goals
from planning.models import CheckIn, Goal, GoalStatus, GoalUpdate
from planning.plans.services import plans as plan_services
from planning.plans.services import review as review_services
from tests import factories
from tests.matrix_goals import write_goals

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
GOALS = {
    "goals": [
        {"goal": "Share one volunteer pool", "indicator": "20 shared volunteers"},
        {"goal": "Write a joint grant", "indicator": "A proposal sent", "target_date": ""},
    ]
}


def open_checkin(world):
    due = timezone.now() - DAY
    return CheckIn.objects.create(
        community=world.community,
        participant=world.leader_participant,
        leader=world.leader,
        period=due.date().isoformat(),
        due_at=due,
        prompted_at=due,
    )


def archive(community):
    community.archived_at = timezone.now()
    community.save(update_fields=["archived_at"])


# -- the plan keeps the goals in step --


def test_saving_the_goals_part_makes_the_goals(world):
    plan = plan_services.get_plan(world.community)
    plan_services.save_part(plan, "goals", GOALS, base_revision=0, actor=world.leader)
    assert [g.text for g in goals.live_goals(world.community)] == [
        "Share one volunteer pool",
        "Write a joint grant",
    ]
    part = plan.parts.get(key="goals")
    shorter = {"goals": GOALS["goals"][:1]}
    plan_services.save_part(plan, "goals", shorter, base_revision=part.revision, actor=world.leader)
    assert [g.text for g in goals.live_goals(world.community)] == ["Share one volunteer pool"]
    assert Goal.objects.filter(community=world.community).exclude(retired_at=None).count() == 1


def test_saving_another_part_leaves_the_goals_alone(world):
    plan = plan_services.get_plan(world.community)
    factories.PlanPartFactory(plan=plan, key="goals", data=GOALS)  # written before goals were kept
    plan_services.save_part(
        plan, "potential", {"potential": "A pool"}, base_revision=0, actor=world.leader
    )
    assert not Goal.objects.filter(community=world.community).exists()


def test_approving_the_plan_syncs_its_goals(world):
    from tests.test_plan_review import fill

    plan = fill(world)  # parts written directly: no goals yet
    assert not Goal.objects.filter(community=world.community).exists()
    review_services.submit(plan, actor=world.leader)
    plan.refresh_from_db()
    review_services.review(plan, actor=world.staff, approve=True)
    assert goals.live_goals(world.community).count() == 2


def test_returning_the_plan_does_not_sync(world):
    from tests.test_plan_review import fill

    plan = fill(world)
    review_services.submit(plan, actor=world.leader)
    plan.refresh_from_db()
    review_services.review(plan, actor=world.staff, approve=False, comment="Say more")
    assert not Goal.objects.filter(community=world.community).exists()


# -- updates in a check-in --


def test_a_checkin_records_the_chosen_goal_statuses_in_its_transaction(world):
    pool, grant = write_goals(
        world.community, ("Share one volunteer pool", "20", ""), ("Write a grant", "", "")
    )
    row = open_checkin(world)
    answers.answer(
        row,
        values={"scale": 4},
        user=world.leader,
        goal_updates=[(pool, GoalStatus.ON_TRACK, "Twelve so far")],
    )
    (update,) = GoalUpdate.objects.all()
    assert (update.goal, update.source, update.checkin, update.note) == (
        pool,
        GoalUpdate.Source.CHECKIN,
        row,
        "Twelve so far",
    )
    pool.refresh_from_db()
    grant.refresh_from_db()
    assert pool.status == GoalStatus.ON_TRACK and pool.status_on == timezone.localdate()
    assert grant.status == GoalStatus.NOT_STARTED  # left blank: no change
    # Changing the answers changes this check-in's update rather than adding a second one.
    answers.answer(
        row,
        values={"scale": 4},
        user=world.leader,
        goal_updates=[(pool, GoalStatus.AT_RISK, "Fewer than hoped")],
    )
    update.refresh_from_db()
    assert GoalUpdate.objects.count() == 1
    assert (update.status, update.note) == (GoalStatus.AT_RISK, "Fewer than hoped")
    pool.refresh_from_db()
    assert pool.status == GoalStatus.AT_RISK
    assert goals.checkin_choices(row) == {pool.pk: (GoalStatus.AT_RISK, "Fewer than hoped")}


def test_a_refused_checkin_records_no_goal(world):
    (pool,) = write_goals(world.community, ("Share one volunteer pool", "20", ""))
    row = open_checkin(world)
    with pytest.raises(ServiceError):
        answers.answer(
            row, values={"scale": 9}, user=world.leader, goal_updates=[(pool, "on_track", "")]
        )
    assert not GoalUpdate.objects.exists()


def test_a_call_staff_log_records_goal_statuses_as_of_its_day(world):
    (pool,) = write_goals(world.community, ("Share one volunteer pool", "20", ""))
    held_on = timezone.localdate() - 2 * DAY
    checkin = answers.log_call(
        world.community,
        actor=world.staff,
        how=CheckIn.How.PHONE,
        held_on=held_on,
        values={"scale": 3},
        goal_updates=[(pool, GoalStatus.MET, "")],
    )
    update = GoalUpdate.objects.get()
    assert (update.checkin, update.recorded_on, update.recorded_by) == (
        checkin,
        held_on,
        world.staff,
    )
    pool.refresh_from_db()
    assert pool.status == GoalStatus.MET


def test_a_checkin_without_goals_works_as_before(world):
    row = answers.answer(open_checkin(world), values={"scale": 5}, user=world.leader)
    assert row.answered_at is not None
    assert not GoalUpdate.objects.exists()


def test_an_archived_community_is_refused(world):
    (pool,) = write_goals(world.community, ("Share one volunteer pool", "20", ""))
    row = open_checkin(world)
    archive(world.community)
    pool.community.refresh_from_db()
    with pytest.raises(CommunityArchived):
        goals.record_update(pool, status=GoalStatus.ON_TRACK, actor=world.leader)
    row.community.refresh_from_db()
    with pytest.raises(CommunityArchived):
        goals.record_checkin_updates(
            row, [(pool, GoalStatus.ON_TRACK, "")], actor=world.leader, recorded_on=None
        )
    assert not GoalUpdate.objects.exists()


def test_a_retired_goal_is_not_updated_in_a_checkin(world):
    _pool, grant = write_goals(world.community, ("A", "", ""), ("B", "", ""))
    write_goals(world.community, ("A", "", ""))
    goals.record_checkin_updates(
        open_checkin(world),
        [(grant, GoalStatus.MET, "")],
        actor=world.leader,
        recorded_on=timezone.localdate(),
    )
    assert not GoalUpdate.objects.exists()


# -- met or missed, counted in the database --


def test_cohort_figures_count_statuses_met_and_missed_in_one_query(world):
    today = timezone.localdate()
    past, future = (today - 10 * DAY).isoformat(), (today + 10 * DAY).isoformat()
    late, met, dropped, coming = write_goals(
        world.community,
        ("Late", "", past),
        ("Met", "", past),
        ("Dropped", "", past),
        ("Coming", "", future),
    )
    goals.record_update(met, status=GoalStatus.MET, actor=world.leader)
    goals.record_update(dropped, status=GoalStatus.DROPPED, actor=world.leader)
    goals.record_update(coming, status=GoalStatus.AT_RISK, actor=world.leader)
    elsewhere = factories.CommunityFactory(cohort=world.cohort)
    write_goals(elsewhere, ("Archived community's goal", "", past))
    archive(elsewhere)
    write_goals(factories.CommunityFactory(cohort=world.other_cohort), ("Other cohort", "", past))
    with CaptureQueriesContext(connection) as queries:
        figures = goals.cohort_figures(world.cohort)
    assert len(queries) == 1
    assert figures["total"] == 4
    assert (figures["met"], figures["missed"]) == (1, 1)
    assert {value: n for value, _label, n in figures["by_status"]} == {
        "not_started": 1,
        "on_track": 0,
        "at_risk": 1,
        "met": 1,
        "dropped": 1,
    }
    assert [g.text for g in goals.cohort_rows(world.cohort, missed=True)] == ["Late"]
    assert [g.text for g in goals.cohort_rows(world.cohort, status="met")] == ["Met"]
    assert goals.outcome(late) == "missed"


# -- the one-off migration --


def test_the_migration_gives_earlier_plans_their_goals_and_leaves_synced_ones_alone(world):
    migration = importlib.import_module("planning.migrations.0012_goals_from_plans")
    migration.goals_from_plans(apps, None)  # an empty database: nothing to do
    assert not Goal.objects.exists()
    plan = plan_services.get_plan(world.community)
    factories.PlanPartFactory(
        plan=plan,
        key="goals",
        data={"goals": [{"goal": "  A  pool ", "target_date": "2027-01-31"}, "junk", {"goal": ""}]},
    )
    synced = factories.CommunityFactory(cohort=world.cohort)
    write_goals(synced, ("Already kept", "", ""))
    migration.goals_from_plans(apps, None)
    goal = Goal.objects.get(community=world.community)
    assert (goal.position, goal.text, goal.target_date) == (0, "A pool", datetime.date(2027, 1, 31))
    assert Goal.objects.filter(community=synced).count() == 1
    assert goals.sync_goals(world.community) == [goal]  # the sync takes it as its own
