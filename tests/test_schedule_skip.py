"""The schedule page: dates left out of the preview (one date, or a whole month), the place
or call link asked for on the schedule form and kept on the meetings and the settings, and
a calendar title that names the community once."""

from datetime import date, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from planning.meetings import ical
from planning.meetings.services import meetings as services
from planning.models import Meeting, MeetingSettings
from tests import factories

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
RULE = {
    "first_date": date(2026, 6, 1),
    "frequency": "monthly",
    "weekday": 1,
    "week_of_month": "2",
    "start_time": time(19),
    "length_minutes": 90,
    "until": date(2026, 9, 30),
}  # second Tuesdays: June 9, July 14, August 11, September 8


def url(name, world, *args):
    return reverse(f"planning:{name}", args=[world.cohort.slug, world.community.slug, *args])


def local_days(meetings):
    return sorted(m.starts_at.astimezone(NEW_YORK).date() for m in meetings)


def schedule_post(**changes):
    data = {
        "first_date": "2026-06-01",
        "frequency": "monthly",
        "week_of_month": "2",
        "weekday": "1",
        "start_time": "19:00",
        "length_minutes": "90",
        "mode": "virtual",
        "until": "2026-09-30",
        "location": "",
    }
    data.update(changes)
    return data


OFFERED = ["2026-06-09", "2026-07-14", "2026-08-11", "2026-09-08"]


def test_the_service_leaves_out_the_dates_it_is_told(world):
    created, skipped = services.create_from_schedule(
        world.community,
        actor=world.leader,
        rule=RULE,
        mode="virtual",
        agenda="",
        leave_out={date(2026, 7, 14)},
    )
    assert local_days(created) == [date(2026, 6, 9), date(2026, 8, 11), date(2026, 9, 8)]
    assert skipped == []


def test_the_preview_offers_each_date_and_each_month_to_untick(world, client_for):
    page = (
        client_for("leader")
        .post(url("meeting-schedule", world), schedule_post(action="preview"))
        .content.decode()
    )
    for day in OFFERED:
        assert f'name="keep" value="{day}"' in page
        assert f'name="offered" value="{day}"' in page
    assert 'data-select-group="2026-07"' in page
    assert "July 2026" in page
    assert "Create these 4 meetings" in page


def test_unticked_dates_are_not_created_and_stay_unticked_in_a_new_preview(world, client_for):
    client = client_for("leader")
    kept = [day for day in OFFERED if day != "2026-07-14"]
    preview = client.post(
        url("meeting-schedule", world),
        schedule_post(action="preview", offered=OFFERED, keep=kept),
    ).content.decode()
    assert 'value="2026-07-14" id="keep-2026-07-14" form="schedule-form" data-group="2026-07">' in (
        preview
    )  # unticked: no "checked"
    assert "Create these 3 meetings" in preview
    response = client.post(
        url("meeting-schedule", world),
        schedule_post(action="create", offered=OFFERED, keep=kept),
    )
    assert response.status_code == 302
    assert local_days(Meeting.objects.all()) == [
        date(2026, 6, 9),
        date(2026, 8, 11),
        date(2026, 9, 8),
    ]


def test_every_date_unticked_creates_nothing_and_says_why(world, client_for):
    response = client_for("leader").post(
        url("meeting-schedule", world), schedule_post(action="create", offered=OFFERED)
    )
    assert response.status_code == 200
    assert "Every date is unticked" in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_schedule_form_asks_where_and_keeps_it(world, client_for):
    client = client_for("leader")
    page = client.get(url("meeting-schedule", world)).content.decode()
    assert 'name="location"' in page
    response = client.post(
        url("meeting-schedule", world),
        schedule_post(action="create", location="https://meet.example/board-builders"),
    )
    assert response.status_code == 302
    assert set(Meeting.objects.values_list("location", flat=True)) == {
        "https://meet.example/board-builders"
    }
    settings_row = MeetingSettings.objects.get(community=world.community)
    assert settings_row.location == "https://meet.example/board-builders"
    detail = client.get(url("meeting-detail", world, Meeting.objects.first().public_id))
    assert "not set yet" not in detail.content.decode()


def test_the_schedule_form_starts_from_the_usual_place(world, client_for):
    MeetingSettings.objects.create(community=world.community, location="Library, room 2")
    page = client_for("leader").get(url("meeting-schedule", world)).content.decode()
    assert 'value="Library, room 2"' in page


def test_the_calendar_title_names_the_community_once(world):
    meeting = factories.MeetingFactory(
        community=world.community, title=services.default_title(world.community)
    )
    assert ical.summary(meeting) == "Board Builders meeting"
    other = factories.MeetingFactory(community=world.community, title="Budget night")
    assert ical.summary(other) == "Budget night · Board Builders"
