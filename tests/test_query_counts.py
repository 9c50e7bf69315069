"""Query counts: every page makes the same number of queries for 1 row as for 50.

A registry checked against the permission matrix, as URLs are: every URL name that answers
a GET with a page is pinned here (PAGES), pinned by a test beside its feature
(PINNED_BESIDE_THE_FEATURE), or exempt with a reason (EXEMPT). A page in none of them fails
`test_every_get_page_is_pinned_or_exempt`."""

import importlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Membership
from tests import factories
from tests.queries import count_queries
from tests.test_permissions import MATRIX, STAGE_MATRICES

pytestmark = pytest.mark.django_db


def grow(world, n):
    """Add n of every kind of row the pages list: participants (invited, in a community),
    organizations, communities with leaders, topics and team members, meetings with
    attendance and action plans."""
    for i in range(n):
        topic = factories.TopicFactory(cohort=world.cohort)
        org = factories.OrganizationFactory(cohort=world.cohort)
        community = factories.CommunityFactory(cohort=world.cohort, topic=topic)
        person = factories.ParticipantFactory(cohort=world.cohort, organization=org)
        factories.InvitationFactory(participant=person)
        factories.MembershipFactory(
            community=community, participant=person, role=Membership.Role.LEADER
        )
        factories.MembershipFactory(community=world.community, participant=person)
        factories.ParticipantFactory(cohort=world.cohort, organization=org)  # unplaced
        factories.CohortRoleFactory(cohort=world.cohort, role="observer")
        if i % 2:
            factories.ActivityFactory(cohort=world.cohort, actor=world.staff)
        # Needs and expertise: an inventory entry each, and an open survey sent and answered.
        factories.InventoryEntryFactory(participant=person, topic=topic)
        recipient = factories.SurveyRecipientFactory(
            survey__cohort=world.cohort, participant=person
        )
        recipient.survey.responses.create(
            recipient=recipient, participant=person, submitted_at=recipient.sent_at
        )
        # Meetings and attendance: a recorded meeting of the persona's community and one of
        # the new community, an upcoming one, and the new community's plan.
        past = factories.MeetingFactory(
            community=world.community, starts_at=timezone.now() - timedelta(days=1 + i)
        )
        past.attendance.create(participant=person, status="present" if i % 3 else "excused")
        theirs = factories.MeetingFactory(
            community=community, starts_at=timezone.now() - timedelta(days=2 + i)
        )
        theirs.attendance.create(participant=person, status="present" if i % 2 else "absent")
        factories.MeetingFactory(community=community)
        factories.PlanPartFactory(plan__community=community)


def cohort_url(name):
    return lambda w: reverse(name, args=[w.cohort.slug])


def community_url(name):
    return lambda w: reverse(name, args=[w.cohort.slug, w.community.slug])


# (URL name, persona, URL): pinned here, the same count with 1 row of everything as with 50.
PAGES = [
    ("home", "staff", lambda w: reverse("home")),
    ("home", "leader", lambda w: reverse("home")),
    ("cohorts:dashboard", "staff", cohort_url("cohorts:dashboard")),
    ("cohorts:dashboard", "observer", cohort_url("cohorts:dashboard")),
    ("cohorts:participant-list", "staff", cohort_url("cohorts:participant-list")),
    ("cohorts:organization-list", "staff", cohort_url("cohorts:organization-list")),
    ("cohorts:community-list", "participant", cohort_url("cohorts:community-list")),
    ("cohorts:community-detail", "staff", lambda w: w.community.get_absolute_url()),
    ("cohorts:community-detail", "leader", lambda w: w.community.get_absolute_url()),
    ("cohorts:team", "staff", cohort_url("cohorts:team")),
    ("cohorts:topic-list", "staff", cohort_url("cohorts:topic-list")),
]


def survey_of(world):
    """One survey of the cohort with Pat among its recipients, made on first use."""
    if not hasattr(world, "survey"):
        world.survey = factories.SurveyFactory(cohort=world.cohort)
        world.recipient = factories.SurveyRecipientFactory(
            survey=world.survey, participant=world.participant_participant
        )
    return world.survey


def round_of(world):
    """One formation round of the cohort, by topics, made on first use."""
    if not hasattr(world, "round"):
        world.round = factories.FormationRoundFactory(cohort=world.cohort, method="topic")
    return world.round


def grow_communities_of_pat(world, n):
    for _ in range(n):
        community = factories.CommunityFactory(cohort=world.cohort)
        factories.MembershipFactory(community=community, participant=world.participant_participant)


def grow_questions(world, n):
    for _ in range(n):
        factories.QuestionFactory(survey=survey_of(world))


def grow_round_topics(world, n):
    for _ in range(n):
        factories.FormationTopicFactory(round=round_of(world))


def round_url(name):
    return lambda w: reverse(name, args=[w.cohort.slug, round_of(w).public_id])


# (URL name, persona, URL, what grows): pages that list rows of their own, not the cohort's.
OWN_ROWS = [
    (
        "cohorts:my-profile",
        "participant",
        cohort_url("cohorts:my-profile"),
        grow_communities_of_pat,
    ),
    (
        "planning:survey-detail",
        "staff",
        lambda w: reverse("planning:survey-detail", args=[w.cohort.slug, survey_of(w).public_id]),
        grow_questions,
    ),
    (
        "survey-answer",
        "anonymous",
        lambda w: reverse("survey-answer", args=[survey_of(w) and w.recipient.token]),
        grow_questions,
    ),
    ("cohorts:formation-topics", "staff", round_url("cohorts:formation-topics"), grow_round_topics),
]


# URL name -> the test beside the feature that pins its count with few rows and with many.
PINNED_BESIDE_THE_FEATURE = {
    "calendar-feed": "test_calendar.py::test_feed_query_count_is_flat",
    "cohorts:formation-detail": "test_formation_rounds.py::test_detail_query_count_is_flat",
    "cohorts:formation-list": "test_formation_rounds.py::test_list_query_count_is_flat",
    "cohorts:formation-people": "test_formation_rounds.py::test_people_query_count_is_flat",
    "cohorts:formation-review": (
        "test_formation_review.py::test_board_queries_do_not_grow_with_people_or_groups"
    ),
    "formation-answer": "test_formation_answer.py::test_answer_page_query_count_is_flat",
    "live-vote": "test_live.py::test_phone_pages_query_count_is_flat",
    "live-vote-state": "test_live.py::test_phone_pages_query_count_is_flat",
    "planning:common-needs": "test_voting.py::test_query_count_is_flat",
    "planning:interviews": "test_interviews.py::test_query_count_is_flat",
    "planning:interviews-setup": "test_interviews.py::test_query_count_is_flat",
    "planning:inventory": "test_inventory.py::test_inventory_page_query_count_is_flat",
    "planning:live-results": "test_live.py::test_live_results_query_count_is_flat",
    "planning:live-screen": "test_presenter.py::test_screen_query_count_is_flat",
    "planning:meeting-detail": "test_meetings.py::test_detail_query_count_is_flat_in_members",
    "planning:meetings": "test_meetings.py::test_list_query_count_is_flat",
    "planning:my-calendar": "test_calendar.py::test_my_calendar_query_count_is_flat",
    "planning:my-surveys": "test_answering.py::test_my_surveys_query_count_is_flat",
    "planning:plan": "test_plans.py::test_query_count_stays_flat",
    "planning:plan-list": "test_plan_review.py::test_the_plan_list_query_count_is_flat",
    "planning:plan-part": "test_plans.py::test_query_count_stays_flat",
    "planning:plan-template": "test_plans.py::test_query_count_stays_flat",
    "planning:plan-versions": "test_plan_review.py::test_the_versions_page_query_count_is_flat",
    "planning:survey-list": "test_surveys.py::test_list_query_count_is_flat",
    "planning:survey-recipients": (
        "test_survey_sending.py::test_recipients_page_query_count_is_flat"
    ),
    "planning:survey-results": "test_results.py::test_results_query_count_is_flat",
    "planning:web": "test_inventory.py::test_web_query_count_is_flat",
    "planning:web-svg": "test_inventory.py::test_web_query_count_is_flat",
}

FORM = "a form page for one object; it lists no rows that grow"
DOWNLOAD = "a file download, not a page; measured by `make bench`"
# Later stages' pins, named in their tests/matrix_<stage>.py as PINNED (same form as above).
for _stage in STAGE_MATRICES:
    PINNED_BESIDE_THE_FEATURE.update(getattr(_stage, "PINNED", {}))

EXEMPT = {
    "accept-invitation": "one invitation's page, for one person; it lists nothing",
    "healthz": "the health check: no list, at most one query",
    "live-join": "a form asking for a code; no database rows listed",
    "cohorts:cohort-create": FORM,
    "cohorts:cohort-edit": FORM,
    "cohorts:cohort-close": "a confirmation form about the cohort itself; it lists no rows",
    "cohorts:community-create": FORM,
    "cohorts:community-edit": FORM,
    "cohorts:organization-edit": FORM,
    "cohorts:participant-edit": FORM,
    "cohorts:topic-edit": FORM,
    "cohorts:formation-create": FORM,
    "cohorts:formation-edit": FORM,
    "cohorts:formation-entry": FORM,
    "cohorts:formation-upload": "an upload form; nothing listed until a file is sent",
    "cohorts:roster-import": "an upload form; nothing listed until a file is sent",
    "planning:meeting-create": FORM,
    "planning:meeting-edit": FORM,
    "planning:meeting-settings": FORM,
    "planning:meeting-schedule": "a form; the dates it proposes are listed only after a POST",
    "planning:plan-template-part": FORM,
    "planning:question-add": FORM,
    "planning:question-edit": FORM,
    "planning:survey-create": FORM,
    "planning:survey-edit": FORM,
    "cohorts:formation-progress": "an htmx fragment the review page polls: one status line",
    "planning:meeting-ics": DOWNLOAD,
    "planning:plan-pdf": DOWNLOAD,
    "planning:survey-export": DOWNLOAD,
    # Not pinned yet: pages that do list rows. Each is a gap, not a judgement that it is fine.
    "cohorts:formation-criteria": "NOT PINNED YET: lists a round's criteria",
    "planning:live-present": "NOT PINNED YET: one question with its live tallies",
    "planning:plan-print": "NOT PINNED YET: every part of one plan",
    "library-file": "a file download: one item, one file, no rows to grow",
}
# Later stages may exempt their own pages, with reasons, in EXEMPT of tests/matrix_<stage>.py.
for _stage in STAGE_MATRICES:
    EXEMPT.update(getattr(_stage, "EXEMPT", {}))


def get_pages():
    """URL names that answer a GET with a page for someone, as the permission matrix says."""
    return {
        name
        for name, (method, expected) in MATRIX.items()
        if method == "get" and 200 in expected.values()
    }


def test_every_get_page_is_pinned_or_exempt():
    pinned = {page[0] for page in PAGES + OWN_ROWS}
    beside = set(PINNED_BESIDE_THE_FEATURE)
    exempt = set(EXEMPT)
    assert not pinned & exempt, f"pinned and exempt at once: {sorted(pinned & exempt)}"
    assert not beside & exempt, f"pinned and exempt at once: {sorted(beside & exempt)}"
    pages = get_pages()
    missing = pages - pinned - beside - exempt
    stale = (pinned | beside | exempt) - pages
    assert not missing, f"GET pages with no query-count pin and no exemption: {sorted(missing)}"
    assert not stale, f"registry rows for URL names that are not GET pages: {sorted(stale)}"


@pytest.mark.parametrize("name", sorted(PINNED_BESIDE_THE_FEATURE))
def test_the_pin_beside_the_feature_exists(name):
    filename, test_name = PINNED_BESIDE_THE_FEATURE[name].split("::")
    module = importlib.import_module(f"tests.{filename.removesuffix('.py')}")
    assert callable(getattr(module, test_name, None)), f"{name}: no {test_name} in {filename}"


@pytest.mark.parametrize(
    ("page", "persona", "make_url"), PAGES, ids=[f"{p[0]}-{p[1]}" for p in PAGES]
)
def test_query_count_stays_flat(page, persona, make_url, world, client_for):
    client = client_for(persona)
    url = make_url(world)
    grow(world, 1)
    small, _ = count_queries(client, url)
    grow(world, 49)
    large, response = count_queries(client, url)
    assert large == small, f"{page} as {persona}: {small} queries with 1 row, {large} with 50"
    # The page really lists the rows it is measured on: the count is not flat by being empty.
    assert len(response.content) > 2000


@pytest.mark.parametrize(
    ("page", "persona", "make_url", "grow_rows"),
    OWN_ROWS,
    ids=[f"{p[0]}-{p[1]}" for p in OWN_ROWS],
)
def test_own_rows_query_count_stays_flat(
    page, persona, make_url, grow_rows, world, client_for, request
):
    client = client_for(persona)
    url = make_url(world)
    grow_rows(world, 1)
    small, _ = count_queries(client, url)
    grow_rows(world, 49)
    large, response = count_queries(client, url)
    assert large == small, f"{page} as {persona}: {small} queries with 1 row, {large} with 50"
    assert len(response.content) > 2000
