"""Leaders for the communities a round publishes: staff choose a leader and a co-leader per
group on the review board; publishing gives them those roles; a community with no leader is
flagged on the cohort dashboard and on its page."""

import pytest
from django.urls import reverse

from cohorts.formation.services.proposals import move_member, save_solution, set_group_leaders
from cohorts.formation.services.publishing import publish
from cohorts.models import FormationProposal, FormationRound, Membership
from copkit.errors import ServiceError
from copkit.models import OutboxMessage
from tests import factories

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def two_groups(world):
    rnd = factories.FormationRoundFactory(
        cohort=world.cohort, method=FormationRound.Method.PREASSIGN, size_min=2, size_max=4
    )
    people = [
        factories.ParticipantFactory(cohort=world.cohort, name=f"Person {i}", email=f"p{i}@ex.org")
        for i in range(6)
    ]
    for person in people:
        factories.FormationEntryFactory(round=rnd, participant=person)
    solution = {
        "groups": [
            {"id": "g1", "members": [str(p.public_id) for p in people[:3]]},
            {"id": "g2", "members": [str(p.public_id) for p in people[3:]]},
        ],
        "scores": {},
    }
    proposal = save_solution(
        rnd, {}, solution, actor=world.users["staff"], source=FormationProposal.Source.ENGINE
    )
    return rnd, proposal, people


def review_url(rnd, name="review", **kwargs):
    return reverse(
        f"cohorts:formation-{name}",
        kwargs={"cohort_slug": rnd.cohort.slug, "round_id": rnd.public_id, **kwargs},
    )


def test_publishing_makes_the_chosen_people_leader_and_co_leader(world):
    rnd, proposal, people = two_groups(world)
    staff = world.users["staff"]
    g1 = proposal.groups.get(label="g1")
    set_group_leaders(g1, people[0], people[1], actor=staff)
    first, second = publish(rnd, actor=staff)
    roles = dict(first.memberships.values_list("participant__name", "role"))
    assert roles == {
        "Person 0": Membership.Role.LEADER,
        "Person 1": Membership.Role.CO_LEADER,
        "Person 2": Membership.Role.MEMBER,
    }
    assert not second.memberships.filter(role__in=Membership.LEADING_ROLES).exists()
    assert "asked you to lead" in OutboxMessage.objects.get(to_email=people[0].email).body_text
    assert "asked you to lead" not in OutboxMessage.objects.get(to_email=people[2].email).body_text


def test_leaders_must_be_two_different_members_of_the_group(world):
    _rnd, proposal, people = two_groups(world)
    staff = world.users["staff"]
    g1 = proposal.groups.get(label="g1")
    with pytest.raises(ServiceError, match="Person 4 is not in Group 1"):
        set_group_leaders(g1, people[4], None, actor=staff)
    with pytest.raises(ServiceError, match="two different people"):
        set_group_leaders(g1, people[0], people[0], actor=staff)
    g1.refresh_from_db()
    assert g1.leader is None
    # The valid choice goes through; a co-leader alone becomes the leader.
    set_group_leaders(g1, None, people[2], actor=staff)
    g1.refresh_from_db()
    assert (g1.leader, g1.co_leader) == (people[2], None)


def test_moving_a_leader_out_of_the_group_clears_the_choice(world):
    _rnd, proposal, people = two_groups(world)
    staff = world.users["staff"]
    g1, g2 = proposal.groups.get(label="g1"), proposal.groups.get(label="g2")
    set_group_leaders(g1, people[0], people[1], actor=staff)
    move_member(proposal, people[1], g2, actor=staff)
    g1.refresh_from_db()
    assert (g1.leader, g1.co_leader) == (people[0], None)


def test_board_offers_leader_selects_and_saves_them(world, client_for):
    rnd, proposal, people = two_groups(world)
    staff = client_for("staff")
    html = staff.get(review_url(rnd)).content.decode()
    g1 = proposal.groups.get(label="g1")
    assert f'id="leader-{g1.public_id}"' in html and f'id="co-leader-{g1.public_id}"' in html
    assert "2 groups have no leader chosen" in html

    url = review_url(rnd, "group-leaders", group_id=g1.public_id)
    # Someone of the other group is refused, and nothing changes.
    response = staff.post(url, {"leader": str(people[4].public_id)}, **HTMX)
    assert "Choose the leaders from the people in the group" in response.content.decode()
    g1.refresh_from_db()
    assert g1.leader is None
    response = staff.post(
        url, {"leader": str(people[0].public_id), "co_leader": str(people[1].public_id)}, **HTMX
    )
    html = response.content.decode()
    assert "Group 1 will be led by Person 0 and Person 1." in html
    assert f'<option value="{people[0].public_id}" selected>' in html
    assert "1 group has no leader chosen" in html
    g1.refresh_from_db()
    assert (g1.leader, g1.co_leader) == (people[0], people[1])


def test_outsider_of_another_cohort_cannot_set_leaders(world, client_for):
    rnd, proposal, people = two_groups(world)
    g1 = proposal.groups.get(label="g1")
    url = review_url(rnd, "group-leaders", group_id=g1.public_id)
    response = client_for("outsider").post(url, {"leader": str(people[0].public_id)})
    assert response.status_code == 404
    g1.refresh_from_db()
    assert g1.leader is None


def test_a_community_without_a_leader_is_flagged_on_the_dashboard_and_its_page(world, client_for):
    rnd, _proposal, _people = two_groups(world)
    first, _second = publish(rnd, actor=world.users["staff"])
    staff = client_for("staff")
    dashboard = staff.get(reverse("cohorts:dashboard", kwargs={"cohort_slug": world.cohort.slug}))
    assert "communities have no leader yet" in dashboard.content.decode()
    page = staff.get(first.get_absolute_url()).content.decode()
    assert 'id="no-leader"' in page and "This community has no leader yet." in page
    # A community with a leader is not flagged.
    led = client_for("leader").get(world.community.get_absolute_url()).content.decode()
    assert 'id="no-leader"' not in led
