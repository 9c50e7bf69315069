"""A reminder to the leaders when the date to do a suggested activity by comes near and it
is not on a meeting yet, queued through the outbox by a `copkit.later` sweep.

A suggestion still only suggested or accepted is due for its reminder `REMIND_DAYS` days
before its `due_on`, counted in the cohort's time zone. The sweep claims it with a
conditional UPDATE of `reminded_at` (and only while it is still neither planned, done nor
declined), then queues one email (kind `activity_due`) per leader and co-leader under the key
`activity_due:<suggestion>:<participant>`: any number of workers and beats send it once.
"""

import zoneinfo
from datetime import UTC, timedelta

from django.utils import timezone

from cohorts.models import Membership
from copkit import later, outbox
from planning.deeper.services import suggestion_url
from planning.models import DeeperSuggestion
from planning.sunset.phases import ON_ITS_OWN

State = DeeperSuggestion.State
REMIND_DAYS = 7
NOT_ON_A_MEETING = (State.SUGGESTED, State.ACCEPTED)


def due_suggestions(now):
    """The suggestions whose reminder is due at `now` and not yet sent."""
    # A day of margin for the zones; each row is then checked in its cohort's own zone.
    horizon = now.astimezone(UTC).date()
    candidates = (
        DeeperSuggestion.objects.filter(
            state__in=NOT_ON_A_MEETING,
            reminded_at__isnull=True,
            due_on__lte=horizon + timedelta(days=REMIND_DAYS + 1),
            community__archived_at__isnull=True,
        )
        # Activities the TTA team suggested: no reminder once the COP continues on its own.
        .exclude(community__phase__in=ON_ITS_OWN)
        .select_related("activity", "community__cohort")
        .order_by("due_on", "pk")
    )
    due = []
    for suggestion in candidates:
        zone = zoneinfo.ZoneInfo(suggestion.community.cohort.time_zone)
        today = timezone.localtime(now, zone).date()
        if today >= suggestion.due_on - timedelta(days=REMIND_DAYS):
            due.append(suggestion)
    return due


def queue_emails(suggestion, now):
    """The sweep's handler: one email to each leader and co-leader of the community."""
    community = suggestion.community
    leaders = (
        community.memberships.filter(role__in=Membership.LEADING_ROLES)
        .exclude(participant__email="")
        .select_related("participant")
        .order_by("pk")
    )
    zone = zoneinfo.ZoneInfo(community.cohort.time_zone)
    days_left = (suggestion.due_on - timezone.localtime(now, zone).date()).days
    return outbox.enqueue_many(
        [
            {
                "key": f"activity_due:{suggestion.public_id}:{membership.participant.public_id}",
                "kind": "activity_due",
                "to_email": membership.participant.email,
                "template": "activity_due",
                "context": {
                    "cohort": community.cohort,
                    "community": community,
                    "activity": suggestion.activity,
                    "suggestion": suggestion,
                    "name": membership.participant.name,
                    "days_left": max(days_left, 0),
                    "url": suggestion_url(suggestion, community),
                },
            }
            for membership in leaders
        ]
    )


activity_due_reminders = later.register(
    later.Sweep(
        name="going-deeper due reminders",
        cohort="community__cohort",
        due=due_suggestions,
        column="reminded_at",
        still=lambda suggestion: {"state__in": NOT_ON_A_MEETING},
        handle=queue_emails,
    )
)
