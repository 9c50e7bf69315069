"""The formation services: building the engine's problem from a round, running it, storing and
editing proposals, CSV uploads and publishing."""

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cohorts.formation.engine import solve
from cohorts.formation.engine.evaluate import evaluate
from cohorts.formation.services import runs
from cohorts.formation.services.csv_upload import CsvErrors, import_csv
from cohorts.formation.services.problem import build_problem
from cohorts.formation.services.proposals import (
    add_group,
    add_lock,
    current_proposal,
    describe_lock,
    move_member,
    remove_lock,
    rename_group,
    save_solution,
    unmet_locks,
)
from cohorts.formation.services.publishing import publish
from cohorts.formation.services.runs import run_in_background, run_round
from cohorts.models import (
    Activity,
    Community,
    FormationLock,
    FormationProposal,
    FormationRound,
    Membership,
)
from copkit.errors import ServiceError
from copkit.models import OutboxMessage
from tests import factories

pytestmark = pytest.mark.django_db

# A time limit no test run reaches, so the engine's result is its iteration budget's, not the
# machine's: two runs of the same problem must give the same groups.
NO_TIME_LIMIT = 86_400


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
    return save_solution(
        rnd, problem, solution, actor=actor, source=FormationProposal.Source.ENGINE
    )


def members_of(group):
    return sorted(m.participant.name for m in group.members.select_related("participant"))


# -- save_solution, current_proposal -----------------------------------------------------------


def test_save_solution_stores_groups_members_and_sets_review(world):
    rnd, people = make_round(world, n=8)
    assert current_proposal(rnd) is None
    first = proposal_of(rnd, people, [(0, 4), (4, 8)], world.users["staff"])
    second = proposal_of(rnd, people, [(0, 3), (3, 8)], world.users["staff"])
    assert (first.number, second.number) == (1, 2)
    assert current_proposal(rnd) == second
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
    proposal = save_solution(
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
    move_member(proposal, people[0], g2, actor=world.users["staff"])
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
        move_member(proposal, people[0], g2, actor=world.users["staff"])
    assert members_of(g1)[0] == "Person 00"
    # Once there is room, the same move goes through.
    add_group(proposal, actor=world.users["staff"])
    g3 = proposal.groups.get(label="g3")
    move_member(proposal, people[4], g3, actor=world.users["staff"])
    move_member(proposal, people[0], g2, actor=world.users["staff"])
    assert "Person 00" in members_of(g2)


def test_move_member_refuses_to_break_a_together_lock(world):
    rnd, people = make_round(world, n=8)
    proposal = proposal_of(rnd, people, [(0, 4), (4, 8)], world.users["staff"])
    _g1, g2 = proposal.groups.all()
    staff = world.users["staff"]
    lock = add_lock(rnd, people[0], people[1], FormationLock.Kind.TOGETHER, actor=staff)
    with pytest.raises(ServiceError, match="Person 00 and Person 01 are locked together"):
        move_member(proposal, people[0], g2, actor=staff)
    remove_lock(lock, actor=staff)
    move_member(proposal, people[0], g2, actor=staff)


def test_move_member_refuses_to_break_an_apart_lock(world):
    rnd, people = make_round(world, n=8)
    proposal = proposal_of(rnd, people, [(0, 4), (4, 8)], world.users["staff"])
    _g1, g2 = proposal.groups.all()
    staff = world.users["staff"]
    add_lock(rnd, people[5], people[0], FormationLock.Kind.APART, actor=staff)
    with pytest.raises(ServiceError, match="locked apart, and Person 05 is in Group 2"):
        move_member(proposal, people[0], g2, actor=staff)
    move_member(proposal, people[1], g2, actor=staff)


def test_move_member_refuses_an_older_proposal(world):
    rnd, people = make_round(world, n=8)
    old = proposal_of(rnd, people, [(0, 4), (4, 8)], world.users["staff"])
    proposal_of(rnd, people, [(0, 4), (4, 8)], world.users["staff"])
    with pytest.raises(ServiceError, match="older proposal"):
        move_member(old, people[0], old.groups.last(), actor=world.users["staff"])


# -- groups: add, rename -----------------------------------------------------------------------


def test_add_group_and_rename(world):
    rnd, people = make_round(world, n=8)
    proposal = proposal_of(rnd, people, [(0, 4), (4, 8)], world.users["staff"])
    staff = world.users["staff"]
    group = add_group(proposal, actor=staff)
    assert (group.label, group.name, group.position) == ("g3", "Group 3", 2)
    named = add_group(proposal, actor=staff, name="Rural partners")
    assert named.name == "Rural partners"
    rename_group(group, "  Food access  ", actor=staff)
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
        rename_group(group, name, actor=world.users["staff"])
    group.refresh_from_db()
    assert group.name == "Group 1"
    rename_group(group, "Group 1b", actor=world.users["staff"])


# -- locks -------------------------------------------------------------------------------------


def test_add_lock_refusals(world):
    rnd, people = make_round(world, n=4)
    staff = world.users["staff"]
    outsider = factories.ParticipantFactory(cohort=world.cohort, name="Olga Outside")
    together = FormationLock.Kind.TOGETHER
    with pytest.raises(ServiceError, match="Person 00 was picked twice"):
        add_lock(rnd, people[0], people[0], together, actor=staff)
    with pytest.raises(ServiceError, match="Olga Outside is not taking part"):
        add_lock(rnd, people[0], outsider, together, actor=staff)
    with pytest.raises(ServiceError, match="together or apart"):
        add_lock(rnd, people[0], people[1], "sideways", actor=staff)
    lock = add_lock(rnd, people[0], people[1], together, actor=staff)
    assert lock.kind == together
    with pytest.raises(ServiceError, match="already locked together"):
        add_lock(rnd, people[1], people[0], FormationLock.Kind.APART, actor=staff)
    remove_lock(lock, actor=staff)
    assert not rnd.locks.exists()
    assert Activity.objects.filter(verb="removed lock").exists()


def test_unmet_locks_lists_locks_the_groups_break(world):
    rnd, people = make_round(world, n=8)
    staff = world.users["staff"]
    apart = add_lock(rnd, people[0], people[1], FormationLock.Kind.APART, actor=staff)
    assert unmet_locks(rnd) == []  # no groups yet: nothing to keep
    proposal_of(rnd, people, [(0, 4), (4, 8)], staff)
    together = add_lock(rnd, people[2], people[6], FormationLock.Kind.TOGETHER, actor=staff)
    kept = add_lock(rnd, people[3], people[7], FormationLock.Kind.APART, actor=staff)
    unmet = unmet_locks(rnd)
    assert {lock.pk for lock in unmet} == {apart.pk, together.pk}
    assert kept not in unmet
    assert describe_lock(apart) == "Person 00 apart from Person 01"
    # Forming the groups again keeps every lock.
    rnd.refresh_from_db()
    run_round(rnd, actor=staff)
    assert unmet_locks(rnd) == []


# -- build_problem -----------------------------------------------------------------------------


def test_build_problem_matching_drops_outside_and_self_choices_with_a_warning(world):
    rnd, people = make_round(world, n=6, method=FormationRound.Method.MATCHING)
    gone = factories.ParticipantFactory(cohort=world.cohort, name="Gina Gone")
    entry = rnd.entries.get(participant=people[0])
    entry.choices = [pid(people[1]), pid(gone), pid(people[0]), pid(people[1]), "not-an-id"]
    entry.save()
    problem, warnings = build_problem(rnd)
    first = next(p for p in problem["participants"] if p["id"] == pid(people[0]))
    assert first["choices"] == [pid(people[1])]
    assert problem["method"] == "matching"
    assert problem["group_size"] == {"min": 3, "max": 5}
    assert problem["seed"] == rnd.seed
    assert any("Person 00 chose Gina Gone, who is not in this round" in w for w in warnings)
    # The round still forms groups, and the proposal keeps the warning.
    proposal = run_round(rnd, actor=world.users["staff"])
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
    problem, _warnings = build_problem(rnd)
    assert problem["topics"] == [{"id": pid(boards), "cap": 6}, {"id": pid(money)}]
    first = next(p for p in problem["participants"] if p["id"] == pid(people[0]))
    assert first["ranking"] == [pid(money), pid(boards)]
    proposal = run_round(rnd, actor=world.users["staff"])
    assert all(g.topic in (boards, money) for g in proposal.groups.all())


def test_build_problem_topic_round_without_topics(world):
    rnd, _people = make_round(world, n=6, method=FormationRound.Method.TOPIC)
    with pytest.raises(ServiceError, match="Add at least one subject area"):
        build_problem(rnd)


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
    problem, warnings = build_problem(rnd)
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
    proposal = run_round(rnd, actor=world.users["staff"])
    assert "worst_group_score" in proposal.scores
    assert "criteria" in proposal.groups.first().details


def test_build_problem_criteria_needs_a_criterion(world):
    rnd, _people = make_round(world, n=6, method=FormationRound.Method.CRITERIA)
    with pytest.raises(ServiceError, match="Pick at least one criterion"):
        build_problem(rnd)


def test_build_problem_map_uses_the_organization_and_names_who_has_no_place(world):
    rnd, people = make_round(world, n=6, method=FormationRound.Method.MAP)
    for i, person in enumerate(people):
        person.organization.latitude, person.organization.longitude = 38 + i, -77 - i
        person.organization.save()
    people[0].latitude, people[0].longitude = 40.0, -75.0
    people[0].save()
    problem, _warnings = build_problem(rnd)
    places = {p["id"]: p["location"] for p in problem["participants"]}
    assert places[pid(people[0])] == {"lat": 40.0, "lon": -75.0}
    assert places[pid(people[1])] == {"lat": 39, "lon": -78}
    proposal = run_round(rnd, actor=world.users["staff"])
    assert "spread_km" in proposal.groups.first().details

    org = people[2].organization
    org.latitude = org.longitude = None
    org.save()
    with pytest.raises(ServiceError, match=r"Person 02 has none\. Add a ZIP code"):
        build_problem(rnd)


def test_build_problem_locks_become_pairs(world):
    rnd, people = make_round(world, n=6)
    factories.FormationLockFactory(round=rnd, first=people[0], second=people[1])
    factories.FormationLockFactory(
        round=rnd, first=people[2], second=people[3], kind=FormationLock.Kind.APART
    )
    problem, _warnings = build_problem(rnd)
    assert problem["together"] == [[pid(people[0]), pid(people[1])]]
    assert problem["apart"] == [[pid(people[2]), pid(people[3])]]
    assert problem["method"] == "preassign"


def test_build_problem_empty_round(world):
    rnd = factories.FormationRoundFactory(cohort=world.cohort)
    with pytest.raises(ServiceError, match="No one takes part yet: add people on the Participants"):
        build_problem(rnd)
    with pytest.raises(ServiceError, match="No one takes part yet"):
        run_round(rnd, actor=world.users["staff"])


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
        build_problem(rnd)


def test_run_round_says_which_locks_cannot_hold_by_name(world):
    rnd, people = make_round(world, n=8, size_min=2, size_max=3)
    staff = world.users["staff"]
    for other in people[1:4]:
        add_lock(rnd, people[0], other, FormationLock.Kind.TOGETHER, actor=staff)
    with pytest.raises(ServiceError) as refused:
        run_round(rnd, actor=staff)
    message = str(refused.value)
    assert "4 people are locked together (Person 00, Person 01" in message
    assert pid(people[0]) not in message


# -- running -----------------------------------------------------------------------------------


def queue(rnd, staff, monkeypatch, capture):
    """Queue rnd's run as the service does and return the task's arguments."""
    from cohorts import tasks

    monkeypatch.setattr(runs, "BACKGROUND_FROM", 1)
    rnd.refresh_from_db()
    with (
        mock.patch.object(tasks.run_formation_round, "delay_on_commit") as delay,
        capture(execute=True),
    ):
        assert run_round(rnd, actor=staff) is None
    return delay.call_args.args


def test_run_round_over_the_threshold_is_queued(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    from cohorts import tasks

    monkeypatch.setattr(runs, "BACKGROUND_FROM", 5)
    rnd, _people = make_round(world, n=8)
    staff = world.users["staff"]
    with (
        mock.patch.object(tasks.run_formation_round, "delay_on_commit") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert run_round(rnd, actor=staff) is None
    rnd.refresh_from_db()
    delay.assert_called_once_with(rnd.pk, staff.pk, str(rnd.run_token))
    assert rnd.run_state == FormationRound.RunState.QUEUED
    assert rnd.run_progress == 0
    assert rnd.run_started_at is not None
    assert not rnd.proposals.exists()
    # A second click while it is queued is refused.
    with pytest.raises(ServiceError, match="forming these groups already"):
        run_round(rnd, actor=staff)

    # The worker's side stores the proposal.
    assert tasks.run_formation_round(*delay.call_args.args)
    rnd.refresh_from_db()
    assert (rnd.run_state, rnd.run_progress, rnd.run_error) == ("idle", 100, {})
    assert rnd.run_token is None
    proposal = current_proposal(rnd)
    assert proposal.created_by == staff
    assert rnd.status == FormationRound.Status.REVIEW


def test_a_queued_run_delivered_twice_adds_one_proposal(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    from cohorts import tasks

    rnd, _people = make_round(world, n=8)
    args = queue(rnd, world.users["staff"], monkeypatch, django_capture_on_commit_callbacks)
    assert tasks.run_formation_round(*args)
    # Re-delivered after it ran, or a duplicate of the message: nothing to claim.
    assert tasks.run_formation_round(*args) is None
    assert rnd.proposals.count() == 1
    # A run queued again (a new token) does not let the old message through either.
    newer = queue(rnd, world.users["staff"], monkeypatch, django_capture_on_commit_callbacks)
    assert newer[2] != args[2]
    assert tasks.run_formation_round(*args) is None
    rnd.refresh_from_db()
    assert rnd.run_state == FormationRound.RunState.QUEUED
    assert tasks.run_formation_round(*newer)
    assert rnd.proposals.count() == 2


def test_run_in_background_failures_are_kept_not_left_running(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    def run_queued():
        args = queue(rnd, world.users["staff"], monkeypatch, django_capture_on_commit_callbacks)
        return run_in_background(args[0], run_token=args[2])

    rnd, people = make_round(world, n=7, size_min=3, size_max=5)
    args = queue(rnd, world.users["staff"], monkeypatch, django_capture_on_commit_callbacks)
    # The sizes change while the run waits for a worker.
    FormationRound.objects.filter(pk=rnd.pk).update(size_min=4)
    assert run_in_background(args[0], run_token=args[2]) is None
    rnd.refresh_from_db()
    assert rnd.run_state == FormationRound.RunState.FAILED
    assert "7 people cannot make groups of 4 to 5" in rnd.run_error["error"]

    rnd.size_min = 3
    rnd.save()
    with (
        mock.patch.object(runs, "solve", side_effect=RuntimeError("boom")),
        pytest.raises(RuntimeError),
    ):
        run_queued()
    rnd.refresh_from_db()
    assert rnd.run_state == FormationRound.RunState.FAILED
    assert "Something went wrong" in rnd.run_error["error"]

    # An engine refusal keeps its details, with names.
    with mock.patch.object(runs, "build_problem") as build:
        build.return_value = (
            {
                "method": "preassign",
                "group_size": {"min": 3, "max": 5},
                "participants": [{"id": pid(p)} for p in people],
                "together": [[pid(people[0]), pid(p)] for p in people[1:6]],
            },
            [],
        )
        run_queued()
    rnd.refresh_from_db()
    assert rnd.run_state == FormationRound.RunState.FAILED
    assert rnd.run_error["error"] == "The locks or sizes cannot all hold."
    assert "Person 00" in rnd.run_error["details"][0]


# -- CSV upload --------------------------------------------------------------------------------


def upload(text, encoding="utf-8"):
    data = text.encode(encoding) if isinstance(text, str) else text
    return SimpleUploadedFile("groups.csv", data, content_type="text/csv")


def csv_of(people, groups, header="email,group", by="email"):
    lines = [header]
    for person, group in zip(people, groups, strict=True):
        lines.append(f"{getattr(person, by)},{group}")
    return "\n".join(lines) + "\n"


def test_import_csv_makes_a_proposal_with_the_file_s_group_names(world):
    rnd, people = make_round(world, n=7, method=FormationRound.Method.MATCHING)
    entry = rnd.entries.get(participant=people[0])
    entry.choices = [pid(people[1])]
    entry.save()
    text = csv_of(people, ["North"] * 4 + ["South"] * 3, header="Email,Group")
    text = text.replace(people[2].email, people[2].email.upper())
    proposal = import_csv(rnd, upload(text), actor=world.users["staff"])
    assert proposal.source == FormationProposal.Source.CSV
    north, south = proposal.groups.all()
    assert (north.name, south.name) == ("North", "South")
    assert members_of(north) == ["Person 00", "Person 01", "Person 02", "Person 03"]
    # Rescored with the round's method.
    assert proposal.scores["choices_kept"] == 1
    assert proposal.edited_at is not None


def test_import_csv_by_name_with_a_bom_and_semicolons(world):
    rnd, people = make_round(world, n=6)
    text = csv_of(people, ["A", "A", "A", "B", "B", "B"], header="Person;Group", by="name")
    text = text.replace(",", ";")
    proposal = import_csv(rnd, upload("\ufeff" + text), actor=world.users["staff"])
    assert [g.name for g in proposal.groups.all()] == ["A", "B"]


def rows_of(refused):
    return dict(refused.value.rows)


def test_import_csv_unknown_people_and_people_twice(world):
    rnd, people = make_round(world, n=6)
    outside = factories.ParticipantFactory(cohort=world.cohort, name="Olga Outside")
    lines = [
        "email,group",
        *[f"{p.email},A" for p in people[:3]],
        f"{people[3].email},B",
        f"{people[4].email},B",
        f"{people[5].email},B",
        "nobody@example.org,B",
        f"{outside.email},B",
        f"{people[0].email},B",
        ",B",
        f"{people[1].email},",
    ]
    with pytest.raises(CsvErrors) as refused:
        import_csv(rnd, upload("\n".join(lines)), actor=world.users["staff"])
    rows = rows_of(refused)
    assert rows[8] == "Nobody in this round has the email nobody@example.org."
    assert "Olga Outside" in rows[9] and "not taking part" in rows[9]
    assert rows[10] == "Person 00 is listed already, on row 2."
    assert rows[11] == "There is no email or name on this row."
    assert rows[12] == "Person 01 has no group."
    assert not rnd.proposals.exists()


def test_import_csv_ambiguous_and_unknown_names(world):
    rnd, people = make_round(world, n=6)
    people[1].name = "Person 00"
    people[1].save()
    text = "name,group\nPerson 00,A\nSomeone Else,A\n" + "".join(
        f"{p.name},B\n" for p in people[2:]
    )
    with pytest.raises(CsvErrors) as refused:
        import_csv(rnd, upload(text), actor=world.users["staff"])
    rows = rows_of(refused)
    assert rows[2] == "2 people in this round are called Person 00; use their email instead."
    assert rows[3] == "Nobody in this round is called Someone Else."


def test_import_csv_someone_missing(world):
    rnd, people = make_round(world, n=6)
    text = csv_of(people[:5], ["A"] * 3 + ["B"] * 2)
    with pytest.raises(CsvErrors) as refused:
        import_csv(rnd, upload(text), actor=world.users["staff"])
    assert str(refused.value) == (
        "1 person of this round is not in the file: Person 05. Add a row for them."
    )
    import_csv(rnd, upload(csv_of(people, ["A"] * 3 + ["B"] * 3)), actor=None)


def test_import_csv_group_sizes(world):
    rnd, people = make_round(world, n=8)
    text = csv_of(people, ["A"] * 6 + ["B"] * 2)
    with pytest.raises(CsvErrors) as refused:
        import_csv(rnd, upload(text), actor=world.users["staff"])
    assert rows_of(refused) == {
        2: "The group “A” has 6 people; groups in this round need 3 to 5.",
        8: "The group “B” has 2 people; groups in this round need 3 to 5.",
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("who,team\nPerson 00,A\n", "Columns found: “who”, “team”"),
        ("", "The file is empty"),
        ("\n \n", "The file is empty"),
        ("Name;Gruppe\nJosé;A\n".encode("latin-1"), "not UTF-8"),
        (b"PK\x03\x04\x00\x00binary", "not a CSV file"),
        ("email,group\n", "no rows below its first row"),
    ],
)
def test_import_csv_refuses_what_is_not_a_usable_csv(world, content, message):
    rnd, _people = make_round(world, n=6)
    with pytest.raises(CsvErrors, match=message):
        import_csv(rnd, upload(content), actor=world.users["staff"])


# -- publish -----------------------------------------------------------------------------------


def test_publish_creates_communities_memberships_and_emails(world):
    rnd, people = make_round(world, n=7, method=FormationRound.Method.TOPIC)
    boards = factories.FormationTopicFactory(
        round=rnd, name="Boards", topic=world.community.topic, position=0
    )
    # Pat is in Board Builders already and stays there.
    pat = world.participant_participant
    factories.FormationEntryFactory(round=rnd, participant=pat)
    everyone = [*people, pat]
    solution = {
        "groups": [
            {"id": "g1", "members": [pid(p) for p in everyone[:4]], "topic": pid(boards)},
            {"id": "g2", "members": [pid(p) for p in everyone[4:]]},
        ],
        "scores": {},
    }
    staff = world.users["staff"]
    proposal = save_solution(rnd, {}, solution, actor=staff, source=FormationProposal.Source.ENGINE)
    add_group(proposal, actor=staff)  # left empty: not published
    rename_group(proposal.groups.get(label="g2"), "Rural partners", actor=staff)
    communities = publish(rnd, actor=staff)

    assert [c.name for c in communities] == ["Boards", "Rural partners"]
    assert communities[0].topic == world.community.topic
    assert communities[1].topic is None
    assert all(c.phase == Community.Phase.FORMING for c in communities)
    assert sorted(
        m.participant.name for m in communities[1].memberships.select_related("participant")
    ) == sorted(p.name for p in everyone[4:])
    assert Membership.objects.filter(community=world.community, participant=pat).exists()
    assert Membership.objects.filter(community=communities[1], participant=pat).exists()
    rnd.refresh_from_db()
    assert rnd.status == FormationRound.Status.PUBLISHED
    assert rnd.published_by == staff and rnd.published_at is not None
    assert proposal.groups.get(label="g1").community == communities[0]

    messages = OutboxMessage.objects.filter(kind="formation")
    assert messages.count() == 8
    to_pat = messages.get(to_email=pat.email)
    assert "Rural partners" in to_pat.subject
    assert "http" in to_pat.body_text and communities[1].get_absolute_url() in to_pat.body_text
    assert people[4].name in to_pat.body_text
    assert pat.name not in to_pat.body_text.split("members:")[1]
    assert Activity.objects.filter(verb="published groups").exists()

    with pytest.raises(ServiceError, match="published already"):
        publish(rnd, actor=staff)
    assert Community.objects.filter(cohort=world.cohort).count() == 3
    with pytest.raises(ServiceError, match="published already"):
        move_member(proposal, people[0], proposal.groups.last(), actor=staff)


def test_publish_refusals(world):
    rnd, people = make_round(world, n=8)
    staff = world.users["staff"]
    with pytest.raises(ServiceError, match="form the groups first"):
        publish(rnd, actor=staff)
    proposal = proposal_of(rnd, people, [(0, 4), (4, 8)], staff)
    # A group whose name an active community has taken since.
    factories.CommunityFactory(cohort=world.cohort, name="Group 2")
    with pytest.raises(ServiceError, match="already a community called “Group 2”"):
        publish(rnd, actor=staff)
    rename_group(proposal.groups.get(label="g2"), "Second", actor=staff)
    # A group below the smallest size.
    add_group(proposal, actor=staff)
    g3 = proposal.groups.get(label="g3")
    move_member(proposal, people[0], g3, actor=staff)
    with pytest.raises(ServiceError, match="need 3 to 5 people, but Group 3 has 1"):
        publish(rnd, actor=staff)
    assert not Community.objects.filter(name="Second").exists()
    move_member(proposal, people[0], proposal.groups.get(label="g1"), actor=staff)
    # Locks added after the groups were formed, which the groups break.
    apart = add_lock(rnd, people[0], people[1], FormationLock.Kind.APART, actor=staff)
    with pytest.raises(ServiceError, match=r"break a lock \(Person 00 apart from Person 01\)"):
        publish(rnd, actor=staff)
    add_lock(rnd, people[2], people[5], FormationLock.Kind.TOGETHER, actor=staff)
    with pytest.raises(ServiceError, match=r"break 2 locks .*Person 02 together with Person 05"):
        publish(rnd, actor=staff)
    remove_lock(apart, actor=staff)
    move_member(proposal, people[5], proposal.groups.get(label="g1"), actor=staff)
    assert not Community.objects.filter(name="Second").exists()
    assert len(publish(rnd, actor=staff)) == 2


# -- evaluate agrees with the engine -----------------------------------------------------------


def evaluation_problem(method, n=14):
    people = []
    for i in range(n):
        person = {"id": f"p{i:02d}"}
        if method in ("matching", "preassign"):
            person["choices"] = [f"p{(i + 1) % n:02d}", f"p{(i + 5) % n:02d}"]
        if method == "criteria":
            person["attributes"] = {
                "format": ("virtual", "in_person")[i % 2],
                "commitment": i % 3 + 1,
                "expertise": [("boards", "grants", "data")[i % 3]],
            }
        if method == "map":
            person["location"] = {"lat": 38 + (i % 5) * 0.7, "lon": -77 - (i // 5) * 0.9}
        if method == "topic":
            person["ranking"] = [("t1", "t2", "t3")[i % 3], ("t1", "t2", "t3")[(i + 1) % 3]]
        people.append(person)
    problem = {
        "method": method,
        "group_size": {"min": 3, "max": 5},
        "seed": 3,
        # No wall-clock cut: the search ends on its iteration budget, whatever the load.
        "time_limit_s": NO_TIME_LIMIT,
        "participants": people,
        "apart": [["p00", "p01"]],
    }
    if method == "criteria":
        problem["criteria"] = [
            {"attribute": "format", "rule": "similar", "weight": 3},
            {"attribute": "commitment", "rule": "similar", "weight": 1},
            {"attribute": "expertise", "rule": "mix", "weight": 2},
        ]
    if method == "topic":
        problem["topics"] = [{"id": "t1", "cap": 6}, {"id": "t2"}, {"id": "t3"}, {"id": "t4"}]
    return problem


@pytest.mark.parametrize("method", ["matching", "criteria", "map", "topic", "preassign"])
def test_evaluate_agrees_with_the_engine(method):
    problem = evaluation_problem(method)
    solution = solve(problem)
    groups = [g["members"] for g in solution["groups"]]
    topics = [g.get("topic") for g in solution["groups"]]
    result = evaluate(problem, groups, topics)
    assert result["scores"] == solution["scores"]
    for mine, theirs in zip(result["groups"], solution["groups"], strict=True):
        expected = {k: v for k, v in theirs.items() if k not in ("id", "members")}
        assert mine == expected


def test_evaluate_scores_an_edited_grouping():
    problem = evaluation_problem("matching", n=6)
    result = evaluate(problem, [["p00", "p01", "p02"], ["p03", "p04", "p05"], []])
    # Everyone chose both neighbours on a ring of six: four choices kept in each trio.
    assert result["scores"]["choices_total"] == 12
    assert result["scores"]["choices_kept"] == 8
    assert result["scores"]["mutual_pairs_kept"] == 4
    assert result["groups"][2] == {"choices_kept": 0, "mutual_pairs_kept": 0, "no_choice_kept": []}


def test_the_progress_callback_does_not_change_the_result():
    problem = evaluation_problem("matching", n=20)
    shares = []
    with_progress = solve(problem, progress=shares.append)
    without = solve(problem)
    assert shares and all(0 <= share <= 1 for share in shares)
    assert with_progress["groups"] == without["groups"]
    assert with_progress["scores"] == without["scores"]


def test_no_new_proposal_once_published(world):
    rnd, people = make_round(world, n=6)
    proposal_of(rnd, people, [(0, 3), (3, 6)], world.users["staff"])
    publish(rnd, actor=world.users["staff"])
    with pytest.raises(ServiceError, match="published already"):
        run_round(rnd, actor=world.users["staff"])
    with pytest.raises(ServiceError, match="published already"):
        import_csv(rnd, upload(csv_of(people, ["A"] * 3 + ["B"] * 3)), actor=world.users["staff"])
    assert rnd.proposals.count() == 1


def test_groups_csv_round_trip_keeps_formula_looking_names(world):
    """The download escapes `=`, `+`, `-`, `@` with an apostrophe; uploading it unchanged
    gives the same groups, with the same names."""
    from cohorts.formation.views.review import _groups_csv

    rnd, people = make_round(world, n=6)
    staff = world.users["staff"]
    proposal = proposal_of(rnd, people, [(0, 3), (3, 6)], staff)
    first, second = proposal.groups.order_by("position", "label")
    rename_group(first, "=SUM(A1)", actor=staff)
    rename_group(second, "-North", actor=staff)
    downloaded = _groups_csv(rnd).content
    assert b"'=SUM(A1)" in downloaded and b"'-North" in downloaded

    uploaded = import_csv(rnd, upload(downloaded), actor=staff)
    assert {g.name: sorted(members_of(g)) for g in uploaded.groups.all()} == {
        "=SUM(A1)": sorted(members_of(first)),
        "-North": sorted(members_of(second)),
    }
