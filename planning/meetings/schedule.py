"""Meeting dates from a recurrence rule (dateutil's rrule, RFC 5545), no models.

A rule is what the action plan's logistics part holds: how often (weekly, every two weeks,
monthly, every three months), which weekday, for monthly and quarterly meetings which week
of the month ("second Tuesday", "last Friday"), the local start time and the length.

Times are kept at the community's local wall-clock time: a 7 p.m. meeting stays 7 p.m. in
its time zone across daylight-saving changes, so its UTC time moves by an hour twice a year.
A local time that does not exist (the hour skipped when clocks spring forward) moves forward
by the gap; a local time that happens twice (clocks fall back) is the first of the two.
"""

from datetime import UTC, date, datetime, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

from dateutil import rrule
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

# dateutil's frequency and interval for each of ours.
_RRULE = {
    WEEKLY: (rrule.WEEKLY, 1),
    BIWEEKLY: (rrule.WEEKLY, 2),
    MONTHLY: (rrule.MONTHLY, 1),
    QUARTERLY: (rrule.MONTHLY, 3),
}


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


def _by_weekday(weekday, week=None):
    """dateutil's weekday, with the week of the month when there is one: TU(+2), FR(-1)."""
    day = rrule.weekday(_weekday(weekday))
    if week is None:
        return day
    week = _week(week)
    return day(-1 if week == LAST else week)


def _midnight(day):
    return datetime.combine(day, datetime.min.time())


def nth_weekday(year, month, weekday, week):
    """The date of the `week`-th (1..5, or "last") `weekday` of the month, or None when the
    month has no such day (a fifth Tuesday in a month with four)."""
    first = date(year, month, 1)
    found = rrule.rrule(
        rrule.MONTHLY, dtstart=_midnight(first), count=1, byweekday=_by_weekday(weekday, week)
    )[0]
    return found.date() if (found.year, found.month) == (year, month) else None


def local_to_utc(day, start_time, zone):
    """The UTC instant of wall-clock `start_time` on `day` in `zone` (a ZoneInfo).

    With fold=0, zoneinfo reads a time in the spring-forward gap with the offset from before
    the change, which lands it the length of the gap later (2:30 becomes 3:30), and reads a
    time repeated in the fall-back hour as its first occurrence."""
    local = datetime.combine(day, start_time.replace(tzinfo=None, fold=0), tzinfo=zone)
    return local.astimezone(UTC)


def recurrence(first_date, frequency, weekday, week_of_month=None, until=None, count=None):
    """The rule as a `dateutil.rrule.rrule` of local dates (naive midnights): the dates only,
    since the wall-clock time is put on each date in the community's zone by `local_to_utc`
    (so a 7 p.m. meeting stays 7 p.m. across daylight-saving changes).

    The series starts at the first meeting on or after `first_date`: for weekly rules the
    first such weekday (every two weeks counts from there), for monthly and quarterly rules
    this month's day, or next month's when this month's has passed (every three months counts
    from that month). A month without the day (a fifth Tuesday) is skipped."""
    if frequency not in _RRULE:
        raise ValueError(f"unknown frequency {frequency!r}")
    freq, interval = _RRULE[frequency]
    if frequency in MONTHLY_KINDS:
        if week_of_month in (None, ""):
            raise ValueError("monthly and quarterly meetings need a week of the month")
        byweekday = _by_weekday(weekday, week_of_month)
        day = nth_weekday(first_date.year, first_date.month, weekday, week_of_month)
        if day is None or day < first_date:
            # This month's meeting day has passed: the series starts next month.
            start = (first_date.replace(day=1) + timedelta(days=31)).replace(day=1)
        else:
            start = first_date
    else:
        byweekday = _by_weekday(weekday)
        start = first_date + timedelta(days=(_weekday(weekday) - first_date.weekday()) % 7)
    return rrule.rrule(
        freq,
        dtstart=_midnight(start),
        interval=interval,
        byweekday=byweekday,
        until=None if until is None else _midnight(until),
        count=count,
    )


def dates(first_date, frequency, weekday, week_of_month=None):
    """The meeting dates of the rule, in order and without end, from `first_date` on."""
    series = recurrence(first_date, frequency, weekday, week_of_month)
    return (moment.date() for moment in series)


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
    series = recurrence(first_date, frequency, weekday, week_of_month, until=until)
    if limit <= 0:
        return []
    return [local_to_utc(moment.date(), start_time, zone) for moment in islice(series, limit)]


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
