"""Reminder emails before a convening, queued through the outbox by a `copkit.later` sweep.

A convening is due for its reminder once it starts within REMINDER_HOURS. The sweep claims it
with a conditional UPDATE of `reminded_at` (only while it is not cancelled and not moved since
it was read) and queues one email per leader of the cohort, under the key
`convening_reminder:<convening>:<sequence>:<participant>`: a moved convening is reminded
again under a new key."""

from datetime import timedelta

from django.conf import settings
from django.utils import dateformat, timezone

from cohorts.services.activity import record
from copkit import later, outbox
from planning.models import Convening
from planning.support.services.convenings import cohort_zone, leaders

REMINDER_HOURS = 24
LONG_FORMAT = "l, F j, Y, g:i a T"
SHORT_FORMAT = "D, M j, g:i a T"


def when(convening, format=LONG_FORMAT):
    return dateformat.format(
        timezone.localtime(convening.starts_at, cohort_zone(convening.cohort)), format
    )


def due_convenings(now=None):
    now = now or timezone.now()
    return list(
        Convening.objects.filter(
            cancelled_at__isnull=True,
            reminded_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(hours=REMINDER_HOURS),
        )
        .select_related("cohort")
        .order_by("starts_at", "pk")
    )


def queue_emails(convening, now):
    url = settings.SITE_URL + convening.get_absolute_url()
    messages = [
        {
            "key": f"convening_reminder:{convening.pk}:{convening.sequence}:{person.pk}",
            "kind": "convening_reminder",
            "to_email": person.email,
            "template": "convening_reminder",
            "context": {
                "participant": person,
                "convening": convening,
                "cohort": convening.cohort,
                "when": when(convening),
                "when_short": when(convening, SHORT_FORMAT),
                "agenda": convening.agenda.strip(),
                "convening_url": url,
            },
        }
        for person in leaders(convening.cohort)
        if person.email
    ]
    queued = outbox.enqueue_many(messages)
    record(convening.cohort, None, "sent convening reminders", convening, count=queued)
    return queued


convening_reminders = later.register(
    later.Sweep(
        name="convening reminders",
        cohort="cohort",
        due=due_convenings,
        column="reminded_at",
        still=lambda convening: {
            "cancelled_at__isnull": True,
            "starts_at": convening.starts_at,
            "sequence": convening.sequence,
        },
        handle=queue_emails,
    )
)
