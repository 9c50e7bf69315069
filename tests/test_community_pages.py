"""Communities of practice: create, edit, archive, and manage members."""

import pytest
from django.urls import reverse

from cohorts.models import Community, Membership
from tests import factories

pytestmark = pytest.mark.django_db


def community_url(name, world, community=None, **kwargs):
    community = community or world.community
    return reverse(
        name,
        kwargs={"cohort_slug": world.cohort.slug, "community_slug": community.slug, **kwargs},
    )


def test_staff_creates_a_community(world, client_for):
    response = client_for("staff").post(
        reverse("cohorts:community-create", args=[world.cohort.slug]),
        {
            "name": "Fund Finders",
            "topic": world.topic.pk,
            "description": "Raising funds together",
            "work_type": "best_practices",
            "meeting_format": "virtual",
            "phase": "forming",
        },
    )
    community = world.cohort.communities.get(name="Fund Finders")
    assert response.status_code == 302
    assert response.url == community.get_absolute_url()
    assert community.slug == "fund-finders"
    assert community.work_type == Community.WorkType.BEST_PRACTICES


def test_a_duplicate_name_and_another_cohorts_topic_are_refused(world, client_for):
    foreign_topic = factories.TopicFactory(cohort=world.other_cohort)
    response = client_for("staff").post(
        reverse("cohorts:community-create", args=[world.cohort.slug]),
        {
            "name": "board builders",
            "topic": foreign_topic.pk,
            "work_type": "innovating",
            "meeting_format": "virtual",
            "phase": "forming",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "already has a community" in errors["name"][0]
    assert "topic" in errors
    assert world.cohort.communities.count() == 1


def test_leader_edits_their_community_but_a_member_may_not(world, client_for):
    data = {
        "name": "Board Builders",
        "description": "Stronger boards",
        "work_type": "innovating",
        "meeting_format": "hybrid",
        "phase": "defining",
    }
    assert (
        client_for("participant")
        .post(community_url("cohorts:community-edit", world), data)
        .status_code
        == 403
    )
    client = client_for("leader")
    assert client.post(community_url("cohorts:community-edit", world), data).status_code == 302
    world.community.refresh_from_db()
    # The form does not set the phase: it follows the state, or staff's own form (sunset).
    assert world.community.phase == "forming"
    assert world.community.meeting_format == "hybrid"


def test_archive_hides_from_the_list_and_freezes_members_then_restore(world, client_for):
    client = client_for("staff")
    client.post(community_url("cohorts:community-archive", world), {"action": "archive"})
    world.community.refresh_from_db()
    assert world.community.is_archived
    listing = client.get(reverse("cohorts:community-list", args=[world.cohort.slug]))
    assert list(listing.context["page"]) == []
    assert [c.name for c in listing.context["archived"]] == ["Board Builders"]

    newcomer = factories.ParticipantFactory(cohort=world.cohort)
    client.post(
        community_url("cohorts:membership-add", world),
        {"participant": newcomer.public_id, "role": "member"},
    )
    assert not world.community.memberships.filter(participant=newcomer).exists()

    client.post(community_url("cohorts:community-archive", world), {"action": "restore"})
    world.community.refresh_from_db()
    assert not world.community.is_archived
    client.post(
        community_url("cohorts:membership-add", world),
        {"participant": newcomer.public_id, "role": "member"},
    )
    assert world.community.memberships.filter(participant=newcomer).exists()


def test_add_member_refuses_a_participant_of_another_cohort(world, client_for):
    stranger = factories.ParticipantFactory(cohort=world.other_cohort)
    client = client_for("staff")
    response = client.post(
        community_url("cohorts:membership-add", world),
        {"participant": stranger.public_id, "role": "leader"},
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(participant=stranger).exists()
    local = factories.ParticipantFactory(cohort=world.cohort)
    client.post(
        community_url("cohorts:membership-add", world),
        {"participant": local.public_id, "role": "co_leader"},
    )
    assert world.community.memberships.get(participant=local).role == "co_leader"


def test_change_role_custom_title_and_remove(world, client_for):
    client = client_for("staff")
    edit = community_url(
        "cohorts:membership-edit", world, membership_id=world.member_membership.public_id
    )
    client.post(edit, {"action": "save", "role": "co_leader", "title": "Note-taker"})
    world.member_membership.refresh_from_db()
    assert world.member_membership.role == "co_leader"
    assert world.member_membership.title == "Note-taker"
    client.post(edit, {"action": "save", "role": "emperor", "title": ""})
    world.member_membership.refresh_from_db()
    assert world.member_membership.role == "co_leader"  # an unknown role changes nothing
    client.post(edit, {"action": "remove"})
    assert not Membership.objects.filter(pk=world.member_membership.pk).exists()


def test_member_list_is_for_staff_and_members_only(world, client_for):
    detail = community_url("cohorts:community-detail", world)
    assert "Pat Participant" in client_for("leader").get(detail).content.decode()
    outsider_member = factories.ParticipantFactory(cohort=world.cohort)
    outsider_member.user = factories.UserFactory()
    outsider_member.save()
    from django.test import Client

    other_client = Client()
    other_client.force_login(outsider_member.user)
    response = other_client.get(detail)
    assert response.status_code == 200
    assert "Pat Participant" not in response.content.decode()
    assert response.context["member_count"] == 2


def test_observer_sees_counts_not_names(world, client_for):
    response = client_for("observer").get(community_url("cohorts:community-detail", world))
    assert response.status_code == 200
    assert "Lee Leader" not in response.content.decode()
