"""A leader's home page shows the real next steps of each community they lead, each with its
link: a plan returned with comments, plan parts left, attendance not recorded for a past
meeting, a survey to answer, no meeting scheduled; the phase's step only when nothing else is
pending. The page's query count stays flat however many communities the person leads."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.guidance import LEADER_NEXT_STEP
from cohorts.models import Community, Membership
from planning.models import ActionPlan
from planning.plans.parts import PARTS
from tests import factories
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

Phase = Community.Phase


def community_url(world, name, **kwargs):
    return reverse(
        name,
        kwargs={"cohort_slug": world.cohort.slug, "community_slug": world.community.slug, **kwargs},
    )


def home_of(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def set_phase(world, phase):
    world.community.phase = phase
    world.community.save(update_fields=["phase"])


def scheduled(world):
    """A meeting coming up, so "no meeting scheduled" is not among the steps."""
    return factories.MeetingFactory(community=world.community)


def test_a_returned_plan_asks_the_leader_to_revise_it(world, client):
    scheduled(world)
    factories.ActionPlanFactory(community=world.community, status=ActionPlan.Status.RETURNED)
    page = home_of(client, world.leader)
    assert "came back with comments" in page
    assert f'href="{community_url(world, "planning:plan")}">Revise the plan' in page
    # The phase's generic step is gone: something real is pending.
    assert str(LEADER_NEXT_STEP[Phase.FORMING])[:40] not in page


def test_plan_parts_left_are_counted(world, client):
    scheduled(world)
    set_phase(world, Phase.DEFINING)
    part = factories.PlanPartFactory(plan__community=world.community)
    assert part.complete
    page = home_of(client, world.leader)
    assert f"{len(PARTS) - 1} of {len(PARTS)} parts of your action plan are left" in page
    assert "Continue the plan" in page


def test_a_plan_not_started_in_the_defining_phase_is_a_step(world, client):
    scheduled(world)
    set_phase(world, Phase.DEFINING)
    page = home_of(client, world.leader)
    assert f"{len(PARTS)} of {len(PARTS)} parts" in page
    assert "Start the plan" in page


def test_a_past_meeting_without_attendance_asks_for_it(world, client):
    scheduled(world)
    past = factories.MeetingFactory(
        community=world.community,
        title="Kick-off",
        starts_at=timezone.now() - timedelta(days=3),
    )
    recorded = factories.MeetingFactory(
        community=world.community, starts_at=timezone.now() - timedelta(days=30)
    )
    recorded.attendance.create(participant=world.participant_participant, status="present")
    page = home_of(client, world.leader)
    assert "Record who came to “Kick-off”" in page
    url = community_url(world, "planning:meeting-attendance", meeting_id=past.public_id)
    assert f'href="{url}">Record attendance' in page
    assert recorded.title not in page
    # Recorded: the step goes.
    past.attendance.create(participant=world.participant_participant, status="present")
    assert "Record who came" not in home_of(client, world.leader)


def test_a_survey_of_the_community_to_answer_is_a_step(world, client):
    scheduled(world)
    survey = factories.SurveyFactory(
        cohort=world.cohort, community=world.community, title="Meeting times", status="open"
    )
    link = factories.SurveyRecipientFactory(survey=survey, participant=world.leader_participant)
    page = home_of(client, world.leader)
    assert f'href="{link.get_answer_url()}">Answer the survey' in page
    # Once, in the community's steps, not also among the cohort's asks.
    assert page.count(link.get_answer_url()) == 1


def test_no_meeting_scheduled_is_a_step(world, client):
    page = home_of(client, world.leader)
    assert "No meeting is scheduled" in page
    assert f'href="{community_url(world, "planning:meetings")}">Schedule a meeting' in page
    # A cancelled meeting does not count as scheduled.
    meeting = scheduled(world)
    meeting.cancelled_at = timezone.now()
    meeting.save()
    assert "No meeting is scheduled" in home_of(client, world.leader)


def test_the_phase_step_shows_only_when_nothing_is_pending(world, client):
    scheduled(world)
    page = home_of(client, world.leader)
    assert "Your next steps" not in page
    assert "Welcome your members and agree a first meeting" in page


def test_members_keep_the_phase_step(world, client):
    factories.ActionPlanFactory(community=world.community, status=ActionPlan.Status.RETURNED)
    page = home_of(client, world.participant)
    assert "Revise the plan" not in page
    assert "No meeting is scheduled" not in page


def test_a_closed_community_asks_nothing_of_its_leader(world, client):
    set_phase(world, Phase.CONTINUING)
    page = home_of(client, world.leader)
    assert "No meeting is scheduled" not in page
    assert str(LEADER_NEXT_STEP[Phase.CONTINUING]) in page


def lead_communities(world, n):
    """n more communities led by Lee, each with something pending of every kind."""
    for _ in range(n):
        community = factories.CommunityFactory(cohort=world.cohort, phase=Phase.DEFINING)
        factories.MembershipFactory(
            community=community, participant=world.leader_participant, role=Membership.Role.LEADER
        )
        factories.PlanPartFactory(plan__community=community)
        factories.MeetingFactory(community=community, starts_at=timezone.now() - timedelta(days=2))
        survey = factories.SurveyFactory(cohort=world.cohort, community=community, status="open")
        factories.SurveyRecipientFactory(survey=survey, participant=world.leader_participant)


def test_home_query_count_is_flat_with_one_and_many_led_communities(world, client):
    client.force_login(world.leader)
    lead_communities(world, 1)
    small, _ = count_queries(client, reverse("home"))
    lead_communities(world, 30)
    large, response = count_queries(client, reverse("home"))
    assert large == small, f"{small} queries leading 2 communities, {large} leading 32"
    assert response.content.decode().count("Record attendance") == 31
