"""The access layer: from the URL to a cohort (and community) the user may act on.

Every cohort view is wrapped in `cohort_view(ability)`. It resolves the cohort from
`cohort_slug` and, where the URL has one, the community from `community_slug` through that
cohort; it works out the user's roles there once; then it checks the ability:

- a user with no role in the cohort gets 404 (the cohort's existence is not revealed),
- a user of the cohort without the ability gets 403,
- an anonymous user is sent to log in.

The view receives an `Access` as its second argument and fetches everything else through
`access.cohort` (never by a bare id). The view runs with the cohort's time zone active, so the
dates it shows read in that zone.
"""

import zoneinfo
from dataclasses import dataclass, field
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

STAFF = "staff"
OBSERVER = "observer"
LEADER = "leader"
PARTICIPANT = "participant"


@dataclass
class Access:
    """What one user may do in one cohort (and, when the URL names one, one community)."""

    user: object
    cohort: object
    role: str | None = None  # "staff" or "observer" from CohortRole
    participant: object | None = None
    memberships: dict = field(default_factory=dict)  # community id -> Membership
    community: object | None = None

    @property
    def is_staff(self):
        return self.role == STAFF or self.user.is_superuser

    @property
    def is_observer(self):
        return self.role == OBSERVER and not self.is_staff

    @property
    def is_participant(self):
        return self.participant is not None

    @property
    def leads_any(self):
        return any(m.is_leading for m in self.memberships.values())

    def membership(self, community=None):
        community = community or self.community
        return self.memberships.get(community.pk) if community else None

    def is_member(self, community=None):
        return self.membership(community) is not None

    def is_leader(self, community=None):
        membership = self.membership(community)
        return membership is not None and membership.is_leading

    @property
    def roles(self):
        """The names of this user's roles here, for display."""
        names = []
        if self.is_staff:
            names.append(STAFF)
        if self.is_observer:
            names.append(OBSERVER)
        if self.leads_any:
            names.append(LEADER)
        if self.is_participant:
            names.append(PARTICIPANT)
        return names

    def can(self, ability):
        check = ABILITIES.get(ability)
        if check is None:
            raise ValueError(f"Unknown ability {ability!r}")
        return check(self)


# Each ability is a rule over an Access. Views name the ability they need.
ABILITIES = {
    # Anyone with a role in the cohort.
    "cohort.view": lambda a: True,
    # Set up and run the cohort: roster, invitations, team, communities, topics.
    "cohort.manage": lambda a: a.is_staff,
    # Aggregate progress: staff and observers, never personal answers.
    "cohort.report": lambda a: a.is_staff or a.is_observer,
    # A participant's own profile in this cohort.
    "cohort.profile": lambda a: a.is_participant,
    # See a community's page.
    "community.view": lambda a: True,
    # See who is in a community.
    "community.members": lambda a: a.is_staff or a.is_member(),
    # Leader work on a community (plans, check-ins, meetings).
    "community.lead": lambda a: a.is_staff or a.is_leader(),
    # Create, edit, archive, manage membership.
    "community.manage": lambda a: a.is_staff,
}


def resolve_access(user, cohort_slug, community_slug=None):
    """Build the Access for `user` in the cohort named by the slug, or raise Http404."""
    from cohorts.models import Cohort, CohortRole, Membership, Participant

    cohort = get_object_or_404(Cohort, slug=cohort_slug)
    role = (
        CohortRole.objects.filter(cohort=cohort, user=user).values_list("role", flat=True).first()
    )
    participant = Participant.objects.filter(cohort=cohort, user=user).first()
    memberships = {}
    if participant is not None:
        memberships = {
            m.community_id: m for m in Membership.objects.filter(participant=participant)
        }
    if role is None and participant is None and not user.is_superuser:
        raise Http404("No such cohort")
    access = Access(
        user=user, cohort=cohort, role=role, participant=participant, memberships=memberships
    )
    if community_slug is not None:
        access.community = get_object_or_404(
            cohort.communities.select_related("topic"), slug=community_slug
        )
    return access


def cohort_view(ability="cohort.view"):
    """Decorate a view taking (request, access, ...) with cohort resolution and a check."""
    if ability not in ABILITIES:
        raise ValueError(f"Unknown ability {ability!r}")

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, cohort_slug, *args, community_slug=None, **kwargs):
            access = resolve_access(request.user, cohort_slug, community_slug)
            if not access.can(ability):
                raise PermissionDenied
            request.access = access
            # Dates on the cohort's pages read in the cohort's zone (see the `zoned` filter).
            timezone.activate(zoneinfo.ZoneInfo(access.cohort.time_zone))
            try:
                return view(request, access, *args, **kwargs)
            finally:
                timezone.deactivate()

        wrapped.cohort_ability = ability
        return wrapped

    return decorator
