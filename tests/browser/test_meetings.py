"""The meetings journey in Chromium: a leader on a laptop sets the schedule from the plan
(monthly, second Tuesday, 90 minutes, virtual), previews and creates it, moves one meeting,
adds a one-off meeting and records attendance; a member on a phone reads the list and a
meeting."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from planning.models import Attendance, Meeting
from tests import factories
from tests.browser.conftest import assert_no_horizontal_scroll, check_a11y, login, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

NEW_YORK = ZoneInfo("America/New_York")
DESCRIPTION = "Monthly, second Tuesday, 7:00 p.m., 90 minutes, virtual"
CSP_MARKER = "Content Security Policy"


def watch_csp(page):
    seen = []
    page.on("console", lambda m: seen.append(m.text) if CSP_MARKER in m.text else None)
    return seen


def test_leader_schedules_moves_adds_and_records_then_a_member_reads_on_a_phone(
    world, live_server, page, phone_page
):
    plan = factories.ActionPlanFactory(community=world.community)
    factories.PlanPartFactory(
        plan=plan,
        key="logistics",
        data={
            "frequency": "weekly",
            "weekday": "3",
            "start_time": "12:00",
            "length_minutes": 60,
            "mode": "call",
        },
    )
    today = timezone.localdate()
    first, until = today - timedelta(days=70), today + timedelta(days=150)
    meetings_url = live_server.url + reverse(
        "planning:meetings", args=[world.cohort.slug, world.community.slug]
    )
    csp = watch_csp(page)

    login(page, live_server, world.leader.email, world.password)
    page.goto(meetings_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Meetings")
    expect(page.locator("#schedule-description")).to_contain_text(
        "The action plan says: Weekly, Thursday, 12:00 p.m., 60 minutes, conference call."
    )
    check_a11y(page, "meetings (leader, none yet)")

    # The schedule page starts from the plan; the leader settles on something else.
    submit(page, page.get_by_role("link", name="Set the schedule"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Meeting schedule")
    expect(page.get_by_label("How often")).to_have_value("weekly")
    expect(page.get_by_label("Start time")).to_have_value("12:00")
    check_a11y(page, "schedule form")
    page.get_by_label("First meeting on or after").fill(first.isoformat())
    page.get_by_label("How often").select_option("monthly")
    page.get_by_label("Which week of the month").select_option(label="Second")
    page.get_by_label("Day of the week").select_option(label="Tuesday")
    page.get_by_label("Start time").fill("19:00")
    page.get_by_label("Length in minutes").fill("90")
    page.get_by_label("Format").select_option(label="Virtual meeting (video)")
    page.get_by_label("Last date").fill(until.isoformat())
    submit(page, page.get_by_role("button", name="Preview the dates"))
    expect(page.locator("#preview-description")).to_have_text(DESCRIPTION)
    dates = page.locator(".schedule-preview li")
    count = dates.count()
    # Second Tuesdays (the 8th to the 14th) from `first` to `until`, counted day by day.
    days = (first + timedelta(days=n) for n in range((until - first).days + 1))
    assert count == sum(1 for day in days if day.weekday() == 1 and 8 <= day.day <= 14)
    expect(dates.first).to_contain_text("Tuesday")
    expect(dates.first).to_contain_text("7:00 p.m.")
    assert not Meeting.objects.exists()
    check_a11y(page, "schedule preview")
    submit(page, page.get_by_role("button", name=f"Create these {count} meetings"))
    expect(page.locator(".messages")).to_contain_text(f"{count} meetings created.")
    expect(page.locator("#schedule-description")).to_have_text(DESCRIPTION)
    created = list(Meeting.objects.order_by("starts_at"))
    assert len(created) == count
    assert {m.starts_at.astimezone(NEW_YORK).hour for m in created} == {19}
    assert {m.starts_at.astimezone(NEW_YORK).weekday() for m in created} == {1}
    check_a11y(page, "meetings (leader, scheduled)")

    # Move the next meeting one day later.
    upcoming = [m for m in created if m.starts_at > timezone.now()]
    moving = upcoming[0]
    local = moving.starts_at.astimezone(NEW_YORK)
    page.locator("section", has=page.get_by_role("heading", name="Coming up")).get_by_role(
        "link"
    ).first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Board Builders meeting")
    submit(page, page.get_by_role("link", name="Edit, move or cancel"))
    expect(page.get_by_label("Date")).to_have_value(local.date().isoformat())
    check_a11y(page, "edit meeting")
    page.get_by_label("Date").fill((local.date() + timedelta(days=1)).isoformat())
    submit(page, page.get_by_role("button", name="Save meeting"))
    expect(page.locator(".messages")).to_contain_text("calendars will pick up the change")
    expect(page.locator(".meeting-facts")).to_contain_text("Wednesday")
    moving.refresh_from_db()
    assert moving.sequence == 1
    assert moving.starts_at.astimezone(NEW_YORK).weekday() == 2
    assert moving.starts_at.astimezone(NEW_YORK).hour == 19
    check_a11y(page, "meeting after the move")

    # A one-off meeting.
    page.goto(meetings_url)
    submit(page, page.get_by_role("link", name="Add a one-off meeting"))
    expect(page.get_by_label("Agenda")).to_contain_text("Welcome and a quick round")
    check_a11y(page, "add a meeting")
    page.get_by_label("Title").fill("Budget clinic")
    page.get_by_label("Date").fill((today + timedelta(days=9)).isoformat())
    page.get_by_label("Start time").fill("10:30")
    page.get_by_label("Length in minutes").fill("60")
    page.get_by_label("Format").select_option(label="In person")
    page.get_by_label("Place or call link").fill("Riverbend Library, room 2")
    submit(page, page.get_by_role("button", name="Add meeting"))
    expect(page.locator(".messages")).to_contain_text("Meeting added.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Budget clinic")
    expect(page.locator(".meeting-facts")).to_contain_text("10:30 a.m.")
    expect(page.locator(".meeting-facts")).to_contain_text("Riverbend Library, room 2")

    # Attendance at the last past meeting.
    page.goto(meetings_url)
    past = page.locator("section", has=page.get_by_role("heading", name="Past meetings"))
    expect(past.get_by_text("Not recorded").first).to_be_visible()
    submit(page, past.get_by_role("link").first)
    expect(page.get_by_role("note")).to_contain_text("not recorded yet")
    check_a11y(page, "past meeting (leader)")
    page.get_by_role("group", name="Pat Participant").get_by_label("Present").check()
    page.get_by_role("group", name="Lee Leader").get_by_label("Excused").check()
    submit(page, page.get_by_role("button", name="Save attendance"))
    expect(page.locator(".messages")).to_contain_text(
        "Attendance saved: 1 present, 0 absent, 1 excused."
    )
    expect(
        page.get_by_role("group", name="Pat Participant").get_by_label("Present")
    ).to_be_checked()
    recorded = Attendance.objects.get(participant=world.participant_participant)
    assert recorded.status == "present"
    check_a11y(page, "past meeting after attendance")

    # A member on a phone.
    phone = phone_page
    csp += watch_csp(phone)
    login(phone, live_server, world.participant.email, world.password)
    phone.goto(meetings_url)
    expect(phone.locator("#schedule-description")).to_have_text(DESCRIPTION)
    expect(
        phone.get_by_role("link", name="Get all your meetings in your own calendar app")
    ).to_be_visible()
    expect(phone.get_by_role("link", name=re.compile("^Add to calendar")).first).to_be_visible()
    expect(phone.get_by_role("link", name="Set the schedule")).to_have_count(0)
    expect(phone.get_by_text("Budget clinic")).to_be_visible()
    check_a11y(phone, "meetings (member, phone)")
    assert_no_horizontal_scroll(phone)
    phone.goto(live_server.url + recorded.meeting.get_absolute_url())
    expect(phone.locator("#attendance")).to_contain_text("1 member came.")
    expect(phone.locator("#attendance")).to_contain_text("You were marked: Present.")
    expect(phone.get_by_role("button", name="Save attendance")).to_have_count(0)
    check_a11y(phone, "meeting (member, phone)")
    assert_no_horizontal_scroll(phone)
    assert not csp, csp
