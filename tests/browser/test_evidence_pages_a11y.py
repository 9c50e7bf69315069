"""The evidence pages as the personas who use them, at desktop and phone width: axe finds
nothing serious or critical, no page scrolls sideways, and the Content Security Policy
refuses nothing. With EVIDENCE_SHOTS set to a
folder, each page is saved there too."""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from cohorts.models import CohortRole
from planning.models import GoalStatus
from tests import evidence_rows as rows
from tests import factories
from tests.browser.conftest import assert_no_horizontal_scroll, check_a11y, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
pytest.importorskip("playwright.sync_api")

SHOTS = os.environ.get("EVIDENCE_SHOTS")


def _history(community, n):
    people = rows.add_members(community, n)
    for back in range(11, -1, -1):
        present = people[: max(1, n - (back % 4))]
        rows.meeting(
            community, rows.mid_month(back), present=present, absent=people[len(present) :]
        )
    first = rows.goal(community, 0)
    second = rows.goal(community, 1, text="Write one shared grant proposal")
    rows.update(first, GoalStatus.ON_TRACK, rows.mid_month(8).date())
    rows.update(first, GoalStatus.AT_RISK, rows.mid_month(4).date(), value=8)
    rows.update(first, GoalStatus.ON_TRACK, rows.mid_month(1).date(), value=14)
    rows.update(second, GoalStatus.MET, rows.mid_month(2).date())
    rows.evaluation(community, people)
    rows.success(community)
    return people


def test_the_evidence_pages(world, live_server, new_page):
    people = _history(world.community, 7)
    rows.needs_survey(world.cohort, people)
    rows.inventory(people, world.topic)
    rows.inventory(
        people[:3],
        factories.TopicFactory(cohort=world.cohort, name="Raising funds"),
        kind="expertise",
    )
    _history(factories.CommunityFactory(cohort=world.cohort, name="Fund Finders"), 3)
    other = factories.CohortFactory(name="Second Cohort")
    factories.CohortRoleFactory(cohort=other, user=world.staff, role=CohortRole.Role.STAFF)
    _history(factories.CommunityFactory(cohort=other, name="Far Friends"), 6)
    cohort = world.cohort.slug
    pages = [
        ("staff", reverse("planning:report", args=[cohort])),
        ("observer", reverse("planning:report", args=[cohort])),
        ("staff", reverse("planning:report-compare", args=[cohort])),
        ("leader", reverse("planning:evidence", args=[cohort, world.community.slug])),
        ("staff", reverse("planning:evidence", args=[cohort, world.community.slug])),
    ]
    csp = []
    for kind, width in (("desktop", 1280), ("phone", 375)):
        logged_in = {}
        for persona, path in pages:
            if persona not in logged_in:
                logged_in[persona] = new_page(kind)
                logged_in[persona].on(
                    "console",
                    lambda message: (
                        "Content Security Policy" in message.text and csp.append(message.text)
                    ),
                )
                login(logged_in[persona], live_server, world.users[persona].email, world.password)
            page = logged_in[persona]
            page.goto(live_server.url + path)
            name = f"{persona}-{path.strip('/').replace('/', '-')[-40:]}-{kind}"
            check_a11y(page, name)
            assert_no_horizontal_scroll(page, width)
            if SHOTS:
                Path(SHOTS).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
    assert not csp, csp  # no inline style or script refused by the policy
