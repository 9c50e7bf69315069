"""Messages in Chromium: a member opens the settings link of a meeting reminder on a phone
(no password), chooses the daily digest, and the next reminder comes in the digest; staff
find a failed email on the cohort's Emails page and send it again."""

import os
import re
import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

from copkit import digests, later, outbox
from copkit.models import Delivery, EmailSettings, OutboxMessage
from tests import factories
from tests.browser.conftest import assert_no_horizontal_scroll, check_a11y, login, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect
State = OutboxMessage.State


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({"lee@pantry.example": (550, b"mailbox full")})


def shot(page, name):
    """Save a screenshot when COPKIT_SHOTS_DIR is set (to look at the pages)."""
    directory = os.environ.get("COPKIT_SHOTS_DIR")
    if directory:
        page.screenshot(path=f"{directory}/{name}.png", full_page=True)


def test_a_member_chooses_the_daily_digest_from_a_reminder_on_a_phone(
    world, live_server, phone_page, sweeps, settings
):
    settings.SITE_URL = live_server.url
    now = timezone.now()
    factories.MeetingFactory(community=world.community, starts_at=now + timedelta(hours=3))
    later.run_all(now)
    outbox.send_due()
    reminder = next(m for m in mail.outbox if m.to == [world.participant.email])
    assert reminder.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.search(r"(http\S+/emails/[^/\s]+/)\n", reminder.body).group(1)

    page = phone_page
    page.goto(link)  # no login: the link is the key
    expect(page.get_by_role("heading", level=1)).to_have_text("Email settings")
    expect(page.locator("main")).to_contain_text(world.participant.email)
    check_a11y(page, "email settings (by link, phone)")
    assert_no_horizontal_scroll(page)
    shot(page, "messages-settings-phone")
    page.get_by_label("Meeting reminders").select_option("daily")
    submit(page, page.get_by_role("button", name="Save my email settings"))
    expect(page.locator(".alert-success")).to_contain_text("Your email settings are saved.")
    expect(page.get_by_label("Meeting reminders")).to_have_value("daily")

    # The header's one-click link, opened in a browser, asks before it stops anything.
    stop = reminder.extra_headers["List-Unsubscribe"].strip("<>")
    page.goto(stop.replace("/meeting_reminder/", "/survey_reminder/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Stop emails")
    check_a11y(page, "stop emails (phone)")
    shot(page, "messages-stop-phone")
    submit(page, page.get_by_role("button", name="Stop them"))
    expect(page.locator("main")).to_contain_text("Survey reminders")
    check_a11y(page, "emails stopped (phone)")

    # The next reminder is held, then comes in the next morning's digest.
    factories.MeetingFactory(community=world.community, starts_at=now + timedelta(hours=5))
    later.run_all(now)
    held = OutboxMessage.objects.get(to_email=world.participant.email, state=State.HELD)
    row = EmailSettings.objects.get(email=world.participant.email)
    morning = digests.period_start(
        now + timedelta(days=1), digests.zone_of(row), Delivery.DAILY
    ) + timedelta(minutes=1)
    digests.daily_digests.run(morning)
    mail.outbox.clear()
    outbox.send_due(morning)
    # Lee gets the second reminder at once; Pat gets it in one digest.
    pats = [m for m in mail.outbox if m.to == [world.participant.email]]
    assert [m.subject for m in pats] == ["Your daily copkit digest: 1 message"]
    assert held.subject in pats[0].body
    held.refresh_from_db()
    assert held.state == State.DIGESTED


def test_staff_send_a_failed_email_again_from_the_emails_page(
    world, live_server, page, new_page, sweeps, settings
):
    settings.EMAIL_BACKEND = "tests.browser.test_messages_pages.FailingBackend"
    outbox.enqueue(
        key="plan-reviewed:test",
        kind="plan_reviewed",
        to_email="lee@pantry.example",
        template="account",
        context={
            "subject": "Your action plan was approved",
            "body": "Well done.",
            "cohort": world.cohort,
        },
    )
    outbox.enqueue(
        key="meeting:test",
        kind="meeting_reminder",
        to_email="pat@pantry.example",
        template="account",
        context={"subject": "Reminder: Board meeting", "body": "Soon.", "cohort": world.cohort},
    )
    now = timezone.now()
    for _attempt in range(settings.OUTBOX_MAX_ATTEMPTS):
        outbox.send_due(now)
        now += timedelta(hours=1)
    assert OutboxMessage.objects.filter(state=State.FAILED).count() == 2
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboxMessage.objects.filter(key="meeting:test").update(
        state=State.SENT, sent_at=timezone.now(), last_error=""
    )

    login(page, live_server, world.staff.email, world.password)
    page.goto(live_server.url + reverse("cohorts:emails", args=[world.cohort.slug]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Emails")
    expect(page.get_by_role("alert")).to_contain_text("1 email could not be sent.")
    expect(page.locator("tbody tr").first).to_contain_text("mailbox full")
    check_a11y(page, "emails (staff)")
    shot(page, "messages-emails-desktop")

    phone = new_page("phone")
    login(phone, live_server, world.staff.email, world.password)
    phone.goto(live_server.url + reverse("cohorts:emails", args=[world.cohort.slug]))
    check_a11y(phone, "emails (staff, phone)")
    assert_no_horizontal_scroll(phone)
    shot(phone, "messages-emails-phone")

    submit(page, page.get_by_role("button", name="Send again lee@pantry.example"))
    expect(page.locator(".alert-success")).to_contain_text("1 email goes out again now.")
    assert outbox.send_due()["sent"] == 1
    assert [m.to for m in mail.outbox] == [["lee@pantry.example"]]
    page.reload()
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.locator("tbody")).to_contain_text("Sent")

    # Staff's own email settings, from the home page.
    page.goto(live_server.url + reverse("home"))
    submit(page, page.get_by_role("link", name="Choose which emails you get, and how often"))
    expect(page.locator("main")).to_contain_text(world.staff.email)
    check_a11y(page, "my email settings (staff)")
    shot(page, "messages-my-settings-desktop")
