"""The leaders' circle's rows of the permission matrix (merged by tests/test_permissions.py),
the URL of each of its names, and its query-count pins (merged by tests/test_query_counts.py).

The circle is the cohort's COP leaders' and the staff's: observers and members get 403,
another cohort's staff 404. Scheduling, agenda, notes and attendance are the staff's (the
leader gets 403); a post is edited only by its author (here the leader)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from planning.models import CirclePost, Convening
from tests.matrix_common import LOGIN, STAFF_ONLY

CIRCLE = {
    "anonymous": LOGIN,
    "staff": 200,
    "observer": 403,
    "leader": 200,
    "participant": 403,
    "outsider": 404,
}
AUTHOR_ONLY = {**CIRCLE, "staff": 403}  # the post in url_for is the leader's

MATRIX = {
    "planning:circle": ("get", CIRCLE),
    "planning:circle-schedule": ("get", STAFF_ONLY),
    "planning:convening-create": ("get", STAFF_ONLY),
    "planning:convening-detail": ("get", CIRCLE),
    "planning:convening-edit": ("get", STAFF_ONLY),
    "planning:convening-agenda": ("get", STAFF_ONLY),
    "planning:convening-notes": ("get", STAFF_ONLY),
    "planning:convening-attendance": ("get", STAFF_ONLY),
    "planning:circle-posts": ("get", CIRCLE),
    "planning:circle-post-create": ("get", CIRCLE),
    "planning:circle-post": ("get", CIRCLE),
    "planning:circle-post-edit": ("get", AUTHOR_ONLY),
}

_PIN = "test_support_views.py::test_query_count_is_flat"
PINNED = dict.fromkeys(MATRIX, _PIN)


def convening_of(world, **kwargs):
    """A convening of the world's cohort that started an hour ago (attendance is open)."""
    values = {"title": "Leaders' circle", "starts_at": timezone.now() - timedelta(hours=1)}
    return Convening.objects.create(cohort=world.cohort, **{**values, **kwargs})


def post_of(world, author=None):
    return CirclePost.objects.create(
        cohort=world.cohort,
        author=author or world.leader,
        title="Who has run a board retreat?",
        body="We are planning one in the spring.",
        last_activity_at=timezone.now(),
    )


def url_for(name, world):
    kwargs = {"cohort_slug": world.cohort.slug}
    if name.startswith("planning:convening-") and name != "planning:convening-create":
        kwargs["convening_id"] = convening_of(world).public_id
    elif name in {"planning:circle-post", "planning:circle-post-edit"}:
        kwargs["post_id"] = post_of(world).public_id
    return reverse(name, kwargs=kwargs)
