"""Digests: held messages gathered into one email per period, each message going out once,
in the digest or on its own, never both."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from copkit import digests, later, outbox, preferences
from copkit.models import Delivery, EmailSettings, OutboxMessage

State = OutboxMessage.State
KIND = "meeting_reminder"
OTHER = "survey_reminder"
# Tuesday 10 March 2026, 15:00 UTC = 10:00 in Chicago (CDT, UTC-5).
TUESDAY = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def queue(key, due_at, to_email="ana@example.org", kind=KIND, subject="Board meeting"):
    return outbox.enqueue(
        key=key,
        kind=kind,
        to_email=to_email,
        template="account",  # a plain template: subject and body from the context
        context={"subject": subject, "body": f"About {subject}."},
        due_at=due_at,
    )


@pytest.fixture
def daily(db, settings):
    settings.TIME_ZONE = "America/Chicago"
    preferences.save_preferences("ana@example.org", deliveries={KIND: Delivery.DAILY})
    return EmailSettings.objects.get(email="ana@example.org")


def test_the_period_begins_at_the_digest_hour_in_the_recipients_zone():
    chicago = digests.zoneinfo.ZoneInfo("America/Chicago")
    # 10:00 in Chicago: today's period began at 07:00 there (12:00 UTC).
    assert digests.period_start(TUESDAY, chicago, Delivery.DAILY) == utc(2026, 3, 10, 12)
    # 06:00 in Chicago: still yesterday's period.
    assert digests.period_start(utc(2026, 3, 10, 11), chicago, Delivery.DAILY) == utc(
        2026, 3, 9, 12
    )
    # Weekly: Monday 07:00; on a Monday before 07:00, the Monday before.
    assert digests.period_start(TUESDAY, chicago, Delivery.WEEKLY) == utc(2026, 3, 9, 12)
    assert digests.period_start(utc(2026, 3, 9, 11), chicago, Delivery.WEEKLY) == utc(
        2026, 3, 2, 13
    )  # 07:00 CST, before the DST change of 8 March


def test_held_messages_are_never_sent_alone(daily):
    queue("m:1", TUESDAY - timedelta(hours=2))
    assert outbox.send_due(TUESDAY)["sent"] == 0
    assert mail.outbox == []


def test_a_daily_digest_gathers_what_came_due_and_each_message_goes_once(daily):
    # Due before this morning's 07:00 in Chicago (12:00 UTC), and one after it.
    first = queue("m:1", utc(2026, 3, 9, 20), subject="Board meeting")
    second = queue("m:2", utc(2026, 3, 10, 13), subject="Budget meeting")
    later_one = queue("m:3", utc(2026, 3, 10, 18), subject="Next week")
    preferences.save_preferences("ana@example.org", deliveries={OTHER: Delivery.DAILY})
    third = queue("m:4", utc(2026, 3, 10, 9), kind=OTHER, subject="Survey reminder")

    # Before 07:00 in Chicago nothing is gathered.
    assert digests.daily_digests.run(utc(2026, 3, 10, 11, 59)).queued == 0
    swept = digests.daily_digests.run(TUESDAY)
    assert swept.queued == 1

    digest = OutboxMessage.objects.get(kind="digest")
    for message in (first, second, third):
        message.refresh_from_db()
        assert (message.state, message.digest_id) == (State.DIGESTED, digest.pk)
    later_one.refresh_from_db()
    assert later_one.state == State.HELD  # not due yet: the next digest
    assert "3 messages" in digest.subject
    assert digest.key == f"digest-daily:{daily.pk}:2026-03-10"
    for subject in ("Board meeting", "Budget meeting", "Survey reminder"):
        assert subject in digest.body_text
    assert "Next week" not in digest.body_text

    # A second run in the same period, or a second process, gathers nothing more.
    assert digests.daily_digests.run(TUESDAY + timedelta(hours=1)).queued == 0
    assert outbox.send_due(TUESDAY)["sent"] == 1
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]

    # The next morning, the one left is gathered into a new digest.
    tomorrow = utc(2026, 3, 11, 12, 5)
    assert digests.daily_digests.run(tomorrow).queued == 1
    later_one.refresh_from_db()
    assert later_one.state == State.DIGESTED
    assert OutboxMessage.objects.filter(kind="digest").count() == 2


def test_a_weekly_digest_waits_for_monday(db, settings):
    settings.TIME_ZONE = "America/Chicago"
    preferences.save_preferences("ana@example.org", deliveries={KIND: Delivery.WEEKLY})
    queue("m:1", TUESDAY)
    sunday = utc(2026, 3, 15, 15)
    assert digests.weekly_digests.run(sunday).queued == 0
    monday = utc(2026, 3, 16, 12)  # 07:00 CDT
    assert digests.weekly_digests.run(monday).queued == 1
    assert digests.daily_digests.run(monday).queued == 0  # held for the weekly one only


def test_the_recipients_own_zone_sets_the_hour(daily):
    preferences.save_preferences("ana@example.org", deliveries={}, time_zone="Asia/Tokyo")
    queue("m:1", utc(2026, 3, 9, 0))
    # 07:00 in Tokyo is 22:00 UTC the day before.
    assert digests.daily_digests.run(utc(2026, 3, 9, 21, 59)).queued == 0
    assert digests.daily_digests.run(utc(2026, 3, 9, 22)).queued == 1


def test_two_sweeps_that_read_the_same_row_send_one_digest(daily):
    queue("m:1", utc(2026, 3, 9, 20))
    rows = digests.daily_digests.due(TUESDAY)
    assert len(rows) == 1
    # Both processes read the row before either claims it.
    first = digests.daily_digests.take(rows[0], TUESDAY)
    second = digests.daily_digests.take(rows[0], TUESDAY)
    assert (first, second) == (1, None)
    assert OutboxMessage.objects.filter(kind="digest").count() == 1


def test_a_failing_digest_rolls_back_its_claim_and_keeps_the_messages_held(daily, monkeypatch):
    message = queue("m:1", utc(2026, 3, 9, 20))

    def broken(**kwargs):
        raise RuntimeError("template missing")

    monkeypatch.setattr(outbox, "enqueue", broken)
    assert digests.daily_digests.run(TUESDAY).failed == 1
    monkeypatch.undo()
    message.refresh_from_db()
    assert message.state == State.HELD
    daily.refresh_from_db()
    assert daily.daily_digest_at is None
    assert digests.daily_digests.run(TUESDAY).queued == 1


def test_the_digest_sweeps_run_with_every_later_work(daily):
    queue("m:1", utc(2026, 3, 9, 20))
    names = {result.name: result for result in later.run_all(TUESDAY)}
    assert names["daily digests"].queued == 1
    assert names["weekly digests"].queued == 0
