"""The email settings pages (by the signed link, and logged in), the one-click unsubscribe,
and the cohort's Emails page where staff see failed emails and send them again."""

import smtplib
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client
from django.urls import reverse

from cohorts.models import Activity
from copkit import digests, outbox, preferences
from copkit.models import Delivery, EmailPreference, EmailSettings, OutboxMessage
from tests.queries import count_queries

State = OutboxMessage.State
KIND = "meeting_reminder"
NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def settings_url(address):
    return reverse("email-settings", args=[preferences.token_for(address)])


def queue(world, key, to_email="pat@pantry.example", kind=KIND, cohort=None):
    return outbox.enqueue(
        key=key,
        kind=kind,
        to_email=to_email,
        template="account",
        context={"subject": f"Subject {key}", "body": "Body.", "cohort": cohort or world.cohort},
        due_at=NOW,
    )


# -- the settings pages -------------------------------------------------------------------


def test_the_link_opens_the_settings_of_its_address_without_a_password(world, client):
    response = client.get(settings_url("pat@pantry.example"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "pat@pantry.example" in page
    assert "Meeting reminders" in page  # an optional kind, to choose
    assert "Survey invitations" in page  # listed as always sent

    response = client.post(
        settings_url("pat@pantry.example"),
        {f"kind_{KIND}": "daily", "kind_survey_reminder": "off", "language": "es", "time_zone": ""},
    )
    assert response.status_code == 302
    row = EmailSettings.objects.get(email="pat@pantry.example")
    assert row.language == "es"
    assert dict(row.preferences.values_list("kind", "delivery")) == {
        KIND: Delivery.DAILY,
        "survey_reminder": Delivery.OFF,
    }
    assert queue(world, "m:1").state == State.HELD


def test_a_link_not_made_here_is_a_404(db, client):
    token = preferences.token_for("pat@pantry.example")
    assert client.get(reverse("email-settings", args=[token[:-3] + "abc"])).status_code == 404
    assert client.get(reverse("email-settings", args=["pat@pantry.example"])).status_code == 404
    assert client.get(reverse("email-settings", args=[token])).status_code == 200


@pytest.mark.parametrize(
    ("field", "value"),
    [(f"kind_{KIND}", "hourly"), ("time_zone", "Mars/Olympus"), ("language", "xx")],
)
def test_bad_input_is_named_beside_its_field_and_nothing_is_saved(db, client, field, value):
    data = {f"kind_{KIND}": "daily", "language": "", "time_zone": "", field: value}
    response = client.post(settings_url("pat@pantry.example"), data)
    assert response.status_code == 200
    assert "is not one of the available choices" in response.content.decode()
    assert not EmailSettings.objects.exists()
    assert not EmailPreference.objects.exists()
    # The same form with good values saves.
    data[field] = {"time_zone": "America/Chicago", "language": "en"}.get(field, "weekly")
    assert client.post(settings_url("pat@pantry.example"), data).status_code == 302
    assert EmailSettings.objects.count() == 1


def test_the_logged_in_page_changes_ones_own_address(world, client_for):
    client = client_for("leader")
    url = reverse("my-email-settings")
    assert "lee@pantry.example" in client.get(url).content.decode()
    response = client.post(url, {f"kind_{KIND}": "weekly", "language": "", "time_zone": ""})
    assert response.status_code == 302
    assert preferences.plan_for(["lee@pantry.example"])["lee@pantry.example"].delivery(KIND) == (
        Delivery.WEEKLY
    )
    assert not EmailSettings.objects.filter(email="pat@pantry.example").exists()


def test_one_click_unsubscribe_needs_a_post_and_no_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    url = reverse("email-unsubscribe", args=[preferences.token_for("pat@pantry.example"), KIND])
    response = client.get(url)
    assert response.status_code == 200
    assert "Meeting reminders" in response.content.decode()
    assert not EmailPreference.objects.exists()  # a link scanner's GET changes nothing

    # What a mail program sends (RFC 8058).
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert queue(world, "m:1").state == State.SKIPPED
    assert queue(world, "m:2", kind="survey_invitation").state == State.PENDING


def test_settings_pages_query_count_is_flat(world, client_for):
    """The settings pages read one address: the count does not grow with its preferences or
    with the outbox."""
    urls = [
        settings_url("pat@pantry.example"),
        reverse("email-unsubscribe", args=[preferences.token_for("pat@pantry.example"), KIND]),
    ]
    client = client_for("participant")
    urls.append(reverse("my-email-settings"))
    preferences.save_preferences("pat@pantry.example", deliveries={KIND: Delivery.DAILY})
    queue(world, "m:first")
    small = [count_queries(client, url)[0] for url in urls]
    preferences.save_preferences(
        "pat@pantry.example",
        deliveries=dict.fromkeys(preferences.optional_kind_names(), Delivery.DAILY),
    )
    for n in range(30):
        queue(world, f"m:{n}")
    large = [count_queries(client, url)[0] for url in urls]
    assert large == small


# -- the Emails page ----------------------------------------------------------------------


def fail_for_good(message, settings):
    """Send with a failing server until the last try: each retry when its back-off is up."""
    settings.EMAIL_BACKEND = "tests.test_messages_pages.FailingBackend"
    now = NOW
    for attempt in range(1, settings.OUTBOX_MAX_ATTEMPTS + 1):
        counts = outbox.send_due(now)
        message.refresh_from_db()
        assert message.attempts == attempt
        if attempt < settings.OUTBOX_MAX_ATTEMPTS:
            assert counts["retrying"] >= 1 and message.state == State.PENDING
            # Not before its back-off is up...
            assert message.due_at == now + outbox.backoff(attempt)
            assert outbox.send_due(message.due_at - timedelta(seconds=1))["sent"] == 0
            now = message.due_at
        else:
            assert counts["failed"] >= 1 and message.state == State.FAILED


def test_a_failed_email_shows_on_the_emails_page_and_goes_again(world, client_for, settings):
    failing = queue(world, "m:fail", to_email="lee@pantry.example")
    fine = queue(world, "m:fine")
    elsewhere = queue(world, "m:other", cohort=world.other_cohort)
    fail_for_good(failing, settings)
    fine.refresh_from_db()
    assert fine.state == State.FAILED  # the server refused everything

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client = client_for("staff")
    page = client.get(reverse("cohorts:emails", args=[world.cohort.slug])).content.decode()
    assert "2 emails could not be sent." in page
    assert "SMTPServerDisconnected" in page
    assert "Subject m:other" not in page  # another cohort's email
    assert page.count('name="message"') == 2  # a "Send again" button on each failed one

    # One retried, by its button.
    response = client.post(
        reverse("cohorts:emails-retry", args=[world.cohort.slug]), {"message": failing.pk}
    )
    assert response.status_code == 302
    failing.refresh_from_db()
    assert (failing.state, failing.attempts) == (State.PENDING, 0)
    fine.refresh_from_db()
    assert fine.state == State.FAILED
    assert outbox.send_due()["sent"] == 1  # due now, by the clock of the click
    assert [m.to for m in mail.outbox] == [["lee@pantry.example"]]
    assert Activity.objects.filter(verb="retried emails", cohort=world.cohort).count() == 1

    # Another cohort's failed email cannot be retried through this cohort.
    elsewhere.refresh_from_db()
    client.post(
        reverse("cohorts:emails-retry", args=[world.cohort.slug]), {"message": elsewhere.pk}
    )
    elsewhere.refresh_from_db()
    assert elsewhere.state == State.FAILED

    # All the rest at once.
    client.post(reverse("cohorts:emails-retry", args=[world.cohort.slug]))
    fine.refresh_from_db()
    assert fine.state == State.PENDING


def test_the_emails_page_filters_by_state_and_kind(world, client_for):
    queue(world, "m:1")
    queue(world, "m:2", kind="survey_reminder")
    client = client_for("staff")
    url = reverse("cohorts:emails", args=[world.cohort.slug])
    page = client.get(url, {"kind": "survey_reminder"}).content.decode()
    assert "Subject m:2" in page and "Subject m:1" not in page
    page = client.get(url, {"state": "failed"}).content.decode()
    assert "Subject m:1" not in page and "No emails here yet." in page
    # A state that does not exist shows everything rather than failing.
    assert client.get(url, {"state": "nonsense"}).status_code == 200


def test_emails_page_query_count_is_flat(world, client_for):
    client = client_for("staff")
    url = reverse("cohorts:emails", args=[world.cohort.slug])
    queue(world, "m:0")
    small, _ = count_queries(client, url)
    for n in range(1, 50):
        queue(world, f"m:{n}", to_email=f"p{n}@pantry.example")
    large, response = count_queries(client, url)
    assert large == small
    assert "Subject m:49" in response.content.decode()


def test_a_failed_digest_shows_on_the_page_of_each_cohort_it_gathered(world, client_for, settings):
    """A digest belongs to no cohort; when it fails, the cohort's messages it gathered say
    so, and sending it again is one click away."""
    preferences.save_preferences("pat@pantry.example", deliveries={KIND: Delivery.DAILY})
    held = queue(world, "m:held")
    assert held.state == State.HELD
    digests.daily_digests.run(NOW + timedelta(days=1))
    digest = OutboxMessage.objects.get(kind="digest")
    assert digest.cohort_ref is None
    OutboxMessage.objects.filter(pk=digest.pk).update(
        state=State.FAILED, last_error="SMTPDataError: 554"
    )

    client = client_for("staff")
    url = reverse("cohorts:emails", args=[world.cohort.slug])
    page = client.get(url).content.decode()
    assert "1 email could not be sent." in page
    assert "Its digest failed" in page
    assert f'name="message" value="{digest.pk}"' in page

    client.post(reverse("cohorts:emails-retry", args=[world.cohort.slug]), {"message": digest.pk})
    digest.refresh_from_db()
    assert digest.state == State.PENDING
    assert "Its digest failed" not in client.get(url).content.decode()
