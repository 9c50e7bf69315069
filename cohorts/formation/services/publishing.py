"""Publishing a round: the newest proposal's groups become communities, once every lock is
kept and every name is free; members are told by email (through the outbox)."""

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cohorts.formation.wording import names_text as _names
from cohorts.models import (
    Community,
    FormationRound,
    Membership,
    ProposedGroup,
    ProposedMember,
)
from cohorts.services.activity import record
from cohorts.services.communities import members_changed
from cohorts.services.invitations import usable_invitations
from copkit import outbox
from copkit.errors import ServiceError

from .problem import size_limits
from .proposals import _user, current_proposal, describe_lock, unmet_locks


def publish(formation_round, *, actor):
    """The newest proposal's groups become Communities (named after the group, with its topic
    when it has one) with a Membership for each member; each member is emailed through the
    outbox; the round is marked PUBLISHED. Refuses (ServiceError) an already published round,
    a round with no proposal, empty groups, groups outside the size limits, two groups of
    one name, and groups that break a lock."""
    with transaction.atomic():
        formation_round = (
            FormationRound.objects.select_for_update()
            .select_related("cohort")
            .get(pk=formation_round.pk)
        )
        return _publish(formation_round, actor)


def _publish(formation_round, actor):
    cohort = formation_round.cohort
    if formation_round.is_published or formation_round.status == FormationRound.Status.PUBLISHED:
        raise ServiceError(_("This round is published already; its groups are communities now."))
    proposal = current_proposal(formation_round)
    if proposal is None:
        raise ServiceError(_("There are no groups to publish yet: form the groups first."))
    groups = list(
        proposal.groups.select_related("topic__topic")
        .prefetch_related(
            Prefetch("members", queryset=ProposedMember.objects.select_related("participant"))
        )
        .order_by("position", "pk")
    )
    # A group left empty (added, then not used) does not become a community.
    groups = [group for group in groups if group.members.all()]
    if not groups:
        raise ServiceError(_("There are no groups to publish yet: form the groups first."))
    total = sum(len(group.members.all()) for group in groups)
    size_min, size_max = size_limits(formation_round, total)
    if size_min is not None and size_max is not None:
        outside = [
            _("%(group)s has %(count)s") % {"group": group.name, "count": len(group.members.all())}
            for group in groups
            if not size_min <= len(group.members.all()) <= size_max
        ]
        if outside:
            raise ServiceError(
                _(
                    "Groups in this round need %(min)s to %(max)s people, but %(groups)s. Move "
                    "people between groups first."
                )
                % {"min": size_min, "max": size_max, "groups": _names(outside)}
            )
    seen = set()
    for group in groups:
        if group.name.casefold() in seen:
            raise ServiceError(
                _("Two groups are called “%(name)s”. Rename one of them first.")
                % {"name": group.name}
            )
        seen.add(group.name.casefold())
    unmet = [describe_lock(lock) for lock in unmet_locks(formation_round, proposal)]
    if unmet:
        raise ServiceError(
            ngettext(
                "These groups break a lock (%(locks)s). Move someone, form the groups again, "
                "or remove the lock first.",
                "These groups break %(count)s locks (%(locks)s). Move people, form the groups "
                "again, or remove the locks first.",
                len(unmet),
            )
            % {"count": len(unmet), "locks": _names(unmet)}
        )
    taken = {
        name.casefold()
        for name in Community.objects.active().filter(cohort=cohort).values_list("name", flat=True)
    }
    for group in groups:
        if group.name.casefold() in taken:
            raise ServiceError(
                _(
                    "There is already a community called “%(name)s”. Rename that group "
                    "before publishing."
                )
                % {"name": group.name}
            )

    now = timezone.now()
    memberships = []
    emails = []
    everyone = [member.participant for group in groups for member in group.members.all()]
    # Who has not joined copkit gets their invitation's link, not a page behind a login.
    invitations = usable_invitations(cohort, everyone, _user(actor))
    answered = _answered(formation_round)
    for group in groups:
        community = Community(
            cohort=cohort,
            name=group.name,
            topic=group.topic.topic if group.topic else None,
            phase=Community.Phase.FORMING,
        )
        community.save()
        group.community = community
        people = [member.participant for member in group.members.all()]
        url = settings.SITE_URL + community.get_absolute_url()
        for person in people:
            memberships.append(
                Membership(community=community, participant=person, role=_role(group, person))
            )
            emails.append(
                {
                    "key": f"formation-published:{formation_round.pk}:{person.pk}",
                    "kind": "formation",
                    "to_email": person.email,
                    "template": "formation_published",
                    "context": {
                        "participant": person,
                        "community": community,
                        "cohort": cohort,
                        "round_name": formation_round.name,
                        "url": url,
                        "others": [p.name for p in people if p.pk != person.pk],
                        **_invitation_context(invitations.get(person.pk)),
                        "answered": person.pk in answered,
                        "leading": _role(group, person) != Membership.Role.MEMBER,
                    },
                }
            )
    Membership.objects.bulk_create(memberships, batch_size=500, ignore_conflicts=True)
    ProposedGroup.objects.bulk_update(groups, ["community"])
    formation_round.status = FormationRound.Status.PUBLISHED
    formation_round.published_at = now
    formation_round.published_by = _user(actor)
    formation_round.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    outbox.enqueue_many(emails)
    record(
        cohort,
        actor,
        "published groups",
        formation_round,
        proposal=proposal.number,
        communities=len(groups),
        members=len(memberships),
        invited=len(invitations),
    )
    members_changed.send(sender=Community, communities=[group.community for group in groups])
    return [group.community for group in groups]


# -- helpers -----------------------------------------------------------------------------------


def _role(group, person):
    if person.pk == group.leader_id:
        return Membership.Role.LEADER
    if person.pk == group.co_leader_id:
        return Membership.Role.CO_LEADER
    return Membership.Role.MEMBER


def _answered(formation_round):
    """The ids of the people who answered the round themselves (the others were placed by
    staff, or had nothing to answer)."""
    if not formation_round.asks_participants:
        return set()
    return set(
        formation_round.entries.filter(submitted_at__isnull=False).values_list(
            "participant_id", flat=True
        )
    )


def _invitation_context(invitation):
    if invitation is None:
        return {"joined": True, "accept_url": "", "expires_at": None}
    return {
        "joined": False,
        "accept_url": settings.SITE_URL + invitation.get_accept_url(),
        "expires_at": invitation.expires_at,
    }
