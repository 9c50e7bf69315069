"""The archive in Chromium: staff open the cohort's Archive page from the menu, start an
archive, watch the progress bar move and finish (the page polls with htmx), and download the
ZIP; the test opens it and checks it against the database. A leader does the same for their
community on a phone. axe on every page; no page scrolls sideways.

With ARCHIVE_SHOTS set to a folder, every page is also saved there as a screenshot."""

import io
import json
import os
import threading
import zipfile
from pathlib import Path

import pytest

from planning.meetings.models import Attendance
from planning.sunset.archive import build
from planning.sunset.archive.models import Archive
from tests import factories
from tests.browser.conftest import (
    assert_no_horizontal_scroll,
    check_a11y,
    login,
    menu_link,
    submit,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

SHOTS = os.environ.get("ARCHIVE_SHOTS")


def look(page, name, width=1280):
    check_a11y(page, name)
    assert_no_horizontal_scroll(page, width)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.fixture
def queued(monkeypatch):
    """The build is queued, not run: the test runs it when it wants the bar to move."""
    ids = []
    monkeypatch.setattr(build.build_archive, "delay_on_commit", ids.append)
    return ids


def test_staff_make_the_cohort_archive_watch_it_finish_and_download_it(
    world, live_server, new_page, queued
):
    plan = factories.ActionPlanFactory(community=world.community)
    factories.PlanPartFactory(plan=plan, key="goals", data={"goals": "Two new board members"})
    meeting = factories.MeetingFactory(community=world.community)
    for person in (world.leader_participant, world.participant_participant):
        Attendance.objects.create(meeting=meeting, participant=person, status="present")

    page = new_page("desktop")
    login(page, live_server, world.staff.email, world.password)
    page.goto(live_server.url + f"/c/{world.cohort.slug}/")
    submit(page, menu_link(page, "Archive"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Take everything along")
    look(page, "staff-archive-empty")
    submit(page, page.get_by_role("button", name="Make an archive"))
    (archive_id,) = queued
    expect(page.get_by_role("heading", name="Waiting for a free worker…")).to_be_visible()

    # Halfway: the polling bar shows it.
    Archive.objects.filter(pk=archive_id).update(state="building", progress=50)
    expect(page.locator("#archive-progress .progress-bar")).to_have_text("50%")
    look(page, "staff-archive-building")

    # A worker builds it; the page notices and reloads with the download link.
    worker = threading.Thread(target=build.build_archive, args=(archive_id,))
    worker.start()
    worker.join()
    download_link = page.get_by_role("link", name="Download")
    expect(download_link).to_be_visible()
    look(page, "staff-archive-ready")
    with page.expect_download() as info:
        download_link.click()
    data = Path(info.value.path()).read_bytes()
    zipped = zipfile.ZipFile(io.BytesIO(data))
    folder = f"communities/{world.community.slug}/"
    plan_json = json.loads(zipped.read(folder + "plans/action-plan.json"))
    assert plan_json["parts"] == {"goals": {"goals": "Two new board members"}}
    rows = zipped.read(folder + "meetings/attendance.csv").decode().strip().splitlines()
    assert len(rows) - 1 == Attendance.objects.filter(meeting__community=world.community).count()
    assert "MANIFEST.txt" in zipped.namelist()


def test_a_leader_finds_the_community_archive_on_a_phone(world, live_server, new_page, queued):
    phone = new_page("phone")
    login(phone, live_server, world.leader.email, world.password)
    phone.goto(live_server.url + world.community.get_absolute_url())
    submit(phone, phone.get_by_role("link", name="Take everything along"))
    look(phone, "leader-archive-phone", 375)
    submit(phone, phone.get_by_role("button", name="Make an archive"))
    (archive_id,) = queued
    build.build_archive(archive_id)
    expect(phone.get_by_role("link", name="Download")).to_be_visible()
    look(phone, "leader-archive-ready-phone", 375)
    phone.goto(live_server.url + "/me/data/")
    look(phone, "leader-my-data-phone", 375)
    submit(phone, phone.get_by_role("link", name="Delete your account…"))
    look(phone, "leader-delete-phone", 375)
