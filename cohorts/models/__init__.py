"""Who: cohorts, their staff and observers, organizations, participants, invitations, topics,
communities of practice and their memberships (`core`), and the formation rounds that form
those communities (`formation`). Everything is re-exported here."""

from cohorts.formation.models import (
    FormationEntry,
    FormationLock,
    FormationProposal,
    FormationRound,
    FormationTopic,
    ProposedGroup,
    ProposedMember,
)

from .activity import Activity, ActivityQuerySet
from .core import (
    Cohort,
    CohortQuerySet,
    CohortRole,
    Community,
    CommunityQuerySet,
    FormatPreference,
    Invitation,
    Membership,
    Organization,
    Participant,
    ParticipantQuerySet,
    Topic,
    default_expiry,
    new_token,
    unique_slug,
)

__all__ = [
    "Activity",
    "ActivityQuerySet",
    "Cohort",
    "CohortQuerySet",
    "CohortRole",
    "Community",
    "CommunityQuerySet",
    "FormatPreference",
    "FormationEntry",
    "FormationLock",
    "FormationProposal",
    "FormationRound",
    "FormationTopic",
    "Invitation",
    "Membership",
    "Organization",
    "Participant",
    "ParticipantQuerySet",
    "ProposedGroup",
    "ProposedMember",
    "Topic",
    "default_expiry",
    "new_token",
    "unique_slug",
]
