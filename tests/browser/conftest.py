"""Browser fixtures: headless Debian Chromium driven by Playwright, with axe-core checks.

Playwright's own browser download cannot work here, so the tests drive the system Chromium
at /usr/bin/chromium and skip (with a plain reason) when it or Playwright is absent; where
COPKIT_REQUIRE_SERVICES=true (CI) a missing browser fails the run instead. Every page a test
visits goes through `check_a11y`, which fails on any axe violation of impact "serious" or
"critical".
"""

import os

import pytest

from copkit.settings import env_bool
from tests.browser.chromium import browser_verdict, launch_chromium, missing_browser

# Playwright's sync API runs an event loop in this thread; Django's async-unsafe guard would
# then refuse the ORM calls the tests make between page actions. Nothing here is async.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {
    "viewport": {"width": 375, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
BLOCKING_IMPACTS = {"serious", "critical"}
TIMEOUT_MS = 15_000

MISSING = missing_browser()
VERDICT = browser_verdict(MISSING, required=env_bool("COPKIT_REQUIRE_SERVICES"))
if VERDICT == "fail":
    # Raised while this conftest loads, before the test modules' own importorskip could
    # turn a missing Playwright into a quiet skip: the browser tests' collection errors.
    raise RuntimeError(f"COPKIT_REQUIRE_SERVICES=true but the browser tests cannot run: {MISSING}")


@pytest.fixture(scope="session")
def browser():
    if VERDICT == "skip":
        pytest.skip(MISSING)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


def _new_page(browser, options):
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    # Any JS confirm() (forms with data-confirm) is accepted, as a person clicking OK would.
    page.on("dialog", lambda dialog: dialog.accept())
    return context, page


@pytest.fixture
def page(browser):
    """A desktop page, 1280x900."""
    context, page = _new_page(browser, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    """A phone page, 375x740, mobile and touch."""
    context, page = _new_page(browser, PHONE)
    yield page
    context.close()


@pytest.fixture
def new_page(browser):
    """new_page("desktop" | "phone") -> a fresh page in its own context (own cookies)."""
    contexts = []

    def make(kind="desktop"):
        context, page = _new_page(browser, PHONE if kind == "phone" else DESKTOP)
        contexts.append(context)
        return page

    yield make
    for context in contexts:
        context.close()


def axe_violations(page):
    """Run axe-core on the page as it is now; return all violations (any impact).

    axe is injected with page.evaluate, which runs through the DevTools protocol and is not
    subject to the page's Content Security Policy, so the CSP stays on while axe runs."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page).response["violations"]


def format_violations(violations):
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    - {target}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


def check_a11y(page, label=None):
    """Fail if axe finds a serious or critical violation on `page`; print every finding."""
    violations = axe_violations(page)
    where = label or page.url
    if violations:
        print(f"\naxe on {where}:\n{format_violations(violations)}")
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, (
        f"axe found {len(blocking)} serious/critical violation(s) on {where}:\n"
        + format_violations(blocking)
    )
    return violations


def submit(page, locator):
    """Click a submit button and wait for the page it leads to."""
    with page.expect_navigation():
        locator.click()
    page.wait_for_load_state()


@pytest.fixture
def sweeps(monkeypatch):
    """Record the outbox's "send now" wake-ups instead of queueing them on a broker; the
    tests send with `outbox.send_due()` themselves."""
    from copkit.tasks import send_due_messages

    calls = []
    monkeypatch.setattr(send_due_messages, "delay", lambda *args, **kwargs: calls.append(1))
    return calls


# Staff's menu groups its pages (templates/includes/cohort_nav.html).
MENU_GROUPS = {
    **dict.fromkeys(
        ("Participants", "Organizations", "Formation", "Topics", "Team", "Emails"), "People"
    ),
    **dict.fromkeys(
        (
            "Surveys",
            "Plans",
            "Goals",
            "Check-ins",
            "Leaders' circle",
            "Going deeper",
            "Knowledge",
            "Evaluations",
            "TTA requests",
            "Transition",
            "Archive",
        ),
        "Program",
    ),
}


def menu_link(page, name):
    """The main menu's link `name`, made visible: the phone's menu opened, and the group
    it sits in for staff (People, Program) unfolded."""
    nav = page.get_by_role("navigation", name="Main")
    if not page.locator("#main-nav").is_visible():  # a phone's folded menu
        nav.get_by_role("button", name="Show menu").click()
        page.locator("#main-nav.show").wait_for()
    link = nav.get_by_role("link", name=name, exact=True)
    group = MENU_GROUPS.get(name)
    if group and not link.is_visible():
        nav.get_by_role("button", name=group, exact=True).click()
    return link


def login(page, live_server, email, password):
    """Log in through the real login form; return once the home page has loaded."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill('input[name="login"]', email)
    page.fill('input[name="password"]', password)
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name="Log in").click()
    assert "/accounts/login/" not in page.url, f"login failed for {email}: still on {page.url}"


def assert_no_horizontal_scroll(page, width=375):
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width + 1:
        # Elements whose box reaches past the edge, or whose content spills out of a box
        # that does not scroll (a long unbroken word, a nowrap line).
        wide = page.evaluate(
            """(limit) => Array.from(document.querySelectorAll('body *'))
                .filter(el => el.getBoundingClientRect().right > limit + 1
                    || (el.scrollWidth > el.clientWidth + 1
                        && getComputedStyle(el).overflowX === 'visible'
                        && el.getBoundingClientRect().left + el.scrollWidth > limit + 1))
                .slice(-8)
                .map(el => el.tagName.toLowerCase()
                    + (el.id ? '#' + el.id : '')
                    + (el.className && typeof el.className === 'string'
                        ? '.' + el.className.trim().split(/\\s+/).join('.') : ''))""",
            width,
        )
        raise AssertionError(
            f"{page.url} scrolls sideways at {width}px: scrollWidth is {scroll_width}. "
            f"Elements reaching past the edge: {wide}"
        )
