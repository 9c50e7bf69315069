"""Permission matrix rows of the sunset plan (merged by tests/test_permissions.py).

The sunset plan is served by the action plan's views, so its rules are the action plan's: its
members and the cohort's staff read it, its leaders (and staff) write and submit it, staff
review it; observers never read a person's words (403); another cohort is a 404. The staff's
list of sunset plans and the cohort's wording of its parts are staff pages. A POST without a
form (an empty save, a submission of an unfinished plan, a review of a plan not submitted, an
empty comment) is answered with a redirect and a message (302)."""

from django.urls import reverse

from tests.matrix_common import MEMBERS, STAFF_ONLY

MEMBERS_POST = {**MEMBERS, "staff": 302, "leader": 302, "participant": 302}
LEADERS_POST = {**MEMBERS_POST, "participant": 403}
STAFF_POST = {**MEMBERS_POST, "leader": 403, "participant": 403}

MATRIX = {
    "planning:sunset-plan": ("get", MEMBERS),
    "planning:sunset-plan-part": ("get", MEMBERS),
    "planning:sunset-plan-part-save": ("post", LEADERS_POST),
    "planning:sunset-plan-print": ("get", MEMBERS),
    "planning:sunset-plan-pdf": ("get", MEMBERS),
    "planning:sunset-plan-versions": ("get", MEMBERS),
    "planning:sunset-plan-submit": ("post", LEADERS_POST),
    "planning:sunset-plan-review": ("post", STAFF_POST),
    "planning:sunset-plan-comment": ("post", MEMBERS_POST),
    "planning:sunset-plan-list": ("get", STAFF_ONLY),
    "planning:sunset-plan-template": ("get", STAFF_ONLY),
    "planning:sunset-plan-template-part": ("get", STAFF_ONLY),
}

TEST = "test_sunset_plan_pages.py::test_query_count_is_flat"
PINNED = {
    name: TEST
    for name, (method, expected) in MATRIX.items()
    if method == "get" and 200 in expected.values()
}

COHORT_PAGES = {"sunset-plan-list", "sunset-plan-template", "sunset-plan-template-part"}


def url_for(name, world):
    cohort, community = world.cohort.slug, world.community.slug
    rest = name.removeprefix("planning:")
    if rest == "sunset-plan-template-part":
        return reverse(name, args=[cohort, "handoff"])
    if rest in COHORT_PAGES:
        return reverse(name, args=[cohort])
    if rest in {"sunset-plan-part", "sunset-plan-part-save"}:
        return reverse(name, args=[cohort, community, "handoff"])
    return reverse(name, args=[cohort, community])
