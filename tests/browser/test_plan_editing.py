"""Writing the action plan in the browser: autosave on a phone survives closing the page,
two leaders editing one part see both versions, and staff reword a part of the template.

Every page is checked with axe-core (and the phone pages for sideways scroll)."""

import re
from urllib.parse import parse_qs

import pytest
from django.urls import reverse

from cohorts.models import Membership
from planning.models import PlanPart
from tests import factories
from tests.browser.conftest import assert_no_horizontal_scroll, check_a11y, login, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

SAVED = re.compile(r"Saved at")


def carries(text):
    """A response predicate: the autosave whose posted form holds `text`."""

    def predicate(response):
        request = response.request
        if request.method != "POST" or not request.url.endswith("/save/"):
            return False
        fields = parse_qs(request.post_data or "")
        return any(text in values for values in fields.values())

    return predicate


def plan_url(live_server, world, key=None):
    args = [world.cohort.slug, world.community.slug]
    if key is None:
        return live_server.url + reverse("planning:plan", args=args)
    return live_server.url + reverse("planning:plan-part", args=[*args, key])


def test_a_leader_writes_on_a_phone_closes_the_page_and_finds_the_text(
    world, live_server, phone_page, new_page
):
    page = phone_page
    login(page, live_server, world.leader.email, world.password)
    page.goto(plan_url(live_server, world))
    expect(page.get_by_role("heading", level=1)).to_have_text("Action plan")
    expect(page.locator(".plan-progress")).to_contain_text("0 of 12 parts done")
    check_a11y(page, "plan overview (leader, phone)")
    assert_no_horizontal_scroll(page)

    submit(page, page.locator("#part-potential").get_by_role("link", name="The potential you see"))
    expect(page.get_by_role("heading", level=1)).to_have_text("The potential you see")
    check_a11y(page, "plan part (leader, phone)")
    assert_no_horizontal_scroll(page)
    text = "Six food pantries that could share volunteers, trucks and one training day."
    page.get_by_label("The potential we see").fill(text)
    expect(page.locator("#part-save-status")).to_contain_text(SAVED)
    expect(page.locator("#part-revision")).to_have_value("1")
    page.close()  # no Save button: the autosave has to be enough

    again = new_page("phone")
    login(again, live_server, world.leader.email, world.password)
    again.goto(plan_url(live_server, world, "potential"))
    expect(again.get_by_label("The potential we see")).to_have_value(text)
    expect(again.locator("#part-save-status")).to_contain_text("Last saved by Lee Leader")
    assert PlanPart.objects.get(key="potential").data == {"potential": text}

    # A second change autosaves from the new revision (no conflict with itself).
    again.get_by_label("The potential we see").fill(text + " And a shared board pool.")
    expect(again.locator("#part-save-status")).to_contain_text(SAVED)
    expect(again.locator("#part-revision")).to_have_value("2")

    # Leaving with a change not yet saved asks first.
    again.get_by_label("The potential we see").fill("Half a thought")
    with again.expect_event("dialog") as dialog:
        again.close(run_before_unload=True)
    assert dialog.value.type == "beforeunload"


def test_two_leaders_edit_one_part_the_second_sees_both_and_keeps_theirs(
    world, live_server, new_page
):
    co_leader = factories.UserFactory(email="cora@pantry.example", name="Cora Colead")
    factories.MembershipFactory(
        community=world.community,
        participant=factories.ParticipantFactory(
            cohort=world.cohort, user=co_leader, name="Cora Colead"
        ),
        role=Membership.Role.CO_LEADER,
    )
    lee = new_page("desktop")
    cora = new_page("phone")
    login(lee, live_server, world.leader.email, world.password)
    login(cora, live_server, co_leader.email, world.password)
    for page in (lee, cora):
        page.goto(plan_url(live_server, world, "resources"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Sharing and storing resources")

    lee.get_by_label("How we share and store").fill("A shared drive; Lee keeps it tidy.")
    expect(lee.locator("#part-save-status")).to_contain_text(SAVED)

    cora.get_by_label("How we share and store").fill("A wiki that every member can edit.")
    status = cora.locator("#part-save-status")
    expect(status).to_contain_text("Lee Leader changed this part")
    check_a11y(cora, "part with a conflict in the status")
    submit(cora, cora.get_by_role("button", name="Compare both versions"))
    expect(
        cora.get_by_role("heading", level=2, name=re.compile("Someone else changed"))
    ).to_be_visible()
    expect(cora.locator("#conflict-theirs")).to_contain_text("A shared drive; Lee keeps it tidy.")
    expect(cora.locator("#conflict-yours")).to_contain_text("A wiki that every member can edit.")
    check_a11y(cora, "conflict page (phone)")
    assert_no_horizontal_scroll(cora)
    assert PlanPart.objects.get(key="resources").data == {
        "resources": "A shared drive; Lee keeps it tidy."
    }

    submit(cora, cora.get_by_role("button", name="Keep my version"))
    expect(cora.locator(".messages")).to_contain_text("Saved")
    expect(cora.get_by_label("How we share and store")).to_have_value(
        "A wiki that every member can edit."
    )
    row = PlanPart.objects.get(key="resources")
    assert row.data == {"resources": "A wiki that every member can edit."}
    assert row.updated_by == co_leader

    lee.reload()
    expect(lee.get_by_label("How we share and store")).to_have_value(
        "A wiki that every member can edit."
    )


def test_staff_reword_a_part_and_a_member_reads_it(world, live_server, page, new_page):
    login(page, live_server, world.staff.email, world.password)
    page.goto(live_server.url + reverse("planning:plan-template", args=[world.cohort.slug]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Action plan template")
    check_a11y(page, "plan template")
    submit(page, page.get_by_role("link", name="Edit Who decides what"))
    check_a11y(page, "plan template part")
    page.get_by_label("Title").fill("Who makes which decisions")
    submit(page, page.get_by_role("button", name="Save the wording"))
    expect(page.locator("tbody")).to_contain_text("Who makes which decisions")
    expect(page.locator("tbody")).to_contain_text("edited")

    member = new_page("phone")
    login(member, live_server, world.participant.email, world.password)
    member.goto(plan_url(live_server, world, "decisions"))
    expect(member.get_by_role("heading", level=1)).to_have_text("Who makes which decisions")
    expect(member.get_by_text("Nothing written here yet.")).to_be_visible()
    check_a11y(member, "plan part (member, phone)")
    assert_no_horizontal_scroll(member)


def test_goal_rows_appear_as_they_are_filled(world, live_server, phone_page):
    page = phone_page
    login(page, live_server, world.leader.email, world.password)
    page.goto(plan_url(live_server, world, "goals"))
    check_a11y(page, "goals part (leader, phone)")
    assert_no_horizontal_scroll(page)
    expect(page.get_by_role("group", name="Goal 1")).to_be_visible()
    expect(page.get_by_role("group", name="Goal 2")).to_be_hidden()
    page.locator("#id_goals-0-goal").fill("Recruit two board members each")
    expect(page.get_by_role("group", name="Goal 2")).to_be_visible()  # a row appears
    expect(page.get_by_role("group", name="Goal 3")).to_be_hidden()
    page.locator("#id_goals-0-indicator").fill("Seats filled by June")
    # Wait on the page, not the database (the live server is writing it): for the autosave
    # that carries the second goal, then for its "Saved" (the status may still show an
    # earlier save's for a moment).
    with page.expect_response(carries("One shared fundraising calendar")) as saved:
        page.locator("#id_goals-1-goal").fill("One shared fundraising calendar")
    assert saved.value.ok
    expect(page.locator("#part-save-status")).to_contain_text(SAVED)
    page.reload()
    expect(page.get_by_role("group", name="Goal 2")).to_be_visible()
    expect(page.get_by_role("group", name="Goal 3")).to_be_visible()  # the next empty row
    assert PlanPart.objects.get(key="goals").data == {
        "goals": [
            {"goal": "Recruit two board members each", "indicator": "Seats filled by June"},
            {"goal": "One shared fundraising calendar"},
        ]
    }
