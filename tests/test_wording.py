"""Text that reads as finished: no double full stops, no sentence said twice, one style for
the dates people read in emails and on pages, the right label on an entry, a welcome that
shows what it asks, and a warning on an empty formation round."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cohorts.templatetags.zoned import day_text, when_text, without_stop
from copkit import outbox
from copkit.models import OutboxMessage
from planning.meetings.services import reminders as meeting_reminders
from planning.models import Question, Response, Survey
from planning.surveys.services import surveys as survey_services
from tests import factories

pytestmark = pytest.mark.django_db


def text_of(html):
    """What a reader sees: the page without its head, scripts and tags, spaces collapsed."""
    html = re.sub(r"(?s)<head>.*?</head>|<script.*?</script>|<style.*?</style>", " ", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def assert_no_double_stop(text):
    stripped = text.replace("...", "…")
    assert ".." not in stripped, stripped[max(0, stripped.find("..") - 80) :][:160]


def future_evening(days=60):
    """23:00 UTC some weeks ahead: an evening (p.m.) in any US zone."""
    moment = timezone.now() + timedelta(days=days)
    return moment.replace(hour=23, minute=0, second=0, microsecond=0)


@pytest.fixture
def chicago(world):
    world.cohort.time_zone = "America/Chicago"
    world.cohort.save(update_fields=["time_zone"])
    return world


# -- the helpers ---------------------------------------------------------------------------


def test_one_style_for_a_moment_and_for_a_day():
    moment = datetime(2027, 3, 3, 23, 0, tzinfo=UTC)
    with timezone.override("America/New_York"):
        assert when_text(moment) == "Wednesday, March 3, 2027, 6:00 p.m. EST"
        assert day_text(moment) == "March 3, 2027"
        assert day_text(moment.date()) == "March 3, 2027"
    assert without_stop("Riverbend program.") == "Riverbend program"
    assert without_stop("Wait...") == "Wait..."
    assert without_stop("No stop") == "No stop"


# -- double full stops ---------------------------------------------------------------------


def test_survey_pages_and_emails_have_no_double_full_stop(chicago, client, wake):
    world = chicago
    world.cohort.name = "Riverbend capacity program."
    world.cohort.save(update_fields=["name"])
    survey = factories.SurveyFactory(
        cohort=world.cohort,
        title="Spring needs",
        status=Survey.Status.DRAFT,
        closes_at=future_evening(),
        community=world.community,
    )
    world.community.name = "Board Builders Inc."
    world.community.save(update_fields=["name"])
    factories.QuestionFactory(survey=survey, kind=Question.Kind.SHORT_TEXT, choices=[])
    survey_services.send_survey(survey, [world.participant_participant], actor=world.staff)
    message = OutboxMessage.objects.get(kind="survey_invitation")
    assert_no_double_stop(message.subject + " " + message.body_text)
    assert_no_double_stop(text_of(message.body_html))
    link = survey.recipients.get()
    Response.objects.create(
        survey=survey, recipient=link, participant=link.participant, submitted_at=timezone.now()
    )
    for url in (link.get_answer_url(), f"{link.get_answer_url()}?sent=1"):
        assert_no_double_stop(text_of(client.get(url).content.decode()))


def test_meeting_reminders_have_no_double_full_stop(world):
    world.community.name = "Board Builders Inc."
    world.community.save(update_fields=["name"])
    meeting = factories.MeetingFactory(
        community=world.community, title="Monthly meeting.", starts_at=future_evening(5)
    )
    email = meeting_reminders._email(meeting, world.participant_participant)
    subject, text, html = outbox.render_email(email["template"], email["context"])
    assert_no_double_stop(subject + " " + text)
    assert_no_double_stop(text_of(html))


def test_formation_emails_have_no_double_full_stop(chicago, wake):
    from cohorts.formation.services import reminders as formation_reminders

    world = chicago
    world.cohort.name = "Riverbend capacity program."
    world.cohort.save(update_fields=["name"])
    formation_round = factories.FormationRoundFactory(
        cohort=world.cohort, deadline=future_evening(), instructions="Pick your peers."
    )
    entry = factories.FormationEntryFactory(
        round=formation_round, participant=world.participant_participant
    )
    for template in ("formation_invite", "formation_reminder"):
        email = formation_reminders._email(
            entry, formation_round, template=template, key=template, sender="Sam Staff"
        )
        subject, text, html = outbox.render_email(email["template"], email["context"])
        assert_no_double_stop(subject + " " + text)
        assert_no_double_stop(text_of(html))


def test_home_page_steps_have_no_double_full_stop(world, client_for):
    factories.MeetingFactory(
        community=world.community,
        title="Kick-off.",
        starts_at=timezone.now() - timedelta(days=2),
    )
    html = client_for("leader").get(reverse("home")).content.decode()
    assert "Record who came" in html
    assert_no_double_stop(text_of(html))


# -- sentences said twice ------------------------------------------------------------------


@pytest.fixture
def live_poll(world):
    from planning.surveys.services import live as live_services

    survey = factories.SurveyFactory(cohort=world.cohort, kind="poll", title="Launch poll")
    first = factories.QuestionFactory(survey=survey, position=1, text="Which?", choices=["A", "B"])
    session = live_services.start_session(survey, world.staff)
    session.first = first
    return session


def test_a_closed_poll_says_it_has_ended_once(world, live_poll):
    from django.test import Client

    from planning.surveys.services import live as live_services

    phone = Client()
    vote_url = reverse("live-vote", kwargs={"code": live_poll.code})
    state_url = reverse("live-vote-state", kwargs={"code": live_poll.code})
    assert phone.get(vote_url).status_code == 200
    live_poll_state = phone.get(state_url)
    assert live_poll_state.status_code == 200
    live_services.control(live_poll, "close", world.staff)

    after_post = phone.post(
        vote_url, {"question": live_poll.first.public_id, "answer": "A"}, follow=True
    )
    page = text_of(after_post.content.decode())
    assert page.count("This poll has ended") == 1, page
    assert "Your answer was not saved." in page
    state = text_of(phone.get(state_url).content.decode())
    assert state.count("This poll has ended") == 1, state


def test_a_multiple_choice_question_says_how_to_choose_once(world, client):
    survey = factories.SurveyFactory(cohort=world.cohort, title="Ways of learning")
    factories.QuestionFactory(
        survey=survey,
        kind=Question.Kind.MULTIPLE,
        text="How do you like to learn?",
        help_text="Choose all that suit you.",
        choices=["Peers", "Reading"],
    )
    link = factories.SurveyRecipientFactory(
        survey=survey, participant=world.participant_participant
    )
    page = text_of(client.get(link.get_answer_url()).content.decode())
    assert page.count("Choose all that") == 1, page
    # A question without its own help still gets the hint.
    survey.questions.update(help_text="")
    page = text_of(client.get(link.get_answer_url()).content.decode())
    assert page.count("Choose all that apply.") == 1


def test_the_question_bank_does_not_repeat_the_hint():
    from planning.surveys import banks

    texts = [q.get("help_text", "") for q in banks.NEEDS_QUESTIONS + banks.EXPERTISE_QUESTIONS]
    assert not any("all that" in str(text) for text in texts)


# -- one date style ------------------------------------------------------------------------


def test_a_formation_deadline_reads_the_same_in_the_email_and_on_the_pages(
    chicago, client, client_for, wake
):
    from cohorts.formation.services import reminders as formation_reminders

    world = chicago
    deadline = datetime(2027, 3, 3, 23, 0, tzinfo=UTC)
    formation_round = factories.FormationRoundFactory(
        cohort=world.cohort, deadline=deadline, status="collecting", method="topic"
    )
    entry = factories.FormationEntryFactory(
        round=formation_round, participant=world.participant_participant
    )
    words = "Wednesday, March 3, 2027, 5:00 p.m. CST"
    email = formation_reminders._email(
        entry, formation_round, template="formation_invite", key="k", sender="Sam Staff"
    )
    _subject, text, html = outbox.render_email(email["template"], email["context"])
    assert words in text and words in html
    answer = client.get(entry.get_answer_url()).content.decode()
    assert words in answer
    detail = client_for("staff").get(formation_round.get_absolute_url()).content.decode()
    assert words in detail


@time_machine.travel(datetime(2027, 2, 1, 15, 0, tzinfo=UTC), tick=True)
def test_a_survey_closing_time_reads_the_same_in_the_email_and_on_the_pages(chicago, client, wake):
    # On a fixed day a month before the closing time, so the survey is open whatever today is.
    world = chicago
    survey = factories.SurveyFactory(
        cohort=world.cohort,
        status=Survey.Status.DRAFT,
        closes_at=datetime(2027, 3, 3, 23, 0, tzinfo=UTC),
    )
    factories.QuestionFactory(survey=survey, kind=Question.Kind.SHORT_TEXT, choices=[])
    survey_services.send_survey(survey, [world.participant_participant], actor=world.staff)
    words = "Wednesday, March 3, 2027, 5:00 p.m. CST"
    message = OutboxMessage.objects.get(kind="survey_invitation")
    assert words in message.body_text and words in message.body_html
    link = survey.recipients.get()
    assert words in client.get(link.get_answer_url()).content.decode()


# -- who entered it ------------------------------------------------------------------------


def test_a_formation_entry_is_labelled_by_who_entered_it(world, client_for):
    formation_round = factories.FormationRoundFactory(cohort=world.cohort)
    now = timezone.now()
    by_self = factories.FormationEntryFactory(
        round=formation_round,
        participant=world.participant_participant,
        submitted_at=now,
        entered_by=world.participant,
    )
    by_leader = factories.FormationEntryFactory(
        round=formation_round,
        participant=factories.ParticipantFactory(cohort=world.cohort, name="Nia North"),
        submitted_at=now,
        entered_by=world.leader,
    )
    by_staff = factories.FormationEntryFactory(
        round=formation_round,
        participant=factories.ParticipantFactory(cohort=world.cohort, name="Ola Ortiz"),
        submitted_at=now,
        entered_by=world.staff,
    )
    html = client_for("staff").get(formation_round.get_absolute_url()).content.decode()
    rows = {
        entry.participant.name: text_of(html.split(entry.participant.name, 1)[1].split("</tr>")[0])
        for entry in (by_self, by_leader, by_staff)
    }
    assert "entered by" not in rows["Pat Participant"]
    assert "entered by Lee Leader" in rows["Nia North"] and "staff" not in rows["Nia North"]
    assert "entered by staff" in rows["Ola Ortiz"]
    # The person's own page says the TTA team entered it only when it did.
    own = client_for("participant").get(by_self.get_answer_url()).content.decode()
    assert "Your TTA team entered these for you." not in own


def test_an_inventory_entry_a_leader_typed_is_labelled_as_a_leaders(world, client_for):
    from planning.needs.models import InventoryEntry

    topic = world.topic
    url = reverse(
        "planning:inventory",
        kwargs={"cohort_slug": world.cohort.slug, "community_slug": world.community.slug},
    )
    client = client_for("leader")
    response = client.post(
        url.replace("/needs/", "/needs/entries/new/"),
        {
            "participant": world.participant_participant.public_id,
            "kind": "expertise",
            "topic": topic.slug,
            "description": "",
        },
    )
    assert response.status_code in (200, 302), response.status_code
    entry = InventoryEntry.objects.get(participant=world.participant_participant)
    page = text_of(client.get(url).content.decode())
    assert "entered by staff" not in page.lower()
    assert entry.get_source_display() == "Entered by a leader"


# -- the welcome page ----------------------------------------------------------------------

WELCOME_PASSWORD = "a long enough pass phrase 42"


def accept(client, participant, world):
    invitation = factories.InvitationFactory(participant=participant, invited_by=world.staff)
    return client.post(
        invitation.get_accept_url(),
        {"name": participant.name, "password1": WELCOME_PASSWORD, "password2": WELCOME_PASSWORD},
        follow=True,
    )


def test_the_welcome_page_shows_the_profile_task_it_asks_for(world, client):
    nia = factories.ParticipantFactory(
        cohort=world.cohort, name="Nia North", email="nia@x.example", expertise=""
    )
    page = accept(client, nia, world).content.decode()
    assert "Start by completing your profile" in text_of(page)
    assert f'href="{reverse("cohorts:my-profile", args=[world.cohort.slug])}"' in page
    assert "Complete your profile" in page


def test_the_welcome_page_does_not_ask_for_a_complete_profile(world, client):
    ola = factories.ParticipantFactory(
        cohort=world.cohort,
        name="Ola Ortiz",
        email="ola@x.example",
        expertise="Board development",
        format_preference="virtual",
    )
    page = text_of(accept(client, ola, world).content.decode())
    assert "Welcome to Riverbend Capacity Cohort!" in page
    assert "completing your profile" not in page


# -- an empty formation round --------------------------------------------------------------

NO_ONE = "No one takes part yet: add people on the Participants page"


@pytest.mark.parametrize("method", ["topic", "matching", "preassign"])
def test_an_empty_round_says_so_on_its_page_and_its_actions(world, client_for, method):
    formation_round = factories.FormationRoundFactory(cohort=world.cohort, method=method)
    assert not formation_round.entries.exists()
    client = client_for("staff")
    people = reverse("cohorts:participant-list", args=[world.cohort.slug])
    page = client.get(formation_round.get_absolute_url()).content.decode()
    assert NO_ONE in text_of(page)
    assert text_of(page).count(NO_ONE) == 1
    assert f'href="{people}"' in page
    kwargs = {"cohort_slug": world.cohort.slug, "round_id": formation_round.public_id}
    actions = [("cohorts:formation-run", {})]
    if formation_round.asks_participants:
        actions.append(("cohorts:formation-send", {"action": "send"}))
    for name, data in actions:
        response = client.post(reverse(name, kwargs=kwargs), data, follow=True)
        assert NO_ONE in text_of(response.content.decode()), name
