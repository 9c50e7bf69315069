"""Reliability of the outbox against real PostgreSQL and Redis, with real processes.

- A worker killed with SIGKILL in the middle of a sweep loses nothing; once another worker
  runs, nothing is sent twice except, at most, the one message the dead worker had claimed
  (the documented at-least-once case: it may have reached the mail server before the worker
  died, and an email that never arrives is the worse failure).
- Two beat processes, each queueing every sweep every second, with two Celery workers on
  Redis, send every email exactly once.

(A change that rolls back queues nothing, and a failing mail server is retried with back-off
and then shown to staff: tests/test_messages_preferences.py and tests/test_messages_pages.py,
which run on any database.)

These skip on SQLite and without REDIS_URL, except where COPKIT_REQUIRE_SERVICES=true (CI),
where a missing service fails them instead.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from copkit import outbox
from copkit.models import OutboxMessage
from copkit.settings import env_bool
from devtools import mailsink
from tests import factories

State = OutboxMessage.State
ROOT = Path(__file__).resolve().parent.parent


def require_services(redis=False):
    missing = []
    if connection.vendor != "postgresql":
        missing.append("PostgreSQL (DATABASE_URL)")
    if redis and not settings.REDIS_URL:
        missing.append("Redis (REDIS_URL)")
    if not missing:
        return
    reason = "needs " + " and ".join(missing)
    if env_bool("COPKIT_REQUIRE_SERVICES"):
        pytest.fail(f"COPKIT_REQUIRE_SERVICES=true but this test {reason}")
    pytest.skip(reason)


def database_url():
    """The URL of the test database this test's rows are committed in."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"])
    host = db["HOST"] or "localhost"
    return f"postgres://{auth}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def process_env(sink, **extra):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "devtools.worker_settings",
        "DATABASE_URL": database_url(),
        "COPKIT_MAIL_SINK": str(sink),
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def make_due(count, prefix="r"):
    now = timezone.now()
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            key=f"{prefix}:{n}",
            kind="checkin_prompt",
            to_email=f"{prefix}{n}@example.org",
            subject=f"Check-in {n}",
            body_text="How is your COP doing?",
            due_at=now - timedelta(seconds=count - n),
        )
        for n in range(count)
    )
    return {f"{prefix}{n}@example.org" for n in range(count)}


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


SWEEP_ONCE = "import django; django.setup(); from copkit.outbox import send_due; send_due()"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_sweep_loses_nothing_and_sends_twice_at_most_its_claim(
    tmp_path, settings, monkeypatch
):
    require_services()
    sink = tmp_path / "sink.txt"
    addresses = make_due(20)
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and code, no shell
        [sys.executable, "-c", SWEEP_ONCE],
        cwd=ROOT,
        env=process_env(sink, COPKIT_MAIL_SINK_DELAY="0.25"),
    )
    try:
        wait_for(lambda: len(mailsink.read(sink)) >= 3, 60, "the worker's first emails")
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    assert worker.returncode == -signal.SIGKILL

    claimed = list(OutboxMessage.objects.filter(state=State.SENDING))
    assert len(claimed) <= 1  # a worker holds one claim at a time
    sent_before = len(mailsink.read(sink))
    assert 3 <= sent_before < 20  # killed in the middle

    # Another worker, in this process, into the same sink.
    settings.EMAIL_BACKEND = "devtools.mailsink.SinkBackend"
    monkeypatch.setenv("COPKIT_MAIL_SINK", str(sink))
    outbox.send_due()
    # The dead worker's claim is left alone while it may still be sending...
    assert list(OutboxMessage.objects.filter(state=State.SENDING)) == claimed
    # ...and goes back to pending once stale, then out.
    later = timezone.now() + outbox.STALE_CLAIM_AFTER + timedelta(minutes=1)
    outbox.send_due(now=later)

    sends = Counter(mailsink.read(sink))
    assert set(sends) == addresses, "lost: " + ", ".join(sorted(addresses - set(sends)))
    twice = {address for address, n in sends.items() if n > 1}
    assert twice <= {message.to_email for message in claimed}
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {State.SENT}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_beats_and_two_workers_send_each_email_once(tmp_path, world):
    require_services(redis=True)
    sink = tmp_path / "sink.txt"
    queue = f"copkit-test-{uuid.uuid4().hex[:12]}"
    addresses = make_due(60)
    # Later work too: a meeting within its reminder time, whose two members are reminded
    # by whichever sweep claims it.
    factories.MeetingFactory(
        community=world.community, starts_at=timezone.now() + timedelta(hours=2)
    )
    addresses |= {world.leader.email, world.participant.email}

    env = process_env(
        sink,
        COPKIT_CELERY_QUEUE=queue,
        COPKIT_OUTBOX_SWEEP_SECONDS="1",
        COPKIT_LATER_SWEEP_SECONDS="1",
    )
    celery = [sys.executable, "-m", "celery", "-A", "copkit"]
    processes = []
    logs = []
    try:
        for n in range(2):
            log = open(tmp_path / f"beat{n}.log", "w")  # noqa: SIM115 - closed below
            logs.append(log)
            processes.append(
                subprocess.Popen(  # noqa: S603 - our own celery, no shell
                    [*celery, "beat", "-s", str(tmp_path / f"beat{n}"), "--loglevel=INFO"],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
            log = open(tmp_path / f"worker{n}.log", "w")  # noqa: SIM115 - closed below
            logs.append(log)
            processes.append(
                subprocess.Popen(  # noqa: S603 - our own celery, no shell
                    [
                        *celery,
                        "worker",
                        "-Q",
                        queue,
                        "-n",
                        f"w{n}-{queue}@%h",
                        "--pool=solo",
                        "--without-gossip",
                        "--without-mingle",
                        "--loglevel=INFO",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )

        def all_out():
            return (
                OutboxMessage.objects.count() == len(addresses)
                and not OutboxMessage.objects.exclude(state=State.SENT).exists()
            )

        wait_for(all_out, 120, "every email to be sent")
        time.sleep(3)  # more sweeps from both beats: they find nothing left to send
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs:
            log.close()
        _forget_queue(queue)

    sends = Counter(mailsink.read(sink))
    assert set(sends) == addresses
    assert set(sends.values()) == {1}, [address for address, n in sends.items() if n > 1]
    beats = [(tmp_path / f"beat{n}.log").read_text() for n in range(2)]
    assert all("Sending due task" in beat for beat in beats)  # both beats really ran


def _forget_queue(queue):
    """Delete the test's queue from Redis (what the beats queued after the workers stopped)."""
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(queue, f"_kombu.binding.{queue}")
    client.close()
