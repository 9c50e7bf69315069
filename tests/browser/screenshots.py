"""Screenshots of copkit's main pages, as each demo persona, at desktop and phone width.

    .venv/bin/python manage.py seed_demo          # the demo cohort and its logins
    .venv/bin/python manage.py runserver 127.0.0.1:8000 &
    .venv/bin/python tests/browser/screenshots.py --base http://127.0.0.1:8000 --out var/shots

It logs in through the real login form as each persona, finds the pages by following links
(the first cohort on the home page, the first community, the first participant, ...), and
saves `<persona>-<page>-<desktop|phone>.png` full-page screenshots (1280x900 and 375x740).
For each page it also notes, in `<out>/report.txt` and on the screen, what axe-core finds
(every impact) and whether the phone layout scrolls sideways, so that a reviewer reading
the screenshots has the machine's findings next to them.

The logins and password default to the ones `manage.py seed_demo` creates (read from
`devtools.demo` when it can be imported, else the values below); --password and --only
change them.
"""

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.browser.chromium import launch_chromium  # noqa: E402 - needs the repo on the path

VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True},
}
# What `manage.py seed_demo` creates (devtools/demo/data.py), used when it cannot be imported.
FALLBACK_PASSWORD = "cop-demo-2026"  # the published demo password
FALLBACK_EMAILS = {
    "staff": "staff@copkit.example",
    "observer": "observer@copkit.example",
    "leader": "leader@copkit.example",
    "participant": "participant@copkit.example",
}
ROSTER_SAMPLE = REPO / "tests" / "data" / "browser_roster.csv"
ROSTER_WITH_ERRORS = REPO / "tests" / "data" / "roster_errors.csv"


def demo_logins():
    """({persona: email}, password) from devtools.demo, or the fallback values."""
    try:
        import os

        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "copkit.settings")
        django.setup()
        from devtools import demo

        emails = {p: demo.DEMO_LOGINS[p].email for p in FALLBACK_EMAILS if p in demo.DEMO_LOGINS}
        return emails or FALLBACK_EMAILS, demo.DEMO_PASSWORD
    except Exception as error:  # any failure: the script must work against any server
        print(f"(using the built-in demo logins: {error})", file=sys.stderr)
        return FALLBACK_EMAILS, FALLBACK_PASSWORD


@dataclass
class Shot:
    """One page to photograph: a URL, or an upload on a URL (the roster preview)."""

    name: str
    url: str
    upload: Path | None = None


@dataclass
class Report:
    lines: list = field(default_factory=list)

    def add(self, text):
        print(text)
        self.lines.append(text)


def login(page, base, email, password):
    page.goto(urljoin(base, "/accounts/login/"))
    page.fill('input[name="login"]', email)
    page.fill('input[name="password"]', password)
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name="Log in").click()
    if "/accounts/login/" in page.url:
        raise SystemExit(f"Could not log in as {email}: is seed_demo run and the password right?")


def link(page, name=None, within="body", exact=False):
    """The absolute URL of the first link named `name` (any link when None) inside
    `within`, or None."""
    if name is None:
        links = page.locator(f"{within} a[href]")
    else:
        links = page.locator(within).get_by_role("link", name=name, exact=exact)
    for index in range(links.count()):
        candidate = links.nth(index)
        href = candidate.get_attribute("href")
        if href and not href.startswith("#"):
            return urljoin(page.url, href)
    return None


def follow(page, url):
    if url:
        page.goto(url)
    return url


def discover(page, base, persona):
    """Walk the persona's pages by their links; return the Shots to take."""
    shots = [Shot("home", page.url)]
    nav = 'nav[aria-label="Main"]'

    def add(name, url, upload=None):
        if url is None:
            print(f"  ! {persona}: no link found for {name}", file=sys.stderr)
        elif all(s.name != name for s in shots):
            shots.append(Shot(name, url, upload))

    if persona in {"staff", "observer"}:
        if persona == "staff":
            add("cohort-create", link(page, "New cohort", "main"))
        first_cohort = page.locator("main .list-group a").first
        dashboard = (
            urljoin(page.url, first_cohort.get_attribute("href")) if first_cohort.count() else None
        )
        add("dashboard", follow(page, dashboard))
        if dashboard is None:
            return shots
        if persona == "staff":
            add("cohort-edit", link(page, "Edit cohort", "main"))
            add("roster-import", link(page, "Import roster", "main"))
            roster = shots[-1].url if shots[-1].name == "roster-import" else None
            if roster and ROSTER_SAMPLE.exists():
                add("roster-preview", roster, ROSTER_SAMPLE)
            if roster and ROSTER_WITH_ERRORS.exists():
                add("roster-preview-errors", roster, ROSTER_WITH_ERRORS)
            add("community-create", link(page, "New community", "main"))
            for name, label in [
                ("organization-list", "Organizations"),
                ("topic-list", "Topics"),
                ("team", "Team"),
            ]:
                add(name, link(page, label, nav, exact=True))
            add("participant-list", follow(page, link(page, "Participants", nav, exact=True)))
            add("participant-edit", link(page, None, "main table tbody"))
            page.goto(dashboard)
        add("community-list", follow(page, link(page, "Communities", nav, exact=True)))
        add("community-detail", follow(page, link(page, None, "main article h2")))
        if persona == "staff":
            add("community-edit", link(page, "Edit", "main", exact=True))
    else:
        # A participant or leader: their communities are cards on the home page.
        add("community-detail", follow(page, link(page, None, "main .card-title")))
        if persona == "leader":
            add("community-edit", link(page, "Edit", "main", exact=True))
        add("my-profile", link(page, "My profile", nav, exact=True))
        add("community-list", link(page, "Communities", nav, exact=True))
    return shots


def axe_findings(page):
    from axe_playwright_python.sync_playwright import Axe

    found = []
    for violation in Axe().run(page).response["violations"]:
        targets = ", ".join(" ".join(map(str, node["target"])) for node in violation["nodes"][:4])
        more = len(violation["nodes"]) - 4
        found.append(
            f"[{violation['impact']}] {violation['id']}: {violation['help']} -> {targets}"
            + (f" (+{more} more)" if more > 0 else "")
        )
    return found


def take(page, shot, kind, out, persona, report):
    try:
        page.goto(shot.url)
        if shot.upload is not None:
            page.locator('input[type="file"]').set_input_files(shot.upload)
            with page.expect_navigation():
                page.get_by_role("button", name="Check the file").click()
        page.wait_for_load_state("load")
    except PlaywrightError as error:
        report.add(f"{persona}-{shot.name}-{kind}: could not open {shot.url}: {error}")
        return
    path = out / f"{persona}-{shot.name}-{kind}.png"
    page.screenshot(path=str(path), full_page=True)
    notes = axe_findings(page)
    if kind == "phone":
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 376:
            notes.append(f"scrolls sideways: page is {width}px wide at 375px")
    status = "ok" if not notes else f"{len(notes)} note(s)"
    report.add(f"{path.name}  {urlsplit(shot.url).path}  {status}")
    for note in notes:
        report.add(f"    {note}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000", help="the running server")
    parser.add_argument(
        "--out", default=REPO / "var" / "shots", type=Path, help="folder for the PNGs"
    )
    parser.add_argument("--password", help="the demo logins' password (default: seed_demo's)")
    parser.add_argument(
        "--only", nargs="*", help="personas to photograph: anonymous staff observer leader ..."
    )
    args = parser.parse_args(argv)
    emails, password = demo_logins()
    password = args.password or password
    personas = ["anonymous", *emails]
    if args.only:
        personas = [p for p in personas if p in args.only]
    args.out.mkdir(parents=True, exist_ok=True)
    base = args.base.rstrip("/") + "/"
    report = Report()

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for persona in personas:
            shots = None  # found once, at desktop width, where the whole menu shows
            for kind, options in VIEWPORTS.items():
                context = browser.new_context(**options)
                context.set_default_timeout(20_000)
                page = context.new_page()
                page.on("dialog", lambda dialog: dialog.dismiss())
                csp = []
                page.on(
                    "console",
                    lambda m, csp=csp: (
                        csp.append(m.text) if "Content Security Policy" in m.text else None
                    ),
                )
                if persona == "anonymous":
                    shots = [
                        Shot("login", urljoin(base, "accounts/login/")),
                        Shot("reset-password", urljoin(base, "accounts/password/reset/")),
                    ]
                else:
                    login(page, base, emails[persona], password)
                    shots = shots or discover(page, base, persona)
                for shot in shots:
                    take(page, shot, kind, args.out, persona, report)
                if kind == "phone" and persona == "staff":
                    # The collapsed menu, opened.
                    page.goto(shots[0].url)
                    page.get_by_role("button", name="Show menu").click()
                    page.wait_for_timeout(500)
                    page.screenshot(path=str(args.out / "staff-menu-open-phone.png"))
                for message in csp:
                    report.add(f"    CSP ({persona}, {kind}): {message}")
                context.close()
        browser.close()
    (args.out / "report.txt").write_text("\n".join(report.lines) + "\n")
    print(f"\nSaved to {args.out}")


if __name__ == "__main__":
    main()
