"""Permission matrix rows of the goal pages (merged by tests/test_permissions.py).

A goal's page, with its history, is for the community's members and staff; an observer reads
no goal's words (only the dashboard's counts), another cohort gets 404. Updating it is the
leaders' and staff's: an empty update comes back with its errors beside the fields (200).
The cohort's Goals page, every community's goals in one table, is staff work."""

from django.urls import reverse

from planning.evaluations.services import goals
from planning.models import ActionPlan, PlanPart
from tests.matrix_common import MEMBERS, STAFF_ONLY

LEADERS_POST = {**MEMBERS, "participant": 403}

MATRIX = {
    "planning:goals": ("get", STAFF_ONLY),
    "planning:goal": ("get", MEMBERS),
    "planning:goal-update": ("post", LEADERS_POST),
}

PINNED = {
    "planning:goals": "test_goals_pages.py::test_cohort_goals_query_count_is_flat",
    "planning:goal": "test_goals_pages.py::test_goal_page_query_count_is_flat",
}


def write_goals(community, *entries):
    """The community's plan with a goals part of `entries` (goal, indicator, date), and its
    goals synced. Returns the live goals."""
    plan, _created = ActionPlan.objects.get_or_create(community=community)
    PlanPart.objects.update_or_create(
        plan=plan,
        key="goals",
        defaults={
            "data": {
                "goals": [{"goal": g, "indicator": i, "target_date": d} for g, i, d in entries]
            }
        },
    )
    return goals.sync_goals(community)


def goal_of(world):
    existing = goals.live_goals(world.community).first()
    if existing is not None:
        return existing
    return write_goals(world.community, ("Share one volunteer pool", "20 shared volunteers", ""))[0]


def url_for(name, world):
    cohort = world.cohort.slug
    if name == "planning:goals":
        return reverse(name, args=[cohort])
    return reverse(name, args=[cohort, world.community.slug, goal_of(world).public_id])
