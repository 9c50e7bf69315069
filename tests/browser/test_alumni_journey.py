"""The alumni network in Chromium: staff open the cohort's alumni space on a laptop; Pat, on
a phone, joins the directory sharing her email and expertise; Lee finds her by expertise;
Pat opts out and is gone from Lee's next search at once. axe on every page, and no page
scrolls sideways on the phone or the laptop.

With ALUMNI_SHOTS set to a folder, every page is also saved there as a screenshot."""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from copkit.models import OutboxMessage
from planning.sunset.alumni.models import DirectoryEntry
from tests.browser.conftest import assert_no_horizontal_scroll, check_a11y, login, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

SHOTS = os.environ.get("ALUMNI_SHOTS")


def look(page, name, width=1280):
    check_a11y(page, name)
    assert_no_horizontal_scroll(page, width)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_staff_open_the_space_a_member_opts_in_another_finds_her_then_she_opts_out(
    world, live_server, new_page
):
    slug = world.cohort.slug

    # Sam, on a laptop, opens the space from the Transition page.
    laptop = new_page("desktop")
    login(laptop, live_server, world.staff.email, world.password)
    laptop.goto(live_server.url + reverse("planning:transition", args=[slug]))
    submit(laptop, laptop.get_by_role("link", name="The alumni space"))
    expect(laptop.get_by_role("heading", level=1)).to_have_text("Open the alumni space")
    laptop.get_by_label("Welcome message").fill("Thank you all. Keep learning together!")
    look(laptop, "staff-open")
    submit(laptop, laptop.get_by_role("button", name="Open the space and tell the members"))
    expect(laptop.get_by_role("heading", level=1)).to_have_text("Alumni space")
    look(laptop, "staff-space")
    assert OutboxMessage.objects.filter(kind="alumni_opened").count() == 2

    # Pat, on a phone, joins the directory with her email and her expertise only.
    phone = new_page("phone")
    login(phone, live_server, world.participant.email, world.password)
    phone.goto(live_server.url + reverse("planning:alumni", args=[slug]))
    look(phone, "member-space-phone", 375)
    submit(phone, phone.get_by_role("link", name="Join the directory"))
    phone.get_by_label("List me in the alumni directory").check()
    phone.get_by_label("Share my email address").check()
    phone.get_by_label("Share my expertise").check()
    phone.get_by_label("Expertise", exact=True).fill("Grant writing, volunteer recruitment")
    phone.get_by_label("Phone", exact=True).fill("call me")  # typed, not ticked: ignored
    look(phone, "member-entry-phone", 375)
    submit(phone, phone.get_by_role("button", name="Save"))
    expect(phone.get_by_text("Your directory entry is saved.")).to_be_visible()
    assert DirectoryEntry.objects.get().phone == ""

    # Lee finds her by expertise, with her email and nothing else.
    lee = new_page("desktop")
    login(lee, live_server, world.leader.email, world.password)
    lee.goto(live_server.url + reverse("planning:alumni-directory", args=[slug]))
    lee.get_by_placeholder("Name, organization or expertise").fill("volunteer")
    submit(lee, lee.get_by_role("button", name="Search"))
    listing = lee.locator(".alumni-directory")
    expect(listing).to_contain_text("Pat Participant")
    expect(listing).to_contain_text("pat@pantry.example")
    expect(listing).not_to_contain_text("Riverbend Food Pantry")
    look(lee, "leader-directory-search")

    # Pat opts out; Lee's next search no longer finds her.
    phone.get_by_label("List me in the alumni directory").uncheck()
    submit(phone, phone.get_by_role("button", name="Save"))
    expect(phone.get_by_text("You are no longer in the alumni directory.")).to_be_visible()
    lee.reload()
    expect(lee.get_by_text("Nobody listed matches these words.")).to_be_visible()
    expect(lee.locator(".alumni-directory")).to_have_count(0)

    # Phone widths of the directory and the discussion.
    phone.goto(live_server.url + reverse("planning:alumni-directory", args=[slug]))
    look(phone, "member-directory-phone", 375)
    phone.goto(live_server.url + reverse("planning:alumni-discussion", args=[slug]))
    look(phone, "member-discussion-phone", 375)
