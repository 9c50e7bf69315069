"""The pages of the phases and the transition: staff's Transition page (the suggested
timeline, saving it, bad input beside its field, each COP's phase and sunset plan with the
counts), staff's phase form for one COP, the phase on the community page and list, and the
to-do on the home pages. Every list's query count stays flat."""

import datetime
from datetime import UTC, timedelta

import pytest
import time_machine
from django.urls import reverse

from cohorts.models import Community, Membership
from planning.models import SunsetState
from planning.sunset import phases, timeline
from tests import factories
from tests.matrix_sunset_phases import MATRIX, url_for
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

Phase = Community.Phase
START = datetime.date(2027, 5, 5)  # eight weeks before the world's cohort ends


def noon(day):
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=UTC)


def grow(world, n):
    """`n` more communities in every phase and sunset progress."""
    for i in range(n):
        community = factories.CommunityFactory(
            cohort=world.cohort, phase=list(Phase.values)[i % len(Phase.values)]
        )
        factories.MembershipFactory(community=community, role=Membership.Role.LEADER)
        factories.MembershipFactory(community=community)
        if i % 3:
            SunsetState.objects.create(community=community, sunset_started_at=noon(START))


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_query_count_is_flat(name, world, client_for):
    client = client_for("staff")
    url = url_for(name, world)
    grow(world, 1)
    small, _ = count_queries(client, url)
    grow(world, 20)
    large, response = count_queries(client, url)
    assert large == small, f"{name}: {small} queries with 1 row, {large} with 21"
    assert len(response.content) > 2000


def test_the_transition_page_suggests_eight_weeks_before_the_end(world, client_for):
    response = client_for("staff").get(reverse("planning:transition", args=[world.cohort.slug]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="2027-05-05"' in page  # suggested, not saved
    assert "Nothing is set yet" in page
    assert "end of the program does not have to be the end" in page


def test_staff_save_the_timeline_and_bad_input_stays_beside_its_field(world, client_for):
    client = client_for("staff")
    url = reverse("planning:transition", args=[world.cohort.slug])
    bad = client.post(
        url,
        {
            "starts_on": "2027-08-01",  # after the program's end
            "start_plans_by": "not a date",
            "finish_plans_by": "",
            "message": "",
        },
    )
    assert bad.status_code == 200
    form = bad.context["form"]
    assert set(form.errors) == {"starts_on", "start_plans_by", "message"}
    assert "before the program ends" in form.errors["starts_on"][0]
    good = client.post(
        url,
        {
            "starts_on": "2027-05-05",
            "start_plans_by": "2027-05-26",
            "finish_plans_by": "2027-06-16",
            "message": "Our program ends on June 30. Your COP can go on.",
        },
    )
    assert good.status_code == 302
    transition = world.cohort.transition
    assert transition.starts_on == START
    assert transition.message == "Our program ends on June 30. Your COP can go on."
    page = client.get(url).content.decode()
    assert "Sunsetting starts on May 5, 2027" in page


def test_a_finish_day_before_the_start_is_refused(world, client_for):
    response = client_for("staff").post(
        reverse("planning:transition", args=[world.cohort.slug]),
        {
            "starts_on": "2027-05-05",
            "start_plans_by": "2027-05-26",
            "finish_plans_by": "2027-05-20",
            "message": "x",
        },
    )
    assert "finish_plans_by" in response.context["form"].errors


def test_the_transition_page_lists_phase_and_sunset_progress_with_counts(world, client_for):
    agreed = factories.CommunityFactory(cohort=world.cohort, name="Grant Writers")
    SunsetState.objects.create(
        community=agreed, sunset_started_at=noon(START), sunset_agreed_at=noon(START)
    )
    phases.refresh(agreed)
    phases.set_override(world.community, Phase.CLOSED, actor=world.staff)
    response = client_for("staff").get(reverse("planning:transition", args=[world.cohort.slug]))
    rows = {row.name: row for row in response.context["rows"]}
    assert rows["Grant Writers"].progress == SunsetState.Progress.AGREED
    assert rows["Grant Writers"].phase == Phase.CONTINUING
    assert rows["Board Builders"].progress == SunsetState.Progress.NOT_STARTED
    counts = dict(response.context["progress_counts"])
    assert counts["Agreed"] == 1 and counts["Not started"] == 1
    page = response.content.decode()
    assert "set by staff" in page and "(follows its state)" in page


def test_staff_set_and_clear_a_communitys_phase(world, client_for):
    client = client_for("staff")
    url = reverse("planning:community-phase", args=[world.cohort.slug, world.community.slug])
    refused = client.post(url, {"phase": "nonsense"})
    assert refused.status_code == 200 and "phase" in refused.context["form"].errors
    assert client.post(url, {"phase": Phase.CLOSED}).status_code == 302
    world.community.refresh_from_db()
    assert world.community.phase == Phase.CLOSED and world.community.phase_set_by_staff
    detail = client.get(world.community.get_absolute_url()).content.decode()
    assert "phase set by staff" in detail
    listing = client.get(reverse("cohorts:community-list", args=[world.cohort.slug]))
    assert "set by staff" in listing.content.decode()
    assert client.post(url, {"phase": ""}).status_code == 302
    world.community.refresh_from_db()
    assert world.community.phase == Phase.DEFINING and not world.community.phase_set_by_staff
    detail = client.get(world.community.get_absolute_url()).content.decode()
    assert "phase follows its state" in detail


def test_leaders_cannot_set_the_phase(world, client_for):
    url = reverse("planning:community-phase", args=[world.cohort.slug, world.community.slug])
    assert client_for("leader").post(url, {"phase": Phase.CLOSED}).status_code == 403
    world.community.refresh_from_db()
    assert world.community.phase_override == ""


def test_the_community_form_no_longer_sets_the_phase(world, client_for):
    response = client_for("staff").get(
        reverse("cohorts:community-edit", args=[world.cohort.slug, world.community.slug])
    )
    assert "phase" not in response.context["form"].fields


# -- home --------------------------------------------------------------------------------------


def sunsetting(world):
    with time_machine.travel(noon(START - timedelta(days=30)), tick=False):
        timeline.save_timeline(
            world.cohort,
            actor=world.staff,
            starts_on=START,
            start_plans_by=START + timedelta(weeks=3),
            finish_plans_by=datetime.date(2027, 6, 16),
            message="",
        )


def test_a_sunsetting_leader_is_asked_to_start_then_finish_the_sunset_plan(world, client_for):
    sunsetting(world)
    with time_machine.travel(noon(START + timedelta(days=1)), tick=True):
        client = client_for("leader")  # logged in at the travelled time: the session holds
        phases.refresh(world.community)
        page = client.get(reverse("home")).content.decode()
        assert "Start the sunset plan" in page
        phases.mark_sunset_started(world.community)
        page = client.get(reverse("home")).content.decode()
        assert "Finish the sunset plan" in page and "June 16, 2027" in page
        phases.mark_sunset_submitted(world.community)
        page = client.get(reverse("home")).content.decode()
        assert "Finish the sunset plan" not in page and "Start the sunset plan" not in page


def test_a_continuing_leader_is_still_asked_to_record_attendance(world, client_for):
    sunsetting(world)
    with time_machine.travel(noon(datetime.date(2027, 7, 20)), tick=True):
        phases.mark_sunset_agreed(world.community)
        factories.MeetingFactory(
            community=world.community,
            title="July meeting",
            starts_at=noon(datetime.date(2027, 7, 14)),
        )
        page = client_for("leader").get(reverse("home")).content.decode()
    assert "Record who came to “July meeting”" in page
    assert "sunset plan" not in page.lower()


def test_staff_are_asked_to_set_the_transition_near_the_end(world, client_for):
    with time_machine.travel(noon(datetime.date(2027, 1, 10)), tick=True):
        client = client_for("staff")
        assert "Set the transition" not in client.get(reverse("home")).content.decode()
    with time_machine.travel(noon(datetime.date(2027, 4, 20)), tick=True):
        client.force_login(world.staff)
        assert "Set the transition" in client.get(reverse("home")).content.decode()
        sunsetting(world)
        assert "Set the transition" not in client.get(reverse("home")).content.decode()


def test_the_home_page_count_stays_flat_with_sunsetting_communities(world, client_for):
    sunsetting(world)

    def lead_more(n):
        for _ in range(n):
            community = factories.CommunityFactory(cohort=world.cohort)
            factories.MembershipFactory(
                community=community,
                participant=world.leader_participant,
                role=Membership.Role.LEADER,
            )
            factories.MembershipFactory(community=community)

    with time_machine.travel(noon(START + timedelta(days=1)), tick=True):
        client = client_for("leader")
        lead_more(1)
        phases.refresh_cohort(world.cohort)
        small, _ = count_queries(client, reverse("home"))
        lead_more(20)
        phases.refresh_cohort(world.cohort)
        large, response = count_queries(client, reverse("home"))
    assert large == small
    assert response.content.decode().count("Start the sunset plan") == 22
