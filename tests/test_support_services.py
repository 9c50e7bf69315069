"""The leaders' circle's background work and services: convening reminders (due a day
before, once however many sweeps run, again after a move, never for a cancelled one), posts
that notify the other leaders only when they commit, convenings in a leader's calendar feed,
and a schedule that keeps its local hour across a daylight-saving change."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cohorts.models import Membership
from copkit import later
from copkit.errors import ServiceError
from copkit.models import OutboxMessage
from planning.models import CalendarFeed, CirclePost, Convening
from planning.support.services import convenings as services
from planning.support.services import discussion, reminders
from tests import factories

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
START = datetime(2027, 4, 6, 19, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


@pytest.fixture
def leaders(world):
    """Lee leads Board Builders; a co-leader leads a second community; an archived
    community's leader is no longer in the circle."""
    second = factories.CommunityFactory(cohort=world.cohort, name="Governance Circle")
    co = factories.MembershipFactory(community=second, role=Membership.Role.CO_LEADER)
    gone = factories.CommunityFactory(cohort=world.cohort, archived_at=START - timedelta(days=90))
    factories.MembershipFactory(community=gone, role=Membership.Role.LEADER)
    return sorted([world.leader_participant.email, co.participant.email])


def convening(world, starts_at=START, **kwargs):
    values = {"title": "Leaders' circle", **kwargs}
    return Convening.objects.create(cohort=world.cohort, starts_at=starts_at, **values)


def reminder_emails(kind="convening_reminder"):
    return sorted(m.to_email for m in OutboxMessage.objects.filter(kind=kind))


def test_the_circle_is_the_leaders_of_active_communities(world, leaders):
    assert sorted(p.email for p in services.leaders(world.cohort)) == leaders


def test_reminders_go_a_day_before_once(world, leaders):
    item = convening(world)
    sweep = reminders.convening_reminders
    assert sweep.run(START - timedelta(hours=24) - MINUTE).queued == 0
    assert sweep.run(START - timedelta(hours=24)).queued == 2
    assert sweep.run(START - timedelta(hours=23)).queued == 0  # claimed already
    assert later.run_all(START - timedelta(hours=22))  # every sweep runs; nothing new
    assert reminder_emails() == leaders
    keys = set(OutboxMessage.objects.values_list("key", flat=True))
    assert f"convening_reminder:{item.pk}:0:{world.leader_participant.pk}" in keys


def test_a_moved_convening_is_reminded_again_and_a_cancelled_one_never(world, leaders):
    item = convening(world)
    reminders.convening_reminders.run(START - timedelta(hours=2))
    services.update_convening(item, actor=None, changes={"starts_at": START + timedelta(days=1)})
    assert item.sequence == 1 and item.reminded_at is None
    reminders.convening_reminders.run(START + timedelta(hours=2))
    assert len(reminder_emails()) == 4  # again, under the new sequence's keys
    off = convening(world, starts_at=START + timedelta(days=7), cancelled_at=START)
    assert reminders.due_convenings(off.starts_at - timedelta(hours=1)) == []


def test_the_reminder_reads_in_the_cohorts_zone(world, leaders):
    world.cohort.time_zone = "America/New_York"
    world.cohort.save()
    convening(world, agenda="Welcome\nGo-around")
    reminders.convening_reminders.run(START - timedelta(hours=1))
    message = OutboxMessage.objects.filter(kind="convening_reminder").first()
    assert "3:00 p.m. EDT" in message.body_text  # 19:00 UTC in April
    assert "Go-around" in message.body_text
    assert message.subject.startswith("Reminder: Leaders' circle")


def test_a_post_notifies_the_other_leaders(world, leaders):
    post = discussion.create_post(world.cohort, author=world.leader, title="Hi", body="Hello")
    assert reminder_emails("circle_post") == [e for e in leaders if e != world.leader.email]
    # Queued again (a retried request), nothing new is queued.
    assert discussion.notify_leaders(post) == 0


def test_a_post_that_rolls_back_queues_nothing(world, leaders):
    with pytest.raises(RuntimeError), transaction.atomic():
        discussion.create_post(world.cohort, author=world.staff, title="Hi", body="Hello")
        raise RuntimeError("the request failed after the post")
    assert not CirclePost.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_staff_posting_notifies_every_leader(world, leaders):
    discussion.create_post(world.cohort, author=world.staff, title="Agenda ideas", body="Tell us")
    assert reminder_emails("circle_post") == leaders


@pytest.mark.parametrize(
    ("title", "body", "field"),
    [
        ("", "x", "title"),
        ("x", "  ", "body"),
        ("x" * 201, "x", "title"),
        ("x", "y" * 10001, "body"),
    ],
)
def test_the_service_refuses_bad_posts_with_the_field(world, title, body, field):
    with pytest.raises(ServiceError) as refused:
        discussion.create_post(world.cohort, author=world.leader, title=title, body=body)
    assert refused.value.field == field
    assert not CirclePost.objects.exists()


def test_only_the_author_may_edit(world):
    post = discussion.create_post(world.cohort, author=world.leader, title="Hi", body="Hello")
    with pytest.raises(ServiceError):
        discussion.edit_post(post, actor=world.staff, title="Hi", body="Changed")
    assert discussion.edit_post(post, actor=world.leader, title="Hi", body="Changed") == ["body"]


def feed_events(client, participant):
    feed = CalendarFeed.objects.create(participant=participant)
    response = client.get(reverse("calendar-feed", kwargs={"token": feed.token}))
    assert response.status_code == 200
    return [str(event["summary"]) for event in Calendar.from_ical(response.content).walk("VEVENT")]


def test_a_leaders_calendar_feed_holds_the_convenings(world, client):
    soon = timezone.now() + timedelta(days=5)
    convening(world, starts_at=soon, title="May circle")
    convening(world, starts_at=soon + timedelta(days=1), title="Off", cancelled_at=soon)
    assert feed_events(client, world.leader_participant) == ["May circle", "Cancelled: Off"]
    assert feed_events(client, world.participant_participant) == []  # a member: none


def test_a_monthly_schedule_keeps_its_local_hour_across_the_clock_change(world):
    world.cohort.time_zone = "America/New_York"
    world.cohort.save()
    rule = {
        "first_date": date(2027, 2, 1),
        "frequency": "monthly",
        "weekday": 1,
        "week_of_month": "2",
        "start_time": time(14, 0),
        "length_minutes": 60,
        "until": date(2027, 4, 30),
    }
    created, skipped = services.schedule_convenings(
        world.cohort, actor=world.staff, rule=rule, mode="virtual"
    )
    assert skipped == []
    local = [c.starts_at.astimezone(NEW_YORK) for c in created]
    assert [(d.month, d.day, d.hour) for d in local] == [(2, 9, 14), (3, 9, 14), (4, 13, 14)]
    assert [c.starts_at.hour for c in created] == [19, 19, 18]  # EST, EST, EDT
    _again, skipped = services.schedule_convenings(
        world.cohort, actor=world.staff, rule=rule, mode="virtual"
    )
    assert len(skipped) == 3


def test_attendance_refuses_people_who_lead_nothing(world):
    item = convening(world, starts_at=START)
    outsider = str(world.participant_participant.public_id)
    leader = str(world.leader_participant.public_id)
    with pytest.raises(ServiceError):
        services.record_attendance(
            item, actor=world.staff, statuses={leader: "present", outsider: "present"}, now=START
        )
    assert not item.attendance.exists()
    saved = services.record_attendance(
        item, actor=world.staff, statuses={leader: "present"}, now=START
    )
    assert saved == 1


def test_a_reply_tells_the_thread_but_not_the_one_replying(world, leaders):
    post = discussion.create_post(world.cohort, author=world.leader, title="Hi", body="Hello")
    OutboxMessage.objects.all().delete()
    first = discussion.reply(post, author=world.staff, body="Welcome")
    assert reminder_emails("circle_post") == [world.leader.email]
    message = OutboxMessage.objects.get()
    assert message.key == f"circle_reply:{first.pk}:{world.leader.pk}"
    assert "Sam Staff replied to “Hi”" in message.subject
    assert "Welcome" in message.body_text
    OutboxMessage.objects.all().delete()
    discussion.reply(post, author=world.leader, body="Thanks")
    assert reminder_emails("circle_post") == [world.staff.email]
