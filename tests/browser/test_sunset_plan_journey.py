"""The sunset plan's journey: toward the end of the program, a leader writes the sunset plan
part by part (autosaved), submits it; staff return it with a comment; the leader revises a
part and submits again; staff approve; the community page shows "Continuing on its own",
and the PDF reads as the plan that was agreed. Every page is checked with axe-core, phone
pages for sideways scroll too. With COPKIT_SCREENSHOT_DIR set, the pages are also saved as
screenshots at 1280 and 375 pixels wide."""

import io
import os
import re
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cohorts.models import Community
from planning.models import ActionPlan, PlanVersion
from tests.browser.conftest import assert_no_horizontal_scroll, check_a11y, login, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

SAVED = re.compile(r"Saved at")
FIRST_HANDOFF = "Read this plan, then ask Lee."
REVISED_HANDOFF = "Read this plan and the workspace's pinned thread; Pat keeps the files."


def url(live_server, world, name="sunset-plan", *extra):
    args = [world.cohort.slug, world.community.slug, *extra]
    return live_server.url + reverse(f"planning:{name}", args=args)


def shoot(page, name):
    folder = os.environ.get("COPKIT_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"sunset-plan-{name}.png"), full_page=True)


def open_part(page, live_server, world, key, title):
    page.goto(url(live_server, world, "sunset-plan-part", key))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def autosaved(page):
    expect(page.locator("#part-save-status")).to_contain_text(SAVED)


def save(page):
    submit(page, page.get_by_role("button", name="Save", exact=True))
    expect(page.locator(".messages")).to_contain_text("Saved")


def write_on_a_phone(page, live_server, world):
    """The first parts, typed on a phone and autosaved."""
    login(page, live_server, world.leader.email, world.password)
    page.goto(live_server.url + world.community.get_absolute_url())
    expect(page.locator(".sunset-plan-section")).to_contain_text("Not started yet")
    submit(page, page.get_by_role("link", name="Start the sunset plan"))
    expect(page.locator(".plan-progress")).to_contain_text("0 of 7 parts done")
    check_a11y(page, "sunset plan overview (leader, phone)")
    assert_no_horizontal_scroll(page)
    shoot(page, "overview-375")

    open_part(page, live_server, world, "group_kind", "The group you want to be")
    page.get_by_label("The kind of group").select_option("lighter")
    page.get_by_label("What we want from it next").fill(
        "Keep swapping board candidates; meet when one of us needs the group."
    )
    autosaved(page)
    check_a11y(page, "sunset part (leader, phone)")
    assert_no_horizontal_scroll(page)
    shoot(page, "part-375")

    open_part(page, live_server, world, "leadership", "Who leads, and how it passes on")
    page.locator("#id_leaders-0-member").select_option(label="Lee Leader")
    page.locator("#id_leaders-0-role").fill("Convener")
    page.locator("#id_leaders-1-member").select_option(label="Pat Participant")
    page.locator("#id_leaders-1-role").fill("Back-up convener")
    page.get_by_label("How leadership passes on").fill(
        "Each January the convener hands over to the back-up."
    )
    autosaved(page)


def write_on_a_laptop(page, live_server, world):
    """The other parts, then the plan is submitted."""
    login(page, live_server, world.leader.email, world.password)
    page.goto(url(live_server, world))
    expect(page.locator(".plan-progress")).to_contain_text("2 of 7 parts done")

    open_part(page, live_server, world, "meeting_plan", "How you will meet")
    page.get_by_label("How often").select_option(label="Every three months")
    page.get_by_label("Video meeting").check()
    page.get_by_label(re.compile("copkit: the community's meetings")).check()
    save(page)

    open_part(page, live_server, world, "library", "Where your documents will live")
    page.get_by_label(re.compile("copkit's workspace and library")).check()
    page.get_by_label("Who looks after it").select_option(label="Pat Participant")
    autosaved(page)

    open_part(page, live_server, world, "contacts", "Staying in touch")
    page.get_by_label(re.compile("alumni directory")).check()
    autosaved(page)

    open_part(page, live_server, world, "learning", "What you still need to learn")
    page.get_by_label("What we still need to learn").fill("Board succession planning")
    page.get_by_label("Where we will find support").fill("The state association of nonprofits")
    autosaved(page)

    open_part(page, live_server, world, "handoff", "Handoff notes")
    page.get_by_label("Handoff notes", exact=True).fill(FIRST_HANDOFF)
    autosaved(page)
    shoot(page, "part-1280")

    page.goto(url(live_server, world))
    expect(page.locator(".plan-progress")).to_contain_text("7 of 7 parts done")
    check_a11y(page, "sunset plan, all parts done (leader)")
    shoot(page, "overview-1280")
    submit(page, page.get_by_role("button", name="Submit for review"))
    expect(page.locator(".messages")).to_contain_text("Version 1 of the plan is submitted")
    expect(page.locator(".plan-status")).to_have_text("Submitted for review")


def test_a_sunset_plan_is_written_returned_revised_and_agreed(world, live_server, new_page, sweeps):
    Community.objects.filter(pk=world.community.pk).update(phase=Community.Phase.SUNSETTING)
    phone = new_page("phone")
    write_on_a_phone(phone, live_server, world)
    phone.context.close()

    laptop = new_page("desktop")
    write_on_a_laptop(laptop, live_server, world)
    plan = ActionPlan.objects.get(community=world.community, kind="sunset")
    assert plan.status == ActionPlan.Status.SUBMITTED
    assert plan.parts.get(key="library").data["storage"] == "copkit"

    # -- staff find it on the sunset plans tab and return it with a comment --
    staff = new_page("desktop")
    login(staff, live_server, world.staff.email, world.password)
    staff.goto(live_server.url + reverse("planning:plan-list", args=[world.cohort.slug]))
    submit(staff, staff.get_by_role("link", name="Sunset plans"))
    expect(staff.locator(".plan-list tbody tr").first).to_contain_text("Board Builders")
    check_a11y(staff, "sunset plan list (staff)")
    shoot(staff, "list-1280")
    submit(staff, staff.get_by_role("link", name="Review Board Builders"))
    expect(staff.get_by_role("heading", name="Your review of version 1")).to_be_visible()
    staff.get_by_label("Return it to the leaders with comments").check()
    staff.get_by_label("Comment for the leaders").fill(
        "Say where new members find the files, and who keeps them."
    )
    submit(staff, staff.get_by_role("button", name="Save the review"))
    expect(staff.locator(".messages")).to_contain_text("returned to the leaders")

    # -- the leader reads the comment, revises the handoff notes and submits again --
    laptop.goto(url(live_server, world))
    expect(laptop.locator(".plan-status")).to_have_text("Returned with comments")
    expect(laptop.locator(".alert-warning")).to_contain_text("who keeps them")
    open_part(laptop, live_server, world, "handoff", "Handoff notes")
    laptop.get_by_label("Handoff notes", exact=True).fill(REVISED_HANDOFF)
    autosaved(laptop)
    laptop.goto(url(live_server, world))
    submit(laptop, laptop.get_by_role("button", name="Submit the revised plan"))
    expect(laptop.locator(".messages")).to_contain_text("Version 2 of the plan is submitted")

    # -- staff see what changed and approve: the community continues on its own --
    staff.goto(url(live_server, world, "sunset-plan-versions"))
    expect(staff.get_by_text("From version 1 to version 2: 1 part changed.")).to_be_visible()
    expect(staff.locator(".plan-diff ins")).to_contain_text(REVISED_HANDOFF)
    check_a11y(staff, "sunset plan versions (staff)")
    shoot(staff, "versions-1280")
    staff.get_by_label("Approve the plan").check()
    submit(staff, staff.get_by_role("button", name="Save the review"))
    expect(staff.locator(".messages")).to_contain_text("now continues on its own")
    assert list(
        PlanVersion.objects.filter(plan=plan).values_list("number", "outcome").order_by("number")
    ) == [(1, "returned"), (2, "approved")]
    world.community.refresh_from_db()
    assert world.community.phase == Community.Phase.CONTINUING

    # -- the community page says so, on a phone too; the PDF is the agreed plan --
    member = new_page("phone")
    login(member, live_server, world.participant.email, world.password)
    member.goto(live_server.url + world.community.get_absolute_url())
    expect(member.locator(".phase-badge")).to_have_text("Continuing on its own")
    expect(member.locator(".sunset-plan-section")).to_contain_text("Approved")
    check_a11y(member, "community page, continuing on its own (member, phone)")
    assert_no_horizontal_scroll(member)
    shoot(member, "community-375")
    laptop.goto(live_server.url + world.community.get_absolute_url())
    shoot(laptop, "community-1280")
    member.goto(url(live_server, world, "sunset-plan-print"))
    expect(member.get_by_role("heading", level=1)).to_have_text("Sunset plan of Board Builders")
    assert_no_horizontal_scroll(member)
    response = laptop.request.get(url(live_server, world, "sunset-plan-pdf"))
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Sunset plan of Board Builders" in text
    assert REVISED_HANDOFF in " ".join(text.split())
    assert "Each January the convener hands over to the back-up." in " ".join(text.split())
