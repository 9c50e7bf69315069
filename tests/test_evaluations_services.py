"""Evaluations from scheduling to the goals they feed: the template made once from
copkit's default evaluation, a round for one community or all, the sweep that opens each
community's evaluation once on its date (the survey through the survey machinery, the
discussion by an email to the leaders and the coach), closing, a recorded discussion, the
goals' updates, and structure decisions."""

import datetime

import pytest
from django.utils import timezone

from copkit.errors import ServiceError
from copkit.models import OutboxMessage
from planning.evaluations import bank
from planning.evaluations.services import evaluations as services
from planning.evaluations.services import goals
from planning.models import (
    ActionPlan,
    Answer,
    Evaluation,
    EvaluationRound,
    GoalStatus,
    GoalUpdate,
    PlanPart,
    Response,
    StructureDecision,
    Survey,
)
from planning.surveys.services import surveys as survey_services
from planning.surveys.services.answers import field_name
from tests import factories

pytestmark = pytest.mark.django_db
Form = EvaluationRound.Form
DAY = datetime.timedelta(days=1)


def write_goals(community, *entries):
    plan, _ = ActionPlan.objects.get_or_create(community=community)
    PlanPart.objects.update_or_create(
        plan=plan,
        key="goals",
        defaults={"data": {"goals": [{"goal": g, "indicator": i} for g, i in entries]}},
    )
    return plan


def schedule(world, form=Form.SURVEY, communities=None, in_days=3, **values):
    today = timezone.localdate()
    return services.schedule(
        world.cohort,
        actor=world.staff,
        title=values.get("title", "Mid-way evaluation"),
        form=form,
        opens_on=values.get("opens_on", today + in_days * DAY),
        closes_on=values.get("closes_on", today + (in_days + 14) * DAY),
        communities=communities or [world.community],
    )


def on_the_day(evaluation_round, days=0):
    """A moment on the round's date (+ days), at noon in the cohort's zone."""
    zone = timezone.get_current_timezone()
    day = evaluation_round.opens_on + days * DAY
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)), zone)


# -- the template ----------------------------------------------------------------------------


def test_the_template_is_made_once_from_the_bank(world):
    template = services.ensure_template(world.cohort, world.staff)
    assert services.ensure_template(world.cohort, world.staff) == template
    assert template.kind == Survey.Kind.EVALUATION and template.community is None
    measures = list(template.questions.values_list("measures", flat=True))
    assert measures == [spec["measures"] for spec in bank.TEMPLATE_QUESTIONS]
    assert set(measures) <= set(bank.MEASURES)
    assert {
        bank.WHAT_WORKS,
        bank.WHAT_DOESNT,
        bank.PRACTICE_CHANGE,
        bank.PRACTICE_EVIDENCE,
        bank.VALUE,
        bank.SHOULD_CHANGE,
    } <= set(measures)


def test_the_template_is_never_sent_by_hand(world):
    template = services.ensure_template(world.cohort, world.staff)
    with pytest.raises(survey_services.SurveyError, match="template"):
        survey_services.send_survey(template, [world.participant_participant], actor=world.staff)
    with pytest.raises(survey_services.SurveyError, match="template"):
        survey_services.set_status(template, Survey.Status.OPEN, actor=world.staff)


# -- scheduling ------------------------------------------------------------------------------


def test_a_round_copies_the_template_and_asks_about_each_goal(world):
    write_goals(
        world.community,
        ("Share one volunteer pool", "20 shared volunteers"),
        ("Write a joint grant", ""),
    )
    template = services.ensure_template(world.cohort, world.staff)
    template.questions.filter(measures=bank.WHAT_WORKS).update(text="What works for you?")
    evaluation = schedule(world).evaluations.get()
    survey = evaluation.survey
    assert survey.kind == Survey.Kind.EVALUATION and survey.community == world.community
    assert survey.status == Survey.Status.DRAFT and survey.closes_at is not None
    questions = list(survey.questions.order_by("position"))
    first, second = questions[:2]
    assert first.measures == bank.GOAL_PROGRESS and first.goal.text == "Share one volunteer pool"
    assert "20 shared volunteers" in first.help_text
    assert first.choices == ["On track", "Some progress", "Stalled"]
    assert second.goal.text == "Write a joint grant" and second.help_text == ""
    assert [q.text for q in questions if q.measures == bank.WHAT_WORKS] == ["What works for you?"]
    assert len(questions) == 2 + len(bank.TEMPLATE_QUESTIONS)


def test_a_round_for_every_community(world):
    other = factories.CommunityFactory(cohort=world.cohort, name="Youth Voices")
    evaluation_round = schedule(world, communities=[world.community, other])
    assert evaluation_round.evaluations.count() == 2
    assert Survey.objects.filter(evaluation__round=evaluation_round).count() == 2


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"title": "  "}, "title"),
        ({"opens_on": None}, "opens_on"),
        ({"opens_on": datetime.date(2000, 1, 1)}, "opens_on"),
        ({"closes_on": None}, "closes_on"),
        ({"closes_on": datetime.date(2000, 1, 1)}, "closes_on"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(world, values, field):
    with pytest.raises(ServiceError) as caught:
        schedule(world, **values)
    assert caught.value.field == field
    assert not EvaluationRound.objects.exists()
    schedule(world)  # the same with good values goes through
    assert EvaluationRound.objects.count() == 1


def test_a_discussion_needs_no_closing_date(world):
    evaluation_round = schedule(world, form=Form.DISCUSSION, closes_on=None)
    assert evaluation_round.closes_on is None


def test_no_community_and_an_archived_one_are_refused(world):
    with pytest.raises(ServiceError) as caught:
        services.schedule(
            world.cohort,
            actor=world.staff,
            title="T",
            form=Form.DISCUSSION,
            opens_on=timezone.localdate(),
            communities=[],
        )
    assert caught.value.field == "communities"
    world.community.archived_at = timezone.now()
    world.community.save()
    with pytest.raises(ServiceError, match="archived"):
        schedule(world)


def test_a_round_changes_and_cancels_until_it_opens(world):
    evaluation_round = schedule(world)
    later_day = evaluation_round.opens_on + 7 * DAY
    changed = services.change_round(
        evaluation_round,
        actor=world.staff,
        title="End-of-program evaluation",
        opens_on=later_day,
        closes_on=later_day + 21 * DAY,
    )
    assert changed == ["title", "opens_on", "closes_on"]
    evaluation = evaluation_round.evaluations.get()
    assert evaluation.survey.title == "End-of-program evaluation"
    services.open_now(evaluation, actor=world.staff)
    with pytest.raises(ServiceError, match="opened already"):
        services.cancel_round(evaluation_round, actor=world.staff)
    other = schedule(world)
    services.cancel_round(other, actor=world.staff)
    assert not EvaluationRound.objects.filter(pk=other.pk).exists()
    assert Survey.objects.filter(kind=Survey.Kind.EVALUATION).count() == 2  # template + one


# -- opening ---------------------------------------------------------------------------------


def test_the_sweep_opens_a_survey_once_on_its_date_through_the_survey_machinery(world):
    evaluation_round = schedule(world)
    evaluation = evaluation_round.evaluations.get()
    assert services.evaluations_opening.run(on_the_day(evaluation_round, -1)).handled == []
    with pytest.raises(survey_services.SurveyError, match="Open now"):
        survey_services.send_survey(
            evaluation.survey, [world.participant_participant], actor=world.staff
        )
    swept = services.evaluations_opening.run(on_the_day(evaluation_round))
    assert len(swept.handled) == 1 and swept.queued == 2  # the leader and the member
    survey = Survey.objects.get(pk=evaluation.survey_id)
    assert survey.status == Survey.Status.OPEN
    assert set(survey.recipients.values_list("participant", flat=True)) == {
        world.leader_participant.pk,
        world.participant_participant.pk,
    }
    assert OutboxMessage.objects.filter(kind="survey_invitation").count() == 2
    assert services.evaluations_opening.run(on_the_day(evaluation_round, 1)).handled == []
    assert OutboxMessage.objects.filter(kind="survey_invitation").count() == 2


def test_two_sweeps_at_once_open_it_once(world):
    evaluation_round = schedule(world)
    now = on_the_day(evaluation_round)
    first = services.due_to_open(now)
    second = services.due_to_open(now)  # read by another process before the first claimed
    assert services.evaluations_opening.take(first[0], now) == 2
    assert services.evaluations_opening.take(second[0], now) is None
    assert OutboxMessage.objects.count() == 2


def test_a_discussion_tells_the_leaders_and_the_coach(world):
    evaluation_round = schedule(world, form=Form.DISCUSSION, closes_on=None)
    swept = services.evaluations_opening.run(on_the_day(evaluation_round))
    assert swept.queued == 2
    assert set(
        OutboxMessage.objects.filter(kind="evaluation_due").values_list("to_email", flat=True)
    ) == {world.leader.email, world.staff.email}  # the first staff member coaches by default


def test_open_now_before_the_date_and_never_twice(world):
    evaluation = schedule(world, in_days=30).evaluations.get()
    assert services.open_now(evaluation, actor=world.staff) == 2
    evaluation.refresh_from_db()
    with pytest.raises(ServiceError, match="open already"):
        services.open_now(evaluation, actor=world.staff)


def test_an_archived_community_is_not_opened(world):
    evaluation_round = schedule(world)
    world.community.archived_at = timezone.now()
    world.community.save()
    assert services.due_to_open(on_the_day(evaluation_round)) == []


# -- answers, closing and goals --------------------------------------------------------------


def answer_goal(evaluation, participant, choice):
    recipient = evaluation.survey.recipients.get(participant=participant)
    response = Response.objects.create(
        survey=evaluation.survey,
        participant=participant,
        recipient=recipient,
        submitted_at=timezone.now(),
    )
    question = evaluation.survey.questions.get(measures=bank.GOAL_PROGRESS)
    Answer.objects.create(response=response, question=question, value=choice)


def test_closing_feeds_the_goals_once(world):
    write_goals(world.community, ("Share one volunteer pool", "20 shared volunteers"))
    evaluation_round = schedule(world)
    services.evaluations_opening.run(on_the_day(evaluation_round))
    evaluation = Evaluation.objects.get(round=evaluation_round)
    answer_goal(evaluation, world.leader_participant, "On track")
    answer_goal(evaluation, world.participant_participant, "On track")
    after = (evaluation_round.closes_on - evaluation_round.opens_on).days + 1
    assert services.due_to_close(on_the_day(evaluation_round, after - 1)) == []
    swept = services.evaluations_closing.run(on_the_day(evaluation_round, after))
    assert len(swept.handled) == 1
    assert Survey.objects.get(pk=evaluation.survey_id).status == Survey.Status.CLOSED
    (update,) = GoalUpdate.objects.all()
    assert update.source == GoalUpdate.Source.EVALUATION and update.evaluation == evaluation
    assert update.status == GoalStatus.ON_TRACK
    assert update.note == "Mid-way evaluation: 2 on track, 0 some progress, 0 stalled"
    assert services.evaluations_closing.run(on_the_day(evaluation_round, after + 1)).handled == []
    assert GoalUpdate.objects.count() == 1


@pytest.mark.parametrize(
    ("counts", "current", "expected"),
    [
        ([4, 2, 1], GoalStatus.NOT_STARTED, GoalStatus.ON_TRACK),
        ([1, 1, 3], GoalStatus.ON_TRACK, GoalStatus.AT_RISK),
        ([2, 2, 2], GoalStatus.AT_RISK, GoalStatus.AT_RISK),
        ([3, 0, 3], GoalStatus.NOT_STARTED, GoalStatus.NOT_STARTED),
        ([5, 0, 0], GoalStatus.MET, GoalStatus.MET),
        ([0, 0, 0], GoalStatus.ON_TRACK, GoalStatus.ON_TRACK),
    ],
)
def test_the_status_follows_most_answers(counts, current, expected):
    assert services.status_from(counts, current) == expected


def test_staff_close_by_hand(world):
    evaluation = schedule(world).evaluations.get()
    with pytest.raises(ServiceError, match="not opened"):
        services.close_now(evaluation, actor=world.staff)
    services.open_now(evaluation, actor=world.staff)
    evaluation.refresh_from_db()
    assert services.close_now(evaluation, actor=world.staff) == 0
    evaluation.refresh_from_db()
    assert evaluation.closed_at is not None
    with pytest.raises(ServiceError, match="closed already"):
        services.close_now(evaluation, actor=world.staff)


def test_a_discussion_saved_twice_edits_the_same_record(world):
    write_goals(world.community, ("Share one volunteer pool", "20 shared volunteers"))
    evaluation = schedule(world, form=Form.DISCUSSION, closes_on=None).evaluations.get()
    questions = services.questions_of(evaluation)
    goal_q = questions[0]
    value_q = next(q for q in questions if q.measures == bank.VALUE)
    works_q = next(q for q in questions if q.measures == bank.WHAT_WORKS)
    data = {field_name(goal_q): "Stalled", field_name(value_q): "4"}
    today = timezone.localdate()
    assert services.record_discussion(evaluation, actor=world.staff, held_on=today, data=data) == {}
    evaluation.refresh_from_db()
    assert evaluation.closed_at and evaluation.opened_at and evaluation.held_on == today
    goal = goals.live_goals(world.community).get()
    assert goal.status == GoalStatus.AT_RISK
    data = {**data, field_name(goal_q): "On track", field_name(works_q): "Peer visits"}
    services.record_discussion(evaluation, actor=world.staff, held_on=today, data=data)
    assert Response.objects.filter(survey=evaluation.survey).count() == 1
    assert Answer.objects.filter(response__survey=evaluation.survey).count() == 3
    (update,) = GoalUpdate.objects.all()
    assert update.status == GoalStatus.ON_TRACK
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ON_TRACK
    # Nothing sends the discussion's emails after it was recorded.
    assert services.due_to_open(on_the_day(evaluation.round, 30)) == []


def test_a_discussion_refuses_bad_answers_and_dates(world):
    evaluation = schedule(world, form=Form.DISCUSSION, closes_on=None).evaluations.get()
    value_q = next(q for q in services.questions_of(evaluation) if q.measures == bank.VALUE)
    errors = services.record_discussion(
        evaluation,
        actor=world.staff,
        held_on=timezone.localdate(),
        data={field_name(value_q): "99"},
    )
    assert list(errors) == [value_q.pk]
    with pytest.raises(ServiceError) as caught:
        services.record_discussion(
            evaluation,
            actor=world.staff,
            held_on=timezone.localdate() + DAY,
            data={field_name(value_q): "3"},
        )
    assert caught.value.field == "held_on"
    with pytest.raises(ServiceError, match="at least one"):
        services.record_discussion(
            evaluation, actor=world.staff, held_on=timezone.localdate(), data={}
        )
    assert not Response.objects.exists()


# -- structure decisions ---------------------------------------------------------------------


def test_a_decision_reopens_the_plan_and_tells_the_leaders(world):
    plan = write_goals(world.community, ("Share one volunteer pool", ""))
    ActionPlan.objects.filter(pk=plan.pk).update(status=ActionPlan.Status.APPROVED)
    evaluation = schedule(world).evaluations.get()
    decision = services.record_decision(
        world.community,
        actor=world.staff,
        area=StructureDecision.Area.FREQUENCY,
        decision="We meet every two weeks.",
        decided_on=timezone.localdate(),
        evaluation=evaluation,
        reopen_plan=True,
        tell_leaders=True,
    )
    assert decision.reopened_plan
    assert ActionPlan.objects.get(pk=plan.pk).status == ActionPlan.Status.DRAFT
    (email,) = OutboxMessage.objects.filter(kind="structure_decision")
    assert email.to_email == world.leader.email


def test_a_decision_refuses_bad_input_and_archived_communities(world):
    values = {
        "actor": world.leader,
        "area": StructureDecision.Area.ROLES,
        "decision": "Two co-leaders take turns.",
        "decided_on": timezone.localdate(),
    }
    for bad, field in (
        ({"area": "nonsense"}, "area"),
        ({"decision": " "}, "decision"),
        ({"decided_on": timezone.localdate() + DAY}, "decided_on"),
    ):
        with pytest.raises(ServiceError) as caught:
            services.record_decision(world.community, **{**values, **bad})
        assert caught.value.field == field
    services.record_decision(world.community, **values)
    assert StructureDecision.objects.count() == 1
    assert not OutboxMessage.objects.filter(kind="structure_decision").exists()
    world.community.archived_at = timezone.now()
    world.community.save()
    with pytest.raises(ServiceError, match="archived"):
        services.record_decision(world.community, **values)


def test_a_date_moved_after_the_sweep_read_it_waits_for_the_new_date(world):
    evaluation_round = schedule(world)
    now = on_the_day(evaluation_round)
    (read,) = services.due_to_open(now)
    services.change_round(
        evaluation_round,
        actor=world.staff,
        title=evaluation_round.title,
        opens_on=evaluation_round.opens_on + 7 * DAY,
        closes_on=evaluation_round.closes_on + 7 * DAY,
    )
    assert services.evaluations_opening.take(read, now) is None
    assert not OutboxMessage.objects.exists()
    assert services.due_to_open(now) == []
