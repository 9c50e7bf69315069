"""The collective TTA request journey in Chromium: a leader on a phone asks the TTA team
for a training for the whole group; staff on a desktop find it on the triage page, accept
and schedule it onto the group's next meeting with a reply; the leader finds the reply on
the home page and reads it; an observer sees counts on the dashboard, no text. axe on every
page; no page scrolls sideways, on the phone or on the desktop.

With TTA_SHOTS set to a folder, every page is also saved there as a screenshot."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from copkit.models import OutboxMessage
from planning.models import TTARequest
from tests import factories
from tests.browser.conftest import assert_no_horizontal_scroll, check_a11y, login, menu_link, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

SHOTS = os.environ.get("TTA_SHOTS")


def look(page, name, width=1280):
    """axe, no sideways scroll, and a screenshot when asked for."""
    check_a11y(page, name)
    assert_no_horizontal_scroll(page, width=width)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_a_cop_asks_staff_schedule_it_the_leader_reads_the_reply(
    world, live_server, page, new_page, sweeps
):
    meeting = factories.MeetingFactory(
        community=world.community,
        title="May meeting",
        starts_at=(timezone.now() + timedelta(days=12)).replace(minute=0, second=0),
    )
    community_url = live_server.url + world.community.get_absolute_url()

    # The leader, on a phone, asks for a training from the community page.
    phone = new_page("phone")
    login(phone, live_server, world.leader.email, world.password)
    phone.goto(community_url)
    submit(phone, phone.get_by_role("link", name="Ask for help"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Ask your TTA team for help")
    look(phone, "leader-form-phone", width=375)
    submit(phone, phone.get_by_role("button", name="Send the request"))  # empty: errors
    expect(phone.locator("#id_what + .invalid-feedback, #error_1_id_what").first).to_be_visible()
    phone.get_by_label("What help does the group want?").fill(
        "A training on recruiting and welcoming new board members"
    )
    phone.get_by_label("Why now?").fill("Three of our organizations are recruiting this spring.")
    phone.get_by_label("A training for the group").check()
    phone.get_by_label("Good times for the group (optional)").fill("a Tuesday afternoon")
    look(phone, "leader-form-filled-phone", width=375)
    submit(phone, phone.get_by_role("button", name="Send the request"))
    expect(phone.locator(".alert-success")).to_contain_text("Your request is filed")
    look(phone, "leader-request-phone", width=375)
    row = TTARequest.objects.get()
    assert OutboxMessage.objects.filter(kind="tta_request_filed").count() == 1

    # Staff, on a desktop, triage it from the menu.
    login(page, live_server, world.staff.email, world.password)
    page.goto(live_server.url + reverse("cohorts:dashboard", args=[world.cohort.slug]))
    expect(page.locator("#requests-heading")).to_be_visible()
    submit(page, menu_link(page, "TTA requests"))
    expect(page.get_by_role("heading", level=1)).to_have_text("TTA requests")
    look(page, "staff-triage-desktop")
    page.locator("summary").first.click()
    prefix = f"#id_r{row.pk}-"
    page.locator(prefix + "state").select_option("scheduled")
    page.locator(prefix + "assignee").select_option(str(world.staff.pk))
    page.locator(prefix + "meeting").select_option(str(meeting.pk))
    page.locator(prefix + "reply").fill("Yes! Sam will run it at your May meeting.")
    look(page, "staff-triage-open-desktop")
    submit(page, page.get_by_role("button", name=f"Save ({row})"))
    expect(page.locator(".alert-success")).to_contain_text("Saved")
    row.refresh_from_db()
    assert row.state == "scheduled" and row.meeting == meeting
    assert OutboxMessage.objects.filter(kind="tta_request_update").count() == 2
    page.goto(
        live_server.url
        + reverse("planning:tta-request-triage", args=[world.cohort.slug, row.public_id])
    )
    look(page, "staff-triage-one-desktop")

    # The leader finds the reply at home and reads it.
    phone.goto(live_server.url + "/")
    expect(phone.locator(".next-steps").first).to_contain_text("Your TTA team answered")
    look(phone, "leader-home-phone", width=375)
    submit(phone, phone.get_by_role("link", name="Read the reply").first)
    expect(phone.locator(".request-reply")).to_contain_text("Sam will run it at your May meeting")
    expect(phone.locator(".alert-info")).to_contain_text("May meeting")
    look(phone, "leader-reply-phone", width=375)
    phone.goto(community_url)
    expect(phone.locator("#tta-requests")).to_contain_text("Scheduled")
    look(phone, "leader-community-phone", width=375)

    # An observer reads counts on the dashboard, never the request's words.
    observer = new_page("desktop")
    login(observer, live_server, world.observer.email, world.password)
    observer.goto(live_server.url + reverse("cohorts:dashboard", args=[world.cohort.slug]))
    expect(observer.locator("#requests-heading")).to_be_visible()
    assert "recruiting" not in observer.content()
    look(observer, "observer-dashboard-desktop")


PAGES = {
    "staff": ["triage", "triage-one", "list", "detail", "create", "dashboard", "community"],
    "leader": ["list", "detail", "create", "community"],
    "participant": ["list", "detail", "community"],
    "observer": ["dashboard"],
}


@pytest.mark.parametrize("kind", ["phone", "desktop"])
def test_every_page_fits_and_passes_axe(world, live_server, new_page, kind):
    row = TTARequest.objects.create(
        community=world.community,
        what="A peer exchange with a group that already runs a board mentoring program",
        why_now="We start our own in the autumn.",
        format="peer_exchange",
        due_on=timezone.localdate() - timedelta(days=1),
        reply="We are looking for a group to pair you with.",
        replied_at=timezone.now(),
        first_answer_at=timezone.now(),
        state="accepted",
    )
    slug, community = world.cohort.slug, world.community.slug
    urls = {
        "triage": reverse("planning:tta-requests", args=[slug]),
        "triage-one": reverse("planning:tta-request-triage", args=[slug, row.public_id]),
        "list": reverse("planning:tta-request-list", args=[slug, community]),
        "detail": row.get_absolute_url(),
        "create": reverse("planning:tta-request-create", args=[slug, community]),
        "dashboard": reverse("cohorts:dashboard", args=[slug]),
        "community": world.community.get_absolute_url(),
    }
    width = 375 if kind == "phone" else 1280
    for persona, names in PAGES.items():
        page = new_page(kind)
        login(page, live_server, world.users[persona].email, world.password)
        for name in names:
            page.goto(live_server.url + urls[name])
            if name == "triage":
                page.locator("summary").first.click()
            look(page, f"{persona}-{name}-{kind}", width=width)
