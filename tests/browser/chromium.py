"""How copkit's browser tests and screenshot script start Debian's Chromium: its path, the
flags that let it run as root without reaching for the network, and what happens when the
browser or Playwright is missing (a skip on a laptop, a failure in CI)."""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def launch_chromium(playwright):
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )


def missing_browser(chromium=CHROMIUM):
    """What keeps the browser tests from running on this machine, or None if nothing does."""
    try:
        import playwright.sync_api  # noqa: F401 - only asking whether it imports
    except ImportError as exc:
        return f"Playwright cannot be imported ({exc}); install the dev extra"
    if not Path(chromium).exists():
        return f"Chromium not found at {chromium} (apt-get install chromium)"
    return None


def browser_verdict(missing, required):
    """ "run", "skip" or "fail" for the browser tests.

    `missing` is what `missing_browser` found (None: nothing is missing); `required` is true
    where the run promises every service (COPKIT_REQUIRE_SERVICES=true, as in CI): there a
    missing browser is a failure, since a skipped journey would pass unseen."""
    if missing is None:
        return "run"
    return "fail" if required else "skip"
