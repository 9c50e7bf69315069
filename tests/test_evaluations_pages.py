"""The evaluation pages as people use them: staff schedule a round and open it, a member
finds the link to answer, staff record a discussion, a leader records a change the group
agreed and the community page shows it; bad input comes back beside its field; every page's
query count stays flat."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from planning.evaluations import bank
from planning.evaluations.services import evaluations as services
from planning.models import (
    ActionPlan,
    EvaluationRound,
    GoalUpdate,
    PlanPart,
    Response,
    StructureDecision,
    Survey,
)
from planning.surveys.services.answers import field_name
from tests import factories
from tests.matrix_evaluations import MATRIX, url_for
from tests.queries import count_queries

pytestmark = pytest.mark.django_db
Form = EvaluationRound.Form
DAY = datetime.timedelta(days=1)


def schedule(world, form=Form.SURVEY, communities=None):
    today = timezone.localdate()
    return services.schedule(
        world.cohort,
        actor=world.staff,
        title="Mid-way evaluation",
        form=form,
        opens_on=today + 2 * DAY,
        closes_on=today + 16 * DAY if form == Form.SURVEY else None,
        communities=communities or [world.community],
    )


def write_goals(community, count):
    plan, _ = ActionPlan.objects.get_or_create(community=community)
    PlanPart.objects.update_or_create(
        plan=plan,
        key="goals",
        defaults={
            "data": {
                "goals": [{"goal": f"Goal {i}", "indicator": f"{i} done"} for i in range(count)]
            }
        },
    )


def grow(world, n):
    """n more rounds (each for the persona's community and a new one), goals, decisions on
    every evaluation of the persona's community, and members who were sent the survey."""
    write_goals(world.community, min(n, 10))
    for _i in range(n):
        other = factories.CommunityFactory(cohort=world.cohort)
        evaluation_round = schedule(world, Form.DISCUSSION, [world.community, other])
        services.open_now(evaluation_round.evaluations.get(community=other), actor=world.staff)
    for evaluation in world.community.evaluations.all():
        StructureDecision.objects.create(
            community=world.community,
            evaluation=evaluation,
            area=StructureDecision.Area.FREQUENCY,
            decision="We meet every two weeks.",
            decided_on=timezone.localdate(),
        )


PAGES = [
    (name, persona)
    for name, (method, expected) in sorted(MATRIX.items())
    for persona in ("staff", "leader", "participant")
    if method == "get" and expected[persona] == 200
]


@pytest.mark.parametrize(("name", "persona"), PAGES)
def test_query_count_is_flat(name, persona, world, client_for):
    client = client_for(persona)
    url = url_for(name, world)
    grow(world, 1)
    small, _ = count_queries(client, url)
    grow(world, 20)
    large, response = count_queries(client, url)
    assert large == small, f"{name} as {persona}: {small} queries with 1 row, {large} with 21"
    assert len(response.content) > 2000


def test_the_community_page_count_stays_flat_with_evaluations(world, client_for):
    client = client_for("leader")
    url = world.community.get_absolute_url()
    grow(world, 1)
    small, _ = count_queries(client, url)
    grow(world, 20)
    large, response = count_queries(client, url)
    assert large == small
    assert (
        response.content.decode().count("We meet every two weeks.") == 1 + 21
    )  # a decision per evaluation, each grow


# -- scheduling ------------------------------------------------------------------------------


def test_staff_schedule_a_round_for_every_community(world, client_for):
    factories.CommunityFactory(cohort=world.cohort, name="Youth Voices")
    client = client_for("staff")
    url = reverse("planning:evaluation-schedule", args=[world.cohort.slug])
    page = client.get(url).content.decode()
    assert "Mid-way evaluation" in page and "End-of-program evaluation" in page
    day = timezone.localdate() + 3 * DAY
    data = {
        "title": "Mid-way evaluation",
        "form": "survey",
        "opens_on": day.isoformat(),
        "to": "all",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Choose the last day members can answer." in response.content.decode()
    assert not EvaluationRound.objects.exists()
    response = client.post(url, {**data, "closes_on": (day + 14 * DAY).isoformat()})
    assert response.status_code == 302
    evaluation_round = EvaluationRound.objects.get()
    assert evaluation_round.evaluations.count() == 2
    page = client.get(reverse("planning:evaluations", args=[world.cohort.slug])).content.decode()
    assert "Youth Voices" in page and "Board Builders" in page and "Scheduled" in page


def test_a_past_date_is_refused_beside_the_field(world, client_for):
    client = client_for("staff")
    url = reverse("planning:evaluation-schedule", args=[world.cohort.slug])
    response = client.post(
        url,
        {
            "title": "Mid-way evaluation",
            "form": "discussion",
            "opens_on": "2001-01-01",
            "to": str(world.community.public_id),
        },
    )
    assert response.status_code == 200
    assert "Choose today or a later date." in response.content.decode()


def test_the_template_opens_on_the_survey_builder_and_stays_off_the_list(world, client_for):
    client = client_for("staff")
    response = client.get(reverse("planning:evaluation-template", args=[world.cohort.slug]))
    template = Survey.objects.get(kind=Survey.Kind.EVALUATION)
    assert response.status_code == 302 and response.url == template.get_absolute_url()
    page = client.get(template.get_absolute_url()).content.decode()
    assert "every evaluation you schedule starts from" in page
    schedule(world)
    listing = client.get(reverse("planning:survey-list", args=[world.cohort.slug])).content.decode()
    assert listing.count("Template of every evaluation") == 1
    assert "Mid-way evaluation" not in listing


# -- opening, answering, recording -----------------------------------------------------------


def test_staff_open_now_and_the_member_finds_the_link(world, client_for):
    evaluation = schedule(world).evaluations.get()
    url = url_for("planning:evaluation", world).rsplit("/", 2)[0] + f"/{evaluation.public_id}/"
    client = client_for("participant")
    assert "Answer the evaluation" not in client.get(url).content.decode()
    client = client_for("staff")
    response = client.post(
        reverse(
            "planning:evaluation-open",
            args=[world.cohort.slug, world.community.slug, evaluation.public_id],
        )
    )
    assert response.status_code == 302
    client = client_for("participant")
    page = client.get(url).content.decode()
    assert "Answer the evaluation" in page
    recipient = evaluation.survey.recipients.get(participant=world.participant_participant)
    assert recipient.get_answer_url() in page
    home = client.get(reverse("home")).content.decode()
    assert "Mid-way evaluation" in home  # the home page's step to answer


def test_staff_record_a_discussion_twice_as_one_record(world, client_for):
    write_goals(world.community, 1)
    evaluation = schedule(world, Form.DISCUSSION).evaluations.get()
    url = reverse(
        "planning:evaluation-discussion",
        args=[world.cohort.slug, world.community.slug, evaluation.public_id],
    )
    client = client_for("staff")
    questions = services.questions_of(evaluation)
    value_q = next(q for q in questions if q.measures == bank.VALUE)
    response = client.post(
        url, {"held_on": timezone.localdate().isoformat(), field_name(value_q): "12"}
    )
    assert response.status_code == 200 and "Nothing is saved yet" in response.content.decode()
    data = {
        "held_on": timezone.localdate().isoformat(),
        field_name(questions[0]): "Some progress",
        field_name(value_q): "4",
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Response.objects.filter(survey=evaluation.survey).count() == 1
    assert GoalUpdate.objects.count() == 1
    page = client.get(url).content.decode()
    assert 'value="Some progress" checked' in page


# -- decisions -------------------------------------------------------------------------------


def test_a_leader_records_a_change_and_the_community_page_shows_it(world, client_for):
    evaluation = schedule(world).evaluations.get()
    client = client_for("leader")
    url = reverse("planning:structure-decision-add", args=[world.cohort.slug, world.community.slug])
    response = client.post(url, {"area": "roles", "decided_on": timezone.localdate().isoformat()})
    assert response.status_code == 200
    assert "Say in a sentence or two what you agreed." in response.content.decode()
    response = client.post(
        url,
        {
            "area": "roles",
            "decision": "Two co-leaders take turns to run meetings.",
            "decided_on": timezone.localdate().isoformat(),
            "evaluation": str(evaluation.public_id),
        },
    )
    assert response.status_code == 302
    assert StructureDecision.objects.get().evaluation == evaluation
    page = client.get(world.community.get_absolute_url()).content.decode()
    assert "Two co-leaders take turns to run meetings." in page
    observer = client_for("observer")
    page = observer.get(world.community.get_absolute_url()).content.decode()
    assert "Two co-leaders take turns" not in page


def test_leaders_read_the_questions_then_what_the_group_said(world, client_for):
    write_goals(world.community, 1)
    evaluation = schedule(world, Form.DISCUSSION).evaluations.get()
    url = reverse(
        "planning:evaluation", args=[world.cohort.slug, world.community.slug, evaluation.public_id]
    )
    page = client_for("leader").get(url).content.decode()
    assert "The questions to talk through" in page and "Our goal: Goal 0." in page
    works = next(q for q in services.questions_of(evaluation) if q.measures == bank.WHAT_WORKS)
    services.record_discussion(
        evaluation,
        actor=world.staff,
        held_on=timezone.localdate(),
        data={field_name(works): "Peer visits between pantries"},
    )
    page = client_for("leader").get(url).content.decode()
    assert "What the group said on" in page and "Peer visits between pantries" in page
