"""An archived community's records are read-only: every change is refused with a message,
and the same request goes through once it is restored. The services refuse as well, one
tested per stage (surveys, needs, plans, meetings)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from copkit.errors import ServiceError
from planning.archived import CommunityArchived
from planning.models import CommonNeed, InventoryEntry, NeedVote
from tests import factories
from tests.test_permissions import planning_kwargs

pytestmark = pytest.mark.django_db

CHANGES = [
    "planning:inventory-entry-add",
    "planning:inventory-entry-delete",
    "planning:connection-add",
    "planning:connection-delete",
    "planning:common-need-add",
    "planning:common-need-vote",
    "planning:common-needs-choose",
    "planning:interviews-setup",
    "planning:interview-notes",
]


def archive(community, archived=True):
    community.archived_at = timezone.now() if archived else None
    community.save(update_fields=["archived_at"])


@pytest.mark.parametrize("name", CHANGES)
def test_changes_to_an_archived_community_are_refused(name, world, client_for):
    from django.urls import reverse

    archive(world.community)
    persona = "participant" if name in {"planning:common-need-vote"} else "leader"
    url = reverse(name, kwargs=planning_kwargs(name, world))
    response = client_for(persona).post(url, follow=True)
    assert response.redirect_chain[-1][0] == world.community.get_absolute_url()
    assert "archived: its records can be read but not changed" in response.content.decode()


def test_a_vote_and_an_entry_go_through_once_restored(world, client_for):
    from django.urls import reverse

    need = CommonNeed.objects.create(community=world.community, title="Board recruitment")
    client = client_for("participant")
    kwargs = {"cohort_slug": world.cohort.slug, "community_slug": world.community.slug}
    vote = reverse("planning:common-need-vote", kwargs=kwargs)
    add = reverse("planning:inventory-entry-add", kwargs=kwargs)
    entry = {"kind": "need", "topic": world.topic.slug, "description": "We need a treasurer."}

    archive(world.community)
    client.post(vote, {"need": need.public_id, "action": "place"})
    client.post(add, entry)
    assert not NeedVote.objects.exists() and not InventoryEntry.objects.exists()

    archive(world.community, archived=False)
    client.post(vote, {"need": need.public_id, "action": "place"})
    client.post(add, entry)
    assert NeedVote.objects.filter(need=need, participant=world.participant_participant).exists()
    assert InventoryEntry.objects.filter(participant=world.participant_participant).exists()


# -- the services refuse too (so a task or a command cannot write there either) ---------------


def survey_stage(world):
    from planning.surveys.services import live

    survey = factories.SurveyFactory(cohort=world.cohort, community=world.community)
    factories.QuestionFactory(survey=survey)
    return lambda: live.start_session(survey, world.staff)


def needs_stage(world):
    from planning.needs.services import voting

    return lambda: voting.add_candidate(world.community, actor=world.leader, title="Board seats")


def plans_stage(world):
    from planning.plans.services import plans

    plan = plans.get_plan(world.community)
    data = {"potential": "Shared trucks."}
    return lambda: plans.save_part(plan, "potential", data, base_revision=0, actor=world.leader)


def meetings_stage(world):
    from planning.meetings.services import meetings

    return lambda: meetings.create_meeting(
        world.community,
        actor=world.leader,
        title="Kick-off",
        starts_at=timezone.now() + timedelta(days=7),
        duration_minutes=60,
        mode="virtual",
        location="",
        agenda="",
    )


@pytest.mark.parametrize("stage", [survey_stage, needs_stage, plans_stage, meetings_stage])
def test_each_stages_services_refuse_an_archived_community(stage, world):
    write = stage(world)
    archive(world.community)
    with pytest.raises(CommunityArchived, match="archived: its records can be read"):
        write()
    assert isinstance(CommunityArchived(), ServiceError)

    archive(world.community, archived=False)
    world.community.refresh_from_db()
    assert write() is not None  # the same write goes through once restored
