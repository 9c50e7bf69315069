"""The recurrence rules behind a community's meeting schedule (planning/meetings/schedule.py):
weekday and week-of-month arithmetic, local wall-clock times across daylight-saving
changes in the US and in Europe, the gap and the repeated hour, and the one-line
description."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from planning.meetings import schedule

NEW_YORK = "America/New_York"
LONDON = "Europe/London"
TUESDAY, FRIDAY, SUNDAY, WEDNESDAY, THURSDAY = 1, 4, 6, 2, 3


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def local(starts, tz_name=NEW_YORK):
    return [start.astimezone(ZoneInfo(tz_name)) for start in starts]


def test_monthly_second_tuesday_stays_at_seven_pm_local_across_both_us_changes():
    starts = schedule.propose(
        first_date=date(2026, 1, 1),
        frequency="monthly",
        weekday=TUESDAY,
        week_of_month="2",
        start_time=time(19, 0),
        length_minutes=90,
        tz_name=NEW_YORK,
        until=date(2026, 12, 31),
    )
    assert [s.astimezone(ZoneInfo(NEW_YORK)).date() for s in starts] == [
        date(2026, 1, 13),
        date(2026, 2, 10),
        date(2026, 3, 10),
        date(2026, 4, 14),
        date(2026, 5, 12),
        date(2026, 6, 9),
        date(2026, 7, 14),
        date(2026, 8, 11),
        date(2026, 9, 8),
        date(2026, 10, 13),
        date(2026, 11, 10),
        date(2026, 12, 8),
    ]
    assert all(s.tzinfo is UTC for s in starts)
    assert {(t.hour, t.minute) for t in local(starts)} == {(19, 0)}
    # Eastern standard time (UTC-5) before March 8 and after November 1, daylight time
    # (UTC-4) between: the UTC hour moves, the local hour does not.
    assert starts[1] == utc(2026, 2, 11, 0, 0)
    assert starts[2] == utc(2026, 3, 10, 23, 0)
    assert starts[9] == utc(2026, 10, 13, 23, 0)
    assert starts[10] == utc(2026, 11, 11, 0, 0)


def test_weekly_sunday_evening_across_spring_forward_2026():
    starts = schedule.propose(
        date(2026, 3, 1), "weekly", SUNDAY, None, time(19), 60, NEW_YORK, date(2026, 3, 15)
    )
    assert starts == [utc(2026, 3, 2, 0, 0), utc(2026, 3, 8, 23, 0), utc(2026, 3, 15, 23, 0)]


def test_weekly_across_fall_back_2026_and_spring_forward_2027():
    fall = schedule.propose(
        date(2026, 10, 25), "weekly", SUNDAY, None, time(9, 30), 60, NEW_YORK, date(2026, 11, 1)
    )
    assert fall == [utc(2026, 10, 25, 13, 30), utc(2026, 11, 1, 14, 30)]
    spring = schedule.propose(
        date(2027, 3, 7), "weekly", SUNDAY, None, time(9, 30), 60, NEW_YORK, date(2027, 3, 14)
    )
    assert spring == [utc(2027, 3, 7, 14, 30), utc(2027, 3, 14, 13, 30)]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 8), utc(2026, 3, 8, 7, 30)),  # 2:30 a.m. EST -> 3:30 a.m. EDT
        (date(2027, 3, 14), utc(2027, 3, 14, 7, 30)),
    ],
)
def test_a_time_in_the_spring_forward_gap_moves_forward(day, expected):
    (start,) = schedule.propose(day, "weekly", SUNDAY, None, time(2, 30), 60, NEW_YORK, day)
    assert start == expected
    assert start.astimezone(ZoneInfo(NEW_YORK)).time() == time(3, 30)


def test_a_time_in_the_repeated_hour_is_the_first_occurrence():
    day = date(2026, 11, 1)
    (start,) = schedule.propose(day, "weekly", SUNDAY, None, time(1, 30), 60, NEW_YORK, day)
    assert start == utc(2026, 11, 1, 5, 30)  # 1:30 EDT (UTC-4), not 1:30 EST an hour later
    assert start.astimezone(ZoneInfo(NEW_YORK)).utcoffset().total_seconds() == -4 * 3600


def test_london_changes_on_its_own_dates():
    # The UK springs forward on March 29 2026, three weeks after the US.
    starts = schedule.propose(
        date(2026, 3, 1), "weekly", SUNDAY, None, time(19), 60, LONDON, date(2026, 4, 5)
    )
    assert [s.hour for s in starts] == [19, 19, 19, 19, 18, 18]
    assert {t.hour for t in local(starts, LONDON)} == {19}
    # The gap (1:00 -> 2:00) and the repeated hour (2:00 -> 1:00 on October 25).
    (gap,) = schedule.propose(
        date(2026, 3, 29), "weekly", SUNDAY, None, time(1, 30), 60, LONDON, date(2026, 3, 29)
    )
    assert gap == utc(2026, 3, 29, 1, 30)
    assert gap.astimezone(ZoneInfo(LONDON)).time() == time(2, 30)
    (repeated,) = schedule.propose(
        date(2026, 10, 25), "weekly", SUNDAY, None, time(1, 30), 60, LONDON, date(2026, 10, 25)
    )
    assert repeated == utc(2026, 10, 25, 0, 30)


def test_biweekly_keeps_the_local_time_across_the_change():
    starts = schedule.propose(
        date(2026, 2, 20), "biweekly", TUESDAY, None, time(12), 60, NEW_YORK, date(2026, 4, 1)
    )
    assert starts == [
        utc(2026, 2, 24, 17, 0),
        utc(2026, 3, 10, 16, 0),
        utc(2026, 3, 24, 16, 0),
    ]


def test_weekly_starts_on_the_first_date_when_it_is_the_weekday():
    starts = schedule.propose(
        date(2026, 9, 1), "weekly", TUESDAY, None, time(10), 60, NEW_YORK, None, count=2
    )
    assert [s.date() for s in starts] == [date(2026, 9, 1), date(2026, 9, 8)]


def test_last_friday_includes_fifth_fridays():
    starts = schedule.propose(
        date(2026, 1, 1), "monthly", FRIDAY, "last", time(15), 60, NEW_YORK, date(2026, 5, 31)
    )
    assert [s.date() for s in starts] == [
        date(2026, 1, 30),  # January 2026 has five Fridays
        date(2026, 2, 27),
        date(2026, 3, 27),
        date(2026, 4, 24),
        date(2026, 5, 29),  # five Fridays again
    ]


def test_fourth_is_never_the_fifth_and_a_fifth_week_skips_short_months():
    fourth = schedule.propose(
        date(2026, 1, 1), "monthly", FRIDAY, "4", time(15), 60, NEW_YORK, None, count=1
    )
    assert fourth[0].date() == date(2026, 1, 23)
    fifth = schedule.propose(
        date(2026, 1, 1), "monthly", TUESDAY, 5, time(15), 60, NEW_YORK, date(2026, 12, 31)
    )
    assert [s.date() for s in fifth] == [
        date(2026, 3, 31),
        date(2026, 6, 30),
        date(2026, 9, 29),
        date(2026, 12, 29),
    ]


def test_nth_weekday():
    assert schedule.nth_weekday(2026, 11, THURSDAY, 4) == date(2026, 11, 26)
    assert schedule.nth_weekday(2026, 2, SUNDAY, "last") == date(2026, 2, 22)
    assert schedule.nth_weekday(2026, 2, SUNDAY, 5) is None
    assert schedule.nth_weekday(2028, 2, TUESDAY, "last") == date(2028, 2, 29)


def test_monthly_starts_next_month_when_this_months_day_has_passed():
    starts = schedule.propose(
        date(2026, 9, 9), "monthly", TUESDAY, "2", time(19), 90, NEW_YORK, None, count=2
    )
    assert [s.astimezone(ZoneInfo(NEW_YORK)).date() for s in starts] == [
        date(2026, 10, 13),
        date(2026, 11, 10),
    ]
    same_day = schedule.propose(
        date(2026, 9, 8), "monthly", TUESDAY, "2", time(19), 90, NEW_YORK, None, count=1
    )
    assert same_day[0].astimezone(ZoneInfo(NEW_YORK)).date() == date(2026, 9, 8)


def test_quarterly_is_every_third_month_from_the_first():
    starts = schedule.propose(
        date(2026, 9, 1),
        "quarterly",
        WEDNESDAY,
        "1",
        time(13),
        120,
        NEW_YORK,
        date(2027, 6, 30),
    )
    assert [s.astimezone(ZoneInfo(NEW_YORK)).date() for s in starts] == [
        date(2026, 9, 2),
        date(2026, 12, 2),
        date(2027, 3, 3),
        date(2027, 6, 2),
    ]
    assert {t.hour for t in local(starts)} == {13}
    late = schedule.propose(
        date(2026, 9, 10), "quarterly", WEDNESDAY, "1", time(13), 120, NEW_YORK, None, count=2
    )
    assert [s.date() for s in late] == [date(2026, 10, 7), date(2027, 1, 6)]


def test_until_is_inclusive_and_count_and_the_cap_stop_it():
    starts = schedule.propose(
        date(2026, 9, 1), "weekly", TUESDAY, None, time(10), 60, NEW_YORK, date(2026, 9, 15)
    )
    assert len(starts) == 3
    assert (
        len(schedule.propose(date(2026, 9, 1), "weekly", 1, None, time(10), 60, NEW_YORK, None, 4))
        == 4
    )
    endless = schedule.propose(date(2026, 9, 1), "weekly", 1, None, time(10), 60, NEW_YORK, None)
    assert len(endless) == schedule.MAX_MEETINGS
    assert (
        schedule.propose(date(2026, 9, 1), "weekly", 1, None, time(10), 60, NEW_YORK, None, 0) == []
    )
    before = schedule.propose(
        date(2026, 9, 2), "weekly", TUESDAY, None, time(10), 60, NEW_YORK, date(2026, 9, 7)
    )
    assert before == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"frequency": "daily"}, "frequency"),
        ({"frequency": "monthly", "week_of_month": None}, "week of the month"),
        ({"weekday": 7}, "weekday"),
        ({"frequency": "monthly", "week_of_month": "6"}, "week of month"),
    ],
)
def test_bad_rules_are_refused(kwargs, message):
    rule = {
        "first_date": date(2026, 9, 1),
        "frequency": "weekly",
        "weekday": 1,
        "week_of_month": None,
        "start_time": time(10),
        "length_minutes": 60,
        "tz_name": NEW_YORK,
        "until": date(2026, 12, 1),
        **kwargs,
    }
    with pytest.raises(ValueError, match=message):
        schedule.propose(**rule)


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (
            ("monthly", 1, "2", time(19), 90, "virtual"),
            "Monthly, second Tuesday, 7:00 p.m., 90 minutes, virtual",
        ),
        (
            ("quarterly", 4, "last", time(9, 30), 120, "in_person"),
            "Every three months, last Friday, 9:30 a.m., 120 minutes, in person",
        ),
        (
            ("weekly", 0, "", time(12), 60, "call"),
            "Weekly, Monday, 12:00 p.m., 60 minutes, conference call",
        ),
        (
            ("biweekly", 3, "2", time(16, 15), 45, None),
            "Every two weeks, Thursday, 4:15 p.m., 45 minutes",
        ),
    ],
)
def test_describe(args, text):
    assert schedule.describe(*args) == text
