"""The formation services: building the engine's problem from a round, running it, storing and
editing proposals, CSV uploads and publishing."""

import pytest

from cohorts.models import (
    Activity,
    FormationLock,
    FormationProposal,
    FormationRound,
)
from cohorts.services import formation
from cohorts.services.formation import ServiceError
from tests import factories

pytestmark = pytest.mark.django_db


def make_round(world, n=8, **kwargs):
    kwargs.setdefault("method", FormationRound.Method.PREASSIGN)
    kwargs.setdefault("size_min", 3)
    kwargs.setdefault("size_max", 5)
    rnd = factories.FormationRoundFactory(cohort=world.cohort, **kwargs)
    people = [
        factories.ParticipantFactory(
            cohort=world.cohort, name=f"Person {i:02d}", email=f"person{i:02d}@example.org"
        )
        for i in range(n)
    ]
    for person in people:
        factories.FormationEntryFactory(round=rnd, participant=person)
    return rnd, people


def pid(person):
    return str(person.public_id)


def proposal_of(rnd, people, split, actor, problem=None):
    """Save a proposal whose groups are people[a:b] for each (a, b) in split."""
    solution = {
        "groups": [
            {"id": f"g{pos + 1}", "members": [pid(p) for p in people[a:b]]}
            for pos, (a, b) in enumerate(split)
        ],
        "scores": {},
    }
    problem = problem or {
        "method": "preassign",
        "group_size": {"min": rnd.size_min, "max": rnd.size_max},
        "participants": [{"id": pid(p)} for p in people],
    }
    return formation.save_solution(
        rnd, problem, solution, actor=actor, source=FormationProposal.Source.ENGINE
    )


def members_of(group):
    return sorted(m.participant.name for m in group.members.select_related("participant"))


# -- save_solution, current_proposal -----------------------------------------------------------


def test_save_solution_stores_groups_members_and_sets_review(world):
    rnd, people = make_round(world, n=8)
    assert formation.current_proposal(rnd) is None
    first = proposal_of(rnd, people, [(0, 4), (4, 8)], world.users["staff"])
    second = proposal_of(rnd, people, [(0, 3), (3, 8)], world.users["staff"])
    assert (first.number, second.number) == (1, 2)
    assert formation.current_proposal(rnd) == second
    groups = list(second.groups.all())
    assert [g.name for g in groups] == ["Group 1", "Group 2"]
    assert [g.label for g in groups] == ["g1", "g2"]
    assert members_of(groups[0]) == ["Person 00", "Person 01", "Person 02"]
    rnd.refresh_from_db()
    assert rnd.status == FormationRound.Status.REVIEW
    assert Activity.objects.filter(verb="formed groups").count() == 2


def test_save_solution_names_topic_groups_after_their_topic(world):
    rnd, people = make_round(world, n=9, method=FormationRound.Method.TOPIC)
    boards = factories.FormationTopicFactory(round=rnd, name="Board development", position=0)
    money = factories.FormationTopicFactory(round=rnd, name="Fundraising", position=1)
    solution = {
        "groups": [
            {
                "id": "g1",
                "members": [pid(p) for p in people[:3]],
                "topic": pid(boards),
                "no_choice": [],
            },
            {"id": "g2", "members": [pid(p) for p in people[3:6]], "topic": pid(boards)},
            {"id": "g3", "members": [pid(p) for p in people[6:]], "topic": pid(money)},
        ],
        "scores": {"first_choice": 9},
    }
    proposal = formation.save_solution(
        rnd, {}, solution, actor=world.users["staff"], source=FormationProposal.Source.ENGINE
    )
    groups = list(proposal.groups.all())
    assert [g.name for g in groups] == ["Board development 1", "Board development 2", "Fundraising"]
    assert [g.topic for g in groups] == [boards, boards, money]
    assert groups[0].details == {"topic": pid(boards), "no_choice": []}
    assert proposal.scores == {"first_choice": 9}


# -- move_member -------------------------------------------------------------------------------


def test_move_member_moves_and_rescores(world):
    rnd, people = make_round(world, n=8)
    proposal = proposal_of(rnd, people, [(0, 4), (4, 8)], world.users["staff"])
    _g1, g2 = proposal.groups.all()
    formation.move_member(proposal, people[0], g2, actor=world.users["staff"])
    assert members_of(g2) == [f"Person {i:02d}" for i in (0, 4, 5, 6, 7)]
    proposal.refresh_from_db()
    assert proposal.edited_at is not None
    assert proposal.scores == {"groups": 2, "smallest": 3, "largest": 5}
    assert Activity.objects.filter(verb="moved person").exists()


def test_move_member_refuses_over_the_largest_size(world):
    rnd, people = make_round(world, n=8, size_max=4)
    proposal = proposal_of(rnd, people, [(0, 4), (4, 8)], world.users["staff"])
    g1, g2 = proposal.groups.all()
    with pytest.raises(ServiceError, match="Group 2 already has 4 people"):
        formation.move_member(proposal, people[0], g2, actor=world.users["staff"])
    assert members_of(g1)[0] == "Person 00"
    # Once there is room, the same move goes through.
    formation.add_group(proposal, actor=world.users["staff"])
    g3 = proposal.groups.get(label="g3")
    formation.move_member(proposal, people[4], g3, actor=world.users["staff"])
    formation.move_member(proposal, people[0], g2, actor=world.users["staff"])
    assert "Person 00" in members_of(g2)


def test_move_member_refuses_to_break_a_together_lock(world):
    rnd, people = make_round(world, n=8)
    proposal = proposal_of(rnd, people, [(0, 4), (4, 8)], world.users["staff"])
    _g1, g2 = proposal.groups.all()
    staff = world.users["staff"]
    lock = formation.add_lock(rnd, people[0], people[1], FormationLock.Kind.TOGETHER, actor=staff)
    with pytest.raises(ServiceError, match="Person 00 and Person 01 are locked together"):
        formation.move_member(proposal, people[0], g2, actor=staff)
    formation.remove_lock(lock, actor=staff)
    formation.move_member(proposal, people[0], g2, actor=staff)


def test_move_member_refuses_to_break_an_apart_lock(world):
    rnd, people = make_round(world, n=8)
    proposal = proposal_of(rnd, people, [(0, 4), (4, 8)], world.users["staff"])
    _g1, g2 = proposal.groups.all()
    staff = world.users["staff"]
    formation.add_lock(rnd, people[5], people[0], FormationLock.Kind.APART, actor=staff)
    with pytest.raises(ServiceError, match="locked apart, and Person 05 is in Group 2"):
        formation.move_member(proposal, people[0], g2, actor=staff)
    formation.move_member(proposal, people[1], g2, actor=staff)


def test_move_member_refuses_an_older_proposal(world):
    rnd, people = make_round(world, n=8)
    old = proposal_of(rnd, people, [(0, 4), (4, 8)], world.users["staff"])
    proposal_of(rnd, people, [(0, 4), (4, 8)], world.users["staff"])
    with pytest.raises(ServiceError, match="older proposal"):
        formation.move_member(old, people[0], old.groups.last(), actor=world.users["staff"])


# -- groups: add, rename -----------------------------------------------------------------------


def test_add_group_and_rename(world):
    rnd, people = make_round(world, n=8)
    proposal = proposal_of(rnd, people, [(0, 4), (4, 8)], world.users["staff"])
    staff = world.users["staff"]
    group = formation.add_group(proposal, actor=staff)
    assert (group.label, group.name, group.position) == ("g3", "Group 3", 2)
    named = formation.add_group(proposal, actor=staff, name="Rural partners")
    assert named.name == "Rural partners"
    formation.rename_group(group, "  Food access  ", actor=staff)
    group.refresh_from_db()
    assert group.name == "Food access"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("   ", "Please give the group a name"),
        ("group 2", "already called “group 2”"),
        ("Board Builders", "already a community called “Board Builders”"),
    ],
)
def test_rename_group_refusals(world, name, message):
    rnd, people = make_round(world, n=8)
    proposal = proposal_of(rnd, people, [(0, 4), (4, 8)], world.users["staff"])
    group = proposal.groups.first()
    with pytest.raises(ServiceError, match=message):
        formation.rename_group(group, name, actor=world.users["staff"])
    group.refresh_from_db()
    assert group.name == "Group 1"
    formation.rename_group(group, "Group 1b", actor=world.users["staff"])


# -- locks -------------------------------------------------------------------------------------


def test_add_lock_refusals(world):
    rnd, people = make_round(world, n=4)
    staff = world.users["staff"]
    outsider = factories.ParticipantFactory(cohort=world.cohort, name="Olga Outside")
    together = FormationLock.Kind.TOGETHER
    with pytest.raises(ServiceError, match="Person 00 was picked twice"):
        formation.add_lock(rnd, people[0], people[0], together, actor=staff)
    with pytest.raises(ServiceError, match="Olga Outside is not taking part"):
        formation.add_lock(rnd, people[0], outsider, together, actor=staff)
    with pytest.raises(ServiceError, match="together or apart"):
        formation.add_lock(rnd, people[0], people[1], "sideways", actor=staff)
    lock = formation.add_lock(rnd, people[0], people[1], together, actor=staff)
    assert lock.kind == together
    with pytest.raises(ServiceError, match="already locked together"):
        formation.add_lock(rnd, people[1], people[0], FormationLock.Kind.APART, actor=staff)
    formation.remove_lock(lock, actor=staff)
    assert not rnd.locks.exists()
    assert Activity.objects.filter(verb="removed lock").exists()
