"""Writes about communities of practice and who is in them."""

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import Community, Membership

from .activity import record
from .cohorts import ServiceError, apply_values

# Sent inside the write's transaction when who is in a community (or who leads it) changed:
# `communities` (a list). planning.sunset.phases listens, to move the phase with the state.
members_changed = Signal()


@transaction.atomic
def set_archived(community, *, actor, archived):
    """Archive a COP (kept, read-only, out of the lists) or bring it back."""
    community.archived_at = timezone.now() if archived else None
    community.save(update_fields=["archived_at", "updated_at"])
    record(
        community.cohort,
        actor,
        "archived community" if archived else "restored community",
        community,
    )
    return community


def _check_not_archived(community):
    if community.is_archived:
        raise ServiceError(_("This community is archived; restore it before changing members."))


@transaction.atomic
def add_member(community, *, actor, participant, role=Membership.Role.MEMBER):
    _check_not_archived(community)
    if participant.cohort_id != community.cohort_id:
        raise ServiceError(_("That person is not a participant of this cohort."))
    membership, created = Membership.objects.get_or_create(
        community=community, participant=participant, defaults={"role": role}
    )
    if not created:
        raise ServiceError(_("%(name)s is already a member.") % {"name": participant.name})
    record(community.cohort, actor, "added member", participant, community=community, role=role)
    members_changed.send(sender=Community, communities=[community])
    return membership


@transaction.atomic
def change_membership(membership, *, actor, role, title):
    """Give a member of a community another role (a Membership.Role) and title."""
    _check_not_archived(membership.community)
    membership = Membership.objects.select_related("community__cohort", "participant").get(
        pk=membership.pk
    )
    membership.role, membership.title = role, title
    membership.save()
    record(
        membership.community.cohort,
        actor,
        "changed member role",
        membership.participant,
        community=membership.community,
        role=membership.role,
    )
    members_changed.send(sender=Community, communities=[membership.community])
    return membership


@transaction.atomic
def remove_member(membership, *, actor):
    _check_not_archived(membership.community)
    membership.delete()
    record(
        membership.community.cohort,
        actor,
        "removed member",
        membership.participant,
        community=membership.community,
    )
    members_changed.send(sender=Community, communities=[membership.community])


# The phase is not among them: it follows the state, and staff override it on its own form
# (planning.sunset).
COMMUNITY_FIELDS = ("name", "topic", "description", "work_type", "meeting_format")


@transaction.atomic
def create_community(cohort, *, actor, **values):
    """A new community of `cohort` with `values` (any of COMMUNITY_FIELDS; `name` needed)."""
    community = Community(cohort=cohort)
    fields = apply_values(community, values, COMMUNITY_FIELDS)
    community.save()
    record(cohort, actor, "created community", community, fields=fields)
    return community


@transaction.atomic
def update_community(community, *, actor, **values):
    """Change a community's `values` (any of COMMUNITY_FIELDS). An archived one is read-only."""
    if community.is_archived:
        raise ServiceError(_("This community is archived; restore it before changing it."))
    fields = apply_values(community, values, COMMUNITY_FIELDS)
    community.save()
    record(community.cohort, actor, "updated community", community, fields=fields)
    return community
