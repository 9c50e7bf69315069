"""`manage.py bench`: query counts and throughput of copkit's main pages on a large cohort.

It never touches the developer's database. The command (the parent) makes a scratch
database, a temporary SQLite file, or with PostgreSQL a database named copkit_bench_<pid>,
and runs itself again (the child) with DATABASE_URL pointing there and COPKIT_BENCH_CHILD=1;
the child migrates, builds a small and a large cohort with bulk_create, and measures each
main page as the persona who uses it, with DEBUG off:

- the number of queries on the small cohort and on the large one: a page whose count grows
  with the rows has an N+1 and fails the bench;
- requests per second through Django's test client over --requests requests (or --seconds,
  whichever ends first), and how much slower that is than a bare view returning "ok"
  through the same middleware, measured in the same run.

Then, unless --skip-live-poll, the live poll load test (devtools/loadtest.py): gunicorn on
the scratch database, --live-voters phones voting at once; a lost vote fails the bench.

A page answering 501 is a stub not built yet: reported, not a failure. A 500, or any other
status outside 2xx/3xx, fails the bench (exit status 1). The parent drops the scratch
database afterwards, whatever happened.
"""

import logging
import os
import shutil
import subprocess
import sys
import tempfile
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.signals import got_request_exception
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

CHILD_FLAG = "COPKIT_BENCH_CHILD"
SCRATCH_PREFIX = "copkit_bench_"  # PostgreSQL database name
SCRATCH_DIR_PREFIX = "copkit-bench-"  # SQLite file's temporary directory
NOT_BUILT = 501


@dataclass(frozen=True)
class Page:
    """A page to measure: its URL name, who visits it, and which URL arguments it takes."""

    url_name: str
    persona: str | None  # an attribute of the built cohort ("staff", ...); None: anonymous
    # "site", "cohort", "community", "survey", "live", "meeting" (the next meeting of the
    # persona's community), "feed" (the persona's calendar feed, a site URL), "matching" or
    # "topic" (the demo's formation round of that method), "formation-answer" (the
    # participant's personal link to the topic round, a site URL)
    scope: str = "cohort"
    extra: dict = field(default_factory=dict, hash=False)  # more URL kwargs, as given

    def url(self, built):
        kwargs = {}
        if self.scope == "feed":
            return reverse(
                self.url_name, kwargs={"token": built.planning.feeds[built.participant.pk].token}
            )
        if self.scope == "formation-answer":
            entry = built.formation.topic_round.entries.get(participant__user=built.participant)
            return reverse(self.url_name, kwargs={"token": entry.token})
        if self.scope != "site":
            kwargs["cohort_slug"] = built.cohort.slug
        if self.scope in ("matching", "topic"):
            kwargs["round_id"] = getattr(built.formation, f"{self.scope}_round").public_id
        if self.scope in ("community", "meeting"):
            kwargs["community_slug"] = built.community.slug
        if self.scope == "meeting":
            kwargs["meeting_id"] = built.planning.next_meeting.public_id
        if self.scope == "survey":
            kwargs["survey_id"] = built.planning.needs_survey.public_id
        if self.scope == "live":
            kwargs["session_id"] = built.planning.poll_survey.live_sessions.get().public_id
        return reverse(self.url_name, kwargs={**kwargs, **self.extra})


PAGES = [
    Page("home", "participant", "site"),
    Page("cohorts:dashboard", "staff"),
    Page("cohorts:participant-list", "staff"),
    Page("cohorts:organization-list", "staff"),
    Page("cohorts:community-list", "staff"),
    Page("cohorts:community-detail", "leader", "community"),
    Page("cohorts:team", "staff"),
    Page("cohorts:topic-list", "staff"),
    Page("cohorts:my-profile", "participant"),
    Page("cohorts:roster-import", "staff"),
    Page("account_login", None, "site"),
    Page("planning:survey-list", "staff"),
    Page("planning:survey-detail", "staff", "survey"),
    Page("planning:survey-recipients", "staff", "survey"),
    Page("planning:survey-results", "staff", "survey"),
    Page("planning:survey-results", "observer", "survey"),
    Page("planning:survey-export", "staff", "survey"),
    Page("planning:my-surveys", "participant"),
    Page("planning:live-results", "staff", "live"),
    Page("planning:inventory", "leader", "community"),
    Page("planning:web", "leader", "community"),
    Page("planning:common-needs", "participant", "community"),
    Page("planning:interviews", "leader", "community"),
    Page("planning:plan", "leader", "community"),
    Page("planning:plan-part", "leader", "community", extra={"part_key": "goals"}),
    Page("planning:plan-versions", "staff", "community"),
    Page("planning:plan-print", "leader", "community"),
    Page("planning:plan-list", "staff"),
    Page("planning:meetings", "participant", "community"),
    Page("planning:meeting-detail", "leader", "meeting"),
    Page("planning:my-calendar", "participant"),
    Page("calendar-feed", None, "feed"),
    Page("cohorts:formation-list", "staff"),
    Page("cohorts:formation-detail", "staff", "matching"),
    Page("cohorts:formation-detail", "staff", "topic"),
    Page("cohorts:formation-people", "staff", "topic"),
    Page("cohorts:formation-topics", "staff", "topic"),
    Page("cohorts:formation-review", "staff", "matching"),
    Page("formation-answer", None, "formation-answer"),
    Page("planning:report", "staff"),
    Page("planning:report", "observer"),
    Page("planning:report-pdf", "staff"),
    Page("planning:report-xlsx", "staff"),
    Page("planning:report-csv", "observer", extra={"kind": "participation"}),
    Page("planning:report-compare", "staff"),
    Page("planning:evidence", "leader", "community"),
]
BARE = Page("bench-bare", None, "site")


@dataclass
class Result:
    page: Page
    status: int
    status_small: int
    queries_small: int
    queries_large: int
    requests: int
    per_second: float
    errors: list = field(default_factory=list)

    @property
    def flat(self):
        return self.queries_large <= self.queries_small

    @property
    def problems(self):
        """Why this page fails the bench; empty when it passes."""
        found = []
        for status in sorted({self.status, self.status_small}):
            if status != NOT_BUILT and not 200 <= status < 400:
                found.append(f"status {status}")
        if not self.flat:
            found.append(
                f"{self.queries_small} queries on the small cohort, "
                f"{self.queries_large} on the large one"
            )
        return found


class Measurer:
    """Visits pages with one logged-in test client per (cohort, persona)."""

    def __init__(self):
        self.clients = {}
        self.errors = []
        got_request_exception.connect(self._record_exception)

    def close(self):
        got_request_exception.disconnect(self._record_exception)

    def _record_exception(self, sender, request=None, **kwargs):
        self.errors.append(f"{request.path if request else '?'}: {traceback.format_exc()}")

    def client(self, built, persona):
        key = (built.cohort.pk, persona)
        if key not in self.clients:
            client = Client(raise_request_exception=False)
            if persona is not None:
                client.force_login(getattr(built, persona))
            self.clients[key] = client
        return self.clients[key]

    def queries(self, built, page):
        """(status, number of queries) of one request, after one warm-up request."""
        client, url = self.client(built, page.persona), page.url(built)
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        return response.status_code, len(captured.captured_queries)

    def throughput(self, built, page, requests, seconds):
        """(requests made, requests per second) over `requests` or `seconds`, whichever
        ends first; at least three requests, unless fewer are asked for."""
        client, url = self.client(built, page.persona), page.url(built)
        made, start = 0, perf_counter()
        deadline = start + seconds
        while made < requests and (made < 3 or perf_counter() < deadline):
            client.get(url)
            made += 1
        return made, made / (perf_counter() - start)


def measure(pages, small, large, *, requests, seconds, bare=BARE, progress=None):
    """Measure `pages` on the `small` and `large` built cohorts (ScaledCohort-like: cohort,
    community and one user per persona). Returns (bare Result, [Result per page]).

    The bare view gets five times the request budget: it is fast, and the ratio of every
    page to it is only as good as its figure.
    """
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.CRITICAL)  # 501 stubs would log an error per request
    measurer = Measurer()
    try:
        results = []
        for page in [bare, *pages]:
            before = len(measurer.errors)
            status_small, queries_small = measurer.queries(small, page)
            status, queries_large = measurer.queries(large, page)
            budget = (requests * 5, seconds) if page is bare else (requests, seconds)
            made, per_second = measurer.throughput(large, page, *budget)
            result = Result(
                page, status, status_small, queries_small, queries_large, made, per_second
            )
            result.errors = measurer.errors[before:]
            results.append(result)
            if progress:
                progress(result)
        return results[0], results[1:]
    finally:
        measurer.close()
        request_log.setLevel(level)


def table(bare, results):
    """The report as lines of text."""
    headers = (
        "page",
        "as",
        "status",
        "queries small",
        "queries large",
        "flat?",
        "req/s",
        "vs bare",
    )
    rows = []
    for result in [bare, *results]:
        status = str(result.status)
        if result.status == NOT_BUILT:
            status += " not built"
        elif result.status >= 500 or not 200 <= result.status < 400:
            status += " FAIL"
        rows.append(
            (
                "bare view (HttpResponse ok)" if result is bare else result.page.url_name,
                result.page.persona or "anonymous",
                status,
                str(result.queries_small),
                str(result.queries_large),
                "yes" if result.flat else "NO",
                f"{result.per_second:.0f}",
                f"{bare.per_second / result.per_second:.1f}x" if result.per_second else "-",
            )
        )
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
    numeric = {3, 4, 6, 7}

    def line(row):
        cells = (
            cell.rjust(width) if i in numeric else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        )
        return "  ".join(cells).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(row) for row in rows)]


def scratch_url(database_url, name):
    """`database_url` pointing at the database `name` on the same server."""
    return urlunsplit(urlsplit(database_url)._replace(path=f"/{name}"))


def is_scratch(vendor, name):
    """Whether the database `name` is one the bench's parent made for it."""
    if vendor == "sqlite":
        return Path(str(name)).parent.name.startswith(SCRATCH_DIR_PREFIX)
    return str(name).startswith(SCRATCH_PREFIX)


def ensure_scratch_database():
    """Refuse to run the child anywhere but a scratch database made by the parent."""
    name = settings.DATABASES["default"]["NAME"]
    if not is_scratch(connection.vendor, name):
        raise CommandError(
            f"The bench builds its data only in a scratch database, not in {name!r}. "
            "Run `manage.py bench` without COPKIT_BENCH_CHILD; it makes one."
        )


class Command(BaseCommand):
    help = "Measure query counts and throughput of the main pages on a large generated cohort."

    def add_arguments(self, parser):
        parser.add_argument("--participants", type=int, default=2000)
        parser.add_argument("--organizations", type=int, default=1000)
        parser.add_argument("--communities", type=int, default=300)
        parser.add_argument(
            "--requests", type=int, default=200, help="Requests per page (default 200)."
        )
        parser.add_argument(
            "--seconds",
            type=float,
            default=4.0,
            help="Time budget per page; timing stops at whichever ends first (default 4).",
        )
        parser.add_argument(
            "--live-voters",
            type=int,
            default=200,
            help="Phones voting at once in the live poll load test (default 200).",
        )
        parser.add_argument(
            "--skip-live-poll",
            action="store_true",
            help="Leave out the live poll load test (it starts gunicorn on the scratch database).",
        )

    def handle(self, *args, **options):
        if options["participants"] < 7 or options["organizations"] < 1:
            raise CommandError("The large cohort needs at least 7 participants and 1 organization.")
        if options["communities"] < 2:
            raise CommandError("The large cohort needs at least 2 communities.")
        if options["live_voters"] < 1 and not options["skip_live_poll"]:
            raise CommandError("The live poll needs at least 1 voter (or --skip-live-poll).")
        if os.environ.get(CHILD_FLAG) == "1":
            return self.child(**options)
        return self.parent(**options)

    # --- parent: make the scratch database, run the child there, drop it ------------------

    def parent(self, **options):
        env = {**os.environ, CHILD_FLAG: "1", "DJANGO_DEBUG": "false", "PYTHONUNBUFFERED": "1"}
        if connection.vendor == "sqlite":
            directory = tempfile.mkdtemp(prefix=SCRATCH_DIR_PREFIX)
            env["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"

            def drop():
                shutil.rmtree(directory, ignore_errors=True)

            where = f"a temporary SQLite file in {directory}"
        elif connection.vendor == "postgresql":
            if not os.environ.get("DATABASE_URL"):
                raise CommandError("With PostgreSQL the bench needs DATABASE_URL to be set.")
            name = f"{SCRATCH_PREFIX}{os.getpid()}"
            quoted = connection.ops.quote_name(name)
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
                cursor.execute(f"CREATE DATABASE {quoted}")
            env["DATABASE_URL"] = scratch_url(os.environ["DATABASE_URL"], name)

            def drop():
                try:
                    with connection._nodb_cursor() as cursor:
                        cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
                except DatabaseError as exc:  # report it and go on: the run itself is over
                    self.stderr.write(f"Could not drop {name} ({exc}); drop it by hand.")

            where = f"the scratch PostgreSQL database {name}"
        else:
            raise CommandError(
                f"The bench supports SQLite and PostgreSQL, not {connection.vendor}."
            )

        self.stdout.write(f"Building and measuring in {where}; it is removed afterwards.")
        argv = [
            sys.executable,
            str(Path(settings.BASE_DIR) / "manage.py"),
            "bench",
            *(f"--{name}={options[name]}" for name in self.forwarded),
            f"--live-voters={options['live_voters']}",
            *(["--skip-live-poll"] if options["skip_live_poll"] else []),
        ]
        try:
            child = subprocess.run(argv, env=env, cwd=settings.BASE_DIR, check=False)  # noqa: S603 -- our own command, no shell
        finally:
            drop()
        if child.returncode:
            sys.exit(child.returncode)

    forwarded = ("participants", "organizations", "communities", "requests", "seconds")

    # --- child: migrate, build, measure, report ---------------------------------------------

    def child(self, **options):
        from devtools.demo import build_scaled_cohort
        from devtools.demo.formation import add_formation_data
        from devtools.demo.planning import add_planning_data

        ensure_scratch_database()
        write = self.stdout.write
        started = perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        if "DatabaseCache" in settings.CACHES["default"]["BACKEND"]:
            call_command("createcachetable", verbosity=0)
        migrated = perf_counter()
        with transaction.atomic():
            small = build_scaled_cohort("small", participants=5, organizations=3, communities=2)
            large = build_scaled_cohort(
                "large",
                participants=options["participants"],
                organizations=options["organizations"],
                communities=options["communities"],
            )
            for cohort in (small, large):
                cohort.planning = add_planning_data(cohort.cohort, staff=cohort.staff)
                cohort.counts.update(cohort.planning.counts)
                cohort.formation = add_formation_data(cohort.cohort, staff=cohort.staff)
                cohort.counts.update(cohort.formation.counts)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # planner statistics, as a live database has
        built = perf_counter()
        write(f"Database: {connection.vendor}; migrated in {migrated - started:.1f} s.")
        for label, cohort in (("Small", small), ("Large", large)):
            counts = ", ".join(f"{n} {what}" for what, n in cohort.counts.items())
            write(f"{label} cohort: {counts}.")
        write(f"Built both in {built - migrated:.1f} s.")
        write(
            f"Each page: queries counted on both cohorts; timed on the large one over "
            f"{options['requests']} requests or {options['seconds']:g} s, whichever ends first."
        )

        def progress(result):
            self.stderr.write(f"  measured {result.page.url_name}", ending="\n")

        # With DEBUG off WhiteNoise warns that STATIC_ROOT is missing (no collectstatic here).
        warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]
        with override_settings(
            ROOT_URLCONF="devtools.bench_urls", DEBUG=False, ALLOWED_HOSTS=hosts
        ):
            bare, results = measure(
                PAGES,
                small,
                large,
                requests=options["requests"],
                seconds=options["seconds"],
                progress=progress,
            )
        write("")
        for text in table(bare, results):
            write(text)
        write("")
        write(
            "queries: on the second request (the first warms caches). flat?: no more queries "
            "on the large cohort than on the small one. vs bare: time per request over that of "
            "a bare view answering 'ok' through the same middleware (1.0x: as fast)."
        )
        not_built = [r.page.url_name for r in results if NOT_BUILT in (r.status, r.status_small)]
        if not_built:
            write(f"Not built yet (501): {', '.join(not_built)}.")
        failing = [r for r in [bare, *results] if r.problems]
        for result in failing:
            write(self.style.ERROR(f"FAIL {result.page.url_name}: {'; '.join(result.problems)}"))
            for error in result.errors[:1]:
                self.stderr.write(error)
        live_problems = []
        if not options["skip_live_poll"]:
            live_problems = self.live_poll(large, options["live_voters"])
        write(f"Total {perf_counter() - started:.0f} s.")
        if failing or live_problems:
            sys.exit(1)
        write(self.style.SUCCESS("Bench passed."))

    def live_poll(self, built, voters):
        """Phones voting at once against gunicorn (devtools/loadtest.py); its problems."""
        from devtools import loadtest

        self.stdout.write("")
        self.stderr.write(f"  live poll: {voters} phones vote against gunicorn")
        result = loadtest.run(built.cohort, built.staff, voters=voters, changers=voters // 4)
        for text in result.lines():
            self.stdout.write(text)
        for problem in result.problems:
            self.stdout.write(self.style.ERROR(f"FAIL live poll: {problem}"))
        if result.problems and result.server_log:
            self.stderr.write(result.server_log)
        return result.problems
