"""The goal pages in Chromium, each as the persona who uses it, at desktop and phone width:
the community page's Goals section, a goal's page (a leader updating it on a phone, a wrong
value shown beside its field), a member reading it, the check-in with its goals block, the
call staff log, the dashboard's figures (staff and observer) and the cohort's Goals page.
axe finds nothing serious on any of them and the phone never scrolls sideways.

With GOALS_SHOTS set to a folder, every page is also saved there as a screenshot."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from planning.evaluations.services import goals
from planning.models import CheckIn, GoalStatus
from tests.browser.conftest import assert_no_horizontal_scroll, check_a11y, login, submit
from tests.matrix_goals import write_goals

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
pytest.importorskip("playwright.sync_api")

SHOTS = os.environ.get("GOALS_SHOTS")
DAY = timedelta(days=1)


def look(page, name, phone=False):
    check_a11y(page, name)
    if phone:
        assert_no_horizontal_scroll(page)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_the_goal_pages(world, live_server, new_page, sweeps):
    today = timezone.localdate()
    pool, grant, _quorum = write_goals(
        world.community,
        (
            "Every member organization fills its open board seats",
            "Open seats across our boards, 12 at the start, counted each quarter",
            (today + 90 * DAY).isoformat(),
        ),
        (
            "A shared onboarding packet",
            "Packet used with new members",
            (today - 9 * DAY).isoformat(),
        ),
        ("Board meetings that reach quorum", "", ""),
    )
    goals.record_update(
        pool,
        status=GoalStatus.ON_TRACK,
        actor=world.leader,
        note="Four seats filled since the spring training.",
        value=8,
        recorded_on=today - 20 * DAY,
    )
    goals.record_update(grant, status=GoalStatus.AT_RISK, actor=world.staff, note="Stalled.")
    due = timezone.now() - DAY
    checkin = CheckIn.objects.create(
        community=world.community,
        participant=world.leader_participant,
        leader=world.leader,
        period=due.date().isoformat(),
        due_at=due,
        prompted_at=due,
    )
    cohort, community = world.cohort.slug, world.community.slug
    goal_path = reverse("planning:goal", args=[cohort, community, pool.public_id])
    pages = [
        ("leader", world.community.get_absolute_url()),
        ("leader", goal_path),
        ("leader", reverse("checkin-answer", args=[checkin.token])),
        ("participant", goal_path),
        ("staff", reverse("planning:checkin-log", args=[cohort, community])),
        ("staff", reverse("cohorts:dashboard", args=[cohort])),
        ("staff", reverse("planning:goals", args=[cohort])),
        ("staff", reverse("planning:goals", args=[cohort]) + "?missed=1"),
        ("observer", reverse("cohorts:dashboard", args=[cohort])),
        ("observer", world.community.get_absolute_url()),
    ]
    for kind in ("desktop", "phone"):
        logged_in = {}
        for persona, path in pages:
            if persona not in logged_in:
                logged_in[persona] = new_page(kind)
                login(logged_in[persona], live_server, world.users[persona].email, world.password)
            page = logged_in[persona]
            page.goto(live_server.url + path)
            name = path.strip("/").replace("/", "-").replace("?", "-")[-50:]
            look(page, f"{persona}-{name}-{kind}", phone=kind == "phone")
        # A leader's wrong value comes back beside its field, then a right one is saved.
        page = logged_in["leader"]
        page.goto(live_server.url + goal_path)
        page.get_by_label("At risk").check()
        page.get_by_label("Measured value (optional)").fill("about ten")
        submit(page, page.get_by_role("button", name="Save the update"))
        assert "Enter a number, such as 12 or 3.5." in page.locator("#update").inner_text()
        look(page, f"leader-goal-error-{kind}", phone=kind == "phone")
        page.get_by_label("Measured value (optional)").fill("10")
        submit(page, page.get_by_role("button", name="Save the update"))
        assert "Goal updated." in page.content()
