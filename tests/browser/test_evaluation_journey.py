"""The evaluation journey in Chromium, from scheduling to the funder's report.

Staff on a laptop schedule a mid-way evaluation for both communities and open it; members
answer on phones through their personal links; staff close it, and the answers move each
community's goal; a leader on a phone records the change to the structure the group agreed
(meeting every two weeks) and opens the plan for a revision, then marks a goal met with its
measured value; the cohort report shows baseline, participation and outcomes side by side;
an observer reads it without a name or a person's words; the PDF and the XLSX download and
open in their readers. axe on every page, and no page scrolls sideways on a phone.

With EVALUATION_SHOTS set to a folder, every page is also saved there as a screenshot."""

import io
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Membership
from planning.evaluations.services import goals
from planning.models import (
    ActionPlan,
    Goal,
    GoalStatus,
    PlanPart,
    StructureDecision,
    SurveyRecipient,
)
from tests import factories
from tests.browser.conftest import assert_no_horizontal_scroll, check_a11y, login, menu_link, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

SHOTS = os.environ.get("EVALUATION_SHOTS")


def look(page, name, phone=False):
    check_a11y(page, name)
    if phone:
        assert_no_horizontal_scroll(page)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def plan_with_goal(community, goal, indicator):
    plan, _created = ActionPlan.objects.get_or_create(community=community)
    PlanPart.objects.update_or_create(
        plan=plan,
        key="goals",
        defaults={"data": {"goals": [{"goal": goal, "indicator": indicator}]}},
    )
    plan.status = ActionPlan.Status.APPROVED
    plan.save(update_fields=["status"])
    return goals.sync_goals(community)[0]


def answer_on_a_phone(phone, url, *, progress, value, change):
    phone.goto(url)
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Mid-way evaluation")
    phone.get_by_label(progress, exact=True).check()
    phone.locator(".rating-row label", has_text=str(value)).first.click()
    phone.get_by_label(
        "What has changed in the way your own organization works because of the group?"
    ).fill(change)
    with phone.expect_navigation():
        phone.get_by_role("button", name="Submit").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Thank you")


def test_staff_evaluate_members_answer_a_leader_decides_and_the_report_tells_it(
    world, live_server, page, new_page, sweeps
):
    other = factories.CommunityFactory(cohort=world.cohort, name="Fund Finders")
    other_member = factories.MembershipFactory(community=other, role=Membership.Role.LEADER)
    ours = plan_with_goal(
        world.community, "Share one volunteer pool", "20 volunteers shared across pantries"
    )
    theirs = plan_with_goal(other, "Write a joint grant", "A proposal sent to a funder")
    today = timezone.localdate()

    # Staff schedule a mid-way evaluation of every community and open it at once.
    login(page, live_server, world.staff.email, world.password)
    page.goto(live_server.url + reverse("cohorts:dashboard", args=[world.cohort.slug]))
    submit(page, menu_link(page, "Evaluations"))
    look(page, "staff-evaluations-empty")
    submit(page, page.get_by_role("link", name="Schedule an evaluation"))
    page.locator("#id_title").fill("Mid-way evaluation")
    page.locator("#id_opens_on").fill(today.isoformat())
    page.locator("#id_closes_on").fill((today + timedelta(days=14)).isoformat())
    page.locator("#id_to").select_option(label="Every active community (2)")
    look(page, "staff-schedule")
    submit(page, page.get_by_role("button", name="Schedule"))
    expect(page.get_by_role("cell", name="Fund Finders")).to_be_visible()
    expect(page.get_by_role("cell", name="Board Builders")).to_be_visible()
    look(page, "staff-evaluations")
    for name in ("Board Builders", "Fund Finders"):
        submit(page, page.get_by_role("link", name=name))
        submit(page, page.get_by_role("button", name="Open now"))
        look(page, f"staff-evaluation-open-{name}")
        page.go_back()
        page.go_back()
    links = {
        r.participant.email: live_server.url + r.get_answer_url()
        for r in SurveyRecipient.objects.select_related("participant").filter(
            survey__kind="evaluation", survey__community__isnull=False
        )
    }
    assert set(links) == {
        world.leader.email,
        world.participant.email,
        other_member.participant.email,
    }

    # Members answer on their phones, through the links their emails carry.
    phone = new_page("phone")
    answer_on_a_phone(
        phone,
        links[world.participant.email],
        progress="On track",
        value=5,
        change="We now share our volunteer schedule with two other pantries.",
    )
    look(phone, "member-thanks-phone", phone=True)
    answer_on_a_phone(
        new_page("phone"),
        links[world.leader.email],
        progress="On track",
        value=4,
        change="Our board reviews the volunteer numbers every month.",
    )
    answer_on_a_phone(
        new_page("phone"),
        links[other_member.participant.email],
        progress="Stalled",
        value=3,
        change="Nothing yet.",
    )

    # Staff close both; the answers move each community's goal.
    page.goto(live_server.url + reverse("planning:evaluations", args=[world.cohort.slug]))
    for name in ("Board Builders", "Fund Finders"):
        submit(page, page.get_by_role("link", name=name))
        submit(page, page.get_by_role("button", name="Close now"))
        page.go_back()
        page.go_back()
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert (ours.status, theirs.status) == (GoalStatus.ON_TRACK, GoalStatus.AT_RISK)

    # The leader, on a phone, records the change the group agreed and reopens the plan.
    leader = new_page("phone")
    login(leader, live_server, world.leader.email, world.password)
    leader.goto(live_server.url + world.community.get_absolute_url())
    expect(leader.locator("#goals-heading")).to_be_visible()
    look(leader, "leader-community-phone", phone=True)
    submit(leader, leader.get_by_role("link", name="Record a change the group agreed").first)
    leader.locator("#id_area").select_option(label="How often we meet")
    leader.locator("#id_decision").fill("We meet every two weeks instead of monthly, online.")
    leader.locator("#id_decided_on").fill(today.isoformat())
    leader.get_by_label("Open the action plan for a revision").check()
    look(leader, "leader-decision-phone", phone=True)
    submit(leader, leader.get_by_role("button", name="Record"))
    expect(leader.locator("main")).to_contain_text(
        "We meet every two weeks instead of monthly, online."
    )
    decision = StructureDecision.objects.get(community=world.community)
    assert decision.reopened_plan and decision.decided_on == today
    assert ActionPlan.objects.get(community=world.community).status == ActionPlan.Status.DRAFT

    # The leader marks the goal met, with the number the indicator counts.
    leader.goto(
        live_server.url
        + reverse(
            "planning:goal",
            args=[world.cohort.slug, world.community.slug, ours.public_id],
        )
    )
    expect(leader.get_by_role("heading", level=1)).to_have_text("Share one volunteer pool")
    expect(leader.locator("main")).to_contain_text("Mid-way evaluation: 2 on track")
    leader.get_by_label("Met", exact=True).check()
    leader.get_by_label("Measured value (optional)").fill("22")
    leader.get_by_label("Note (optional)").fill("22 volunteers now on the shared schedule.")
    submit(leader, leader.get_by_role("button", name="Save the update"))
    look(leader, "leader-goal-phone", phone=True)
    ours.refresh_from_db()
    assert (ours.status, str(ours.value)) == (GoalStatus.MET, "22.00")
    assert Goal.objects.filter(status=GoalStatus.MET).count() == 1

    report_journey(world, live_server, page, new_page, other_member.participant.name)


WORDS = (
    "We now share our volunteer schedule with two other pantries.",
    "22 volunteers now on the shared schedule.",
    "We meet every two weeks instead of monthly, online.",
)


def download(page, link_name):
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    data = Path(info.value.path()).read_bytes()
    if SHOTS:  # the files too, to look at them
        Path(SHOTS, info.value.suggested_filename).write_bytes(data)
    return data


def pdf_text(data):
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def xlsx_cells(data):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    return book.sheetnames, [
        str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
    ]


def report_journey(world, live_server, page, new_page, other_name):
    """The cohort report: staff read it and download it; an observer reads it without names."""
    page.goto(live_server.url + reverse("cohorts:dashboard", args=[world.cohort.slug]))
    submit(page, page.get_by_role("link", name="Report", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Report: baseline, participation and outcomes"
    )
    for kind in ("Baseline", "Participation", "Outcomes"):
        expect(page.get_by_role("heading", name=kind).first).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text("Board Builders")
    expect(main).to_contain_text("Fund Finders")
    expect(main).to_contain_text("Mid-way evaluation")
    look(page, "staff-report")

    text = pdf_text(download(page, "Download the report (PDF)"))
    assert "Board Builders" in text and "Fund Finders" in text
    assert "Mid-way evaluation" in text
    sheets, cells = xlsx_cells(download(page, "The data (XLSX)"))
    assert len(sheets) >= 4
    assert "Board Builders" in cells and "Fund Finders" in cells

    # The observer reads the same report: figures, no person's name or words.
    observer = new_page("desktop")
    login(observer, live_server, world.observer.email, world.password)
    observer.goto(live_server.url + reverse("planning:report", args=[world.cohort.slug]))
    expect(observer.get_by_role("heading", level=1)).to_have_text(
        "Report: baseline, participation and outcomes"
    )
    body = observer.locator("main").inner_text()
    assert "fewer than 5" in body
    names = (world.leader.name, world.participant.name, world.staff.name, other_name)
    for secret in (*names, *WORDS, "Share one volunteer pool"):
        assert secret not in body, secret
    look(observer, "observer-report")
    observer_pdf = pdf_text(download(observer, "Download the report (PDF)"))
    _sheets, observer_cells = xlsx_cells(download(observer, "The data (XLSX)"))
    for secret in (*names, *WORDS):
        assert secret not in observer_pdf, secret
        assert not any(secret in cell for cell in observer_cells), secret
