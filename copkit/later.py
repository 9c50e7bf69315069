"""Later work: rows that come due, each claimed once by a conditional UPDATE, then handed to
the outbox in the same transaction.

A reminder, a check-in prompt, a digest or a sunset nudge is a row with a due time (or a
column that says when it is due) and a claim column. One `Sweep` describes one kind:

    meeting_reminders = later.register(later.Sweep(
        name="meeting reminders",
        due=due_meetings,                          # now -> the rows due, read without locks
        column="reminded_at",                      # the claim column, compared and set
        still=lambda m: {"cancelled_at__isnull": True, "starts_at": m.starts_at},
        handle=queue_meeting_emails,               # (row, now) -> how many emails it queued
    ))

For each due row, in its own transaction, the sweep runs

    UPDATE row SET <column> = mark(row, now), **also(row, now)
     WHERE pk = row.pk AND <column> = <the value read> AND **still(row)

and goes on only if exactly one row changed: another process got there first otherwise, or
the row changed since it was read (the next sweep reads it again). Then `handle` queues the
outbox message(s) with `outbox.enqueue`/`enqueue_many` inside that same transaction, so a
claim and its emails commit together or not at all; a handler that raises rolls its claim
back, and the row stays due. Any number of beats and workers may sweep at once: a row is
handled by exactly one of them. The outbox's unique keys are a second guard, not the first.

`mark` defaults to `now` (a "done at" column). A counter claims just as well: for the n-th
reminder of a survey, `column="reminder_count"` and `mark=lambda r, now: r.reminder_count + 1`.

A "do it now" button that must not race the sweep (remind everyone now) calls
`sweep.take(row, now)`: the same claim and handler, for one row. Keyword arguments of
`take` go on to the handler, for what only a person's click knows (who asked):
`sweep.take(row, now, sender="Ana")` calls `handle(row, now, sender="Ana")`.

A row of a closed cohort is left alone: no reminder, prompt or nudge goes out for a cohort
staff have closed (cohorts.services.closing). Each sweep names the path from its row to its
cohort, `cohort="community__cohort"`; the run skips the rows whose cohort is closed (one
query per run) and the claim's UPDATE requires the cohort still open, so closing a cohort
between the read and the claim holds the row too. The rows stay due: reopening the cohort
lets the next sweep take them. A sweep whose rows belong to no cohort says so with
`cohort=None` (the digests: the messages they gather were queued by sweeps that skip closed
cohorts, and closing a cohort cancels its held messages). Every registered sweep must say
one or the other (a test checks).

Sweeps register with `register(sweep)` from their app (in its `AppConfig.ready()` or a module
it imports); one periodic task, `copkit.tasks.run_later_work`, runs them all. The core
knows no app: it runs whatever was registered.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from celery import shared_task
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


def _now(row, now):
    return now


def _nothing(*args):
    return {}


# The default of Sweep.cohort: not said yet. Treated as None, and refused by a test.
UNSET = "<unset>"
# The column of a cohort that says it is closed (the core names no app's model).
CLOSED_COLUMN = "closed_at"


@dataclass(frozen=True)
class Sweep:
    """One kind of later work; see the module's docstring."""

    name: str
    due: Callable[[datetime], Iterable[Any]]
    column: str
    handle: Callable[[Any, datetime], int]
    mark: Callable[[Any, datetime], Any] = _now
    also: Callable[[Any, datetime], dict] = _nothing
    still: Callable[[Any], dict] = _nothing
    # Called once after a run with the rows this process handled, as (row, queued) pairs,
    # in a transaction of its own: for one activity entry per survey or per round.
    after: Callable[[list, datetime], None] | None = None
    # The ORM path from a row to its cohort ("community__cohort"); rows of a closed cohort are
    # skipped. None: the rows belong to no cohort.
    cohort: str | None = UNSET

    def _open_cohort(self):
        """The claim's extra condition: the row's cohort is not closed."""
        if self.cohort in (None, UNSET):
            return {}
        return {f"{self.cohort}__{CLOSED_COLUMN}__isnull": True}

    def _in_closed_cohorts(self, rows):
        """The pks of `rows` whose cohort is closed (one query)."""
        if self.cohort in (None, UNSET) or not rows:
            return set()
        model = type(rows[0])
        return set(
            model._default_manager.filter(
                pk__in=[row.pk for row in rows],
                **{f"{self.cohort}__{CLOSED_COLUMN}__isnull": False},
            ).values_list("pk", flat=True)
        )

    def claim(self, row, now):
        """Claim `row` with a conditional UPDATE; True only for the process that changed it."""
        read = getattr(row, self.column)
        expected = {f"{self.column}__isnull": True} if read is None else {self.column: read}
        changes = {self.column: self.mark(row, now), **self.also(row, now)}
        manager = type(row)._default_manager
        # The claim's UPDATE compares the row's own columns only: a condition through a join
        # makes Django write `WHERE pk IN (SELECT ...)`, which PostgreSQL does not check again
        # against a row another process changed meanwhile, and two processes would both claim
        # it. The cohort is checked after the claim, in a savepoint undone if it was closed.
        with transaction.atomic():
            claimed = manager.filter(pk=row.pk, **expected, **self.still(row)).update(**changes)
            closed = (
                claimed == 1
                and self.cohort not in (None, UNSET)
                and not manager.filter(pk=row.pk, **self._open_cohort()).exists()
            )
            if closed:
                transaction.set_rollback(True)
                return False
        return claimed == 1

    def take(self, row, now=None, **extra):
        """Claim `row` and hand it to the handler (with `extra` as keyword arguments) in one
        transaction. Returns how many messages were queued, or None when the row was not
        claimed."""
        now = now or timezone.now()
        with transaction.atomic():
            if not self.claim(row, now):
                logger.info("%s: %s skipped, another process got there first", self.name, row.pk)
                return None
            return self.handle(row, now, **extra)

    def run(self, now=None):
        """Claim and handle every row due at `now`. Returns a `Swept`."""
        now = now or timezone.now()
        swept = Swept(self.name)
        rows = list(self.due(now))
        closed = self._in_closed_cohorts(rows)
        for row in rows:
            if row.pk in closed:
                swept.held += 1
                continue
            try:
                queued = self.take(row, now)
            except Exception:
                # The row's claim rolled back with its transaction: the next sweep retries it.
                logger.exception("%s: handling %s failed", self.name, row.pk)
                swept.failed += 1
                continue
            if queued is None:
                swept.skipped += 1
            else:
                swept.handled.append((row, queued))
        if self.after is not None and swept.handled:
            with transaction.atomic():
                self.after(swept.handled, now)
        if swept.handled or swept.failed:
            logger.info("%s", swept)
        return swept


@dataclass
class Swept:
    """What one run of a sweep did."""

    name: str
    handled: list = field(default_factory=list)  # (row, messages queued) claimed here
    skipped: int = 0  # claimed by another process first, or changed since read
    failed: int = 0  # the handler raised; the claim rolled back
    held: int = 0  # due, but its cohort is closed: left for a reopened cohort

    @property
    def queued(self):
        return sum(queued for _row, queued in self.handled)

    def __str__(self):
        text = (
            f"{self.name}: {len(self.handled)} handled, {self.queued} queued, "
            f"{self.skipped} skipped, {self.failed} failed"
        )
        return f"{text}, {self.held} held (cohort closed)" if self.held else text


_registry: dict[str, Sweep] = {}


def register(sweep):
    """Add `sweep` to those the periodic task runs; registering a name twice replaces it
    (a module imported twice must not sweep twice). Returns the sweep."""
    _registry[sweep.name] = sweep
    return sweep


def registered():
    return list(_registry.values())


def run_all(now=None):
    """Run every registered sweep once; one that fails does not stop the others."""
    now = now or timezone.now()
    results = []
    for sweep in registered():
        try:
            results.append(sweep.run(now))
        except Exception:
            logger.exception("%s: the sweep failed", sweep.name)
    return results


@shared_task(name="copkit.tasks.run_later_work", ignore_result=True)
def run_later_work():
    """Run every registered sweep. Queued by the beat; any number may run at once."""
    return {result.name: str(result) for result in run_all()}
