"""Permission matrix rows of the evaluation pages (merged by tests/test_permissions.py).

The cohort's evaluations (scheduling, changing, cancelling, the template) are staff work;
opening the template's page sends staff on to the survey builder (302). One community's
evaluation is for its members and staff (observers see no community's words); opening,
closing and recording a discussion are staff's; recording a structure decision is for the
community's leaders and staff. An empty decision comes back with its errors (200)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from planning.evaluations.services import evaluations
from planning.models import EvaluationRound
from tests.matrix_common import LEADERS, MEMBERS, STAFF_ONLY, STAFF_ONLY_POST

MATRIX = {
    "planning:evaluations": ("get", STAFF_ONLY),
    "planning:evaluation-schedule": ("get", STAFF_ONLY),
    "planning:evaluation-template": ("get", STAFF_ONLY_POST),
    "planning:evaluation-round-edit": ("get", STAFF_ONLY),
    "planning:evaluation-round-cancel": ("post", STAFF_ONLY_POST),
    "planning:evaluation": ("get", MEMBERS),
    "planning:evaluation-open": ("post", STAFF_ONLY_POST),
    "planning:evaluation-close": ("post", STAFF_ONLY_POST),
    "planning:evaluation-discussion": ("get", STAFF_ONLY),
    "planning:structure-decision-add": ("get", LEADERS),
}

# URL name -> the test beside the feature that pins its query count.
PINNED = {
    name: "test_evaluations_pages.py::test_query_count_is_flat"
    for name, (method, expected) in MATRIX.items()
    if method == "get" and 200 in expected.values()
}


def round_of(world, form=EvaluationRound.Form.DISCUSSION):
    today = timezone.localdate()
    return evaluations.schedule(
        world.cohort,
        actor=world.staff,
        title="Mid-way evaluation",
        form=form,
        opens_on=today + datetime.timedelta(days=7),
        closes_on=today + datetime.timedelta(days=21),
        communities=[world.community],
    )


def url_for(name, world):
    cohort = world.cohort.slug
    rest = name.removeprefix("planning:")
    if rest in {"evaluations", "evaluation-schedule", "evaluation-template"}:
        return reverse(name, args=[cohort])
    if rest in {"evaluation-round-edit", "evaluation-round-cancel"}:
        return reverse(name, args=[cohort, round_of(world).public_id])
    if rest == "structure-decision-add":
        return reverse(name, args=[cohort, world.community.slug])
    evaluation = round_of(world).evaluations.get()
    return reverse(name, args=[cohort, world.community.slug, evaluation.public_id])
