"""Digests: the emails a person chose to get daily or weekly, gathered into one.

A message whose recipient chose a digest for its kind is queued HELD (copkit.preferences).
Two `copkit.later` sweeps, one per cadence, claim the recipient's `EmailSettings` row on
`daily_digest_at` / `weekly_digest_at` once a period has begun (DIGEST_HOUR in the
recipient's time zone, every day or every Monday) and a held message came due before it.
In the claim's transaction the handler queues one digest (kind "digest", key
`digest-<cadence>:<settings>:<period's first day>`) and moves the messages it gathered from
HELD to DIGESTED with a conditional UPDATE, so a message goes out once: in the digest, never
alone too. A digest gathers what is due when it runs, so a message that came due after the
period began goes in this digest rather than waiting a whole period.
"""

import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, Min, OuterRef, Subquery

from copkit import kinds, later, outbox, preferences
from copkit.models import Delivery, EmailSettings, OutboxMessage

State = OutboxMessage.State
DIGEST_HOUR = 7  # local time of the recipient when a period begins
COLUMNS = {Delivery.DAILY: "daily_digest_at", Delivery.WEEKLY: "weekly_digest_at"}


def zone_of(row):
    return zoneinfo.ZoneInfo(row.time_zone or settings.TIME_ZONE)


def period_start(now, zone, cadence):
    """The start of the period `now` is in: today's DIGEST_HOUR (yesterday's before it), or
    this week's Monday at DIGEST_HOUR, in `zone`."""
    local = now.astimezone(zone)
    start = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if cadence == Delivery.WEEKLY:
        start -= timedelta(days=local.weekday())
    if start > local:
        start -= timedelta(days=7 if cadence == Delivery.WEEKLY else 1)
    return start


def _held(cadence):
    return OutboxMessage.objects.filter(state=State.HELD, delivery=cadence)


def due_settings(cadence):
    """The `due` of the cadence's sweep: the addresses with a held message that came due
    before the current period began, whose last digest of this cadence is older."""

    def due(now):
        oldest = (
            _held(cadence)
            .filter(to_email__iexact=OuterRef("email"))
            .order_by()
            .values("state")
            .annotate(oldest=Min("due_at"))
            .values("oldest")
        )
        rows = (
            EmailSettings.objects.filter(
                Exists(_held(cadence).filter(to_email__iexact=OuterRef("email"), due_at__lte=now))
            )
            .annotate(oldest=Subquery(oldest))
            .order_by("pk")
        )
        result = []
        for row in rows:
            start = period_start(now, zone_of(row), cadence)
            last = getattr(row, COLUMNS[cadence])
            if row.oldest <= start and (last is None or last < start):
                result.append(row)
        return result

    return due


def queue_digest(cadence):
    """The handler of the cadence's sweep: one digest of what is due for the claimed row."""

    def handle(row, now):
        gathered = list(
            _held(cadence)
            .filter(to_email__iexact=row.email, due_at__lte=now)
            .order_by("due_at", "pk")
            .only("pk", "kind", "subject", "body_text", "due_at")
        )
        if not gathered:
            return 0
        start = period_start(now, zone_of(row), cadence)
        digest = outbox.enqueue(
            key=f"digest-{cadence}:{row.pk}:{start.date().isoformat()}",
            kind=kinds.DIGEST.name,
            to_email=row.email,
            template="digest",
            due_at=now,
            context={
                "cadence": cadence,
                "daily": cadence == Delivery.DAILY,
                "items": [
                    {
                        "subject": message.subject,
                        # Each item's own settings footer is left out: the digest has one.
                        "body": message.body_text.split("\n-- \n")[0].strip(),
                        "kind": getattr(kinds.get(message.kind), "label", message.kind),
                    }
                    for message in gathered
                ],
                "settings_url": preferences.settings_url(row.email),
            },
        )
        if digest is None:  # this period's digest exists: the next period gathers these
            return 0
        OutboxMessage.objects.filter(
            pk__in=[message.pk for message in gathered], state=State.HELD
        ).update(state=State.DIGESTED, digest=digest)
        return 1

    return handle


daily_digests = later.register(
    later.Sweep(
        name="daily digests",
        due=due_settings(Delivery.DAILY),
        column=COLUMNS[Delivery.DAILY],
        handle=queue_digest(Delivery.DAILY),
        cohort=None,  # a person\'s digest; closing a cohort cancels its held messages
    )
)
weekly_digests = later.register(
    later.Sweep(
        name="weekly digests",
        due=due_settings(Delivery.WEEKLY),
        column=COLUMNS[Delivery.WEEKLY],
        handle=queue_digest(Delivery.WEEKLY),
        cohort=None,  # a person\'s digest; closing a cohort cancels its held messages
    )
)
