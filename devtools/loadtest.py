"""Load test of a live poll: a room full of phones votes at once against a real server.

`manage.py bench` runs it after the page figures (skip with --skip-live-poll): it starts
gunicorn on the bench's scratch database, opens a live session, and then

1. every phone (its own cookies, as a browser has) opens /p/CODE/ and reads the form;
2. all of them post a vote within a few seconds, from a thread pool;
3. a quarter of them (--live-changers, 50 of 200) change their vote.

After each round it counts the answers stored: one per phone, with the values the phones
sent. A vote missing or counted twice fails the bench. The figures: successful POSTs,
errors, seconds, votes per second, median and 95th percentile latency, answers stored, lost.
"""

import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import unescape
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db import transaction

from planning.models import Answer, Question, Response, Survey
from planning.surveys.services import live as services

OPTIONS = ["Board development", "Raising funds", "Volunteers", "Using data"]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
QUESTION = re.compile(r'name="question" value="([^"]+)"')
TIMEOUT = 30


class Phone:
    """One voter's browser: its own cookies and one kept-alive connection."""

    def __init__(self, base_url, code, number):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.path = f"/p/{code}/"
        self.number = number
        self.cookies = {}
        self.token = self.question = None
        self.connection = None

    def request(self, method, body=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):  # a kept-alive connection the server closed: open another
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
            try:
                self.connection.request(method, self.path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            self.cookies.update({name: morsel.value for name, morsel in cookie.items()})
        return response, content.decode("utf-8", "replace")

    def join(self):
        response, page = self.request("GET")
        token, question = TOKEN.search(page), QUESTION.search(page)
        if response.status != 200 or not token or not question:
            raise RuntimeError(f"GET {self.path}: {response.status}, no vote form")
        self.token, self.question = unescape(token.group(1)), question.group(1)

    def vote(self, option):
        body = urlencode(
            {"csrfmiddlewaretoken": self.token, "question": self.question, "answer": option}
        )
        response, _page = self.request("POST", body)
        if response.status != 302 or response.getheader("Location") != self.path:
            raise RuntimeError(f"POST {self.path}: {response.status}")

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


@dataclass
class Round:
    """One wave of requests from the phones."""

    name: str
    requests: int
    seconds: float = 0.0
    latencies: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return len(self.latencies)

    @property
    def per_second(self):
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile(self, share):
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass
class Check:
    """What the database holds after a voting round, against what the phones sent."""

    name: str
    voters: int
    answers: int
    responses: int
    expected: Counter
    stored: Counter

    @property
    def lost(self):
        return self.voters - self.answers

    @property
    def problems(self):
        found = []
        if self.answers != self.voters:
            found.append(f"{self.name}: {self.answers} answers stored for {self.voters} voters")
        if self.responses != self.voters:
            found.append(f"{self.name}: {self.responses} responses for {self.voters} voters")
        if self.stored != self.expected:
            found.append(
                f"{self.name}: stored {dict(self.stored)}, the phones sent {dict(self.expected)}"
            )
        return found


@dataclass
class LoadResult:
    voters: int
    changers: int
    server: str
    rounds: list = field(default_factory=list)
    checks: list = field(default_factory=list)
    failure: str = ""
    server_log: str = ""

    @property
    def problems(self):
        found = [self.failure] if self.failure else []
        for wave in self.rounds:
            if wave.errors:
                found.append(f"{wave.name}: {len(wave.errors)} errors, first: {wave.errors[0]}")
        for check in self.checks:
            found.extend(check.problems)
        return found

    def lines(self):
        out = [f"Live poll: {self.voters} phones on {self.server}."]
        headers = ("round", "requests", "ok", "errors", "seconds", "per s", "p50 ms", "p95 ms")
        rows = [
            (
                wave.name,
                str(wave.requests),
                str(wave.ok),
                str(len(wave.errors)),
                f"{wave.seconds:.2f}",
                f"{wave.per_second:.0f}",
                f"{wave.percentile(0.5) * 1000:.0f}",
                f"{wave.percentile(0.95) * 1000:.0f}",
            )
            for wave in self.rounds
        ]
        widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
        for row in [headers, tuple("-" * w for w in widths), *rows]:
            cells = [
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            ]
            out.append("  ".join(cells).rstrip())
        for check in self.checks:
            verdict = "match" if check.stored == check.expected else "DIFFER"
            out.append(
                f"{check.name}: {check.answers} answers stored for {check.voters} voters, "
                f"lost {check.lost}; counts per option {verdict}."
            )
        return out


def prepare(cohort, actor):
    """A one-question poll survey in `cohort` and an open live session on it."""
    with transaction.atomic():
        survey = Survey.objects.create(
            cohort=cohort,
            title="Bench: which need is most pressing?",
            kind=Survey.Kind.POLL,
            status=Survey.Status.OPEN,
            created_by=actor,
        )
        Question.objects.create(
            survey=survey, text="Which need presses hardest?", choices=OPTIONS, position=1
        )
    return services.start_session(survey, actor)


def _wave(name, phones, action, concurrency):
    """Run `action(phone)` for every phone from a pool; time each and the whole."""
    wave = Round(name, len(phones))

    def one(phone):
        start = time.perf_counter()
        try:
            action(phone)
        except Exception as error:  # counted and reported: a load test must not stop at one
            return None, f"phone {phone.number}: {error}"
        return time.perf_counter() - start, None

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for latency, error in pool.map(one, phones):
            if error:
                wave.errors.append(error)
            else:
                wave.latencies.append(latency)
    wave.seconds = time.perf_counter() - started
    return wave


def _check(name, session, expected):
    question = session.current_question
    answers = list(
        Answer.objects.filter(response__live_session=session, question=question).values_list(
            "value", flat=True
        )
    )
    responses = Response.objects.filter(live_session=session, submitted_at__isnull=False).count()
    return Check(name, sum(expected.values()), len(answers), responses, expected, Counter(answers))


def run_against(base_url, session, *, voters=200, changers=50, concurrency=50, server=""):
    """Drive `voters` phones against the server at `base_url` on the open `session`."""
    result = LoadResult(voters, changers, server or base_url)
    phones = [Phone(base_url, session.code, n) for n in range(voters)]
    choice = {phone.number: OPTIONS[phone.number % len(OPTIONS)] for phone in phones}
    try:
        result.rounds.append(_wave("open /p/CODE/", phones, Phone.join, concurrency))
        ready = [phone for phone in phones if phone.token]
        result.rounds.append(_wave("vote", ready, lambda p: p.vote(choice[p.number]), concurrency))
        result.checks.append(_check("after voting", session, Counter(choice.values())))
        movers = ready[:changers]
        for phone in movers:
            choice[phone.number] = OPTIONS[(phone.number + 1) % len(OPTIONS)]
        result.rounds.append(
            _wave("change vote", movers, lambda p: p.vote(choice[p.number]), concurrency)
        )
        result.checks.append(_check("after changes", session, Counter(choice.values())))
    finally:
        for phone in phones:
            phone.close()
    return result


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(*, workers=2, threads=8, wait=30):
    """Serve the site with gunicorn on a free local port, on the database this process
    uses (DATABASE_URL from the environment); yield its base URL; stop it afterwards."""
    port = _free_port()
    env = {
        **os.environ,
        # The settings this process runs on, named: never inherited by accident.
        "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE,
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "PYTHONUNBUFFERED": "1",
    }
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "copkit.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--threads={threads}",
        "--worker-class=gthread",
        "--timeout=60",
        "--graceful-timeout=5",
        "--log-level=warning",
    ]
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(  # noqa: S603 -- our own server, no shell
            argv, env=env, cwd=settings.BASE_DIR, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            _wait_until_up(process, port, wait, log)
            yield f"http://127.0.0.1:{port}", log
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(process, port, wait, log):
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"gunicorn stopped at start:\n{log.read()[-2000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on port {port} within {wait} s")


def run(cohort, actor, *, voters=200, changers=50, workers=2, threads=8):
    """The bench's live poll load test: start gunicorn, open a session, drive the phones."""
    session = prepare(cohort, actor)
    server = f"gunicorn, {workers} workers x {threads} threads"
    try:
        with gunicorn(workers=workers, threads=threads) as (base_url, log):
            result = run_against(
                base_url,
                session,
                voters=voters,
                changers=min(changers, voters),
                concurrency=min(voters, 50),
                server=server,
            )
            if result.problems:
                log.seek(0)
                result.server_log = log.read()[-3000:]
    except RuntimeError as error:
        result = LoadResult(voters, changers, server, failure=str(error))
    return result
