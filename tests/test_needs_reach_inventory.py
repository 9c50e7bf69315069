"""A new cohort's needs survey reaches the inventory: the template's practice areas can become
the cohort's topics, answers given before a topic existed are filled in when it appears, and
the expertise a participant's record lists (roster, profile, staff's edit) is in the
inventory too."""

import pytest
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from cohorts.models import Cohort, Topic
from cohorts.services import cohorts as cohort_services
from cohorts.services import roster
from planning.models import Answer, InventoryEntry, Question, Response
from planning.needs.services import filling
from planning.surveys import banks
from planning.surveys.services import answers
from planning.surveys.services import surveys as survey_services
from tests import factories

pytestmark = pytest.mark.django_db

NEED = InventoryEntry.Kind.NEED
EXPERTISE = InventoryEntry.Kind.EXPERTISE


@pytest.fixture
def bare(world):
    """A brand-new cohort with no topics, Sam its staff, and two participants."""
    cohort = factories.CohortFactory(name="New Cohort")
    factories.CohortRoleFactory(cohort=cohort, user=world.staff, role="staff")
    ana = factories.ParticipantFactory(cohort=cohort, name="Ana")
    ben = factories.ParticipantFactory(cohort=cohort, name="Ben")
    return type("Bare", (), {"cohort": cohort, "ana": ana, "ben": ben, "staff": world.staff})


def inventory_of(participant):
    return sorted(
        (entry.kind, entry.topic.name if entry.topic_id else "", entry.description)
        for entry in participant.inventory.select_related("topic")
    )


def answer_needs(survey, participant, picks, *, submit=True):
    """`participant` answers the survey's first question (the needs question) through their
    link, as the answer page does."""
    recipient = factories.SurveyRecipientFactory(survey=survey, participant=participant)
    question = survey.questions.get(fills=Question.Fills.NEEDS)
    data = MultiValueDict({answers.field_name(question): list(picks)})
    return answers.save_all(recipient, data, submit=submit)


# -- the survey's practice areas become topics ---------------------------------------------


def test_needs_survey_with_create_topics_makes_the_areas_topics(bare):
    survey = survey_services.create_survey(
        cohort=bare.cohort, actor=bare.staff, starting_point=banks.NEEDS, create_topics=True
    )
    names = sorted(bare.cohort.topics.values_list("name", flat=True))
    assert names == sorted(str(area) for area in banks.DEFAULT_PRACTICE_AREAS)
    needs_q = survey.questions.get(fills=Question.Fills.NEEDS)
    assert sorted(needs_q.choices) == names
    assert banks.areas_not_topics(bare.cohort) == []
    survey.status = survey.Status.OPEN
    survey.save()
    assert answer_needs(survey, bare.ana, ["Raising funds", "Board development"]) == {}
    assert inventory_of(bare.ana) == [
        (NEED, "Board development", ""),
        (NEED, "Raising funds", ""),
    ]


def test_create_topics_adds_only_the_missing_areas(bare):
    factories.TopicFactory(cohort=bare.cohort, name="raising  FUNDS")
    assert "Raising funds" not in banks.areas_not_topics(bare.cohort)
    survey_services.create_survey(
        cohort=bare.cohort, actor=bare.staff, starting_point=banks.EXPERTISE, create_topics=True
    )
    assert bare.cohort.topics.count() == len(banks.DEFAULT_PRACTICE_AREAS)


def test_without_create_topics_and_for_a_blank_survey_no_topics_appear(bare):
    survey_services.create_survey(cohort=bare.cohort, actor=bare.staff, starting_point=banks.NEEDS)
    survey_services.create_survey(
        cohort=bare.cohort, actor=bare.staff, starting_point=banks.BLANK, create_topics=True
    )
    assert not bare.cohort.topics.exists()


# -- answers already given are filled in when topics appear ----------------------------------


def test_answers_given_before_the_topics_are_filled_in_when_they_appear(bare):
    survey = survey_services.create_survey(
        cohort=bare.cohort, actor=bare.staff, starting_point=banks.NEEDS
    )
    survey.status = survey.Status.OPEN
    survey.save()
    assert answer_needs(survey, bare.ana, ["Raising funds", "Staff development"]) == {}
    assert answer_needs(survey, bare.ben, ["Raising funds"]) == {}
    # A draft answer (not handed in) fills nothing.
    carl = factories.ParticipantFactory(cohort=bare.cohort, name="Carl")
    answer_needs(survey, carl, ["Raising funds"], submit=False)
    assert not InventoryEntry.objects.filter(participant__cohort=bare.cohort).exists()

    cohort_services.save_topic(bare.cohort, actor=bare.staff, name="Raising funds")
    assert inventory_of(bare.ana) == [(NEED, "Raising funds", "")]
    assert inventory_of(bare.ben) == [(NEED, "Raising funds", "")]
    assert inventory_of(carl) == []
    assert bare.ana.inventory.get().source == InventoryEntry.Source.SURVEY

    # Idempotent: running it again adds nothing.
    assert filling.fill_cohort(bare.cohort) == 0
    assert InventoryEntry.objects.filter(participant__cohort=bare.cohort).count() == 2


def test_renaming_a_topic_fills_what_answers_named_under_the_new_name(bare):
    survey = survey_services.create_survey(
        cohort=bare.cohort, actor=bare.staff, starting_point=banks.NEEDS
    )
    survey.status = survey.Status.OPEN
    survey.save()
    answer_needs(survey, bare.ana, ["Staff development"])
    topic = cohort_services.save_topic(bare.cohort, actor=bare.staff, name="Staff")
    assert inventory_of(bare.ana) == []
    cohort_services.save_topic(
        bare.cohort, actor=bare.staff, topic=topic, name=" staff  development "
    )
    assert inventory_of(bare.ana) == [(NEED, "staff development", "")]
    # A description change alone fills nothing new and records the field.
    cohort_services.save_topic(
        bare.cohort, actor=bare.staff, topic=topic, name="staff development", description="x"
    )
    assert bare.ana.inventory.count() == 1


def test_fill_cohort_keeps_other_cohorts_and_anonymous_votes_out(bare, world):
    survey = factories.SurveyFactory(cohort=bare.cohort)
    question = factories.QuestionFactory(
        survey=survey, kind=Question.Kind.MULTIPLE, fills=Question.Fills.EXPERTISE
    )
    anonymous = Response.objects.create(survey=survey, submitted_at=survey.created_at)
    Answer.objects.create(response=anonymous, question=question, value=["Board development"])
    mine = Response.objects.create(
        survey=survey, participant=bare.ana, submitted_at=survey.created_at
    )
    Answer.objects.create(response=mine, question=question, value=["Board development"])
    factories.TopicFactory(cohort=world.other_cohort, name="Board development")
    filling.fill_cohort(world.other_cohort)
    assert not InventoryEntry.objects.exists()
    cohort_services.add_topics(bare.cohort, actor=bare.staff, names=["Board development"])
    assert inventory_of(bare.ana) == [(EXPERTISE, "Board development", "")]
    assert InventoryEntry.objects.count() == 1


# -- expertise from the roster and the profile -----------------------------------------------


ROSTER = (
    "Name,Email,Organization,ZIP code,Expertise\n"
    "Dana Diaz,dana@example.org,Food Bank,60601,Raising funds; grant writing\n"
    "Eli Ek,eli@example.org,Food Bank,60601,\n"
)


def import_text(cohort, actor, text):
    read = roster.read_roster("roster.csv", text.encode())
    assert not read.has_errors, [row.errors for row in read.rows]
    return roster.import_roster(cohort, read.rows, actor)


def test_roster_expertise_reaches_the_inventory(bare):
    factories.TopicFactory(cohort=bare.cohort, name="Raising funds")
    import_text(bare.cohort, bare.staff, ROSTER)
    dana = bare.cohort.participants.get(email="dana@example.org")
    assert inventory_of(dana) == [
        (EXPERTISE, "", "grant writing"),
        (EXPERTISE, "Raising funds", ""),
    ]
    assert {entry.source for entry in dana.inventory.all()} == {InventoryEntry.Source.STAFF}
    # Importing the same file again adds nothing.
    import_text(bare.cohort, bare.staff, ROSTER)
    assert dana.inventory.count() == 2
    # "Grant writing" becomes a topic: the described entry is filed under it.
    cohort_services.add_topics(bare.cohort, actor=bare.staff, names=["Grant Writing"])
    assert inventory_of(dana) == [
        (EXPERTISE, "Grant Writing", ""),
        (EXPERTISE, "Raising funds", ""),
    ]
    assert dana.inventory.count() == 2


def test_expertise_stored_before_the_topics_is_filled_in_when_they_appear(bare):
    bare.ana.expertise = "Board development, cooking"
    bare.ana.save()
    cohort_services.add_topics(bare.cohort, actor=bare.staff, names=["Board development"])
    assert inventory_of(bare.ana) == [(EXPERTISE, "Board development", "")]


def test_profile_expertise_reaches_the_inventory(world, client):
    pat = world.participant_participant
    client.force_login(world.participant)
    response = client.post(
        reverse("cohorts:my-profile", args=[world.cohort.slug]),
        {
            "name": pat.name,
            "job_title": "Director",
            "expertise": "board development, volunteer recruitment",
            "format_preference": "virtual",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert inventory_of(pat) == [
        (EXPERTISE, "", "volunteer recruitment"),
        (EXPERTISE, "Board development", ""),
    ]
    assert {entry.source for entry in pat.inventory.all()} == {InventoryEntry.Source.SELF}


def test_staff_edit_of_expertise_reaches_the_inventory(world, client):
    pat = world.participant_participant
    client.force_login(world.staff)
    response = client.post(
        reverse("cohorts:participant-edit", args=[world.cohort.slug, pat.public_id]),
        {"name": pat.name, "email": pat.email, "expertise": "Board development"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert inventory_of(pat) == [(EXPERTISE, "Board development", "")]
    assert pat.inventory.get().source == InventoryEntry.Source.STAFF


# -- the pages -------------------------------------------------------------------------------


def test_create_page_offers_the_areas_as_topics_checked_when_the_cohort_has_none(bare, client):
    client.force_login(bare.staff)
    url = reverse("planning:survey-create", args=[bare.cohort.slug])
    page = client.get(url).content.decode()
    assert 'name="create_topics" id="id_create_topics" checked' in page
    assert "Volunteer management" in page

    response = client.post(
        url,
        {
            "starting_point": banks.NEEDS,
            "create_topics": "on",
            "reminder_limit": 2,
            "reminder_interval_days": 3,
        },
    )
    assert response.status_code == 302
    assert bare.cohort.topics.count() == len(banks.DEFAULT_PRACTICE_AREAS)
    # With topics covering the areas, the page asks nothing more.
    assert "create_topics" not in client.get(url).content.decode()


def test_create_page_warns_when_the_areas_are_left_out(bare, client):
    factories.TopicFactory(cohort=bare.cohort, name="Raising funds")
    client.force_login(bare.staff)
    url = reverse("planning:survey-create", args=[bare.cohort.slug])
    page = client.get(url).content.decode()
    # The cohort has a topic: the box is offered, not ticked.
    assert 'name="create_topics" id="id_create_topics">' in page
    response = client.post(
        url,
        {"starting_point": banks.NEEDS, "reminder_limit": 2, "reminder_interval_days": 3},
        follow=True,
    )
    assert list(bare.cohort.topics.values_list("name", flat=True)) == ["Raising funds"]
    text = response.content.decode()
    assert "will not reach the needs-and-expertise inventory" in text
    assert "Board development" in text


def test_topic_page_fills_the_inventory(bare, client):
    bare.ana.expertise = "Volunteer management"
    bare.ana.save()
    client.force_login(bare.staff)
    response = client.post(
        reverse("cohorts:topic-list", args=[bare.cohort.slug]),
        {"name": "Volunteer management", "description": ""},
    )
    assert response.status_code == 302
    assert inventory_of(bare.ana) == [(EXPERTISE, "Volunteer management", "")]
    assert Topic.objects.filter(cohort=bare.cohort).count() == 1
    assert Cohort.objects.filter(pk=bare.cohort.pk).exists()
