"""The transition in Chromium: staff, on a desktop, open the cohort's Transition page, see
the suggested timeline and the default message, and set sunsetting to start today; the
sweep sends each member the message; the leader, on a phone, finds "Start the sunset plan"
on the home page and the sunset section on the community page; staff close a COP from its
page and see "set by staff" on the Transition page, then let its phase follow the state
again. axe on every page; no page scrolls sideways.

With SUNSET_SHOTS set to a folder, every page is also saved there as a screenshot."""

import os
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from copkit.models import OutboxMessage
from planning.sunset import timeline
from tests.browser.conftest import assert_no_horizontal_scroll, check_a11y, login, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

SHOTS = os.environ.get("SUNSET_SHOTS")


def look(page, name, width=1280):
    check_a11y(page, name)
    assert_no_horizontal_scroll(page, width=width)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_staff_set_the_transition_members_hear_leaders_start(world, live_server, new_page):
    today = timezone.localdate()
    transition_url = live_server.url + reverse("planning:transition", args=[world.cohort.slug])

    desk = new_page("desktop")
    login(desk, live_server, world.staff.email, world.password)
    desk.goto(transition_url)
    expect(desk.get_by_role("heading", level=1)).to_have_text("The transition")
    expect(desk.get_by_text("Nothing is set yet")).to_be_visible()
    look(desk, "staff-transition-desktop")
    desk.get_by_label("Sunsetting starts on").fill(today.isoformat())
    desk.get_by_label("Sunset plans started by").fill("")
    submit(desk, desk.get_by_role("button", name="Save the timeline"))
    expect(desk.locator(".alert-success")).to_contain_text("timeline is saved")
    expect(desk.locator(".transition-table")).to_contain_text("Sunsetting")

    # The sweep: every member hears, once.
    assert timeline.run_nudges()["transition messages"].queued == 2
    assert OutboxMessage.objects.filter(kind="sunset_transition").count() == 2

    phone = new_page("phone")
    login(phone, live_server, world.leader.email, world.password)
    expect(phone.get_by_role("link", name="Start the sunset plan")).to_be_visible()
    look(phone, "leader-home-phone", width=375)
    phone.goto(live_server.url + world.community.get_absolute_url())
    expect(phone.locator(".sunset-section")).to_contain_text("Not started")
    look(phone, "leader-community-phone", width=375)

    # Staff close the COP from its page, on a phone, then let it follow its state again.
    staff_phone = new_page("phone")
    login(staff_phone, live_server, world.staff.email, world.password)
    staff_phone.goto(live_server.url + world.community.get_absolute_url())
    submit(staff_phone, staff_phone.get_by_role("link", name="Change the phase"))
    look(staff_phone, "staff-phase-phone", width=375)
    staff_phone.get_by_label("Phase").select_option("closed")
    submit(staff_phone, staff_phone.get_by_role("button", name="Save the phase"))
    expect(staff_phone.locator(".phase-badge").first).to_have_text("Closed")
    expect(staff_phone.get_by_text("phase set by staff")).to_be_visible()
    staff_phone.goto(transition_url)
    expect(staff_phone.locator(".transition-table")).to_contain_text("set by staff")
    look(staff_phone, "staff-transition-phone", width=375)
    staff_phone.goto(live_server.url + world.community.get_absolute_url())
    submit(staff_phone, staff_phone.get_by_role("link", name="Change the phase"))
    staff_phone.get_by_label("Phase").select_option("")
    submit(staff_phone, staff_phone.get_by_role("button", name="Save the phase"))
    expect(staff_phone.locator(".phase-badge").first).to_have_text("Sunsetting")
    look(staff_phone, "staff-community-phone", width=375)
