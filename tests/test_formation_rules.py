"""The rules of a formation round live in its services, so a view, a task or a command meets
the same refusal (a ServiceError): a published round changes no more, a move within the same
group is refused, only the newest proposal changes and not while the engine is at work on it,
only a topic-choice round has subject areas."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cohorts.formation.services import proposals, publishing, setup
from cohorts.models import FormationRound
from copkit.errors import ServiceError
from tests.test_formation_services import make_round, proposal_of


@pytest.fixture
def published(world):
    """A published round of six people in two groups, and its proposal."""
    rnd, people = make_round(world, n=6)
    proposal = proposal_of(rnd, people, [(0, 3), (3, 6)], world.users["staff"])
    publishing.publish(rnd, actor=world.users["staff"])
    rnd.refresh_from_db()
    return rnd, people, proposal


def test_a_published_round_refuses_a_settings_change(world, published):
    rnd, _people, _proposal = published
    with pytest.raises(ServiceError, match="settings can no longer change"):
        setup.check_settings_editable(rnd)
    with pytest.raises(ServiceError, match="published"):
        setup.update_round(rnd, world.users["staff"], name="Renamed")
    rnd.refresh_from_db()
    assert rnd.name != "Renamed"


def test_a_published_round_refuses_a_people_change(world, published):
    rnd, people, _proposal = published
    entries = rnd.entries.count()
    with pytest.raises(ServiceError, match="published"):
        setup.set_people(rnd, world.users["staff"], shown=[p.pk for p in people], ticked=[])
    with pytest.raises(ServiceError, match="published"):
        setup.add_missing(rnd, world.users["staff"])
    assert rnd.entries.count() == entries


def test_a_published_round_refuses_a_move(world, published):
    _rnd, people, proposal = published
    other = proposal.groups.get(label="g2")
    with pytest.raises(ServiceError, match="published already"):
        proposals.move_member(proposal, people[0], other, actor=world.users["staff"])
    assert proposal.members.get(participant=people[0]).group.label == "g1"


def test_a_move_within_the_same_group_is_refused(world):
    rnd, people = make_round(world, n=6)
    proposal = proposal_of(rnd, people, [(0, 3), (3, 6)], world.users["staff"])
    same = proposal.groups.get(label="g1")
    with pytest.raises(ServiceError, match="already"):
        proposals.move_member(proposal, people[0], same, actor=world.users["staff"])
    assert proposal.members.get(participant=people[0]).group == same


def test_only_a_topic_round_has_subject_areas(world):
    rnd, _people = make_round(world, n=6, method=FormationRound.Method.CRITERIA)
    with pytest.raises(ServiceError, match="Only a topic-choice round"):
        setup.check_has_topics(rnd)
    with pytest.raises(ServiceError, match="Only a topic-choice round"):
        setup.add_topic(rnd, world.users["staff"], name="Boards")
    assert not rnd.topics.exists()


def _engine_at_work(rnd, started):
    rnd.run_state = FormationRound.RunState.RUNNING
    rnd.run_started_at = started
    rnd.save(update_fields=["run_state", "run_started_at"])


def test_only_the_newest_proposal_is_editable(world):
    rnd, people = make_round(world, n=6)
    with pytest.raises(ServiceError, match="No groups have been formed yet"):
        proposals.editable_proposal(rnd)
    staff = world.users["staff"]
    older = proposal_of(rnd, people, [(0, 3), (3, 6)], staff)
    newest = proposal_of(rnd, people, [(0, 2), (2, 6)], staff)
    assert proposals.editable_proposal(rnd) == newest
    with pytest.raises(ServiceError, match="older proposal"):
        proposals.add_group(older, actor=staff)


def test_no_edit_while_the_engine_is_at_work(world):
    rnd, people = make_round(world, n=6)
    staff = world.users["staff"]
    proposal = proposal_of(rnd, people, [(0, 3), (3, 6)], staff)
    _engine_at_work(rnd, timezone.now() - timedelta(minutes=1))
    refused = "copkit is forming new groups"
    with pytest.raises(ServiceError, match=refused):
        proposals.editable_proposal(rnd)
    with pytest.raises(ServiceError, match=refused):
        proposals.move_member(proposal, people[0], proposal.groups.get(label="g2"), actor=staff)
    with pytest.raises(ServiceError, match=refused):
        proposals.add_group(proposal, actor=staff)
    with pytest.raises(ServiceError, match=refused):
        proposals.rename_group(proposal.groups.get(label="g1"), "Renamed", actor=staff)
    assert proposal.groups.count() == 2
    assert proposal.members.get(participant=people[0]).group.label == "g1"
    assert not proposal.groups.filter(name="Renamed").exists()


def test_a_run_left_behind_no_longer_blocks_edits(world):
    rnd, people = make_round(world, n=6)
    staff = world.users["staff"]
    proposal = proposal_of(rnd, people, [(0, 3), (3, 6)], staff)
    _engine_at_work(rnd, timezone.now() - proposals.STALE_RUN - timedelta(minutes=1))
    assert proposals.editable_proposal(rnd) == proposal
    group = proposals.add_group(proposal, actor=staff)
    assert group.proposal == proposal
