"""The formation services: building the engine's problem from a round, running it, storing and
editing proposals, CSV uploads and publishing."""

from unittest import mock

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


# -- build_problem -----------------------------------------------------------------------------


def test_build_problem_matching_drops_outside_and_self_choices_with_a_warning(world):
    rnd, people = make_round(world, n=6, method=FormationRound.Method.MATCHING)
    gone = factories.ParticipantFactory(cohort=world.cohort, name="Gina Gone")
    entry = rnd.entries.get(participant=people[0])
    entry.choices = [pid(people[1]), pid(gone), pid(people[0]), pid(people[1]), "not-an-id"]
    entry.save()
    problem, warnings = formation.build_problem(rnd)
    first = next(p for p in problem["participants"] if p["id"] == pid(people[0]))
    assert first["choices"] == [pid(people[1])]
    assert problem["method"] == "matching"
    assert problem["group_size"] == {"min": 3, "max": 5}
    assert problem["seed"] == rnd.seed
    assert any("Person 00 chose Gina Gone, who is not in this round" in w for w in warnings)
    # The round still forms groups, and the proposal keeps the warning.
    proposal = formation.run_round(rnd, actor=world.users["staff"])
    assert proposal.source == FormationProposal.Source.ENGINE
    assert any("Gina Gone" in w for w in proposal.warnings)
    assert sum(g.members.count() for g in proposal.groups.all()) == 6
    assert "choices_kept" in proposal.scores


def test_build_problem_topic_rankings_and_caps(world):
    rnd, people = make_round(world, n=6, method=FormationRound.Method.TOPIC)
    boards = factories.FormationTopicFactory(round=rnd, name="Boards", cap=6, position=0)
    money = factories.FormationTopicFactory(round=rnd, name="Money", position=1)
    entry = rnd.entries.get(participant=people[0])
    entry.ranking = [pid(money), "a-removed-topic", pid(boards), pid(money)]
    entry.save()
    problem, _warnings = formation.build_problem(rnd)
    assert problem["topics"] == [{"id": pid(boards), "cap": 6}, {"id": pid(money)}]
    first = next(p for p in problem["participants"] if p["id"] == pid(people[0]))
    assert first["ranking"] == [pid(money), pid(boards)]
    proposal = formation.run_round(rnd, actor=world.users["staff"])
    assert all(g.topic in (boards, money) for g in proposal.groups.all())


def test_build_problem_topic_round_without_topics(world):
    rnd, _people = make_round(world, n=6, method=FormationRound.Method.TOPIC)
    with pytest.raises(ServiceError, match="Add at least one subject area"):
        formation.build_problem(rnd)


def test_build_problem_criteria_attributes(world):
    rnd, people = make_round(
        world,
        n=6,
        method=FormationRound.Method.CRITERIA,
        criteria=[
            {"attribute": "expertise", "rule": "mix", "weight": 2},
            {"attribute": "format", "rule": "similar", "weight": 3},
            {"attribute": "region", "rule": "similar", "weight": 1},
            {"attribute": "org_type", "rule": "mix", "weight": 1},
            {"attribute": "commitment", "rule": "similar", "weight": 1},
            {"attribute": "mission", "rule": "mix", "weight": 1},
        ],
    )
    first = people[0]
    first.expertise = "Grant Writing, Boards"
    first.format_preference = "virtual"
    first.save()
    first.organization.state = "MD"
    first.organization.kind = "Food bank"
    first.organization.save()
    rnd.entries.filter(participant=first).update(answers={"commitment": "3"})
    problem, warnings = formation.build_problem(rnd)
    attrs = next(p for p in problem["participants"] if p["id"] == pid(first))["attributes"]
    assert attrs == {
        "expertise": ["grant writing", "boards"],
        "format": "virtual",
        "region": "MD",
        "org_type": "food bank",
        "commitment": 3,
    }
    assert [c["attribute"] for c in problem["criteria"]] == [
        "expertise",
        "format",
        "region",
        "org_type",
        "commitment",
    ]
    assert warnings == ["Nobody has an answer for “Organizational mission” yet, so it is left out."]
    proposal = formation.run_round(rnd, actor=world.users["staff"])
    assert "worst_group_score" in proposal.scores
    assert "criteria" in proposal.groups.first().details


def test_build_problem_criteria_needs_a_criterion(world):
    rnd, _people = make_round(world, n=6, method=FormationRound.Method.CRITERIA)
    with pytest.raises(ServiceError, match="Pick at least one criterion"):
        formation.build_problem(rnd)


def test_build_problem_map_uses_the_organization_and_names_who_has_no_place(world):
    rnd, people = make_round(world, n=6, method=FormationRound.Method.MAP)
    for i, person in enumerate(people):
        person.organization.latitude, person.organization.longitude = 38 + i, -77 - i
        person.organization.save()
    people[0].latitude, people[0].longitude = 40.0, -75.0
    people[0].save()
    problem, _warnings = formation.build_problem(rnd)
    places = {p["id"]: p["location"] for p in problem["participants"]}
    assert places[pid(people[0])] == {"lat": 40.0, "lon": -75.0}
    assert places[pid(people[1])] == {"lat": 39, "lon": -78}
    proposal = formation.run_round(rnd, actor=world.users["staff"])
    assert "spread_km" in proposal.groups.first().details

    org = people[2].organization
    org.latitude = org.longitude = None
    org.save()
    with pytest.raises(ServiceError, match=r"Person 02 has none\. Add a ZIP code"):
        formation.build_problem(rnd)


def test_build_problem_locks_become_pairs(world):
    rnd, people = make_round(world, n=6)
    factories.FormationLockFactory(round=rnd, first=people[0], second=people[1])
    factories.FormationLockFactory(
        round=rnd, first=people[2], second=people[3], kind=FormationLock.Kind.APART
    )
    problem, _warnings = formation.build_problem(rnd)
    assert problem["together"] == [[pid(people[0]), pid(people[1])]]
    assert problem["apart"] == [[pid(people[2]), pid(people[3])]]
    assert problem["method"] == "preassign"


def test_build_problem_empty_round(world):
    rnd = factories.FormationRoundFactory(cohort=world.cohort)
    with pytest.raises(ServiceError, match="Nobody takes part in this round yet"):
        formation.build_problem(rnd)
    with pytest.raises(ServiceError, match="Nobody takes part"):
        formation.run_round(rnd, actor=world.users["staff"])


@pytest.mark.parametrize(
    ("sizes", "message"),
    [
        ({"size_min": 4, "size_max": 5}, "7 people cannot make groups of 4 to 5"),
        ({"size_min": 5, "size_max": 3}, "smallest group size must be at least 1"),
        ({"size_mode": "count", "group_count": 9}, "7 people cannot make 9 groups"),
        ({"size_mode": "count", "group_count": None}, "Set how many groups"),
    ],
)
def test_build_problem_sizes_that_cannot_work(world, sizes, message):
    rnd, _people = make_round(world, n=7, **sizes)
    with pytest.raises(ServiceError, match=message):
        formation.build_problem(rnd)


def test_run_round_says_which_locks_cannot_hold_by_name(world):
    rnd, people = make_round(world, n=8, size_min=2, size_max=3)
    staff = world.users["staff"]
    for other in people[1:4]:
        formation.add_lock(rnd, people[0], other, FormationLock.Kind.TOGETHER, actor=staff)
    with pytest.raises(ServiceError) as refused:
        formation.run_round(rnd, actor=staff)
    message = str(refused.value)
    assert "4 people are locked together (Person 00, Person 01" in message
    assert pid(people[0]) not in message


# -- running -----------------------------------------------------------------------------------


def test_run_round_over_the_threshold_is_queued(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    from cohorts import tasks

    monkeypatch.setattr(formation, "BACKGROUND_FROM", 5)
    rnd, _people = make_round(world, n=8)
    staff = world.users["staff"]
    with (
        mock.patch.object(tasks.run_formation_round, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert formation.run_round(rnd, actor=staff) is None
    delay.assert_called_once_with(rnd.pk, staff.pk)
    rnd.refresh_from_db()
    assert rnd.run_state == FormationRound.RunState.QUEUED
    assert rnd.run_progress == 0
    assert rnd.run_started_at is not None
    assert not rnd.proposals.exists()
    # A second click while it is queued is refused.
    with pytest.raises(ServiceError, match="forming these groups already"):
        formation.run_round(rnd, actor=staff)

    # The worker's side stores the proposal.
    assert formation.run_in_background(rnd.pk, actor_pk=staff.pk)
    rnd.refresh_from_db()
    assert (rnd.run_state, rnd.run_progress, rnd.run_error) == ("idle", 100, {})
    proposal = formation.current_proposal(rnd)
    assert proposal.created_by == staff
    assert rnd.status == FormationRound.Status.REVIEW


def test_run_in_background_failures_are_kept_not_left_running(world):
    rnd, people = make_round(world, n=7, size_min=4, size_max=5)
    assert formation.run_in_background(rnd.pk) is None
    rnd.refresh_from_db()
    assert rnd.run_state == FormationRound.RunState.FAILED
    assert "7 people cannot make groups of 4 to 5" in rnd.run_error["error"]

    rnd.size_min = 3
    rnd.save()
    with (
        mock.patch.object(formation, "solve", side_effect=RuntimeError("boom")),
        pytest.raises(RuntimeError),
    ):
        formation.run_in_background(rnd.pk)
    rnd.refresh_from_db()
    assert rnd.run_state == FormationRound.RunState.FAILED
    assert "Something went wrong" in rnd.run_error["error"]

    # An engine refusal keeps its details, with names.
    with mock.patch.object(formation, "build_problem") as build:
        build.return_value = (
            {
                "method": "preassign",
                "group_size": {"min": 3, "max": 5},
                "participants": [{"id": pid(p)} for p in people],
                "together": [[pid(people[0]), pid(p)] for p in people[1:6]],
            },
            [],
        )
        formation.run_in_background(rnd.pk)
    rnd.refresh_from_db()
    assert rnd.run_state == FormationRound.RunState.FAILED
    assert rnd.run_error["error"] == "The locks or sizes cannot all hold."
    assert "Person 00" in rnd.run_error["details"][0]
