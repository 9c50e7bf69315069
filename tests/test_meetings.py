"""Meetings: the schedule created from the plan, one-off meetings, changes that calendars
and reminders rely on (sequence, reminded_at), attendance, the settings, and the pages."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Activity
from cohorts.services.cohorts import ServiceError
from planning.meetings.services import meetings as services
from planning.models import Attendance, Meeting, MeetingSettings
from planning.plans import parts as plan_parts
from tests import factories
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")

RULE = {
    "first_date": date(2026, 9, 1),
    "frequency": "monthly",
    "weekday": 1,
    "week_of_month": "2",
    "start_time": time(19),
    "length_minutes": 90,
    "until": date(2026, 12, 31),
}


def url(name, world, *args):
    return reverse(f"planning:{name}", args=[world.cohort.slug, world.community.slug, *args])


def local_days(meetings, zone=NEW_YORK):
    return [m.starts_at.astimezone(zone).date() for m in meetings]


def write_plan(community, **parts):
    plan = factories.ActionPlanFactory(community=community)
    for key, data in parts.items():
        factories.PlanPartFactory(plan=plan, key=key, data=data)
    return plan


LOGISTICS = {
    "frequency": "monthly",
    "week_of_month": "2",
    "weekday": "1",
    "start_time": "19:00",
    "length_minutes": 90,
    "mode": "virtual",
}


def past_meeting(world, **kwargs):
    return factories.MeetingFactory(
        community=world.community, starts_at=timezone.now() - timedelta(days=3), **kwargs
    )


# -- the schedule ---------------------------------------------------------------------------


def test_create_from_schedule_skips_days_that_already_have_a_meeting(world):
    MeetingSettings.objects.create(community=world.community, location="https://meet.example/bb")
    existing = factories.MeetingFactory(
        community=world.community,
        title="Kick-off",
        starts_at=datetime(2026, 10, 13, 14, 0, tzinfo=UTC),  # 10 a.m. on the second Tuesday
    )
    created, skipped = services.create_from_schedule(
        world.community, actor=world.leader, rule=RULE, mode="virtual", agenda="Welcome\nWork"
    )
    assert local_days(created) == [date(2026, 9, 8), date(2026, 11, 10), date(2026, 12, 8)]
    assert local_days(Meeting.objects.filter(pk__in=[m.pk for m in created])) == local_days(created)
    assert [s.astimezone(NEW_YORK).date() for s in skipped] == [date(2026, 10, 13)]
    meeting = Meeting.objects.get(starts_at=datetime(2026, 9, 8, 23, 0, tzinfo=UTC))
    assert meeting.title == "Board Builders meeting"
    assert meeting.location == "https://meet.example/bb"
    assert meeting.agenda == "Welcome\nWork"
    assert meeting.duration_minutes == 90
    assert meeting.mode == "virtual"
    assert meeting.created_by == world.leader
    # November and December are in standard time: still 7 p.m. locally.
    assert Meeting.objects.filter(starts_at=datetime(2026, 11, 11, 0, 0, tzinfo=UTC)).exists()
    existing.refresh_from_db()
    assert existing.title == "Kick-off"
    settings_row = MeetingSettings.objects.get(community=world.community)
    assert settings_row.schedule["week_of_month"] == "2"
    assert services.describe_rule(settings_row.schedule) == (
        "Monthly, second Tuesday, 7:00 p.m., 90 minutes, virtual"
    )
    activity = Activity.objects.get(verb="scheduled meetings of")
    assert activity.data["created"] == 3 and activity.data["skipped"] == 1

    # Running it again creates nothing new.
    again, skipped_again = services.create_from_schedule(
        world.community, actor=world.leader, rule=RULE, mode="virtual", agenda=""
    )
    assert again == [] and len(skipped_again) == 4
    assert world.community.meetings.count() == 4


def test_schedule_follows_the_community_time_zone(world):
    MeetingSettings.objects.create(community=world.community, time_zone="America/Chicago")
    created, _skipped = services.create_from_schedule(
        world.community, actor=world.leader, rule=RULE, mode="in_person", agenda=""
    )
    assert created[0].starts_at == datetime(2026, 9, 9, 0, 0, tzinfo=UTC)  # 7 p.m. CDT
    assert created[-1].starts_at == datetime(2026, 12, 9, 1, 0, tzinfo=UTC)  # 7 p.m. CST


def test_the_meeting_zone_defaults_to_the_deployments_zone_when_the_row_is_made(settings):
    settings.TIME_ZONE = "America/Chicago"
    assert MeetingSettings().time_zone == "America/Chicago"
    settings.TIME_ZONE = "Europe/Paris"
    assert MeetingSettings().time_zone == "Europe/Paris"


def test_the_plan_fills_the_schedule_and_the_agenda(world):
    write_plan(
        world.community,
        logistics={**LOGISTICS, "frequency": "quarterly", "week_of_month": "last"},
        schedule={"first_meeting": "2026-10-01"},
        agenda={"agenda": "Round of news\nOne member's practice"},
    )
    answers = services.plan_answers(world.community)
    initial = services.schedule_initial(world.community, answers)
    assert initial["first_date"] == date(2026, 10, 1)
    assert initial["frequency"] == "quarterly"
    assert initial["week_of_month"] == "last"
    assert initial["start_time"] == time(19)
    assert initial["until"] == world.cohort.ends_on
    assert services.plan_agenda(answers) == "Round of news\nOne member's practice"
    assert services.describe_plan(answers) == (
        "Every three months, last Tuesday, 7:00 p.m., 90 minutes, virtual"
    )


def test_without_a_plan_the_default_agenda_and_defaults_are_used(world):
    answers = services.plan_answers(world.community)
    assert services.plan_agenda(answers) == str(plan_parts.DEFAULT_AGENDA)
    initial = services.schedule_initial(world.community, answers, today=date(2026, 8, 1))
    assert initial["first_date"] == world.cohort.starts_on
    assert services.describe_plan(answers) == ""


# -- changing a meeting ---------------------------------------------------------------------


def test_moving_a_meeting_bumps_the_sequence_and_clears_the_reminder(world):
    meeting = factories.MeetingFactory(community=world.community, reminded_at=timezone.now())
    new_start = meeting.starts_at + timedelta(days=1)
    changed = services.update_meeting(
        meeting, actor=world.leader, changes={"starts_at": new_start, "title": meeting.title}
    )
    assert changed == ["starts_at"]
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert meeting.reminded_at is None
    assert meeting.starts_at == new_start
    assert Activity.objects.filter(verb="changed a meeting of").exists()


@pytest.mark.parametrize(
    ("changes", "bumps"),
    [
        ({"location": "Room 4, Riverbend Library"}, True),
        ({"duration_minutes": 60}, True),
        ({"mode": "in_person"}, True),
        ({"title": "Special session"}, True),
        ({"notes": "We agreed to share our volunteer forms."}, False),
        ({"agenda": "One item"}, False),
    ],
)
def test_which_changes_reach_calendars(world, changes, bumps):
    reminded = timezone.now()
    meeting = factories.MeetingFactory(community=world.community, reminded_at=reminded)
    services.update_meeting(meeting, actor=world.leader, changes=changes)
    meeting.refresh_from_db()
    assert meeting.sequence == (1 if bumps else 0)
    assert meeting.reminded_at == reminded  # only a new start sends the reminder again


def test_cancel_and_restore_each_bump_the_sequence(world):
    meeting = factories.MeetingFactory(community=world.community)
    assert services.update_meeting(meeting, actor=world.leader, changes={}, cancelled=True) == [
        "cancelled_at"
    ]
    assert meeting.is_cancelled and meeting.sequence == 1
    assert Activity.objects.filter(verb="cancelled a meeting of").exists()
    services.update_meeting(meeting, actor=world.leader, changes={}, cancelled=False)
    assert not meeting.is_cancelled and meeting.sequence == 2
    # Nothing changed: no bump, no record.
    count = Activity.objects.count()
    same = {"title": meeting.title, "starts_at": meeting.starts_at}
    assert services.update_meeting(meeting, actor=world.leader, changes=same, cancelled=False) == []
    meeting.refresh_from_db()
    assert meeting.sequence == 2
    assert Activity.objects.count() == count


def test_the_sequence_increment_is_done_in_the_database(world):
    meeting = factories.MeetingFactory(community=world.community)
    stale = Meeting.objects.get(pk=meeting.pk)
    services.update_meeting(meeting, actor=world.leader, changes={"title": "A"})
    services.update_meeting(stale, actor=world.leader, changes={"title": "B"})
    meeting.refresh_from_db()
    assert meeting.sequence == 2 and meeting.title == "B"


# -- attendance -----------------------------------------------------------------------------


def test_attendance_is_upserted_for_members(world):
    meeting = past_meeting(world)
    pat, lee = world.participant_participant, world.leader_participant
    services.record_attendance(
        meeting,
        actor=world.leader,
        statuses={str(pat.public_id): "absent", str(lee.public_id): "present"},
    )
    services.record_attendance(
        meeting, actor=world.leader, statuses={str(pat.public_id): "excused"}
    )
    rows = dict(meeting.attendance.values_list("participant__name", "status"))
    assert rows == {"Pat Participant": "excused", "Lee Leader": "present"}
    assert Activity.objects.filter(verb="recorded attendance at a meeting of").count() == 2


def test_attendance_refuses_anyone_not_a_member_and_saves_nothing(world):
    meeting = past_meeting(world)
    outsider = factories.ParticipantFactory(cohort=world.cohort)  # in the cohort, not the COP
    statuses = {
        str(world.participant_participant.public_id): "present",
        str(outsider.public_id): "present",
    }
    with pytest.raises(ServiceError, match="members of this community"):
        services.record_attendance(meeting, actor=world.leader, statuses=statuses)
    assert not Attendance.objects.exists()
    with pytest.raises(ServiceError, match="present, absent or excused"):
        services.record_attendance(
            meeting,
            actor=world.leader,
            statuses={str(world.participant_participant.public_id): "asleep"},
        )
    # The valid part alone goes through.
    del statuses[str(outsider.public_id)]
    assert services.record_attendance(meeting, actor=world.leader, statuses=statuses) == 1


def test_attendance_waits_for_the_meeting_and_not_for_a_cancelled_one(world):
    future = factories.MeetingFactory(community=world.community)
    statuses = {str(world.participant_participant.public_id): "present"}
    with pytest.raises(ServiceError, match="once the meeting has started"):
        services.record_attendance(future, actor=world.leader, statuses=statuses)
    cancelled = past_meeting(world, cancelled_at=timezone.now())
    with pytest.raises(ServiceError, match="cancelled"):
        services.record_attendance(cancelled, actor=world.leader, statuses=statuses)
    soon = factories.MeetingFactory(
        community=world.community, starts_at=timezone.now() + timedelta(minutes=10)
    )
    assert services.record_attendance(soon, actor=world.leader, statuses=statuses) == 1
    assert not Attendance.objects.filter(meeting__in=[future, cancelled]).exists()


# -- pages ----------------------------------------------------------------------------------


def test_schedule_page_is_filled_from_the_plan(world, client_for):
    write_plan(world.community, logistics=LOGISTICS, schedule={"first_meeting": "2026-09-01"})
    response = client_for("leader").get(url("meeting-schedule", world))
    form = response.context["form"]
    assert form["frequency"].value() == "monthly"
    assert form["week_of_month"].value() == "2"
    assert form["first_date"].value() == date(2026, 9, 1)
    assert form["until"].value() == date(2027, 6, 30)
    assert "Filled in from your action plan" in response.content.decode()


def schedule_post(**changes):
    data = {
        "first_date": "2026-09-01",
        "frequency": "monthly",
        "week_of_month": "2",
        "weekday": "1",
        "start_time": "19:00",
        "length_minutes": "90",
        "mode": "virtual",
        "until": "2026-12-31",
    }
    data.update(changes)
    return data


def test_schedule_preview_then_create(world, client_for):
    client = client_for("leader")
    response = client.post(url("meeting-schedule", world), schedule_post(action="preview"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Monthly, second Tuesday, 7:00 p.m., 90 minutes, virtual" in page
    assert "Tuesday, September 8, 2026, 7:00 p.m. EDT" in page
    assert "Tuesday, December 8, 2026, 7:00 p.m. EST" in page
    assert "Create these 4 meetings" in page
    assert not Meeting.objects.exists()

    response = client.post(url("meeting-schedule", world), schedule_post(action="create"))
    assert response.status_code == 302
    assert response["Location"] == url("meetings", world)
    assert local_days(Meeting.objects.all()) == [
        date(2026, 9, 8),
        date(2026, 10, 13),
        date(2026, 11, 10),
        date(2026, 12, 8),
    ]
    assert Meeting.objects.first().agenda == str(plan_parts.DEFAULT_AGENDA)
    page = client.get(url("meetings", world)).content.decode()
    assert "4 meetings created." in page
    assert "Monthly, second Tuesday, 7:00 p.m., 90 minutes, virtual" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"week_of_month": ""}, "week_of_month", "Choose the week of the month"),
        ({"until": "2026-08-01"}, "until", "on or after the first date"),
        ({"length_minutes": "5"}, "length_minutes", "at least 15 minutes"),
        ({"start_time": "25:00"}, "start_time", "Enter a valid time"),
        ({"first_date": ""}, "first_date", "Give the date of the first meeting"),
        ({"frequency": "weekly", "until": "2029-01-31"}, "until", "more than 120 meetings"),
        ({"until": "2026-09-02"}, "until", "No meeting falls between these dates"),
        ({"until": "2031-01-01"}, "until", "at most three years"),
    ],
)
def test_schedule_bad_input_shows_field_errors_and_creates_nothing(
    world, client_for, changes, field, message
):
    response = client_for("leader").post(
        url("meeting-schedule", world), schedule_post(action="create", **changes)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in error for error in errors), errors
    assert not Meeting.objects.exists()


def test_settings_page_validates_and_saves(world, client_for):
    client = client_for("leader")
    page = client.get(url("meeting-settings", world))
    assert page.context["form"]["time_zone"].value() == "America/New_York"
    assert not MeetingSettings.objects.exists()  # reading makes no row
    bad = client.post(
        url("meeting-settings", world),
        {"time_zone": "Mars/Olympus_Mons", "location": "", "reminder_hours": "200"},
    )
    assert bad.status_code == 200
    assert "time_zone" in bad.context["form"].errors
    assert "reminder_hours" in bad.context["form"].errors
    assert not MeetingSettings.objects.exists()
    response = client.post(
        url("meeting-settings", world),
        {
            "time_zone": "America/Denver",
            "location": "Zoom: https://zoom.example/j/1",
            "reminder_hours": "48",
        },
    )
    assert response.status_code == 302
    row = MeetingSettings.objects.get(community=world.community)
    assert (row.time_zone, row.location, row.reminder_hours) == (
        "America/Denver",
        "Zoom: https://zoom.example/j/1",
        48,
    )
    assert Activity.objects.filter(verb="changed the meeting settings of").exists()


def test_one_off_meeting_is_created_in_local_time(world, client_for):
    MeetingSettings.objects.create(community=world.community, time_zone="Europe/London")
    write_plan(world.community, agenda={"agenda": "News\nPractice"})
    client = client_for("staff")
    form = client.get(url("meeting-create", world)).context["form"]
    assert form["agenda"].value() == "News\nPractice"
    assert form["title"].value() == "Board Builders meeting"
    response = client.post(
        url("meeting-create", world),
        {
            "title": "Budget clinic",
            "date": "2026-07-14",
            "start_time": "18:30",
            "duration_minutes": "60",
            "mode": "in_person",
            "location": "Riverbend Library, room 2",
            "agenda": "  Budgets  \n\nQuestions",
        },
    )
    meeting = Meeting.objects.get(title="Budget clinic")
    assert response["Location"] == url("meeting-detail", world, meeting.public_id)
    assert meeting.starts_at == datetime(2026, 7, 14, 17, 30, tzinfo=UTC)  # 18:30 BST
    assert meeting.agenda == "Budgets\nQuestions"
    assert meeting.sequence == 0

    bad = client.post(url("meeting-create", world), {"title": "", "date": "14/07/2026"})
    assert bad.status_code == 200
    assert set(bad.context["form"].errors) >= {"title", "date", "start_time", "duration_minutes"}
    assert Meeting.objects.count() == 1


def test_editing_moves_the_meeting_and_cancels_it(world, client_for):
    meeting = factories.MeetingFactory(
        community=world.community,
        starts_at=datetime(2026, 10, 13, 23, 0, tzinfo=UTC),
        reminded_at=timezone.now(),
    )
    client = client_for("leader")
    form = client.get(url("meeting-edit", world, meeting.public_id)).context["form"]
    assert form["date"].value() == date(2026, 10, 13)
    assert form["start_time"].value() == time(19)
    data = {
        "title": meeting.title,
        "date": "2026-10-20",
        "start_time": "19:00",
        "duration_minutes": "90",
        "mode": meeting.mode,
        "location": "",
        "agenda": "",
        "notes": "",
    }
    response = client.post(url("meeting-edit", world, meeting.public_id), data, follow=True)
    assert "calendars will pick up the change" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.starts_at == datetime(2026, 10, 20, 23, 0, tzinfo=UTC)
    assert meeting.sequence == 1 and meeting.reminded_at is None

    client.post(url("meeting-edit", world, meeting.public_id), {**data, "notes": "Good turnout."})
    meeting.refresh_from_db()
    assert meeting.notes == "Good turnout." and meeting.sequence == 1

    response = client.post(
        url("meeting-edit", world, meeting.public_id), {**data, "cancelled": "on"}, follow=True
    )
    meeting.refresh_from_db()
    assert meeting.is_cancelled and meeting.sequence == 2
    assert "The meeting is cancelled" in response.content.decode()

    bad = client.post(
        url("meeting-edit", world, meeting.public_id), {**data, "duration_minutes": "999"}
    )
    assert "duration_minutes" in bad.context["form"].errors
    meeting.refresh_from_db()
    assert meeting.duration_minutes == 90


def test_another_communitys_meeting_is_not_found(world, client_for):
    other = factories.CommunityFactory(cohort=world.cohort)
    meeting = factories.MeetingFactory(community=other)
    client = client_for("leader")
    assert client.get(url("meeting-detail", world, meeting.public_id)).status_code == 404
    assert client.get(url("meeting-edit", world, meeting.public_id)).status_code == 404
    response = client.post(url("meeting-attendance", world, meeting.public_id), {})
    assert response.status_code == 404


def test_detail_page_for_the_leader_asks_for_attendance_and_records_it(world, client_for):
    meeting = past_meeting(world, agenda="Welcome\nOur goals", notes="We met at the pantry.")
    client = client_for("leader")
    page = client.get(url("meeting-detail", world, meeting.public_id)).content.decode()
    assert "Attendance for this meeting is not recorded yet" in page
    assert "<li>Welcome</li>" in page and "<li>Our goals</li>" in page
    assert "We met at the pantry." in page
    pat, lee = world.participant_participant, world.leader_participant
    response = client.post(
        url("meeting-attendance", world, meeting.public_id),
        {f"p-{pat.public_id}": "present", f"p-{lee.public_id}": "excused"},
        follow=True,
    )
    page = response.content.decode()
    assert "Attendance saved: 1 present, 0 absent, 1 excused." in page
    assert "not recorded yet" not in page
    assert f'value="present" id="id_p-{pat.public_id}_0" checked' in page
    assert dict(meeting.attendance.values_list("participant", "status")) == {
        pat.pk: "present",
        lee.pk: "excused",
    }


def test_attendance_for_someone_else_is_refused(world, client_for):
    meeting = past_meeting(world)
    stranger = factories.ParticipantFactory(cohort=world.cohort)
    client = client_for("leader")
    response = client.post(
        url("meeting-attendance", world, meeting.public_id),
        {
            f"p-{world.participant_participant.public_id}": "present",
            f"p-{stranger.public_id}": "present",
        },
        follow=True,
    )
    assert "only be recorded for members of this community" in response.content.decode()
    assert not Attendance.objects.exists()
    response = client.post(
        url("meeting-attendance", world, meeting.public_id),
        {f"p-{world.participant_participant.public_id}": "late"},
        follow=True,
    )
    assert "Choose present, absent or excused for each member. Nothing was saved." in (
        response.content.decode()
    )
    assert not Attendance.objects.exists()
    # The same request without the stranger goes through.
    client.post(
        url("meeting-attendance", world, meeting.public_id),
        {f"p-{world.participant_participant.public_id}": "present"},
    )
    assert Attendance.objects.count() == 1


def test_members_see_how_many_came_not_who(world, client_for):
    meeting = past_meeting(world)
    Attendance.objects.create(
        meeting=meeting, participant=world.leader_participant, status="present"
    )
    Attendance.objects.create(
        meeting=meeting, participant=world.participant_participant, status="absent"
    )
    page = client_for("participant").get(url("meeting-detail", world, meeting.public_id))
    text = page.content.decode()
    assert "1 member came." in text
    assert "You were marked: Absent." in text
    assert "Lee Leader: Present" not in text
    assert "Save attendance" not in text
    assert "attendance_form" not in page.context


def test_list_page_for_members_and_leaders(world, client_for):
    MeetingSettings.objects.create(community=world.community, location="https://meet.example/bb")
    upcoming = factories.MeetingFactory(
        community=world.community,
        title="October meeting",
        starts_at=timezone.now() + timedelta(days=20),
    )
    cancelled = factories.MeetingFactory(
        community=world.community,
        title="Holiday meeting",
        starts_at=timezone.now() + timedelta(days=40),
        cancelled_at=timezone.now(),
    )
    past = past_meeting(world, title="September meeting")
    member = client_for("participant").get(url("meetings", world))
    assert [m.title for m in member.context["upcoming"]] == ["October meeting", "Holiday meeting"]
    assert [m.title for m in member.context["past"]] == ["September meeting"]
    text = member.content.decode()
    assert reverse("planning:my-calendar", args=[world.cohort.slug]) in text
    assert url("meeting-ics", world, upcoming.public_id) in text
    assert url("meeting-ics", world, cancelled.public_id) not in text
    assert url("meeting-detail", world, past.public_id) in text
    assert "Cancelled" in text
    assert '<a href="https://meet.example/bb"' in text
    assert "Set the schedule" not in text
    assert "Turn off reminders" in text
    leader = client_for("leader").get(url("meetings", world)).content.decode()
    assert "Set the schedule" in leader and "Add a one-off meeting" in leader
    assert "Not recorded" in leader


def test_list_describes_the_plan_before_any_schedule(world, client_for):
    write_plan(world.community, logistics=LOGISTICS)
    text = client_for("participant").get(url("meetings", world)).content.decode()
    assert "The action plan says: Monthly, second Tuesday, 7:00 p.m., 90 minutes, virtual." in text


def test_archived_community_meetings_are_read_only(world, client_for):
    world.community.archived_at = timezone.now()
    world.community.save()
    client = client_for("leader")
    assert client.get(url("meetings", world)).status_code == 200
    response = client.post(url("meeting-schedule", world), schedule_post(action="create"))
    assert response.status_code == 302
    assert not Meeting.objects.exists()


# -- query counts ---------------------------------------------------------------------------


def _grow_meetings(world, n):
    for i in range(n):
        meeting = factories.MeetingFactory(
            community=world.community,
            starts_at=timezone.now() + timedelta(days=i - n // 2),
            cancelled_at=timezone.now() if i % 7 == 3 else None,
        )
        Attendance.objects.create(
            meeting=meeting, participant=world.participant_participant, status="present"
        )


@pytest.mark.parametrize("persona", ["leader", "participant", "staff"])
def test_list_query_count_is_flat(world, client_for, persona):
    MeetingSettings.objects.create(community=world.community)
    write_plan(world.community, logistics=LOGISTICS)
    client = client_for(persona)
    _grow_meetings(world, 1)
    one, _ = count_queries(client, url("meetings", world))
    _grow_meetings(world, 49)
    assert count_queries(client, url("meetings", world))[0] == one


def test_detail_query_count_is_flat_in_members(world, client_for):
    meeting = past_meeting(world)
    client = client_for("leader")
    one, _ = count_queries(client, url("meeting-detail", world, meeting.public_id))
    for _i in range(50):
        person = factories.ParticipantFactory(cohort=world.cohort)
        factories.MembershipFactory(community=world.community, participant=person)
        Attendance.objects.create(meeting=meeting, participant=person, status="absent")
    assert count_queries(client, url("meeting-detail", world, meeting.public_id))[0] == one


def test_saving_an_unchanged_time_keeps_the_stored_instant(world, client_for):
    # 1:30 a.m. EST on November 1 2026: the second 1:30 of the night the clocks go back.
    second = datetime(2026, 11, 1, 6, 30, 15, tzinfo=UTC)
    meeting = factories.MeetingFactory(community=world.community, starts_at=second)
    client = client_for("leader")
    form = client.get(url("meeting-edit", world, meeting.public_id)).context["form"]
    assert (form["date"].value(), form["start_time"].value()) == (date(2026, 11, 1), time(1, 30))
    data = {
        "title": meeting.title,
        "date": "2026-11-01",
        "start_time": "01:30",
        "duration_minutes": "90",
        "mode": meeting.mode,
        "location": "",
        "agenda": "",
        "notes": "Quiet night.",
    }
    client.post(url("meeting-edit", world, meeting.public_id), data)
    meeting.refresh_from_db()
    assert meeting.starts_at == second and meeting.sequence == 0
    assert meeting.notes == "Quiet night."
