"""The evidence figures: what each one counts, month by month, and what a viewer who may not
see the people is shown."""

import datetime

import pytest
from django.utils import timezone

from planning.evidence import figures
from planning.evidence.charts import RunChart, Series
from planning.models import GoalStatus, Question
from tests import evidence_rows as rows
from tests import factories


@pytest.fixture(autouse=True)
def _program_around_today(world):
    rows.long_program(world.cohort)


def _one(world, sees_people=True, **kwargs):
    data = figures.build(world.cohort, [world.community], sees_people=sees_people, **kwargs)
    return data[world.community.pk], data[figures.TOTAL]


def test_participation_by_month(world):
    people = rows.add_members(world.community, 6)
    rows.meeting(world.community, rows.mid_month(1), present=people[:3], absent=people[3:])
    rows.meeting(world.community, rows.mid_month(1), present=people[:1], absent=people[1:])
    rows.meeting(world.community, rows.mid_month(0), present=people, absent=[])
    # Neither a cancelled meeting nor one still to come counts.
    cancelled = rows.meeting(world.community, rows.mid_month(0), present=people)
    cancelled.cancelled_at = timezone.now()
    cancelled.save()
    factories.MeetingFactory(community=world.community)
    evidence, total = _one(world)
    last, this = evidence.months[-2], evidence.months[-1]
    assert (last.meetings.value, last.rate.value, last.active.value) == (2, 33, 3)
    assert (this.meetings.value, this.rate.value, this.active.value) == (1, 100, 6)
    assert evidence.months[0].meetings.value == 0 and evidence.months[0].rate.value is None
    assert evidence.meetings.value == 3
    assert evidence.rate.value == round(100 * 10 / 18)
    assert total.months[-1].active.value == 6
    assert len(evidence.months) == figures.MONTHS


def test_goal_status_by_month_and_met_or_missed(world):
    today = timezone.localdate()
    late = rows.goal(world.community, 0, target_date=today - datetime.timedelta(days=3))
    rows.update(late, GoalStatus.ON_TRACK, rows.mid_month(2).date())
    rows.update(late, GoalStatus.AT_RISK, rows.mid_month(1).date(), value=12)
    done = rows.goal(world.community, 1, text="A shared intake form")
    rows.update(done, GoalStatus.MET, rows.mid_month(1).date())
    rows.goal(world.community, 2, text="Never updated")
    evidence, _total = _one(world)
    counts = [{s: f.value for s, f in row.goals.items()} for row in evidence.months]
    assert counts[-4][GoalStatus.NOT_STARTED] == 3
    assert counts[-3][GoalStatus.ON_TRACK] == 1 and counts[-3][GoalStatus.NOT_STARTED] == 2
    assert counts[-2][GoalStatus.AT_RISK] == 1 and counts[-2][GoalStatus.MET] == 1
    assert counts[-2][GoalStatus.ON_TRACK] == 0 and counts[-2][GoalStatus.NOT_STARTED] == 1
    assert counts[-1] == counts[-2]
    assert evidence.goals_met.value == 1 and evidence.goals_missed.value == 1
    assert evidence.goal_counts[GoalStatus.AT_RISK].value == 1


def test_a_later_update_on_the_same_day_wins(world):
    goal = rows.goal(world.community)
    day = rows.mid_month(1).date()
    rows.update(goal, GoalStatus.ON_TRACK, day)
    rows.update(goal, GoalStatus.AT_RISK, day)
    evidence, _total = _one(world)
    assert evidence.months[-2].goals[GoalStatus.AT_RISK].value == 1
    assert evidence.months[-2].goals[GoalStatus.ON_TRACK].value == 0


def test_evaluation_results_match_progress_by_position(world):
    people = rows.add_members(world.community, 6)
    rows.evaluation(world.community, people[:4], progress=0, rating=5)
    rows.evaluation(world.community, people[4:], progress=2, rating=2, change="")
    question = Question.objects.get(measures="goal_progress")
    # Staff reworded the choices before anyone answered: the position still tells.
    question.choices = ["Going well", "Somewhat", "Stuck"]
    question.save()
    question.answers.filter(value="On track").update(value="Going well")
    question.answers.filter(value="Stalled").update(value="Stuck")
    evidence, total = _one(world, sees_texts=True)
    (result,) = evidence.rounds
    assert result.responses.value == 6
    assert result.progress["on_track"].value == 4
    assert result.progress["stalled"].value == 2
    assert result.progress["some_progress"].value == 0
    assert result.value.value == 4.0  # (4 * 5 + 2 * 2) / 6
    assert result.practice_changes.value == 4  # the blank answers are not changes
    assert len(evidence.practice_texts) == 4
    assert total.rounds[0].responses.value == 6


def test_baseline_needs_expertise_and_learning(world):
    people = rows.add_members(world.community, 6)
    rows.inventory(people[:4], world.topic)
    rows.inventory(people[:2], world.topic, kind="expertise")
    rows.needs_survey(
        world.cohort, people[:5], picks=["Hands-on tools and templates", "One-to-one coaching"]
    )
    rows.needs_survey(world.cohort, people[5:], picks=["One-to-one coaching"])
    evidence, total = _one(world)
    assert [(area, f.value) for area, f in evidence.needs] == [("Board development", 4)]
    assert [(area, f.value) for area, f in evidence.expertise] == [("Board development", 2)]
    assert {c: f.value for c, f in evidence.learning} == {
        "One-to-one coaching": 6,
        "Hands-on tools and templates": 5,
    }
    assert evidence.needs_responses.value == 6
    assert total.needs_responses.value == 6


def test_contributions_count_plan_comments_and_for_the_cohort_the_circle(world):
    from planning.models import ActionPlan, CirclePost, CircleReply, PlanComment

    rows.add_members(world.community, 5)
    plan = ActionPlan.objects.create(community=world.community)
    PlanComment.objects.create(plan=plan, text="Looks good", author=world.leader)
    post = CirclePost.objects.create(cohort=world.cohort, author=world.leader, title="Hi", body="x")
    CircleReply.objects.create(post=post, author=world.staff, body="Hello")
    evidence, total = _one(world)
    assert evidence.contributions.value == 1
    assert total.contributions.value == 3


def test_observers_get_fewer_than_five(world):
    """Six members, but a month whose attendance came from three people, and a round
    answered by four, are hidden from an observer; the wider figures show."""
    people = rows.add_members(world.community, 6)
    rows.meeting(world.community, rows.mid_month(1), present=people[:2], absent=people[2:3])
    rows.meeting(world.community, rows.mid_month(0), present=people, absent=[])
    rows.evaluation(world.community, people[:4])
    evidence, _total = _one(world, sees_people=False)
    assert evidence.months[-2].rate.hidden and evidence.months[-2].rate.value is None
    assert evidence.months[-2].active.hidden
    assert not evidence.months[-1].rate.hidden and evidence.months[-1].rate.value == 100
    assert evidence.rounds[0].responses.hidden and evidence.rounds[0].value.value is None
    assert not evidence.meetings.hidden and evidence.meetings.value == 2
    assert evidence.practice_texts == [] and evidence.goals == [] and evidence.success == {}
    # The same figures for staff.
    evidence, _total = _one(world, sees_people=True)
    assert evidence.months[-2].rate.value == round(100 * 2 / 3)
    assert evidence.rounds[0].responses.value == 4


def test_build_runs_a_fixed_number_of_queries(world):
    rows.fill(world.community, 6)
    others = [factories.CommunityFactory(cohort=world.cohort) for _ in range(3)]
    for community in others:
        rows.fill(community, 6)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        figures.build(
            world.cohort, [world.community], sees_people=True, sees_words=True, sees_texts=True
        )
    with CaptureQueriesContext(connection) as four:
        figures.build(
            world.cohort,
            [world.community, *others],
            sees_people=True,
            sees_words=True,
            sees_texts=True,
        )
    assert len(one) == len(four)


def test_run_chart_draws_gaps_a_median_and_escapes():
    chart = RunChart(
        ["Jan", "Feb", "Mar", "Apr"],
        [Series("<b>rate</b>", [50, None, 70, 90])],
        title="Attendance & more",
        unit="%",
        top=100,
    )
    svg = str(chart.svg("t"))
    assert chart.median == 70
    assert svg.count("<polyline") == 1  # the gap splits the line: only Mar-Apr joins
    assert svg.count("<circle") == 3
    assert "stroke-dasharray" in svg
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert 'aria-labelledby="t-title t-desc"' in svg
    assert "Feb —" in svg


def test_the_months_start_with_the_program(world):
    """A cohort that started three months ago reports four months, not a year of nothing."""
    today = timezone.localdate()
    start = (today.replace(day=1) - datetime.timedelta(days=80)).replace(day=1)
    world.cohort.starts_on = start
    world.cohort.save(update_fields=["starts_on"])
    evidence, _total = _one(world)
    starts = [row.month.start for row in evidence.months]
    expected = (today.year - start.year) * 12 + today.month - start.month + 1
    assert starts[0] == start and starts[-1] == today.replace(day=1)
    assert len(starts) == expected < figures.MONTHS
