"""Permission matrix rows of the alumni network (merged by tests/test_permissions.py).

Staff open a cohort's alumni space. Its front page is for everyone of the cohort: members and
staff read the shared knowledge, observers only figures. The directory, a person's own entry
and the discussion hold names and words: observers 403. Someone with no standing in the space
(here a staff member of another cohort) gets 404. A COP's groups on outside networks are seen
by its members and staff, and removed by its leaders and staff."""

from django.urls import reverse

from planning.sunset.alumni.models import AlumniSpace, AlumniThread, NetworkGroup
from tests.matrix_common import EVERYONE, LEADERS, MEMBERS, STAFF_ONLY

LEADERS_POST = {**LEADERS, "staff": 302, "leader": 302}

MATRIX = {
    "planning:alumni-open": ("get", STAFF_ONLY),
    "planning:alumni": ("get", EVERYONE),
    "planning:alumni-directory": ("get", MEMBERS),
    "planning:alumni-entry": ("get", MEMBERS),
    "planning:alumni-discussion": ("get", MEMBERS),
    "planning:alumni-thread": ("get", MEMBERS),
    "planning:network-groups": ("get", MEMBERS),
    "planning:network-group-delete": ("post", LEADERS_POST),
}

TEST = "test_alumni.py::test_query_count_is_flat"
PINNED = {name: TEST for name, (method, _expected) in MATRIX.items() if method == "get"}


def space_of(world):
    space, _created = AlumniSpace.objects.get_or_create(
        cohort=world.cohort, defaults={"opened_by": world.staff}
    )
    return space


def url_for(name, world):
    cohort, community = world.cohort.slug, world.community.slug
    if name == "planning:alumni-open":
        return reverse(name, args=[cohort])
    if name == "planning:network-groups":
        return reverse(name, args=[cohort, community])
    if name == "planning:network-group-delete":
        group = NetworkGroup.objects.create(
            community=world.community, kind="linkedin", url="https://www.linkedin.com/groups/1"
        )
        return reverse(name, args=[cohort, community, group.public_id])
    space = space_of(world)
    if name == "planning:alumni-thread":
        thread = AlumniThread.objects.create(
            space=space, author=world.participant, title="Still meeting?", body="Who is?"
        )
        return reverse(name, args=[cohort, thread.public_id])
    return reverse(name, args=[cohort])
