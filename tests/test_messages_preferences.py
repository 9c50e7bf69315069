"""Email preferences: each person chooses per optional kind how it comes, and the outbox
applies the choice to every enqueue without the callers changing anything."""

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from copkit import outbox, preferences
from copkit.models import Delivery, EmailPreference, EmailSettings, OutboxMessage

State = OutboxMessage.State
OPTIONAL = "meeting_reminder"  # registered by planning, optional
REQUIRED = "survey_invitation"  # registered by planning, not optional
NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)

TEST_TEMPLATES = {
    "emails/note_subject.txt": "{% autoescape off %}Note for {{ name }}{% endautoescape %}",
    "emails/note_body.txt": (
        "{% autoescape off %}{% get_current_language as lang %}lang={{ lang }} "
        "at={{ at|date:'H:i e' }}{% endautoescape %}"
    ),
    "emails/note_body.html": (
        '{% extends "emails/base.html" %}{% block content %}<p>Hi</p>{% endblock %}'
    ),
}


@pytest.fixture(autouse=True)
def email_templates(settings):
    """The tests' own template, beside the real ones (emails/base.html)."""
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "APP_DIRS": False,
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "loaders": [
                    ("django.template.loaders.locmem.Loader", TEST_TEMPLATES),
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ],
            },
        }
    ]


def note(key, to_email="ana@example.org", kind=OPTIONAL, **context):
    return outbox.enqueue(
        key=key,
        kind=kind,
        to_email=to_email,
        template="note",
        context={"name": "Ana", "at": NOW, **context},
    )


def test_without_a_choice_an_optional_kind_goes_at_once(db):
    message = note("n:1")
    assert (message.state, message.delivery) == (State.PENDING, Delivery.NOW)


@pytest.mark.parametrize(
    ("delivery", "state"),
    [
        (Delivery.NOW, State.PENDING),
        (Delivery.DAILY, State.HELD),
        (Delivery.WEEKLY, State.HELD),
        (Delivery.OFF, State.SKIPPED),
    ],
)
def test_the_recipients_choice_gives_the_state(
    db, wake, django_capture_on_commit_callbacks, delivery, state
):
    preferences.save_preferences("Ana@Example.org", deliveries={OPTIONAL: delivery})

    with django_capture_on_commit_callbacks(execute=True):
        message = note("n:1")

    assert (message.state, message.delivery) == (state, delivery)
    # Only a message to send now wakes the sweep.
    assert wake.called is (state == State.PENDING)


def test_a_required_kind_cannot_be_held_or_turned_off(db):
    preferences.save_preferences("ana@example.org", deliveries={REQUIRED: Delivery.OFF})
    assert not EmailPreference.objects.filter(kind=REQUIRED).exists()

    message = note("n:1", kind=REQUIRED)
    assert message.state == State.PENDING


def test_an_undeclared_kind_goes_at_once(db):
    preferences.save_preferences("ana@example.org", deliveries={OPTIONAL: Delivery.OFF})
    assert note("n:1", kind="something_new").state == State.PENDING


def test_enqueue_many_applies_each_recipients_choice_in_a_fixed_number_of_queries(db):
    preferences.save_preferences("b@example.org", deliveries={OPTIONAL: Delivery.DAILY})
    preferences.save_preferences("c@example.org", deliveries={OPTIONAL: Delivery.OFF})

    def batch(prefix, count):
        return [
            {
                "key": f"{prefix}:{n}",
                "kind": OPTIONAL,
                "to_email": f"{'abc'[n % 3]}@example.org",
                "template": "note",
                "context": {"name": "x", "at": NOW},
            }
            for n in range(count)
        ]

    with CaptureQueriesContext(connection) as few:
        outbox.enqueue_many(batch("few", 3))
    with CaptureQueriesContext(connection) as many:
        outbox.enqueue_many(batch("many", 60))

    assert len(many) == len(few)
    states = dict(
        OutboxMessage.objects.filter(key__startswith="many:").values_list("to_email", "state")
    )
    assert states == {
        "a@example.org": State.PENDING,
        "b@example.org": State.HELD,
        "c@example.org": State.SKIPPED,
    }


def test_emails_are_rendered_in_the_recipients_language_and_time_zone(db, settings):
    cohort = type("C", (), {"time_zone": "America/Chicago", "pk": 7})()
    plain = note("n:1", to_email="x@example.org", cohort=cohort)
    assert "lang=en at=10:00 CDT" in plain.body_text  # the cohort's zone

    preferences.save_preferences(
        "ana@example.org", deliveries={}, language="es", time_zone="Europe/Madrid"
    )
    chosen = note("n:2", cohort=cohort)
    assert "lang=es at=16:00 CET" in chosen.body_text
    assert chosen.cohort_ref == 7


def test_the_cohort_is_taken_from_any_object_of_the_context(db):
    person = type("P", (), {"cohort_id": 42})()
    assert note("n:1", participant=person).cohort_ref == 42
    assert note("n:2").cohort_ref is None


def test_every_email_carries_its_settings_link_and_unsubscribe_headers(db):
    message = note("n:1")
    outbox.send_due()

    sent = mail.outbox[-1]
    link = sent.extra_headers["List-Unsubscribe"].strip("<>")
    assert link.startswith("http") and f"/stop/{OPTIONAL}/" in link
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    footer = message.body_text.split("\n-- \n")[1]
    token = footer.splitlines()[1].rstrip("/").rsplit("/", 1)[1]
    assert preferences.address_from(token) == "ana@example.org"
    assert "your email settings" in message.body_html


def test_a_token_made_elsewhere_names_nobody():
    token = preferences.token_for("ana@example.org")
    assert preferences.address_from(token) == "ana@example.org"
    assert preferences.address_from(token[:-2] + "xx") is None
    assert preferences.address_from("ana@example.org") is None


def test_changing_a_choice_moves_what_is_held(db, wake):
    preferences.save_preferences("ana@example.org", deliveries={OPTIONAL: Delivery.DAILY})
    first, second = note("n:1"), note("n:2")
    assert {first.state, second.state} == {State.HELD}

    preferences.save_preferences("ana@example.org", deliveries={OPTIONAL: Delivery.WEEKLY})
    first.refresh_from_db()
    assert (first.state, first.delivery) == (State.HELD, Delivery.WEEKLY)

    preferences.save_preferences("ana@example.org", deliveries={OPTIONAL: Delivery.NOW})
    first.refresh_from_db()
    assert first.state == State.PENDING
    assert outbox.send_due()["sent"] == 2

    preferences.save_preferences("ana@example.org", deliveries={OPTIONAL: Delivery.DAILY})
    third = note("n:3")
    preferences.save_preferences("ana@example.org", deliveries={OPTIONAL: Delivery.OFF})
    third.refresh_from_db()
    assert third.state == State.SKIPPED


def test_one_click_turns_off_the_kind_or_every_optional_kind(db):
    assert preferences.unsubscribe("ana@example.org", OPTIONAL) == [OPTIONAL]
    assert note("n:1").state == State.SKIPPED
    assert note("n:2", kind="survey_reminder").state == State.PENDING

    turned_off = preferences.unsubscribe("ana@example.org", REQUIRED)
    assert "survey_reminder" in turned_off and REQUIRED not in turned_off
    assert note("n:3", kind="survey_reminder").state == State.SKIPPED
    assert note("n:4", kind=REQUIRED).state == State.PENDING


def test_a_change_that_rolls_back_queues_nothing(db, django_capture_on_commit_callbacks, wake):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        note("n:1")
        raise RuntimeError("the change failed")
    assert not OutboxMessage.objects.exists()
    assert not wake.called

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        note("n:1")
    assert OutboxMessage.objects.count() == 1
    assert wake.called


def test_settings_rows_are_per_address_not_per_case(db):
    preferences.save_preferences("Ana@Example.org", deliveries={OPTIONAL: Delivery.DAILY})
    preferences.save_preferences("ana@example.org", deliveries={OPTIONAL: Delivery.WEEKLY})
    assert EmailSettings.objects.count() == 1
    assert preferences.plan_for(["ANA@example.org"])["ana@example.org"].delivery(OPTIONAL) == (
        Delivery.WEEKLY
    )
