"""Each community's coach: the staff member responsible for its check-ins and follow-ups.

`Community.coach` names them; an empty one means the cohort's first staff member (the one
added to the team first). A coach who leaves the team stops being one (`remove_team_member`
clears them), and their communities fall back to the default."""

from django.db import transaction
from django.utils.translation import gettext as _

from cohorts.models import CohortRole
from cohorts.services.activity import record
from copkit.errors import ServiceError


def first_staff_ids(cohort_ids):
    """{cohort id: the user id of its first staff member}, in one query."""
    firsts = {}
    rows = (
        CohortRole.objects.filter(cohort_id__in=list(cohort_ids), role=CohortRole.Role.STAFF)
        .order_by("cohort_id", "created_at", "pk")
        .values_list("cohort_id", "user_id")
    )
    for cohort_id, user_id in rows:
        firsts.setdefault(cohort_id, user_id)
    return firsts


def coach_ids(communities, firsts=None):
    """{community id: the user id of its coach (or None when the cohort has no staff)} for
    `communities` (rows with `coach_id` and `cohort_id`); one query at most."""
    communities = list(communities)
    if firsts is None:
        firsts = first_staff_ids({community.cohort_id for community in communities})
    return {
        community.pk: community.coach_id or firsts.get(community.cohort_id)
        for community in communities
    }


def coach_of(community):
    """The coach (a user) of one community, or None."""
    if community.coach_id:
        return community.coach
    role = (
        community.cohort.roles.filter(role=CohortRole.Role.STAFF)
        .select_related("user")
        .order_by("created_at", "pk")
        .first()
    )
    return role.user if role else None


def staff_users(cohort):
    """The cohort's staff members, by name: whom a community's coach can be."""
    return [
        role.user
        for role in cohort.roles.filter(role=CohortRole.Role.STAFF)
        .select_related("user")
        .order_by("user__name", "user__email")
    ]


@transaction.atomic
def assign_coaches(cohort, *, actor, coaches):
    """Set the coach of some of the cohort's communities: `coaches` maps a community to a
    staff user, or to None for the default (the first staff member). Returns how many
    changed."""
    staff = set(cohort.roles.filter(role=CohortRole.Role.STAFF).values_list("user_id", flat=True))
    changed = 0
    for community, user in coaches.items():
        if community.cohort_id != cohort.pk:
            raise ServiceError(_("That community is not in this cohort."))
        if user is not None and user.pk not in staff:
            raise ServiceError(_("A coach must be a staff member of this cohort."))
        new = user.pk if user is not None else None
        if community.coach_id == new:
            continue
        updated = cohort.communities.filter(pk=community.pk).update(coach_id=new)
        if updated:
            changed += 1
            community.coach_id = new
            record(
                cohort,
                actor,
                "assigned coach",
                community,
                coach=user.get_full_name() if user is not None else "",
            )
    return changed
