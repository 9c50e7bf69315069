"""Every list and dashboard page makes the same number of queries for 1 row as for 50.

The planning pages (surveys, results, live polls, inventory, web, votes, interviews) have
their own query-count tests beside their features: tests/test_surveys.py, test_answering.py,
test_results.py, test_live.py, test_inventory.py, test_web.py, test_voting.py and
test_interviews.py."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Membership
from tests import factories
from tests.queries import count_queries

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


PAGES = [
    ("home", "staff", lambda w: reverse("home")),
    ("home", "leader", lambda w: reverse("home")),
    ("dashboard", "staff", lambda w: reverse("cohorts:dashboard", args=[w.cohort.slug])),
    ("dashboard", "observer", lambda w: reverse("cohorts:dashboard", args=[w.cohort.slug])),
    ("participants", "staff", lambda w: reverse("cohorts:participant-list", args=[w.cohort.slug])),
    (
        "organizations",
        "staff",
        lambda w: reverse("cohorts:organization-list", args=[w.cohort.slug]),
    ),
    (
        "communities",
        "participant",
        lambda w: reverse("cohorts:community-list", args=[w.cohort.slug]),
    ),
    ("community", "staff", lambda w: w.community.get_absolute_url()),
    ("community", "leader", lambda w: w.community.get_absolute_url()),
    ("team", "staff", lambda w: reverse("cohorts:team", args=[w.cohort.slug])),
    ("topics", "staff", lambda w: reverse("cohorts:topic-list", args=[w.cohort.slug])),
]


@pytest.mark.parametrize(
    ("page", "persona", "make_url"), PAGES, ids=[p[0] + "-" + p[1] for p in PAGES]
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
