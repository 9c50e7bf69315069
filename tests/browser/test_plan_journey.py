"""The action plan's journey from the issue's "Done when": a leader fills the plan over three
visits (a phone, then a laptop twice) and submits it; staff return it with a comment; the
leader reads the comment, revises a part and submits again; staff see what changed between
version 1 and 2 and approve. Every page is checked with axe-core, phone pages for sideways
scroll too."""

import re

import pytest
from django.urls import reverse

from copkit.models import OutboxMessage
from planning.models import ActionPlan, PlanPart, PlanVersion
from tests.browser.conftest import assert_no_horizontal_scroll, check_a11y, login, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

SAVED = re.compile(r"Saved at")
FIRST_GOAL = "Every pantry recruits two new board members"
REVISED_GOAL = "Every pantry has seven board members, with a written job for each"


def plan_url(live_server, world, name="plan", *extra):
    args = [world.cohort.slug, world.community.slug, *extra]
    return live_server.url + reverse(f"planning:{name}", args=args)


def open_part(page, live_server, world, key, title):
    page.goto(plan_url(live_server, world, "plan-part", key))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def autosaved(page):
    expect(page.locator("#part-save-status")).to_contain_text(SAVED)


def save(page):
    submit(page, page.get_by_role("button", name="Save", exact=True))
    expect(page.locator(".messages")).to_contain_text("Saved")


def visit_one_on_a_phone(page, live_server, world):
    """The potential and the goals, typed on a phone and autosaved; then the page closes."""
    login(page, live_server, world.leader.email, world.password)
    page.goto(plan_url(live_server, world))
    expect(page.locator(".plan-progress")).to_contain_text("0 of 12 parts done")

    open_part(page, live_server, world, "potential", "The potential you see")
    page.get_by_label("The potential we see").fill(
        "Six pantries that could share volunteers, trucks and a “board day” together."
    )
    autosaved(page)

    open_part(page, live_server, world, "goals", "Goals and how you will know")
    check_a11y(page, "goals part (leader, phone)")
    assert_no_horizontal_scroll(page)
    page.locator("#id_goals-0-goal").fill(FIRST_GOAL)
    page.locator("#id_goals-0-indicator").fill("Board rosters in June")
    page.locator("#id_goals-0-target_date").fill("2026-06-30")
    autosaved(page)

    open_part(page, live_server, world, "work_type", "Type of work")
    page.get_by_label(re.compile("Group learning")).check()
    autosaved(page)

    open_part(page, live_server, world, "format", "Meeting format and structure")
    page.get_by_label(re.compile("Informal check-ins")).check()
    page.get_by_label(re.compile("Peer-led trainings")).check()
    autosaved(page)


def visit_two_on_a_laptop(page, live_server, world):
    """How often and how, the schedule, the agenda and each member's commitment."""
    login(page, live_server, world.leader.email, world.password)
    page.goto(plan_url(live_server, world))
    expect(page.locator(".plan-progress")).to_contain_text("4 of 12 parts done")

    open_part(page, live_server, world, "logistics", "How often, how long, and how")
    page.get_by_label("Every month").check()
    page.get_by_label("Which week of the month").select_option("2")
    page.get_by_label("Day of the week").select_option("1")
    page.get_by_label("Start time").fill("14:00")
    page.get_by_label("Length in minutes").fill("90")
    page.get_by_label("Virtual meeting (video)").check()
    save(page)

    open_part(page, live_server, world, "schedule", "Meeting schedule")
    page.get_by_label("First meeting").fill("2026-02-10")
    save(page)

    open_part(page, live_server, world, "agenda", "How each meeting runs")
    page.get_by_label("Agenda template").fill("Welcome round\nProgress on goals\nMain session")
    autosaved(page)

    open_part(page, live_server, world, "commitments", "Each member's commitment")
    page.get_by_label("Lee Leader").fill("Lead two sessions a year")
    page.get_by_label("Pat Participant").fill("Come to most meetings and share one tool")
    autosaved(page)


def visit_three_on_a_laptop(page, live_server, world):
    """Roles, resources, success and decisions; then the plan is submitted."""
    login(page, live_server, world.leader.email, world.password)
    open_part(page, live_server, world, "roles", "Roles and who fills them")
    page.locator("#id_roles-0-role").fill("Convener")
    page.locator("#id_roles-0-member").select_option(label="Lee Leader")
    page.locator("#id_roles-1-role").fill("Note-taker")
    page.locator("#id_roles-1-member").select_option(label="Pat Participant")
    save(page)

    open_part(page, live_server, world, "resources", "Sharing and storing resources")
    page.get_by_label("How we share and store").fill("A shared drive; Pat keeps it tidy.")
    autosaved(page)

    open_part(page, live_server, world, "success", "What success looks like, and to whom")
    page.get_by_label("To the funder").fill("Stronger boards across the region")
    page.get_by_label("To the member organizations").fill("Full boards that help raise funds")
    page.get_by_label("To the community served").fill("Pantries that stay open all year")
    autosaved(page)

    open_part(page, live_server, world, "decisions", "Who decides what")
    page.get_by_label("Who decides what").fill(
        "Members choose topics; leaders set dates; the TTA team advises."
    )
    autosaved(page)

    page.goto(plan_url(live_server, world))
    expect(page.locator(".plan-progress")).to_contain_text("12 of 12 parts done")
    check_a11y(page, "plan overview, all parts done (leader)")
    submit(page, page.get_by_role("button", name="Submit for review"))
    expect(page.locator(".messages")).to_contain_text("Version 1 of the plan is submitted")
    expect(page.locator(".plan-status")).to_have_text("Submitted for review")


def test_a_plan_written_over_three_visits_is_returned_revised_and_approved(
    world, live_server, new_page, sweeps
):
    # -- three visits: a phone, then a laptop twice, each in a fresh browser --
    phone = new_page("phone")
    visit_one_on_a_phone(phone, live_server, world)
    phone.context.close()
    assert PlanPart.objects.get(key="goals").data["goals"][0]["goal"] == FIRST_GOAL

    laptop = new_page("desktop")
    visit_two_on_a_laptop(laptop, live_server, world)
    laptop.context.close()

    laptop = new_page("desktop")
    visit_three_on_a_laptop(laptop, live_server, world)
    plan = ActionPlan.objects.get(community=world.community)
    assert plan.status == ActionPlan.Status.SUBMITTED
    assert OutboxMessage.objects.filter(to_email=world.staff.email, kind="plan_submitted").exists()

    # -- staff find it in the list of plans and return it with a comment --
    staff = new_page("desktop")
    login(staff, live_server, world.staff.email, world.password)
    staff.goto(live_server.url + reverse("planning:plan-list", args=[world.cohort.slug]))
    expect(staff.locator(".plan-list tbody tr").first).to_contain_text("Board Builders")
    check_a11y(staff, "plan list (staff)")
    submit(staff, staff.get_by_role("link", name="Review Board Builders"))
    expect(staff.get_by_role("heading", name="Your review of version 1")).to_be_visible()
    expect(staff.get_by_text("This is the first version")).to_be_visible()
    check_a11y(staff, "versions page with the review form (staff)")
    staff.get_by_label("Return it to the leaders with comments").check()
    submit(staff, staff.get_by_role("button", name="Save the review"))
    # No comment: the form says what is missing, next to the field.
    expect(staff.locator("#id_review-comment")).to_have_class(re.compile("is-invalid"))
    expect(staff.get_by_text("Say what the leaders should change")).to_be_visible()
    check_a11y(staff, "review form with an error")
    staff.get_by_label("Comment for the leaders").fill(
        "Goal 1 needs a number we can check: how many board members, and by when?"
    )
    submit(staff, staff.get_by_role("button", name="Save the review"))
    expect(staff.locator(".messages")).to_contain_text("returned to the leaders")
    assert OutboxMessage.objects.filter(to_email=world.leader.email, kind="plan_reviewed").exists()

    # -- the leader reads the comment, revises the goal and submits again --
    laptop.goto(plan_url(live_server, world))
    expect(laptop.locator(".plan-status")).to_have_text("Returned with comments")
    submit(laptop, laptop.get_by_role("link", name="Versions and review"))
    expect(laptop.locator(".alert-warning")).to_contain_text("Goal 1 needs a number we can check")
    check_a11y(laptop, "versions page after a return (leader)")
    open_part(laptop, live_server, world, "goals", "Goals and how you will know")
    laptop.locator("#id_goals-0-goal").fill(REVISED_GOAL)
    autosaved(laptop)
    laptop.goto(plan_url(live_server, world, "plan-versions"))
    expect(laptop.locator(".plan-diff")).to_contain_text(REVISED_GOAL)  # draft vs version 1
    laptop.goto(plan_url(live_server, world))
    submit(laptop, laptop.get_by_role("button", name="Submit the revised plan"))
    expect(laptop.locator(".messages")).to_contain_text("Version 2 of the plan is submitted")

    # -- staff see what changed between version 1 and 2, and approve --
    staff.goto(plan_url(live_server, world, "plan-versions"))
    expect(staff.get_by_text("From version 1 to version 2: 1 part changed.")).to_be_visible()
    diff = staff.locator(".plan-diff")
    expect(diff.locator("del")).to_contain_text(FIRST_GOAL)
    expect(diff.locator("del")).to_contain_text("removed")
    expect(diff.locator("ins")).to_contain_text(REVISED_GOAL)
    expect(diff.locator("ins")).to_contain_text("added")
    expect(staff.locator(".unchanged-parts")).to_contain_text("The potential you see: no change")
    check_a11y(staff, "differences between versions 1 and 2 (staff)")
    staff.get_by_label("Approve the plan").check()
    submit(staff, staff.get_by_role("button", name="Save the review"))
    expect(staff.locator(".messages")).to_contain_text("Version 2 is approved")
    assert list(PlanVersion.objects.values_list("number", "outcome")) == [
        (1, "returned"),
        (2, "approved"),
    ]

    # -- the plan shows Approved; its printable page reads on a phone --
    laptop.goto(plan_url(live_server, world))
    expect(laptop.locator(".plan-status")).to_have_text("Approved")
    member = new_page("phone")
    login(member, live_server, world.participant.email, world.password)
    member.goto(plan_url(live_server, world))
    expect(member.locator(".plan-status")).to_have_text("Approved")
    member.goto(plan_url(live_server, world, "plan-print"))
    expect(member.get_by_role("heading", level=1)).to_have_text("Action plan of Board Builders")
    expect(member.locator(".plan-print")).to_contain_text(REVISED_GOAL)
    expect(member.get_by_role("button", name="Print")).to_be_visible()
    check_a11y(member, "printable plan (member, phone)")
    assert_no_horizontal_scroll(member)
    member.goto(plan_url(live_server, world, "plan-versions"))
    check_a11y(member, "versions page (member, phone)")
    assert_no_horizontal_scroll(member)
