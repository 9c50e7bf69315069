"""Forming the groups again keeps what staff gave them: a name stays with the new group that
shares the most members with its old group (at least half of the new group), leaders stay
with their group, and a typed name that no group keeps is reported."""

import pytest

from cohorts.formation.services.carry_over import match_groups
from cohorts.formation.services.proposals import rename_group, save_solution, set_group_leaders
from cohorts.models import FormationProposal, FormationRound
from tests import factories

pytestmark = pytest.mark.django_db


def setup(world, n=9):
    rnd = factories.FormationRoundFactory(
        cohort=world.cohort, method=FormationRound.Method.CRITERIA, size_min=2, size_max=5
    )
    people = [
        factories.ParticipantFactory(cohort=world.cohort, name=f"P{i}", email=f"p{i}@ex.org")
        for i in range(n)
    ]
    for person in people:
        factories.FormationEntryFactory(round=rnd, participant=person)
    return rnd, people


def run(world, rnd, people, split):
    solution = {
        "groups": [
            {"id": f"g{i + 1}", "members": [str(people[k].public_id) for k in group]}
            for i, group in enumerate(split)
        ],
        "scores": {},
    }
    return save_solution(
        rnd, {}, solution, actor=world.users["staff"], source=FormationProposal.Source.ENGINE
    )


def names(proposal):
    return [g.name for g in proposal.groups.order_by("position")]


def test_match_groups_is_greedy_by_overlap_and_needs_half_of_the_new_group():
    old = [{1, 2, 3}, {4, 5, 6}, {7, 8, 9}]
    new = [{4, 5, 7}, {1, 2, 3}, {6, 8, 9}]
    assert sorted(match_groups(new, old)) == [(0, 1), (1, 0), (2, 2)]
    # One shared member of four is less than half: no match.
    assert match_groups([{1, 10, 11, 12}], old) == []
    # Two of four is half: a match.
    assert match_groups([{1, 2, 11, 12}], old) == [(0, 0)]


def test_names_typed_by_staff_stay_with_the_people_who_stay_together(world):
    rnd, people = setup(world)
    staff = world.users["staff"]
    first = run(world, rnd, people, [(0, 1, 2), (3, 4, 5), (6, 7, 8)])
    g = list(first.groups.order_by("position"))
    rename_group(g[0], "Rural boards", actor=staff)
    rename_group(g[1], "Fundraisers", actor=staff)
    rename_group(g[2], "Scattered", actor=staff)
    set_group_leaders(g[0], people[0], people[1], actor=staff)
    set_group_leaders(g[1], people[3], None, actor=staff)

    # Re-run: the first two groups swap places and keep most of their people; the third
    # is split up.
    second = run(world, rnd, people, [(3, 4, 6), (0, 1, 7), (2, 5, 8)])
    assert names(second) == ["Fundraisers", "Rural boards", "Group 3"]
    groups = list(second.groups.order_by("position"))
    assert (groups[1].leader, groups[1].co_leader) == (people[0], people[1])
    assert (groups[0].leader, groups[0].co_leader) == (people[3], None)
    assert groups[2].leader is None
    assert any("“Scattered” was not kept" in w for w in second.warnings)
    assert not any("Rural boards" in w for w in second.warnings)


def test_a_leader_who_moved_away_is_not_kept(world):
    rnd, people = setup(world, n=6)
    staff = world.users["staff"]
    first = run(world, rnd, people, [(0, 1, 2), (3, 4, 5)])
    g1 = first.groups.get(label="g1")
    rename_group(g1, "Keepers", actor=staff)
    set_group_leaders(g1, people[2], None, actor=staff)
    second = run(world, rnd, people, [(0, 1, 3), (2, 4, 5)])
    kept = second.groups.get(name="Keepers")
    assert kept.leader is None


def test_a_name_a_community_has_taken_since_is_not_kept(world):
    rnd, people = setup(world, n=6)
    first = run(world, rnd, people, [(0, 1, 2), (3, 4, 5)])
    rename_group(first.groups.get(label="g1"), "Taken", actor=world.users["staff"])
    factories.CommunityFactory(cohort=world.cohort, name="Taken")
    second = run(world, rnd, people, [(0, 1, 2), (3, 4, 5)])
    assert "Taken" not in names(second)
