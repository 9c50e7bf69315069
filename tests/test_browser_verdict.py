"""The rule that decides whether the browser tests run, skip or fail: a laptop without
Chromium skips them, CI (COPKIT_REQUIRE_SERVICES=true) fails instead of passing unseen."""

import sys

import pytest

from tests.browser.chromium import browser_verdict, missing_browser


@pytest.mark.parametrize(
    ("missing", "required", "verdict"),
    [
        (None, False, "run"),
        (None, True, "run"),
        ("Chromium not found at /usr/bin/chromium", False, "skip"),
        ("Chromium not found at /usr/bin/chromium", True, "fail"),
        ("Playwright cannot be imported", False, "skip"),
        ("Playwright cannot be imported", True, "fail"),
    ],
)
def test_browser_verdict(missing, required, verdict):
    assert browser_verdict(missing, required) == verdict


def test_a_missing_chromium_is_named(tmp_path):
    absent = tmp_path / "chromium"
    assert missing_browser(absent) == f"Chromium not found at {absent} (apt-get install chromium)"
    absent.touch()
    assert missing_browser(absent) is None


def test_a_missing_playwright_is_named(tmp_path, monkeypatch):
    present = tmp_path / "chromium"
    present.touch()
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # import now fails
    assert missing_browser(present).startswith("Playwright cannot be imported")
