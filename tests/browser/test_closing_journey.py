"""Closing a cohort in Chromium: staff close it from the dashboard after reading what it
means; the cohort's pages show the banner and their write buttons are disabled; a leader on
a phone who sends a form anyway gets the page that says the cohort is closed and read-only,
and nothing is saved; staff reopen it. axe on every page, no sideways scroll.

With CLOSING_SHOTS set to a folder, every page is also saved there as a screenshot."""

import os
from pathlib import Path

import pytest

from cohorts.models import Cohort
from planning.models import Thread
from tests.browser.conftest import assert_no_horizontal_scroll, check_a11y, login, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

SHOTS = os.environ.get("CLOSING_SHOTS")


def look(page, name, width=1280):
    check_a11y(page, name)
    assert_no_horizontal_scroll(page, width)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_staff_close_a_cohort_and_a_write_is_refused_with_a_clear_message(
    world, live_server, new_page
):
    staff = new_page("desktop")
    login(staff, live_server, world.staff.email, world.password)
    staff.goto(live_server.url + world.cohort.get_absolute_url())
    submit(staff, staff.get_by_role("link", name="Close cohort"))
    expect(staff.get_by_text("What closing means")).to_be_visible()
    look(staff, "staff-close-form")
    # Sent without the confirmation: the form says so, and the cohort stays open.
    submit(staff, staff.get_by_role("button", name="Close the cohort"))
    expect(staff.get_by_text("Tick the box to confirm")).to_be_visible()
    assert not Cohort.objects.get(pk=world.cohort.pk).is_closed
    staff.get_by_label("I understand").check()
    early = staff.get_by_label("Close it before the program's end date anyway.")
    if early.count():
        early.check()
    submit(staff, staff.get_by_role("button", name="Close the cohort"))
    expect(staff.locator("#closed-banner")).to_contain_text(": read-only")
    assert Cohort.objects.get(pk=world.cohort.pk).is_closed
    look(staff, "staff-reopen-form")
    staff.goto(live_server.url + world.cohort.get_absolute_url())
    expect(staff.locator("#closed-banner")).to_contain_text("Closed on")
    look(staff, "staff-dashboard-closed")

    # Lee, on a phone: the community page carries the banner; the workspace's form is there
    # to read but its button is disabled; sent anyway, the write is refused and says why.
    phone = new_page("phone")
    login(phone, live_server, world.leader.email, world.password)
    phone.goto(live_server.url + world.community.get_absolute_url())
    expect(phone.locator("#closed-banner")).to_contain_text(": read-only")
    look(phone, "leader-community-closed-phone", 375)
    phone.goto(
        f"{live_server.url}/c/{world.cohort.slug}/communities/{world.community.slug}"
        "/workspace/threads/new/"
    )
    button = phone.locator("main form[method=post] button[type=submit]").first
    expect(button).to_be_disabled()
    phone.get_by_label("Title").fill("After the program")
    phone.get_by_label("Message").fill("Shall we keep meeting?")
    with phone.expect_navigation():
        phone.evaluate("document.querySelector('main form[method=post]').submit()")
    expect(phone.locator("#closed-message")).to_contain_text("is read-only")
    expect(phone.get_by_role("link", name="Go back")).to_be_visible()
    look(phone, "leader-write-refused-phone", 375)
    assert not Thread.objects.exists()

    # Staff reopen it; the banner is gone.
    staff.goto(f"{live_server.url}/c/{world.cohort.slug}/close/")
    submit(staff, staff.get_by_role("button", name="Reopen the cohort"))
    expect(staff.locator("#closed-banner")).to_have_count(0)
    assert not Cohort.objects.get(pk=world.cohort.pk).is_closed
