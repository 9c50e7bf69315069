"""The check-in stage's rows of the permission matrix (tests/test_permissions.py) and its
query-count pins (tests/test_query_counts.py).

Staff run check-ins: the overview, the cadence, calls and follow-ups are theirs (any staff
member, the coach or not). A community's check-in history is for its leaders and staff;
a member, an observer (no one's words) and another cohort see none of it. The personal
answer link is the key: it opens for anyone who has it."""

from django.urls import reverse

from planning.models import CheckIn, FollowUp
from tests.matrix_common import STAFF_ONLY, STAFF_ONLY_POST

LEADERS_AND_STAFF = {**STAFF_ONLY, "leader": 200}
ANYONE = dict.fromkeys(("anonymous", "staff", "observer", "leader", "participant", "outsider"), 200)

MATRIX = {
    "planning:checkins": ("get", STAFF_ONLY),
    "planning:checkin-cadence": ("get", STAFF_ONLY),
    "planning:followup-edit": ("get", STAFF_ONLY),
    "planning:community-checkins": ("get", LEADERS_AND_STAFF),
    "planning:community-checkin-cadence": ("get", STAFF_ONLY),
    "planning:checkin-log": ("get", STAFF_ONLY),
    "checkin-answer": ("get", ANYONE),
    "cohorts:team-coaches": ("post", STAFF_ONLY_POST),
}

PINNED = {
    "planning:checkins": "test_checkins_views.py::test_overview_query_count_is_flat",
    "planning:community-checkins": "test_checkins_views.py::test_history_query_count_is_flat",
    "checkin-answer": "test_checkins_views.py::test_answer_query_count_is_flat",
    "planning:checkin-cadence": "test_checkins_views.py::test_form_query_count_is_flat",
    "planning:community-checkin-cadence": "test_checkins_views.py::test_form_query_count_is_flat",
    "planning:checkin-log": "test_checkins_views.py::test_form_query_count_is_flat",
    "planning:followup-edit": "test_checkins_views.py::test_form_query_count_is_flat",
}


def leader_checkin(world, period="2026-03-02"):
    checkin, _created = CheckIn.objects.get_or_create(
        community=world.community,
        participant=world.leader_participant,
        period=period,
        defaults={"leader": world.leader, "due_at": world.community.created_at},
    )
    return checkin


def followup(world):
    checkin = leader_checkin(world)
    row, _created = FollowUp.objects.get_or_create(
        checkin=checkin, defaults={"community": world.community, "request": "A guide"}
    )
    return row


def url_for(name, world):
    cohort = world.cohort.slug
    community = world.community.slug
    if name == "checkin-answer":
        return reverse(name, kwargs={"token": leader_checkin(world).token})
    if name in {"planning:checkins", "planning:checkin-cadence", "cohorts:team-coaches"}:
        return reverse(name, kwargs={"cohort_slug": cohort})
    if name == "planning:followup-edit":
        return reverse(
            name, kwargs={"cohort_slug": cohort, "followup_id": followup(world).public_id}
        )
    return reverse(name, kwargs={"cohort_slug": cohort, "community_slug": community})
