"""Closing a cohort: staff make a finished program read-only, and can reopen it.

A closed cohort keeps every page and export. `copkit.hub.closing` refuses every write to it;
`copkit.later` sends no reminders, prompts or nudges for it (each sweep names the path from
its row to the cohort); the emails queued for it and not yet sent are cancelled. Library
items shared beyond the cohort (with the provider's other cohorts, or publicly) stay where
they are: closing changes no row but the cohort's (and its unsent emails).
"""

import zoneinfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import Cohort
from cohorts.services.activity import record
from copkit.errors import ServiceError
from copkit.models import OutboxMessage


def local_today(cohort, now=None):
    now = now or timezone.now()
    return timezone.localtime(now, zoneinfo.ZoneInfo(cohort.time_zone)).date()


def closes_early(cohort, now=None):
    """True while the program has not reached its end date (closing asks once more)."""
    return local_today(cohort, now) <= cohort.ends_on


@transaction.atomic
def close_cohort(cohort, *, actor, early=False, now=None):
    """Make `cohort` read-only. Before the program's end date staff must say they mean it
    (`early=True`). A cohort closed already is refused."""
    now = now or timezone.now()
    if closes_early(cohort, now) and not early:
        raise ServiceError(
            _("The program runs until %(date)s. Tick the box to close it early anyway.")
            % {"date": cohort.ends_on.isoformat()},
            field="early",
        )
    changed = Cohort.objects.filter(pk=cohort.pk, closed_at__isnull=True).update(
        closed_at=now, closed_by=actor, updated_at=now
    )
    if changed != 1:
        raise ServiceError(_("This cohort is closed already."))
    cohort.closed_at, cohort.closed_by = now, actor
    # What was queued for the cohort and not sent yet (a reminder due later, a message
    # waiting for someone's digest) is not sent either.
    State = OutboxMessage.State
    cancelled = OutboxMessage.objects.filter(
        cohort_ref=cohort.pk, state__in=[State.PENDING, State.HELD]
    ).update(state=State.CANCELLED)
    record(cohort, actor, "closed cohort", cohort, cancelled_emails=cancelled)
    return cohort


@transaction.atomic
def reopen_cohort(cohort, *, actor, now=None):
    """Make `cohort` writable again; later work resumes from the next sweep."""
    now = now or timezone.now()
    changed = Cohort.objects.filter(pk=cohort.pk, closed_at__isnull=False).update(
        closed_at=None, closed_by=None, updated_at=now
    )
    if changed != 1:
        raise ServiceError(_("This cohort is open."))
    cohort.closed_at = cohort.closed_by = None
    record(cohort, actor, "reopened cohort", cohort)
    return cohort
