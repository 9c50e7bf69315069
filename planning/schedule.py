"""Meeting dates from a recurrence rule: pure date arithmetic, no models.

A rule is what the action plan's logistics part holds: how often (weekly, every two weeks,
monthly, every three months), which weekday, for monthly and quarterly meetings which week
of the month ("second Tuesday", "last Friday"), the local start time and the length.

Times are kept at the community's local wall-clock time: a 7 p.m. meeting stays 7 p.m. in
its time zone across daylight-saving changes, so its UTC time moves by an hour twice a year.
A local time that does not exist (the hour skipped when clocks spring forward) moves forward
by the gap; a local time that happens twice (clocks fall back) is the first of the two.
"""

import calendar
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import dateformat
from django.utils.translation import gettext as _

WEEKLY = "weekly"
BIWEEKLY = "biweekly"
MONTHLY = "monthly"
QUARTERLY = "quarterly"
FREQUENCIES = (WEEKLY, BIWEEKLY, MONTHLY, QUARTERLY)
MONTHLY_KINDS = (MONTHLY, QUARTERLY)
LAST = "last"

# A rule with neither an end date nor a count stops here, so a mistake cannot make
# thousands of meetings.
MAX_MEETINGS = 120


def _weekday(value):
    weekday = int(value)
    if not 0 <= weekday <= 6:
        raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), not {value!r}")
    return weekday


def _week(value):
    """The week of the month as 1..5 or LAST."""
    if value in (LAST, -1, "-1"):
        return LAST
    week = int(value)
    if not 1 <= week <= 5:
        raise ValueError(f"week of month must be 1 to 5 or 'last', not {value!r}")
    return week


def nth_weekday(year, month, weekday, week):
    """The date of the `week`-th (1..5, or "last") `weekday` of the month, or None when the
    month has no such day (a fifth Tuesday in a month with four)."""
    weekday, week = _weekday(weekday), _week(week)
    days_in_month = calendar.monthrange(year, month)[1]
    if week == LAST:
        last = date(year, month, days_in_month)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    day = 1 + (weekday - first.weekday()) % 7 + 7 * (week - 1)
    return date(year, month, day) if day <= days_in_month else None


def local_to_utc(day, start_time, zone):
    """The UTC instant of wall-clock `start_time` on `day` in `zone` (a ZoneInfo).

    With fold=0, zoneinfo reads a time in the spring-forward gap with the offset from before
    the change, which lands it the length of the gap later (2:30 becomes 3:30), and reads a
    time repeated in the fall-back hour as its first occurrence."""
    local = datetime.combine(day, start_time.replace(tzinfo=None, fold=0), tzinfo=zone)
    return local.astimezone(UTC)


def _add_months(year, month, months):
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def dates(first_date, frequency, weekday, week_of_month=None):
    """Yield the meeting dates of the rule, in order and without end, from `first_date` on."""
    weekday = _weekday(weekday)
    if frequency in (WEEKLY, BIWEEKLY):
        step = timedelta(days=7 if frequency == WEEKLY else 14)
        day = first_date + timedelta(days=(weekday - first_date.weekday()) % 7)
        while True:
            yield day
            day += step
    elif frequency in MONTHLY_KINDS:
        if week_of_month in (None, ""):
            raise ValueError("monthly and quarterly meetings need a week of the month")
        week = _week(week_of_month)
        every = 1 if frequency == MONTHLY else 3
        year, month = first_date.year, first_date.month
        day = nth_weekday(year, month, weekday, week)
        if day is None or day < first_date:
            # This month's meeting day has passed: the series starts next month.
            year, month = _add_months(year, month, 1)
        while True:
            day = nth_weekday(year, month, weekday, week)
            if day is not None:  # a fifth weekday is skipped in months with four
                yield day
            year, month = _add_months(year, month, every)
    else:
        raise ValueError(f"unknown frequency {frequency!r}")


def propose(
    first_date,
    frequency,
    weekday,
    week_of_month,
    start_time,
    length_minutes,
    tz_name,
    until,
    count=None,
):
    """The start times (aware, UTC) of the meetings of a rule: from `first_date` (the first
    is on or after it) up to and including the local date `until`, at most `count` of them
    (and never more than MAX_MEETINGS). `length_minutes` is part of the rule but does not
    move the dates; it is accepted so that a whole rule can be passed as keywords."""
    zone = ZoneInfo(tz_name)
    limit = MAX_MEETINGS if count is None else min(count, MAX_MEETINGS)
    starts = []
    if limit <= 0:
        return starts
    for day in dates(first_date, frequency, weekday, week_of_month):
        if until is not None and day > until:
            break
        starts.append(local_to_utc(day, start_time, zone))
        if len(starts) >= limit:
            break
    return starts


def _ordinal(week):
    return {
        1: _("first"),
        2: _("second"),
        3: _("third"),
        4: _("fourth"),
        5: _("fifth"),
        LAST: _("last"),
    }[_week(week)]


def _weekday_name(weekday):
    return [
        _("Monday"),
        _("Tuesday"),
        _("Wednesday"),
        _("Thursday"),
        _("Friday"),
        _("Saturday"),
        _("Sunday"),
    ][_weekday(weekday)]


def format_time(value):
    """7:00 p.m., 9:30 a.m. (the minutes always shown)."""
    return dateformat.time_format(value, "g:i a")


def describe(frequency, weekday, week_of_month, start_time, length_minutes, mode=None):
    """The rule in one line: "Monthly, second Tuesday, 7:00 p.m., 90 minutes, virtual"."""
    how_often = {
        WEEKLY: _("Weekly"),
        BIWEEKLY: _("Every two weeks"),
        MONTHLY: _("Monthly"),
        QUARTERLY: _("Every three months"),
    }[frequency]
    day = _weekday_name(weekday)
    if frequency in MONTHLY_KINDS and week_of_month not in (None, ""):
        day = _("%(ordinal)s %(weekday)s") % {"ordinal": _ordinal(week_of_month), "weekday": day}
    bits = [how_often, day, format_time(start_time)]
    if length_minutes:
        bits.append(_("%(n)d minutes") % {"n": int(length_minutes)})
    if mode:
        bits.append(
            {
                "call": _("conference call"),
                "virtual": _("virtual"),
                "in_person": _("in person"),
            }.get(mode, mode)
        )
    return ", ".join(bits)
