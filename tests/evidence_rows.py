"""Rows the evidence tests need, made directly (the evaluation and goal pages are built by
other stages): members, meetings with attendance, goals with dated updates, an evaluation
round with answers, the needs survey's learning question, the plan's success part."""

import datetime

from django.utils import timezone

from cohorts.models import Membership
from planning.meetings.participation import months_back
from planning.models import (
    ActionPlan,
    Answer,
    Attendance,
    CheckIn,
    Evaluation,
    EvaluationRound,
    Goal,
    GoalStatus,
    GoalUpdate,
    InventoryEntry,
    PlanPart,
    Question,
    Response,
    StructureDecision,
    Survey,
)
from planning.surveys.banks import NEEDS_QUESTIONS
from tests import factories

LEARN = next(q for q in NEEDS_QUESTIONS if q["kind"] == Question.Kind.MULTIPLE)
PROGRESS_CHOICES = ["On track", "Some progress", "Stalled"]


def add_members(community, n, *, name="Member"):
    people = []
    for index in range(n):
        participant = factories.ParticipantFactory(
            cohort=community.cohort, name=f"{name} {community.pk}-{index}"
        )
        factories.MembershipFactory(
            community=community, participant=participant, role=Membership.Role.MEMBER
        )
        people.append(participant)
    return people


def mid_month(months_ago):
    """The 10th of the month `months_ago` months before this one, at noon (in the past)."""
    start = months_back(timezone.now(), months_ago)
    moment = start.replace(day=10, hour=12)
    if moment >= timezone.now():
        moment = start
    return moment


def meeting(community, when, *, present=(), absent=()):
    held = factories.MeetingFactory(community=community, starts_at=when)
    for person in present:
        Attendance.objects.create(meeting=held, participant=person, status="present")
    for person in absent:
        Attendance.objects.create(meeting=held, participant=person, status="absent")
    return held


def goal(community, position=0, *, text="Twenty pantries use the shared intake form", **kwargs):
    made = Goal.objects.create(
        community=community,
        position=position,
        text=text,
        indicator=kwargs.pop("indicator", "20 pantries"),
        **kwargs,
    )
    Goal.objects.filter(pk=made.pk).update(created_at=timezone.now() - datetime.timedelta(days=400))
    return Goal.objects.get(pk=made.pk)


def update(goal_row, status, on, value=None):
    GoalUpdate.objects.create(goal=goal_row, status=status, recorded_on=on, value=value)
    if goal_row.status_on is None or on >= goal_row.status_on:
        goal_row.status, goal_row.status_on = status, on
        if value is not None:
            goal_row.value = value
        goal_row.save()


def evaluation(community, people, *, title="Mid-way", progress=0, rating=4, change="We now"):
    round_, _ = EvaluationRound.objects.get_or_create(
        cohort=community.cohort, title=title, defaults={"opens_on": timezone.localdate()}
    )
    existing = Evaluation.objects.filter(round=round_, community=community).first()
    if existing is not None:
        survey = existing.survey
        goal_q, value_q, change_q = survey.questions.order_by("position")
    else:
        survey = Survey.objects.create(
            cohort=community.cohort,
            community=community,
            title=f"{title} evaluation",
            kind=Survey.Kind.EVALUATION,
        )
        Evaluation.objects.create(round=round_, community=community, survey=survey)
        goal_q = Question.objects.create(
            survey=survey,
            position=0,
            kind=Question.Kind.SINGLE,
            text="How is this goal going?",
            choices=PROGRESS_CHOICES,
            measures="goal_progress",
        )
        value_q = Question.objects.create(
            survey=survey, position=1, kind=Question.Kind.RATING, text="Value?", measures="value"
        )
        change_q = Question.objects.create(
            survey=survey,
            position=2,
            kind=Question.Kind.LONG_TEXT,
            text="What changed in your practice?",
            measures="practice_change",
        )
    for index, person in enumerate(people):
        response = Response.objects.create(
            survey=survey, participant=person, submitted_at=timezone.now()
        )
        Answer.objects.create(response=response, question=goal_q, value=PROGRESS_CHOICES[progress])
        Answer.objects.create(response=response, question=value_q, value=rating)
        text = f"{change} {person.name} {index}" if change else ""
        Answer.objects.create(response=response, question=change_q, value=text)
    return round_


def needs_survey(cohort, people, picks=("Hands-on tools and templates",)):
    survey = Survey.objects.create(cohort=cohort, title="Needs", kind=Survey.Kind.NEEDS)
    question = Question.objects.create(
        survey=survey,
        kind=Question.Kind.MULTIPLE,
        text=str(LEARN["text"]),
        choices=[str(c) for c in LEARN["choices"]],
    )
    for person in people:
        response = Response.objects.create(
            survey=survey, participant=person, submitted_at=timezone.now()
        )
        Answer.objects.create(response=response, question=question, value=[str(p) for p in picks])
    return survey


def inventory(people, topic, kind=InventoryEntry.Kind.NEED):
    for person in people:
        InventoryEntry.objects.create(participant=person, kind=kind, topic=topic)


def success(community, funder="More families fed", members="Less staff time", served="x"):
    plan, _ = ActionPlan.objects.get_or_create(community=community)
    PlanPart.objects.create(
        plan=plan, key="success", data={"funder": funder, "members": members, "community": served}
    )


def fill(community, n_members=6, *, name="Member"):
    """A community with members, a meeting a month for three months, a goal with updates,
    an answered check-in, an evaluation, a structure decision. Returns its people."""
    people = add_members(community, n_members, name=name)
    for back in (2, 1, 0):
        meeting(
            community,
            mid_month(back),
            present=people[: n_members - back],
            absent=people[n_members - back :],
        )
    position = Goal.objects.filter(community=community).count()
    row = goal(community, position, target_date=timezone.localdate() - datetime.timedelta(days=1))
    update(row, GoalStatus.ON_TRACK, mid_month(2).date())
    update(row, GoalStatus.AT_RISK, mid_month(1).date(), value=12)
    CheckIn.objects.create(community=community, period="p", answered_at=timezone.now())
    evaluation(community, people)
    StructureDecision.objects.create(
        community=community,
        area="frequency",
        decision="Meet twice a month",
        decided_on=timezone.localdate(),
    )
    return people


def long_program(cohort):
    """Stretch `cohort` from two years before today to a year after, so that a report shows
    its full twelve months whatever day the tests run."""
    today = timezone.localdate()
    cohort.starts_on = today.replace(day=1) - datetime.timedelta(days=730)
    cohort.ends_on = today + datetime.timedelta(days=365)
    cohort.save(update_fields=["starts_on", "ends_on"])
