"""Calendars: a meeting's .ics file, each person's secret feed (parsed by a real iCalendar
parser), making a new feed address, the "My calendar" page and the reminder on/off switch."""

from datetime import UTC, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cohorts.models import Activity, Membership
from planning.models import CalendarFeed, MeetingSettings
from tests import factories
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")


def parse(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = Calendar.from_ical(response.content)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"])
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["METHOD"]) == "PUBLISH"
    return cal


def events(cal):
    return {str(event["UID"]): event for event in cal.walk("VEVENT")}


def uid(meeting):
    return f"{meeting.public_id}@copkit"


def ics_url(world, meeting):
    return reverse(
        "planning:meeting-ics",
        args=[world.cohort.slug, meeting.community.slug, meeting.public_id],
    )


def feed_url(participant):
    feed, _ = CalendarFeed.objects.get_or_create(participant=participant)
    return reverse("calendar-feed", kwargs={"token": feed.token})


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def local(year, month, day, hour, minute=0, zone=NEW_YORK):
    return datetime(year, month, day, hour, minute, tzinfo=zone)


def frozen_at(moment):
    """Make "now" `moment` (the feed shows meetings from 60 days before now)."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


# -- one meeting's .ics file --


def test_meeting_ics_holds_the_meeting(world, client_for):
    MeetingSettings.objects.create(community=world.community, location="Library, room 2")
    meeting = factories.MeetingFactory(
        community=world.community,
        title="Board roles, part 2; bring notes",
        starts_at=local(2026, 3, 10, 19),
        duration_minutes=90,
        agenda="Welcome, check-in\nBoard roles; who does what\nNext steps \\ wrap-up",
        sequence=3,
    )
    response = client_for("participant").get(ics_url(world, meeting))
    cal = parse(response)
    assert str(cal["X-WR-CALNAME"]) == "Board Builders"
    assert response["Content-Disposition"] == (
        'attachment; filename="board-roles-part-2-bring-notes-2026-03-10.ics"'
    )
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == uid(meeting)
    assert int(event["SEQUENCE"]) == 3
    start = event.decoded("DTSTART")
    assert start == meeting.starts_at
    assert start.utcoffset() == timedelta(0)
    assert start == datetime(2026, 3, 10, 23, 0, tzinfo=UTC)  # 7 p.m. EDT
    assert event.decoded("DTEND") == meeting.starts_at + timedelta(minutes=90)
    assert b"DTSTART:20260310T230000Z" in response.content
    # Commas, semicolons, backslashes and line breaks survive the round trip.
    assert str(event["SUMMARY"]) == "Board roles, part 2; bring notes · Board Builders"
    description = str(event["DESCRIPTION"])
    assert meeting.agenda in description
    meeting_page = "http://testserver" + meeting.get_absolute_url()
    assert meeting_page in description
    assert str(event["URL"]) == meeting_page
    assert str(event["LOCATION"]) == "Library, room 2"  # the community's usual place
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event.decoded("LAST-MODIFIED") == meeting.updated_at.replace(microsecond=0)
    assert event.decoded("DTSTAMP").utcoffset() == timedelta(0)


def test_meeting_ics_prefers_the_meetings_own_place(world, client_for):
    MeetingSettings.objects.create(community=world.community, location="Library, room 2")
    meeting = factories.MeetingFactory(
        community=world.community, location="https://meet.example/board"
    )
    (event,) = parse(client_for("staff").get(ics_url(world, meeting))).walk("VEVENT")
    assert str(event["LOCATION"]) == "https://meet.example/board"


def test_meeting_ics_only_through_its_own_community(world, client_for):
    other = factories.CommunityFactory(cohort=world.cohort)
    meeting = factories.MeetingFactory(community=other)
    url = reverse(
        "planning:meeting-ics", args=[world.cohort.slug, world.community.slug, meeting.public_id]
    )
    client = client_for("staff")
    assert client.get(url).status_code == 404
    # The same meeting through its own community is there.
    assert client.get(ics_url(world, meeting)).status_code == 200


def test_times_follow_daylight_saving(world, client_for):
    """7 p.m. in New York the week before and the week after the clocks change (Sunday
    March 8, 2026) are different hours in UTC; each event carries its own instant."""
    before = factories.MeetingFactory(community=world.community, starts_at=local(2026, 3, 3, 19))
    after = factories.MeetingFactory(community=world.community, starts_at=local(2026, 3, 10, 19))
    autumn = factories.MeetingFactory(community=world.community, starts_at=local(2026, 11, 3, 19))
    url = feed_url(world.participant_participant)
    with frozen_at(datetime(2026, 2, 1, tzinfo=UTC)):
        response = client_for("participant").get(url)
    found = events(parse(response))
    assert found[uid(before)].decoded("DTSTART") == datetime(2026, 3, 4, 0, 0, tzinfo=UTC)
    assert found[uid(after)].decoded("DTSTART") == datetime(2026, 3, 10, 23, 0, tzinfo=UTC)
    assert found[uid(autumn)].decoded("DTSTART") == datetime(2026, 11, 4, 0, 0, tzinfo=UTC)
    for meeting in (before, after, autumn):
        start = found[uid(meeting)].decoded("DTSTART")
        assert start.astimezone(NEW_YORK).hour == 19
    assert b"RRULE" not in response.content


# -- the personal feed --


def test_feed_holds_every_meeting_of_the_persons_active_communities(world, client):
    now = timezone.now()
    second = factories.CommunityFactory(cohort=world.cohort, name="Fundraisers")
    factories.MembershipFactory(community=second, participant=world.participant_participant)
    archived = factories.CommunityFactory(cohort=world.cohort, archived_at=now)
    factories.MembershipFactory(community=archived, participant=world.participant_participant)
    not_mine = factories.CommunityFactory(cohort=world.cohort)

    upcoming = factories.MeetingFactory(community=world.community, title="Upcoming")
    recent = factories.MeetingFactory(community=world.community, starts_at=now - timedelta(days=59))
    cancelled = factories.MeetingFactory(
        community=second, starts_at=now + timedelta(days=3), cancelled_at=now, sequence=1
    )
    old = factories.MeetingFactory(community=world.community, starts_at=now - timedelta(days=61))
    in_archived = factories.MeetingFactory(community=archived)
    elsewhere = factories.MeetingFactory(community=not_mine)

    # No login: calendar apps cannot log in; the token is the key.
    response = client.get(feed_url(world.participant_participant))
    cal = parse(response)
    assert response["Cache-Control"] == "private, max-age=300"
    assert "Riverbend Capacity Cohort" in str(cal["X-WR-CALNAME"])
    found = events(cal)
    assert set(found) == {uid(upcoming), uid(recent), uid(cancelled)}
    assert uid(old) not in found
    assert uid(in_archived) not in found
    assert uid(elsewhere) not in found
    assert str(found[uid(upcoming)]["STATUS"]) == "CONFIRMED"
    assert str(found[uid(cancelled)]["STATUS"]) == "CANCELLED"
    assert int(found[uid(cancelled)]["SEQUENCE"]) == 1
    assert str(found[uid(cancelled)]["SUMMARY"]).startswith("Cancelled: ")
    assert str(found[uid(upcoming)]["SUMMARY"]) == "Upcoming · Board Builders"
    assert "Fundraisers" in str(found[uid(cancelled)]["SUMMARY"])


def test_a_changed_meeting_keeps_its_uid_with_a_higher_sequence(world, client):
    meeting = factories.MeetingFactory(community=world.community, starts_at=local(2026, 3, 10, 19))
    url = feed_url(world.participant_participant)
    with frozen_at(datetime(2026, 3, 1, tzinfo=UTC)):
        first = events(parse(client.get(url)))[uid(meeting)]
    assert int(first["SEQUENCE"]) == 0

    # What the meetings service does when a meeting moves: a new time, sequence + 1.
    meeting.starts_at = local(2026, 3, 12, 18, 30)
    meeting.sequence += 1
    meeting.reminded_at = None
    meeting.save()

    with frozen_at(datetime(2026, 3, 2, tzinfo=UTC)):
        cal = parse(client.get(url))
    assert len(cal.walk("VEVENT")) == 1
    moved = events(cal)[uid(meeting)]
    assert str(moved["UID"]) == str(first["UID"])
    assert int(moved["SEQUENCE"]) == 1 > int(first["SEQUENCE"])
    assert moved.decoded("DTSTART") == datetime(2026, 3, 12, 22, 30, tzinfo=UTC)
    assert moved.decoded("LAST-MODIFIED") >= first.decoded("LAST-MODIFIED")


def test_unknown_token_is_404(world, client):
    assert client.get(reverse("calendar-feed", kwargs={"token": "nope"})).status_code == 404
    assert client.get(feed_url(world.participant_participant)).status_code == 200


def test_feed_query_count_is_flat(world, client):
    url = feed_url(world.participant_participant)
    factories.MeetingFactory(community=world.community)

    def count():
        with CaptureQueriesContext(connection) as queries:
            parse(client.get(url))
        return len(queries)

    one = count()
    MeetingSettings.objects.create(community=world.community, location="Hall")
    for i in range(49):
        community = factories.CommunityFactory(cohort=world.cohort)
        factories.MembershipFactory(community=community, participant=world.participant_participant)
        if i % 2:
            MeetingSettings.objects.create(community=community, time_zone="America/Chicago")
        cancelled_at = timezone.now() if i % 3 else None
        factories.MeetingFactory(community=community, cancelled_at=cancelled_at)
    assert len(parse(client.get(url)).walk("VEVENT")) == 50
    assert count() == one


# -- My calendar: the address, making a new one --


def test_my_calendar_makes_the_feed_on_first_visit_and_shows_its_address(world, client_for):
    url = reverse("planning:my-calendar", args=[world.cohort.slug])
    client = client_for("participant")
    assert not CalendarFeed.objects.filter(participant=world.participant_participant).exists()
    response = client.get(url)
    assert response.status_code == 200
    feed = CalendarFeed.objects.get(participant=world.participant_participant)
    content = response.content.decode()
    path = reverse("calendar-feed", kwargs={"token": feed.token})
    assert f"http://testserver{path}" in content
    assert f"webcal://testserver{path}" in content
    assert "anyone who has it can see your meetings" in content
    assert "Make a new address" in content
    # A second visit keeps the same address.
    client.get(url)
    assert CalendarFeed.objects.get(participant=world.participant_participant).token == feed.token


def test_my_calendar_lists_next_meetings_in_local_time_and_reminder_switches(world, client_for):
    MeetingSettings.objects.create(community=world.community, reminder_hours=48)
    second = factories.CommunityFactory(cohort=world.cohort, name="Fundraisers")
    factories.MembershipFactory(
        community=second, participant=world.participant_participant, meeting_reminders=False
    )
    start = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    factories.MeetingFactory(community=world.community, title="Roles talk", starts_at=start)
    factories.MeetingFactory(
        community=world.community, title="Long ago", starts_at=start - timedelta(days=30)
    )
    response = client_for("participant").get(
        reverse("planning:my-calendar", args=[world.cohort.slug])
    )
    content = response.content.decode()
    assert "Roles talk" in content
    assert "Long ago" not in content
    zone = start.astimezone(NEW_YORK).tzname()
    assert zone in {"EST", "EDT"}
    assert f"{zone}</td>" in content
    assert "You get an email 48 hours before each meeting." in content
    assert "Turn on reminders" in content  # Fundraisers: off
    assert content.count("Turn off reminders") == 1  # Board Builders: on


def test_my_calendar_query_count_is_flat(world, client_for):
    url = reverse("planning:my-calendar", args=[world.cohort.slug])
    client = client_for("participant")
    factories.MeetingFactory(community=world.community)
    client.get(url)  # the feed is made on the first visit

    def count():
        return count_queries(client, url)[0]

    one = count()
    for i in range(49):
        community = factories.CommunityFactory(cohort=world.cohort)
        factories.MembershipFactory(community=community, participant=world.participant_participant)
        if i % 2:
            MeetingSettings.objects.create(community=community)
        factories.MeetingFactory(community=community)
    assert count() == one


def test_make_a_new_address_retires_the_old_one_at_once(world, client_for):
    client = client_for("participant")
    old = feed_url(world.participant_participant)
    assert client.get(old).status_code == 200
    response = client.post(reverse("planning:calendar-reset", args=[world.cohort.slug]))
    assert response.status_code == 302
    assert response.url == reverse("planning:my-calendar", args=[world.cohort.slug])
    assert any("new address" in m for m in messages_of(response))
    assert client.get(old).status_code == 404
    new = feed_url(world.participant_participant)
    assert new != old
    assert client.get(new).status_code == 200
    assert Activity.objects.filter(
        cohort=world.cohort, actor=world.participant, verb="made a new calendar address"
    ).exists()
    # The page now shows the new address only.
    content = client.get(reverse("planning:my-calendar", args=[world.cohort.slug])).content
    assert new.encode() in content and old.encode() not in content


def test_staff_have_no_calendar_of_their_own(world, client_for):
    url = reverse("planning:my-calendar", args=[world.cohort.slug])
    assert client_for("staff").get(url).status_code == 403
    assert not CalendarFeed.objects.exists()


# -- turning meeting reminders on and off --


def reminders_url(world, community=None):
    community = community or world.community
    return reverse("planning:meeting-reminders", args=[world.cohort.slug, community.slug])


def meetings_url(world):
    return reverse("planning:meetings", args=[world.cohort.slug, world.community.slug])


def test_member_turns_reminders_off_and_on(world, client_for):
    client = client_for("participant")
    response = client.post(reminders_url(world), {"action": "off"})
    assert response.status_code == 302
    assert response.url == meetings_url(world)
    assert any("Reminders for Board Builders are off" in m for m in messages_of(response))
    world.member_membership.refresh_from_db()
    assert world.member_membership.meeting_reminders is False
    # Only Pat's own membership changed.
    world.leader_membership.refresh_from_db()
    assert world.leader_membership.meeting_reminders is True
    assert Activity.objects.filter(verb="turned meeting reminders off").count() == 1

    response = client.post(reminders_url(world), {"action": "on"})
    assert any("You will get an email" in m for m in messages_of(response))
    world.member_membership.refresh_from_db()
    assert world.member_membership.meeting_reminders is True


def test_reminder_switch_without_a_choice_changes_nothing(world, client_for):
    client = client_for("participant")
    response = client.post(reminders_url(world), {"action": "maybe"})
    assert response.status_code == 302
    assert any("Choose whether" in m for m in messages_of(response))
    assert Membership.objects.get(pk=world.member_membership.pk).meeting_reminders is True


def test_reminder_switch_goes_back_to_a_page_of_this_site_only(world, client_for):
    client = client_for("participant")
    mine = reverse("planning:my-calendar", args=[world.cohort.slug])
    response = client.post(reminders_url(world), {"action": "off", "next": mine})
    assert response.url == mine
    response = client.post(reminders_url(world), {"action": "on", "next": "https://evil.example/"})
    assert response.url == meetings_url(world)


def test_staff_hold_no_reminders_to_switch(world, client_for):
    response = client_for("staff").post(reminders_url(world), {"action": "off"})
    assert response.status_code == 403
    # A member making the same request is answered.
    client = client_for("leader")
    assert client.post(reminders_url(world), {"action": "off"}).status_code == 302
    world.leader_membership.refresh_from_db()
    assert world.leader_membership.meeting_reminders is False
