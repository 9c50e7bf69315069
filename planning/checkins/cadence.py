"""The check-in calendar: from a cadence (every N weeks from a first day) to its periods.

A period starts on a day of the cohort's calendar and comes due at PROMPT_HOUR that day in
the cohort's time zone: the UTC moment moves with daylight saving time, the local hour does
not. Its key is its first day ("2026-12-01")."""

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

PROMPT_HOUR = time(9, 0)


@dataclass(frozen=True)
class Period:
    starts_on: date
    due_at: datetime  # aware, PROMPT_HOUR local time on `starts_on`

    @property
    def key(self):
        return self.starts_on.isoformat()


@dataclass(frozen=True)
class Rule:
    """The cadence in force for one community: the community's own row or the cohort's."""

    every_weeks: int
    starts_on: date
    paused: bool
    remind_after_days: int
    escalate_after_days: int
    time_zone: str

    @classmethod
    def of(cls, cadence, time_zone):
        return cls(
            every_weeks=max(cadence.every_weeks, 1),
            starts_on=cadence.starts_on,
            paused=cadence.paused,
            remind_after_days=cadence.remind_after_days,
            escalate_after_days=cadence.escalate_after_days,
            time_zone=time_zone,
        )

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def length(self):
        return timedelta(weeks=self.every_weeks)

    def period(self, index):
        day = self.starts_on + timedelta(weeks=self.every_weeks * index)
        return Period(day, datetime.combine(day, PROMPT_HOUR, tzinfo=self.zone))

    def current(self, now):
        """The latest period due at or before `now`, or None before the first one."""
        today = now.astimezone(self.zone).date()
        if today < self.starts_on:
            return None
        index = (today - self.starts_on).days // (7 * self.every_weeks)
        period = self.period(index)
        if period.due_at > now:
            return self.period(index - 1) if index > 0 else None
        return period

    def next(self, now):
        """The first period due after `now` (None while paused)."""
        if self.paused:
            return None
        current = self.current(now)
        if current is None:
            return self.period(0)
        index = (current.starts_on - self.starts_on).days // (7 * self.every_weeks)
        return self.period(index + 1)

    def _days_after(self, moment, days):
        # Calendar days in the cohort's zone: 9:00 stays 9:00 across a clock change.
        return moment.astimezone(self.zone) + timedelta(days=days)

    def reminder_due(self, due_at):
        """When an unanswered check-in due at `due_at` is late enough for a reminder (and
        counts as overdue)."""
        return self._days_after(due_at, self.remind_after_days)

    def escalation_due(self, due_at):
        """When an unanswered check-in due at `due_at` goes to the coach."""
        return self._days_after(due_at, self.escalate_after_days)

    def still_current(self, due_at, now):
        """True while the period of a check-in due at `due_at` has not given way to the
        next one: an older, missed check-in is not chased any more."""
        return now < self._days_after(due_at, 7 * self.every_weeks)
