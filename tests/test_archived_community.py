"""An archived community's needs-and-expertise records are read-only: every change is
refused with a message, and the same request goes through once it is restored."""

import pytest
from django.utils import timezone

from planning.models import CommonNeed, InventoryEntry, NeedVote
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
