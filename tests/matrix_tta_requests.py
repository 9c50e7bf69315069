"""Permission matrix rows of collective TTA requests (merged by tests/test_permissions.py).

A community's requests are its members' and staff's to read; filing one is its leaders' and
staff's (an empty form comes back with its errors: 200). Triage, the cohort's page of every
request and one request's triage page, is staff work; observers see counts on the dashboard
only. Another COP's member is covered in tests/test_tta_requests_pages.py (this matrix's
personas all belong to one community)."""

from django.urls import reverse

from planning.models import TTARequest
from tests.matrix_common import LEADERS, MEMBERS, STAFF_ONLY

MATRIX = {
    "planning:tta-requests": ("get", STAFF_ONLY),
    "planning:tta-request-triage": ("get", STAFF_ONLY),
    "planning:tta-request-list": ("get", MEMBERS),
    "planning:tta-request-create": ("get", LEADERS),
    "planning:tta-request": ("get", MEMBERS),
}

PINNED = {
    name: "test_tta_requests_pages.py::test_query_count_is_flat"
    for name, (method, _expected) in MATRIX.items()
    if method == "get"
}


def request_of(world, **values):
    return TTARequest.objects.create(
        community=world.community,
        what=values.pop("what", "A training on writing a board member job description"),
        why_now=values.pop("why_now", "Three of us are recruiting board members this spring."),
        format=values.pop("format", TTARequest.Format.TRAINING),
        filed_by=values.pop("filed_by", world.leader),
        **values,
    )


def url_for(name, world):
    cohort = world.cohort.slug
    rest = name.removeprefix("planning:")
    if rest == "tta-requests":
        return reverse(name, args=[cohort])
    if rest == "tta-request-triage":
        return reverse(name, args=[cohort, request_of(world).public_id])
    if rest in {"tta-request-list", "tta-request-create"}:
        return reverse(name, args=[cohort, world.community.slug])
    return reverse(name, args=[cohort, world.community.slug, request_of(world).public_id])
