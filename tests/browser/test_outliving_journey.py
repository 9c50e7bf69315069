"""Outliving the program, end to end in Chromium, with the clock moved forward: staff set the
cohort's transition; on its first day the sweep sends every member the transition message and
the leader finds "Start the sunset plan" at home; the leader writes the sunset plan on a
phone and a laptop and submits it; staff approve it and the community continues on its own;
after the program's end date its leader still adds a meeting and records who came. Toward the
end, staff open the alumni space; a member joins its directory and another member finds her
by her expertise. Last, staff make the cohort's archive, download it, and the test opens it and
checks its contents against the database.

With OUTLIVING_SHOTS set to a folder, the pages are also saved there as screenshots."""

import csv
import datetime
import io
import json
import os
import zipfile
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse

from cohorts.models import Community
from copkit.models import OutboxMessage
from planning.models import ActionPlan, Attendance, Meeting, PlanPart
from planning.sunset import timeline
from planning.sunset.archive import build
from tests.browser.conftest import (
    assert_no_horizontal_scroll,
    check_a11y,
    login,
    menu_link,
    submit,
)
from tests.browser.test_sunset_plan_journey import write_on_a_laptop, write_on_a_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

SHOTS = os.environ.get("OUTLIVING_SHOTS")
UTC = datetime.UTC
# The world's cohort runs from September 1, 2026 to June 30, 2027.
BEFORE = datetime.datetime(2027, 4, 20, 15, tzinfo=UTC)
TRANSITION = datetime.date(2027, 5, 5)
AFTER_THE_END = datetime.datetime(2027, 7, 20, 15, tzinfo=UTC)


def look(page, name, width=1280):
    check_a11y(page, name)
    assert_no_horizontal_scroll(page, width=width)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def cohort_url(live_server, world, name):
    return live_server.url + reverse(name, args=[world.cohort.slug])


def community_url(live_server, world, name, *extra):
    return live_server.url + reverse(name, args=[world.cohort.slug, world.community.slug, *extra])


def set_the_transition(page, live_server, world):
    login(page, live_server, world.staff.email, world.password)
    page.goto(cohort_url(live_server, world, "planning:transition"))
    page.get_by_label("Sunsetting starts on").fill(TRANSITION.isoformat())
    submit(page, page.get_by_role("button", name="Save the timeline"))
    expect(page.locator(".alert-success")).to_contain_text("timeline is saved")
    look(page, "staff-transition")


def approve_the_sunset_plan(page, live_server, world):
    login(page, live_server, world.staff.email, world.password)  # two weeks on: a new session
    page.goto(community_url(live_server, world, "planning:sunset-plan-versions"))
    page.get_by_label("Approve the plan").check()
    submit(page, page.get_by_role("button", name="Save the review"))
    expect(page.locator(".messages")).to_contain_text("now continues on its own")


def hold_a_meeting_after_the_end(page, live_server, world):
    """The leader adds a meeting a week after the program ended, then, the day after it,
    records who came."""
    meeting_day = AFTER_THE_END.date() + datetime.timedelta(days=7)
    page.goto(community_url(live_server, world, "planning:meetings"))
    submit(page, page.get_by_role("link", name="Add a one-off meeting"))
    page.get_by_label("Title").fill("Board swap, summer")
    page.get_by_label("Date").fill(meeting_day.isoformat())
    page.get_by_label("Start time").fill("18:00")
    page.get_by_label("Length in minutes").fill("60")
    page.get_by_label("Format").select_option(label="In person")
    page.get_by_label("Place or call link").fill("Riverbend Library, room 2")
    submit(page, page.get_by_role("button", name="Add meeting"))
    expect(page.locator(".messages")).to_contain_text("Meeting added.")
    meeting = Meeting.objects.get(community=world.community, title="Board swap, summer")
    assert meeting.starts_at.date() >= world.cohort.ends_on
    with time_machine.travel(meeting.starts_at + datetime.timedelta(days=1), tick=True):
        login(page, live_server, world.leader.email, world.password)  # a week on
        page.goto(live_server.url + meeting.get_absolute_url())
        page.get_by_role("group", name="Pat Participant").get_by_label("Present").check()
        page.get_by_role("group", name="Lee Leader").get_by_label("Present").check()
        submit(page, page.get_by_role("button", name="Save attendance"))
        expect(page.locator(".messages")).to_contain_text("Attendance saved: 2 present")
        look(page, "leader-meeting-after-the-end")
    assert Attendance.objects.filter(meeting=meeting, status="present").count() == 2


def open_the_alumni_space(page, live_server, world):
    page.goto(cohort_url(live_server, world, "planning:transition"))
    submit(page, page.get_by_role("link", name="The alumni space"))
    page.get_by_label("Welcome message").fill("Thank you all. Keep learning together!")
    submit(page, page.get_by_role("button", name="Open the space and tell the members"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Alumni space")


def join_the_directory(page, live_server, world):
    login(page, live_server, world.participant.email, world.password)
    page.goto(cohort_url(live_server, world, "planning:alumni"))
    submit(page, page.get_by_role("link", name="Join the directory"))
    page.get_by_label("List me in the alumni directory").check()
    page.get_by_label("Share my email address").check()
    page.get_by_label("Share my expertise").check()
    page.get_by_label("Expertise", exact=True).fill("Board recruitment, volunteer schedules")
    submit(page, page.get_by_role("button", name="Save"))
    expect(page.get_by_text("Your directory entry is saved.")).to_be_visible()
    look(page, "member-directory-entry", width=375)


def find_in_the_directory(page, live_server, world):
    login(page, live_server, world.leader.email, world.password)
    page.goto(cohort_url(live_server, world, "planning:alumni-directory"))
    page.get_by_placeholder("Name, organization or expertise").fill("recruitment")
    submit(page, page.get_by_role("button", name="Search"))
    listing = page.locator(".alumni-directory")
    expect(listing).to_contain_text("Pat Participant")
    expect(listing).to_contain_text(world.participant.email)
    look(page, "leader-directory-search")


def take_everything_along(page, live_server, world):
    """Staff make the cohort's archive (its build run here, as a worker would), download it
    and read it: the sunset plan as agreed, the meetings with their attendance, and the
    directory with only what Pat chose to share."""
    login(page, live_server, world.staff.email, world.password)
    page.goto(cohort_url(live_server, world, "cohorts:dashboard"))
    submit(page, menu_link(page, "Archive"))
    submit(page, page.get_by_role("button", name="Make an archive"))
    download = page.get_by_role("link", name="Download")
    expect(download).to_be_visible(timeout=30_000)
    look(page, "staff-archive-ready")
    with page.expect_download() as info:
        download.click()
    zipped = zipfile.ZipFile(io.BytesIO(Path(info.value.path()).read_bytes()))
    folder = f"communities/{world.community.slug}/"
    sunset = ActionPlan.objects.get(community=world.community, kind="sunset")
    sunset_json = json.loads(zipped.read(folder + "plans/sunset-plan.json"))
    assert sunset_json["parts"] == {
        part.key: part.data for part in PlanPart.objects.filter(plan=sunset)
    }
    assert folder + "plans/sunset-plan.pdf" in zipped.namelist()
    rows = list(
        csv.DictReader(io.StringIO(zipped.read(folder + "meetings/attendance.csv").decode()))
    )
    assert len(rows) == Attendance.objects.filter(meeting__community=world.community).count()
    directory = list(
        csv.DictReader(io.StringIO(zipped.read("cohort/alumni-directory.csv").decode()))
    )
    assert [(row["name"], row["email"], row["phone"]) for row in directory] == [
        ("Pat Participant", world.participant.email, "")
    ]
    assert "MANIFEST.txt" in zipped.namelist()


def test_a_cop_outlives_the_program(world, live_server, new_page, sweeps, monkeypatch):
    # Archives are built where the test can see them: at once, in the live server's thread.
    monkeypatch.setattr(build.build_archive, "delay_on_commit", build.build_archive)
    with time_machine.travel(BEFORE, tick=True):
        staff = new_page("desktop")
        set_the_transition(staff, live_server, world)
        assert timeline.run_nudges()["transition messages"].queued == 0  # not yet

    with time_machine.travel(
        datetime.datetime.combine(TRANSITION, datetime.time(14), tzinfo=UTC), tick=True
    ):
        # The first day of sunsetting: every member hears, once; the COP is sunsetting.
        assert timeline.run_nudges()["transition messages"].queued == 2
        assert timeline.run_nudges()["transition messages"].queued == 0
        heard = OutboxMessage.objects.filter(kind="sunset_transition")
        assert sorted(heard.values_list("to_email", flat=True)) == sorted(
            [world.leader.email, world.participant.email]
        )
        world.community.refresh_from_db()
        assert world.community.phase == Community.Phase.SUNSETTING

        phone = new_page("phone")
        login(phone, live_server, world.leader.email, world.password)
        expect(phone.get_by_role("link", name="Start the sunset plan")).to_be_visible()
        look(phone, "leader-home-sunsetting", width=375)
        phone.context.close()

        # The leader writes the sunset plan, on a phone then a laptop, and submits it.
        write_on_a_phone(new_page("phone"), live_server, world)
        write_on_a_laptop(new_page("desktop"), live_server, world)
        plan = ActionPlan.objects.get(community=world.community, kind="sunset")
        assert plan.status == ActionPlan.Status.SUBMITTED

        # Staff approve it: the community continues on its own.
        approve_the_sunset_plan(staff, live_server, world)
        world.community.refresh_from_db()
        assert world.community.phase == Community.Phase.CONTINUING

        # Toward the end, the alumni space: a member joins its directory, another finds her.
        open_the_alumni_space(staff, live_server, world)
        assert OutboxMessage.objects.filter(kind="alumni_opened").count() == 2
        join_the_directory(new_page("phone"), live_server, world)
        find_in_the_directory(new_page("desktop"), live_server, world)

    with time_machine.travel(AFTER_THE_END, tick=True):
        # After the program: the COP still meets, and nothing the TTA team sends prompts it.
        leader = new_page("desktop")
        login(leader, live_server, world.leader.email, world.password)
        leader.goto(live_server.url + world.community.get_absolute_url())
        expect(leader.locator(".phase-badge").first).to_have_text("Continuing on its own")
        look(leader, "leader-community-continuing")
        hold_a_meeting_after_the_end(leader, live_server, world)
        assert timeline.run_nudges()["transition messages"].queued == 0
        take_everything_along(new_page("desktop"), live_server, world)
