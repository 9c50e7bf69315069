"""Permission matrix rows of the going-deeper pages (merged by tests/test_permissions.py).

The cohort's list of activities and one activity's page are for anyone in the cohort (ideas,
no people); adding, editing, retiring and suggesting are staff work; the board of which
community did what is for staff, and for observers as counts. A community's suggestions are
its members' and staff's; answering, planning and marking done its leaders' and staff's.
An empty answer, meeting or reflection re-renders the page with the error beside the field
(200)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from planning.models import DeeperActivity, DeeperSuggestion
from tests import factories
from tests.matrix_common import EVERYONE, MEMBERS, REPORT, STAFF_ONLY, STAFF_ONLY_POST

LEADERS_POST = {**MEMBERS, "participant": 403}  # an empty form comes back with its errors

MATRIX = {
    "planning:deeper-activities": ("get", EVERYONE),
    "planning:deeper-activity": ("get", EVERYONE),
    "planning:deeper-activity-create": ("get", STAFF_ONLY),
    "planning:deeper-activity-edit": ("get", STAFF_ONLY),
    "planning:deeper-activity-retire": ("post", STAFF_ONLY_POST),
    "planning:deeper-suggest": ("get", STAFF_ONLY),
    "planning:deeper-progress": ("get", REPORT),
    "planning:deeper-community": ("get", MEMBERS),
    "planning:deeper-suggestion": ("get", MEMBERS),
    "planning:deeper-answer": ("post", LEADERS_POST),
    "planning:deeper-plan": ("post", LEADERS_POST),
    "planning:deeper-done": ("post", LEADERS_POST),
}

# URL name -> the test beside the feature that pins its query count.
PINNED = {
    name: "test_deeper_pages.py::test_query_count_is_flat"
    for name, (method, _expected) in MATRIX.items()
    if method == "get"
}


def activity_of(world):
    return DeeperActivity.objects.create(
        cohort=world.cohort,
        title="Review each other's grant proposals",
        training="grant writing",
        description="Members read each other's drafts as a reviewer would.",
        steps="Share a draft\nReview in pairs\nGive feedback",
    )


def suggestion_of(world, state=DeeperSuggestion.State.PLANNED):
    """A suggestion to the persona's community, planned onto a coming meeting (so that a
    member sees it too)."""
    meeting = factories.MeetingFactory(community=world.community)
    return DeeperSuggestion.objects.create(
        activity=activity_of(world),
        community=world.community,
        training="Grant writing, March 3",
        due_on=timezone.localdate() + datetime.timedelta(days=30),
        state=state,
        meeting=meeting if state == DeeperSuggestion.State.PLANNED else None,
    )


def url_for(name, world):
    cohort = world.cohort.slug
    rest = name.removeprefix("planning:")
    if rest in {"deeper-activities", "deeper-activity-create", "deeper-progress"}:
        return reverse(name, args=[cohort])
    if rest in {"deeper-activity", "deeper-activity-edit", "deeper-activity-retire"} or (
        rest == "deeper-suggest"
    ):
        return reverse(name, args=[cohort, activity_of(world).public_id])
    if rest == "deeper-community":
        return reverse(name, args=[cohort, world.community.slug])
    return reverse(name, args=[cohort, world.community.slug, suggestion_of(world).public_id])
