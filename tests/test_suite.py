"""The suite's own wiring: what `make test` relies on to catch a test that passes only today."""

import re
from pathlib import Path

from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent


def _make_variable(name):
    text = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    match = re.search(rf"^{name} := (.*)$", text, re.MULTILINE)
    return match.group(1).split()


def test_every_date_sensitive_module_named_in_the_makefile_exists():
    # A renamed module would silently drop out of the fixed-date runs.
    modules = _make_variable("DATE_TESTS")
    assert len(modules) >= 10
    assert [module for module in modules if not (ROOT / module).is_file()] == []


def test_the_fixed_dates_cross_a_dst_change_a_leap_day_and_a_years_end():
    moments = _make_variable("TEST_DATES")
    assert [moment[:10] for moment in moments] == ["2027-03-14", "2028-02-29", "2026-12-31"]


def test_the_clock_starts_at_the_moment_the_test_is_given(clock_at):
    # This module is in DATE_TESTS: `make test` runs this once at each fixed moment, where
    # the clock must start there (the "now" case runs on the real clock).
    if clock_at is not None:
        assert abs((timezone.now() - clock_at).total_seconds()) < 60
