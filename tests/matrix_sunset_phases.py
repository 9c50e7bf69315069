"""Permission matrix rows of the phases and the transition (merged by tests/test_permissions.py).

The cohort's Transition page (timeline, message, each COP's phase and sunset plan) and the
form that sets one COP's phase are staff work: observers read the phase counts on the
dashboard, members see their COP's phase on its page."""

from django.urls import reverse

from tests.matrix_common import STAFF_ONLY

MATRIX = {
    "planning:transition": ("get", STAFF_ONLY),
    "planning:community-phase": ("get", STAFF_ONLY),
}

PINNED = {
    "planning:transition": "test_sunset_phases_pages.py::test_query_count_is_flat",
    "planning:community-phase": "test_sunset_phases_pages.py::test_query_count_is_flat",
}


def url_for(name, world):
    if name == "planning:transition":
        return reverse(name, args=[world.cohort.slug])
    return reverse(name, args=[world.cohort.slug, world.community.slug])
