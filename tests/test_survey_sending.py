"""Sending a survey with personal links, the recipients page, and reminders (the periodic
sweep and "Remind now")."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Activity
from copkit import outbox
from copkit.celery import app
from copkit.models import OutboxMessage
from planning.models import Response, Survey, SurveyRecipient
from planning.surveys.services import surveys as services
from tests import factories
from tests.queries import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(world):
    survey = factories.SurveyFactory(
        cohort=world.cohort,
        title="Spring needs",
        status=Survey.Status.DRAFT,
        reminder_limit=2,
        reminder_interval_days=3,
    )
    factories.QuestionFactory(survey=survey)
    factories.QuestionFactory(survey=survey)
    return survey


@pytest.fixture
def people(world):
    return [
        factories.ParticipantFactory(cohort=world.cohort, name="Nia North", email="nia@x.example"),
        factories.ParticipantFactory(cohort=world.cohort, name="Ola Ortiz", email="ola@x.example"),
    ]


def url(name, survey):
    return reverse(
        f"planning:{name}",
        kwargs={"cohort_slug": survey.cohort.slug, "survey_id": survey.public_id},
    )


def submit(recipient, when=None):
    return Response.objects.create(
        survey=recipient.survey,
        recipient=recipient,
        participant=recipient.participant,
        submitted_at=when or timezone.now(),
    )


# -- the send service ----------------------------------------------------------------------


def test_send_creates_recipients_opens_the_draft_and_queues_one_email_each(
    world, survey, people, wake
):
    counts = services.send_survey(survey, people, actor=world.staff)

    assert counts == {"sent": 2, "already": 0}
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN
    recipients = list(survey.recipients.all())
    assert {r.participant for r in recipients} == set(people)
    assert all(r.sent_at is not None and r.reminder_count == 0 for r in recipients)
    rows = dict(OutboxMessage.objects.values_list("key", "to_email"))
    assert rows == {f"survey-invitation:{r.pk}": r.participant.email for r in recipients}
    assert Activity.objects.filter(verb="sent survey", data__count=2).exists()


def test_sending_again_skips_those_sent_already(world, survey, people, wake):
    services.send_survey(survey, people[:1], actor=world.staff)
    counts = services.send_survey(survey, people, actor=world.staff)
    assert counts == {"sent": 1, "already": 1}
    assert survey.recipients.count() == 2
    assert OutboxMessage.objects.count() == 2


def test_send_ignores_participants_of_another_cohort(world, survey, people, wake):
    stranger = factories.ParticipantFactory(cohort=world.other_cohort)
    counts = services.send_survey(survey, [stranger, people[0]], actor=world.staff)
    assert counts["sent"] == 1
    assert not SurveyRecipient.objects.filter(participant=stranger).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": Survey.Status.CLOSED}, "This survey is closed"),
        ({"closes_at": "past"}, "has passed"),
        ({"no_questions": True}, "Add at least one question"),
    ],
)
def test_send_is_refused_for_a_survey_that_cannot_take_answers(
    world, survey, people, wake, change, message
):
    if change.get("closes_at"):
        survey.closes_at = timezone.now() - timedelta(hours=1)
    if change.get("status"):
        survey.status = change["status"]
    if change.get("no_questions"):
        survey.questions.all().delete()
    survey.save()
    with pytest.raises(services.SurveyError, match=message):
        services.send_survey(survey, people, actor=world.staff)
    assert not SurveyRecipient.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_the_email_carries_the_personal_link_and_is_queued_after_commit(
    world, survey, people, wake, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://copkit.example.org"
    survey.intro = "We ask so that communities form around real needs."
    survey.closes_at = timezone.now() + timedelta(days=14)
    survey.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.send_survey(survey, people[:1], actor=world.staff)
        assert wake.call_count == 0
    assert len(callbacks) == 1
    assert wake.call_count == 1

    outbox.send_due()
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    recipient = survey.recipients.get()
    link = f"https://copkit.example.org/s/{recipient.token}/"
    assert email.to == ["nia@x.example"]
    assert email.subject == "Spring needs: a few questions from Riverbend Capacity Cohort"
    assert "Hello Nia North," in email.body
    assert 'Sam Staff asks you to answer "Spring needs"' in email.body
    assert "We ask so that communities form" in email.body
    assert "There are 2 questions." in email.body
    assert link in email.body
    assert "Please answer before" in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{link}"' in html


# -- the recipients page and the send view ----------------------------------------------------


def test_recipients_page_shows_status_of_each_person(world, client_for, survey, people, wake):
    services.send_survey(survey, people, actor=world.staff)
    nia, ola = (survey.recipients.get(participant=p) for p in people)
    submit(nia)
    Response.objects.create(survey=survey, recipient=ola, participant=ola.participant)
    SurveyRecipient.objects.filter(pk=ola.pk).update(reminder_count=1)

    response = client_for("staff").get(url("survey-recipients", survey))

    content = response.content.decode()
    assert "1 of 2 answered" in content
    assert "1 started, not finished" in content
    rows = {p.name: p for p in response.context["page"]}
    assert rows["Nia North"].link.response.submitted_at is not None
    assert rows["Pat Participant"].link is None
    assert f'value="{world.participant_participant.public_id}"' in content
    assert f'value="{people[0].public_id}"' not in content  # sent already: no box
    assert "Answered" in content and "Started" in content and "Not sent" in content
    assert response.context["summary"] == {"sent": 2, "answered": 1, "started": 1, "waiting": 1}
    assert response.context["not_sent_count"] == 2  # Lee and Pat

    answered = client_for("staff").get(url("survey-recipients", survey) + "?status=answered")
    assert [p.name for p in answered.context["page"]] == ["Nia North"]
    not_sent = client_for("staff").get(url("survey-recipients", survey) + "?status=not_sent")
    assert {p.name for p in not_sent.context["page"]} == {"Lee Leader", "Pat Participant"}
    started = client_for("staff").get(url("survey-recipients", survey) + "?status=started")
    assert [p.name for p in started.context["page"]] == ["Ola Ortiz"]


def test_send_to_ticked_participants(world, client_for, survey, people, wake):
    response = client_for("staff").post(
        url("survey-send", survey),
        {"scope": "selected", "participants": [str(p.public_id) for p in people]},
        follow=True,
    )
    assert "Survey on its way to 2 people, each with their own link." in response.content.decode()
    assert set(survey.recipients.values_list("participant__email", flat=True)) == {
        "nia@x.example",
        "ola@x.example",
    }


def test_send_to_everyone_not_sent_yet(world, client_for, survey, people, wake):
    services.send_survey(survey, people[:1], actor=world.staff)
    response = client_for("staff").post(url("survey-send", survey), {"scope": "everyone"})
    assert response.status_code == 302
    assert survey.recipients.count() == 4  # Nia (before), Ola, Lee and Pat
    assert OutboxMessage.objects.count() == 4


def test_send_to_the_community(world, client_for, survey, people, wake):
    survey.community = world.community
    survey.save()
    client_for("staff").post(url("survey-send", survey), {"scope": "community"})
    assert set(survey.recipients.values_list("participant__name", flat=True)) == {
        "Lee Leader",
        "Pat Participant",
    }


def test_send_with_nobody_chosen_says_so_and_sends_nothing(world, client_for, survey, people, wake):
    client = client_for("staff")
    response = client.post(url("survey-send", survey), {"scope": "selected"}, follow=True)
    assert "Tick the participants" in response.content.decode()
    response = client.post(url("survey-send", survey), follow=True)
    assert "Choose whom to send the survey to" in response.content.decode()
    response = client.post(url("survey-send", survey), {"scope": "community"}, follow=True)
    assert "for the whole cohort" in response.content.decode()
    assert not SurveyRecipient.objects.exists()
    # The same request with someone ticked goes through.
    client.post(
        url("survey-send", survey), {"scope": "selected", "participants": [people[0].public_id]}
    )
    assert survey.recipients.count() == 1


def test_send_refuses_another_cohorts_participant(world, client_for, survey, wake):
    stranger = factories.ParticipantFactory(cohort=world.other_cohort)
    response = client_for("staff").post(
        url("survey-send", survey),
        {"scope": "selected", "participants": [str(stranger.public_id)]},
        follow=True,
    )
    assert "not in this cohort" in response.content.decode()
    assert not SurveyRecipient.objects.exists()


def test_send_of_a_closed_survey_is_refused_with_a_message(world, client_for, survey, people, wake):
    survey.status = Survey.Status.CLOSED
    survey.save()
    client = client_for("staff")
    page = client.get(url("survey-recipients", survey)).content.decode()
    assert "This survey is closed, so it cannot be sent" in page
    assert "Send to ticked" not in page
    response = client.post(url("survey-send", survey), {"scope": "everyone"}, follow=True)
    assert "The survey was not sent. This survey is closed." in response.content.decode()
    assert not SurveyRecipient.objects.exists()


def test_sending_again_to_the_same_people_says_nobody_new(world, client_for, survey, people, wake):
    services.send_survey(survey, people, actor=world.staff)
    response = client_for("staff").post(
        url("survey-send", survey),
        {"scope": "selected", "participants": [str(p.public_id) for p in people]},
        follow=True,
    )
    assert "Nobody new to send to" in response.content.decode()
    assert OutboxMessage.objects.count() == 2


def grow(world, survey, n):
    """n more participants, each sent the survey; every other one answered."""
    org = factories.OrganizationFactory(cohort=world.cohort)
    for i in range(n):
        person = factories.ParticipantFactory(cohort=world.cohort, organization=org)
        recipient = factories.SurveyRecipientFactory(survey=survey, participant=person)
        if i % 2:
            submit(recipient)
        factories.MembershipFactory(community=world.community, participant=person)
        factories.ParticipantFactory(cohort=world.cohort)  # not sent


def test_recipients_page_query_count_is_flat(world, client_for, survey):
    survey.community = world.community
    survey.status = Survey.Status.OPEN
    survey.save()
    client = client_for("staff")
    page_url = url("survey-recipients", survey)
    grow(world, survey, 1)
    small, _ = count_queries(client, page_url)
    grow(world, survey, 49)
    large, response = count_queries(client, page_url)
    assert len(response.context["page"]) == 50
    assert large == small, f"{small} queries for 1 row, {large} for 50"


# -- reminders: the sweep ------------------------------------------------------------------


@pytest.fixture
def sent(world, survey, people, wake):
    """The survey sent to Nia and Ola three days and a minute ago."""
    when = timezone.now() - timedelta(days=3, minutes=1)
    services.send_survey(survey, people, actor=world.staff, now=when)
    OutboxMessage.objects.all().delete()
    return {r.participant.name: r for r in survey.recipients.select_related("participant")}


def reminder_keys():
    return sorted(
        OutboxMessage.objects.filter(kind="survey_reminder").values_list("key", flat=True)
    )


def test_due_reminders_go_to_those_who_have_not_answered(world, survey, sent):
    submit(sent["Nia North"])
    ola = sent["Ola Ortiz"]

    assert services.queue_due_reminders() == 1

    assert reminder_keys() == [f"survey-reminder:{ola.pk}:1"]
    ola.refresh_from_db()
    assert ola.reminder_count == 1
    assert ola.last_reminded_at is not None
    assert Activity.objects.filter(verb="sent survey reminders", data__count=1).exists()


def test_a_started_but_unsubmitted_response_still_gets_reminded(world, survey, sent):
    Response.objects.create(survey=survey, recipient=sent["Nia North"])
    assert services.queue_due_reminders() == 2


def test_reminders_respect_the_interval_and_the_limit(world, survey, sent):
    now = timezone.now()
    assert services.queue_due_reminders(now=now) == 2
    # Not again until the interval has passed since the last reminder.
    assert services.queue_due_reminders(now=now + timedelta(days=2)) == 0
    assert services.queue_due_reminders(now=now + timedelta(days=3)) == 2
    # The limit is 2: no third reminder, however long we wait.
    assert services.queue_due_reminders(now=now + timedelta(days=30)) == 0
    assert len(reminder_keys()) == 4
    assert set(SurveyRecipient.objects.values_list("reminder_count", flat=True)) == {2}


def test_nothing_is_due_before_the_interval(world, survey, people, wake):
    services.send_survey(survey, people, actor=world.staff)
    assert services.queue_due_reminders() == 0
    assert services.queue_due_reminders(now=timezone.now() + timedelta(days=3, minutes=1)) == 2


@pytest.mark.parametrize(
    "change",
    [
        {"status": Survey.Status.CLOSED},
        {"status": Survey.Status.DRAFT},
        {"closes_at": -1},
        {"reminder_limit": 0},
    ],
)
def test_no_reminders_for_a_closed_survey_or_a_limit_of_zero(world, survey, sent, change):
    if "closes_at" in change:
        change = {"closes_at": timezone.now() - timedelta(minutes=1)}
    Survey.objects.filter(pk=survey.pk).update(**change)
    assert services.queue_due_reminders() == 0
    assert not reminder_keys()


def test_two_concurrent_sweeps_remind_once(world, survey, sent):
    """Both sweeps read the due rows before either claims: only the first claim wins."""
    now = timezone.now()
    stale = list(SurveyRecipient.objects.filter(survey=survey).select_related("participant"))
    assert services.queue_due_reminders(now=now) == 2
    survey.question_count = 2
    second = [services._claim_and_queue(r, survey, now, "Team") for r in stale]
    assert second == [False, False]
    assert len(reminder_keys()) == 2
    assert set(SurveyRecipient.objects.values_list("reminder_count", flat=True)) == {1}


def test_the_reminder_email_has_the_personal_link(
    world, survey, sent, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://copkit.example.org"
    submit(sent["Nia North"])
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_due_reminders()
    outbox.send_due()
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    ola = sent["Ola Ortiz"]
    assert email.to == ["ola@x.example"]
    assert email.subject == "Reminder: Spring needs"
    assert f"https://copkit.example.org/s/{ola.token}/" in email.body
    assert "we have not had your answers" in email.body


def test_the_celery_task_queues_due_reminders(world, survey, sent):
    app.loader.import_default_modules()
    result = app.tasks["planning.tasks.send_survey_reminders"].apply()
    assert result.successful()
    assert result.result == 2
    assert len(reminder_keys()) == 2


def test_the_one_later_work_task_sweeps_survey_reminders_once(world, survey, sent):
    """The beat's only reminder entry is copkit.tasks.run_later_work; two runs (two beats)
    remind each person once."""
    app.loader.import_default_modules()
    task = app.tasks["copkit.tasks.run_later_work"]
    first, second = task.apply(), task.apply()
    assert first.result["survey reminders"].startswith("survey reminders: 2 handled, 2 queued")
    assert second.result["survey reminders"].startswith("survey reminders: 0 handled")
    assert len(reminder_keys()) == 2


# -- reminders: "Remind now" -----------------------------------------------------------------


def test_remind_now_reminds_those_waiting_and_says_who_was_skipped(
    world, client_for, survey, sent, people
):
    submit(sent["Nia North"])
    extra = factories.ParticipantFactory(cohort=world.cohort, name="Rae Recent")
    services.send_survey(survey, [extra], actor=world.staff)  # sent just now
    capped = factories.ParticipantFactory(cohort=world.cohort, name="Cap Capped")
    services.send_survey(
        survey, [capped], actor=world.staff, now=timezone.now() - timedelta(days=9)
    )
    SurveyRecipient.objects.filter(participant=capped).update(reminder_count=2)
    OutboxMessage.objects.all().delete()

    response = client_for("staff").post(url("survey-remind", survey), follow=True)

    content = response.content.decode()
    assert "1 person reminded." in content
    assert "2 skipped: 1 has had all 2 reminders; 1 was contacted in the last 24 hours." in content
    assert reminder_keys() == [f"survey-reminder:{sent['Ola Ortiz'].pk}:1"]

    # A second click right away reminds nobody: Ola was contacted a moment ago.
    response = client_for("staff").post(url("survey-remind", survey), follow=True)
    assert "0 people reminded." in response.content.decode()
    assert len(reminder_keys()) == 1


def test_remind_now_when_everyone_answered(world, client_for, survey, sent):
    for recipient in sent.values():
        submit(recipient)
    response = client_for("staff").post(url("survey-remind", survey), follow=True)
    assert "Nobody to remind" in response.content.decode()
    assert not reminder_keys()


def test_remind_now_is_refused_for_a_closed_survey(world, client_for, survey, sent):
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED)
    response = client_for("staff").post(url("survey-remind", survey), follow=True)
    assert "Only an open survey sends reminders." in response.content.decode()
    assert not reminder_keys()
