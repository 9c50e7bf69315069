"""Meeting reminders: when they fall due (daylight-saving changes included), who gets them,
that each member gets exactly one however many sweeps run, that a moved meeting is reminded
again, and what the email says."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from cohorts.models import Activity
from copkit import outbox
from copkit.celery import app
from copkit.models import OutboxMessage
from planning.meetings.services import reminders as services
from planning.models import Meeting, MeetingSettings
from tests import factories

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
MINUTE = timedelta(minutes=1)


def local(year, month, day, hour, minute=0, zone=NEW_YORK):
    return datetime(year, month, day, hour, minute, tzinfo=zone)


def utc(year, month, day, hour, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def reminders(meeting=None):
    messages = OutboxMessage.objects.filter(kind="meeting_reminder").order_by("key")
    if meeting is not None:
        messages = messages.filter(key__startswith=f"meeting-reminder:{meeting.pk}:")
    return list(messages)


def recipients(meeting=None):
    return sorted(message.to_email for message in reminders(meeting))


@pytest.fixture
def members(world):
    return sorted([world.leader_participant.email, world.participant_participant.email])


# -- when a reminder is due --


def test_due_24_hours_before_after_the_spring_change(world, members, wake):
    """Tuesday March 10, 2026, 7 p.m. in New York is 23:00 UTC (EDT since March 8);
    its reminder is due at 23:00 UTC on March 9."""
    meeting = factories.MeetingFactory(community=world.community, starts_at=local(2026, 3, 10, 19))
    assert meeting.starts_at == utc(2026, 3, 10, 23)
    assert services.queue_due_reminders(now=utc(2026, 3, 9, 23) - MINUTE) == 0
    assert recipients() == []
    assert services.queue_due_reminders(now=utc(2026, 3, 9, 23)) == 2
    assert recipients(meeting) == members


def test_a_lead_across_the_spring_change_is_24_real_hours(world, wake):
    """Sunday March 8, 2026, 7 p.m. EDT (23:00 UTC): 24 hours before is 6 p.m. EST on the
    Saturday, the clocks having gone forward in between."""
    factories.MeetingFactory(community=world.community, starts_at=local(2026, 3, 8, 19))
    assert services.queue_due_reminders(now=utc(2026, 3, 7, 23) - MINUTE) == 0
    assert services.queue_due_reminders(now=utc(2026, 3, 7, 23)) == 2
    assert utc(2026, 3, 7, 23).astimezone(NEW_YORK).hour == 18


def test_due_24_hours_before_after_the_autumn_change(world, wake):
    """Tuesday November 3, 2026, 7 p.m. EST (back from EDT on November 1) is 00:00 UTC on
    November 4; its reminder is due at 00:00 UTC on November 3."""
    meeting = factories.MeetingFactory(community=world.community, starts_at=local(2026, 11, 3, 19))
    assert meeting.starts_at == utc(2026, 11, 4, 0)
    assert services.queue_due_reminders(now=utc(2026, 11, 3, 0) - MINUTE) == 0
    assert services.queue_due_reminders(now=utc(2026, 11, 3, 0)) == 2


def test_a_lead_across_the_autumn_change_is_24_real_hours(world, wake):
    """Sunday November 1, 2026, 7 p.m. EST (00:00 UTC November 2): due at 8 p.m. EDT on the
    Saturday, the clocks having gone back in between."""
    factories.MeetingFactory(community=world.community, starts_at=local(2026, 11, 1, 19))
    assert services.queue_due_reminders(now=utc(2026, 11, 1, 0) - MINUTE) == 0
    assert services.queue_due_reminders(now=utc(2026, 11, 1, 0)) == 2
    assert utc(2026, 11, 1, 0).astimezone(NEW_YORK).hour == 20


def test_the_lead_is_the_communitys_own(world, wake):
    MeetingSettings.objects.create(community=world.community, reminder_hours=48)
    start = utc(2026, 6, 10, 17)
    factories.MeetingFactory(community=world.community, starts_at=start)
    assert services.queue_due_reminders(now=start - timedelta(hours=48) - MINUTE) == 0
    assert services.queue_due_reminders(now=start - timedelta(hours=48)) == 2


def test_no_reminders_when_the_community_says_zero_hours(world, wake):
    MeetingSettings.objects.create(community=world.community, reminder_hours=0)
    start = utc(2026, 6, 10, 17)
    factories.MeetingFactory(community=world.community, starts_at=start)
    assert services.queue_due_reminders(now=start - timedelta(hours=1)) == 0
    assert services.queue_due_reminders(now=start - MINUTE) == 0
    assert reminders() == []


def test_a_meeting_made_inside_the_lead_is_reminded_at_once(world, wake):
    start = utc(2026, 6, 10, 17)
    factories.MeetingFactory(community=world.community, starts_at=start)
    assert services.queue_due_reminders(now=start - timedelta(hours=2)) == 2


def test_no_reminder_for_cancelled_past_or_archived(world, wake):
    now = utc(2026, 6, 10, 12)
    factories.MeetingFactory(
        community=world.community, starts_at=now + timedelta(hours=3), cancelled_at=now
    )
    factories.MeetingFactory(community=world.community, starts_at=now - timedelta(hours=1))
    factories.MeetingFactory(community=world.community, starts_at=now)  # starting this minute
    archived = factories.CommunityFactory(cohort=world.cohort, archived_at=now)
    factories.MembershipFactory(community=archived, participant=world.participant_participant)
    factories.MeetingFactory(community=archived, starts_at=now + timedelta(hours=3))
    assert services.queue_due_reminders(now=now) == 0
    assert reminders() == []
    # A meeting of the same community that is due is reminded: the rule, not the setup,
    # kept the others quiet.
    factories.MeetingFactory(community=world.community, starts_at=now + timedelta(hours=3))
    assert services.queue_due_reminders(now=now) == 2


# -- who gets one, and how many --


def test_a_member_who_turned_reminders_off_gets_none(world, wake):
    world.member_membership.meeting_reminders = False
    world.member_membership.save()
    meeting = factories.MeetingFactory(community=world.community, starts_at=utc(2026, 6, 10, 17))
    assert services.queue_due_reminders(now=utc(2026, 6, 10, 12)) == 1
    assert recipients(meeting) == [world.leader_participant.email]


def test_only_members_of_the_meetings_community(world, wake):
    other = factories.CommunityFactory(cohort=world.cohort)
    outsider = factories.MembershipFactory(community=other).participant
    meeting = factories.MeetingFactory(community=world.community, starts_at=utc(2026, 6, 10, 17))
    services.queue_due_reminders(now=utc(2026, 6, 10, 12))
    assert outsider.email not in recipients(meeting)
    assert len(recipients(meeting)) == 2


def test_exactly_one_per_member_however_many_sweeps(world, members, wake):
    meeting = factories.MeetingFactory(community=world.community, starts_at=utc(2026, 6, 10, 17))
    now = utc(2026, 6, 10, 12)
    assert services.queue_due_reminders(now=now) == 2
    assert services.queue_due_reminders(now=now) == 0
    assert services.queue_due_reminders(now=now + timedelta(hours=1)) == 0
    assert recipients() == members
    meeting.refresh_from_db()
    assert meeting.reminded_at == now
    assert [m.key for m in reminders()] == sorted(
        f"meeting-reminder:{meeting.pk}:0:{p.pk}"
        for p in (world.leader_participant, world.participant_participant)
    )
    activity = Activity.objects.get(verb="sent meeting reminders")
    assert activity.data == {"count": 2}


def test_a_sweep_that_loses_the_claim_queues_nothing(world, wake):
    """Two sweeps read the same due meeting; the second one's claim changes no row."""
    factories.MeetingFactory(community=world.community, starts_at=utc(2026, 6, 10, 17))
    now = utc(2026, 6, 10, 12)
    seen_by_first = services.due_meetings(now)
    seen_by_second = services.due_meetings(now)
    assert [m.pk for m in seen_by_first] == [m.pk for m in seen_by_second]
    assert services._claim_and_queue(seen_by_first[0], now) == 2
    assert services._claim_and_queue(seen_by_second[0], now) == 0
    assert len(reminders()) == 2


def test_a_meeting_changed_after_it_was_read_is_left_for_the_next_sweep(world, wake):
    meeting = factories.MeetingFactory(community=world.community, starts_at=utc(2026, 6, 10, 17))
    now = utc(2026, 6, 10, 12)
    (seen,) = services.due_meetings(now)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=utc(2026, 6, 10, 18), sequence=meeting.sequence + 1
    )
    assert services._claim_and_queue(seen, now) == 0
    assert reminders() == []
    assert services.queue_due_reminders(now=now) == 2
    assert all(m.key.startswith(f"meeting-reminder:{meeting.pk}:1:") for m in reminders())


def test_a_moved_meeting_is_reminded_again(world, members, wake):
    meeting = factories.MeetingFactory(community=world.community, starts_at=utc(2026, 6, 10, 17))
    assert services.queue_due_reminders(now=utc(2026, 6, 10, 12)) == 2

    # What the meetings service does when a meeting moves: a new time, sequence + 1,
    # reminded_at cleared.
    meeting.starts_at = utc(2026, 6, 17, 17)
    meeting.sequence += 1
    meeting.reminded_at = None
    meeting.save()

    assert services.queue_due_reminders(now=utc(2026, 6, 10, 13)) == 0  # not due yet
    assert services.queue_due_reminders(now=utc(2026, 6, 16, 17)) == 2
    keys = [m.key for m in reminders(meeting)]
    assert len(keys) == 4
    assert sum(f":{meeting.pk}:1:" in key for key in keys) == 2
    assert sorted(m.to_email for m in reminders(meeting) if f":{meeting.pk}:1:" in m.key) == (
        members
    )
    assert any("Wed, Jun 17" in m.subject for m in reminders(meeting))


# -- the email --


def test_the_email_gives_the_local_time_with_its_zone(
    world, wake, django_capture_on_commit_callbacks
):
    MeetingSettings.objects.create(community=world.community, location="Library, room 2")
    meeting = factories.MeetingFactory(
        community=world.community,
        title="Board roles & duties",
        starts_at=local(2026, 3, 10, 19),
        agenda="Welcome\nWho does what on a board",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.queue_due_reminders(now=utc(2026, 3, 9, 23)) == 2
    assert wake.call_count == 1  # the outbox sweep is woken after commit

    outbox.send_due()
    assert len(mail.outbox) == 2
    email = next(e for e in mail.outbox if e.to == [world.participant_participant.email])
    assert email.subject == "Reminder: Board roles & duties, Tue, Mar 10, 7:00 p.m. EDT"
    body = email.body
    assert "Hello Pat Participant," in body
    assert "Board Builders meets soon" in body
    assert "Tuesday, March 10, 2026, 7:00 p.m. EDT" in body
    assert "Board roles & duties" in body  # no HTML escaping in the text part
    assert "Library, room 2" in body
    assert "Who does what on a board" in body
    kwargs = {"cohort_slug": world.cohort.slug, "community_slug": world.community.slug}
    assert settings.SITE_URL + meeting.get_absolute_url() in body
    ics = reverse("planning:meeting-ics", kwargs={**kwargs, "meeting_id": meeting.public_id})
    assert settings.SITE_URL + ics in body
    assert "To stop reminders for this community" in body
    assert settings.SITE_URL + reverse("planning:meetings", kwargs=kwargs) in body
    html = email.alternatives[0][0]
    assert "Tuesday, March 10, 2026, 7:00 p.m. EDT" in html
    assert "Board roles &amp; duties" in html
    assert "Turn off reminders for this community" in html


def test_the_email_uses_the_communitys_time_zone(world, wake):
    MeetingSettings.objects.create(community=world.community, time_zone="America/Los_Angeles")
    factories.MeetingFactory(community=world.community, starts_at=local(2026, 11, 3, 19))
    services.queue_due_reminders(now=utc(2026, 11, 3, 0))
    (message, _) = reminders()
    assert "Tuesday, November 3, 2026, 4:00 p.m. PST" in message.body_text


def test_the_email_after_the_autumn_change_says_est(world, wake):
    factories.MeetingFactory(community=world.community, starts_at=local(2026, 11, 3, 19))
    services.queue_due_reminders(now=utc(2026, 11, 3, 0))
    assert all("Tuesday, November 3, 2026, 7:00 p.m. EST" in m.body_text for m in reminders())


# -- the periodic task --


def test_the_beat_sweeps_at_least_every_five_minutes(world, wake):
    """Meeting reminders run in the beat's one later-work task; two runs remind once."""
    app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE["run-later-work"]
    assert entry["schedule"] <= timedelta(minutes=5)
    task = app.tasks[entry["task"]]
    factories.MeetingFactory(
        community=world.community,
        starts_at=(datetime.now(UTC) + timedelta(hours=2)).replace(microsecond=0),
    )
    result = task.apply()
    assert result.successful()
    assert len(reminders()) == 2
    assert task.apply().successful()
    assert len(reminders()) == 2
