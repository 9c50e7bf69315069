"""The going-deeper journey in Chromium: staff on a laptop suggest the grant review to every
community after a grant-writing training; a leader on a phone finds it on the home page,
accepts it, plans it onto the community's next meeting (whose agenda then shows it) and marks
it done with what the group did and learned; a member reads it on the community page; staff
see it done on the board, and an observer sees counts only. axe on every page, and no page
scrolls sideways on the phone.

With DEEPER_SHOTS set to a folder, every page is also saved there as a screenshot."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Membership
from copkit.models import OutboxMessage
from planning.models import DeeperSuggestion
from tests import factories
from tests.browser.conftest import assert_no_horizontal_scroll, check_a11y, login, menu_link, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

SHOTS = os.environ.get("DEEPER_SHOTS")


def look(page, name, phone=False):
    """axe, the phone's width, and a screenshot when asked for."""
    check_a11y(page, name)
    if phone:
        assert_no_horizontal_scroll(page)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_staff_suggest_to_all_a_leader_on_a_phone_does_it_staff_see_it(
    world, live_server, page, new_page, sweeps
):
    other = factories.CommunityFactory(cohort=world.cohort, name="Fund Finders")
    factories.MembershipFactory(community=other, role=Membership.Role.LEADER)
    meeting = factories.MeetingFactory(
        community=world.community,
        title="April meeting",
        starts_at=(timezone.now() + timedelta(days=10)).replace(minute=0, second=0),
    )
    due = timezone.localdate() + timedelta(days=45)

    # Staff suggest the grant review to every community.
    login(page, live_server, world.staff.email, world.password)
    page.goto(live_server.url + reverse("cohorts:dashboard", args=[world.cohort.slug]))
    submit(page, menu_link(page, "Going deeper"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Going-deeper activities")
    look(page, "staff-activities-desktop")
    submit(page, page.get_by_role("link", name="Suggest it (Review each other's grant proposals)"))
    expect(page.get_by_label("Suggest it to")).to_have_value("all")
    page.get_by_label("The training it follows").fill("Grant writing, March 3")
    page.get_by_label("Do it by").fill(due.isoformat())
    page.get_by_label("A note to the leaders (optional)").fill("Bring a draft you are working on.")
    look(page, "staff-suggest-desktop")
    submit(page, page.get_by_role("button", name="Suggest"))
    expect(page.locator(".alert-success")).to_contain_text("Suggested to 2 communities")
    expect(page.get_by_role("cell", name="Fund Finders")).to_be_visible()
    look(page, "staff-activity-desktop")
    assert OutboxMessage.objects.filter(kind="activity_suggested").count() == 2

    # The leader, on a phone, finds it at home.
    phone = new_page("phone")
    login(phone, live_server, world.leader.email, world.password)
    expect(phone.locator(".next-steps")).to_contain_text(
        "Your TTA team suggests an activity to go deeper"
    )
    look(phone, "leader-home-phone", phone=True)
    submit(phone, phone.get_by_role("link", name="Accept or decline"))
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "Review each other's grant proposals"
    )
    expect(phone.get_by_text("Bring a draft you are working on.")).to_be_visible()
    look(phone, "leader-suggestion-phone", phone=True)
    phone.get_by_label("We will do it").check()
    submit(phone, phone.get_by_role("button", name="Send the answer"))
    expect(phone.locator(".alert-success")).to_contain_text("Accepted")

    # ... plans it onto the April meeting ...
    phone.get_by_label("Which meeting").select_option(str(meeting.public_id))
    submit(phone, phone.get_by_role("button", name="Put it on the agenda"))
    expect(phone.locator("#deeper-meeting")).to_contain_text("April meeting")
    look(phone, "leader-planned-phone", phone=True)
    submit(phone, phone.get_by_role("link", name="Open the meeting"))
    expect(phone.locator(".deeper-on-meeting")).to_contain_text(
        "Going deeper: Review each other's grant proposals"
    )
    look(phone, "leader-meeting-phone", phone=True)

    # ... and, after the meeting, marks it done. An empty reflection is named first.
    phone.go_back()
    phone.wait_for_load_state()
    submit(phone, phone.get_by_role("button", name="Mark done"))
    expect(phone.locator("#id_what_we_did").locator("..")).to_contain_text(
        "Say in a few words what the group did."
    )
    look(phone, "leader-done-error-phone", phone=True)
    phone.get_by_label("What the group did").fill("Three members brought drafts; we read in pairs.")
    phone.get_by_label("What the group learned").fill("Our need statements were far too long.")
    submit(phone, phone.get_by_role("button", name="Mark done"))
    expect(phone.locator(".deeper-reflection")).to_contain_text("far too long")
    look(phone, "leader-done-phone", phone=True)
    suggestion = DeeperSuggestion.objects.get(community=world.community)
    assert suggestion.state == DeeperSuggestion.State.DONE and suggestion.meeting == meeting

    # A member reads it on the community page.
    member = new_page("phone")
    login(member, live_server, world.participant.email, world.password)
    member.goto(live_server.url + world.community.get_absolute_url())
    expect(member.locator("#deeper")).to_contain_text("Review each other's grant proposals")
    expect(member.locator("#deeper")).to_contain_text("Done")
    look(member, "member-community-phone", phone=True)

    # Staff see which community did what.
    page.goto(live_server.url + reverse("planning:deeper-progress", args=[world.cohort.slug]))
    row = page.get_by_role("row").filter(has_text="Board Builders")
    expect(row).to_contain_text("Done")
    expect(page.get_by_role("row").filter(has_text="Fund Finders")).to_contain_text("Suggested")
    look(page, "staff-progress-desktop")
    staff_phone = new_page("phone")
    login(staff_phone, live_server, world.staff.email, world.password)
    staff_phone.goto(page.url)
    look(staff_phone, "staff-progress-phone", phone=True)

    # An observer: counts only, and none from two communities.
    observer = new_page("desktop")
    login(observer, live_server, world.observer.email, world.password)
    observer.goto(page.url)
    expect(observer.locator(".deeper-counts")).to_contain_text("fewer than 5 communities")
    expect(observer.get_by_text("Board Builders")).to_have_count(0)
    look(observer, "observer-progress-desktop")
