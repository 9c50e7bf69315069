"""`manage.py outboxbench`: 10,000 due check-in prompts and reminders through two workers.

Like `manage.py bench`, it never touches the developer's database: the parent makes a scratch
database (a temporary SQLite file, or with PostgreSQL a database named copkit_bench_<pid>),
runs itself again there (the child), and drops it afterwards. The child migrates, queues
--messages emails through the outbox (half check-in prompts, half check-in reminders, each
with its own key and recipient), then starts --workers worker processes. Each worker runs
the outbox's task (`copkit.tasks.send_due_messages`) again and again, as a Celery worker
woken by the beat would, into a local mail sink (devtools.mailsink) until nothing is left to
send. Then it prints one line:

    outbox: N sent, D duplicates, L lost, R per second

N counts the distinct emails that arrived, D those that arrived more than once, L those
that never did, R the emails that arrived per second of the workers' run. A duplicate or a
lost email fails the bench (exit status 1).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, OperationalError, connection

from devtools import mailsink
from devtools.management.commands.bench import SCRATCH_DIR_PREFIX, SCRATCH_PREFIX, scratch_url

CHILD_FLAG = "COPKIT_OUTBOXBENCH_CHILD"
WORKER_FLAG = "COPKIT_OUTBOXBENCH_WORKER"
KINDS = ("checkin_prompt", "checkin_reminder")


class Command(BaseCommand):
    help = "Dispatch many due emails through several worker processes into a local sink."

    def add_arguments(self, parser):
        parser.add_argument("--messages", type=int, default=10_000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--timeout", type=int, default=600, help="seconds before giving up")

    def handle(self, *args, **options):
        if options["messages"] < 1 or options["workers"] < 1:
            raise CommandError("Give at least one message and one worker.")
        if os.environ.get(WORKER_FLAG) == "1":
            return self.worker()
        if os.environ.get(CHILD_FLAG) == "1":
            return self.child(**options)
        return self.parent(**options)

    # --- parent: a scratch database, the child there, then drop it ------------------------

    def parent(self, **options):
        env = {**os.environ, CHILD_FLAG: "1", "DJANGO_DEBUG": "false", "PYTHONUNBUFFERED": "1"}
        if connection.vendor == "sqlite":
            directory = tempfile.mkdtemp(prefix=SCRATCH_DIR_PREFIX)
            env["DATABASE_URL"] = f"sqlite:///{directory}/outbox.sqlite3"

            def drop():
                shutil.rmtree(directory, ignore_errors=True)

        elif connection.vendor == "postgresql":
            if not os.environ.get("DATABASE_URL"):
                raise CommandError("With PostgreSQL the bench needs DATABASE_URL to be set.")
            name = f"{SCRATCH_PREFIX}outbox_{os.getpid()}"
            quoted = connection.ops.quote_name(name)
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
                cursor.execute(f"CREATE DATABASE {quoted}")
            env["DATABASE_URL"] = scratch_url(os.environ["DATABASE_URL"], name)

            def drop():
                try:
                    with connection._nodb_cursor() as cursor:
                        cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
                except DatabaseError as exc:
                    self.stderr.write(f"Could not drop {name} ({exc}); drop it by hand.")

        else:
            raise CommandError(
                f"The bench supports SQLite and PostgreSQL, not {connection.vendor}."
            )
        argv = [
            sys.executable,
            str(Path(settings.BASE_DIR) / "manage.py"),
            "outboxbench",
            f"--messages={options['messages']}",
            f"--workers={options['workers']}",
            f"--timeout={options['timeout']}",
        ]
        try:
            child = subprocess.run(argv, env=env, cwd=settings.BASE_DIR, check=False)  # noqa: S603 -- our own command, no shell
        finally:
            drop()
        if child.returncode:
            sys.exit(child.returncode)

    # --- child: queue the emails, run the workers, count what arrived -----------------------

    def child(self, **options):
        from copkit import outbox
        from copkit.tasks import send_due_messages

        call_command("migrate", verbosity=0)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:  # readers do not wait for the writer
                cursor.execute("PRAGMA journal_mode=WAL")
        count = options["messages"]
        expected = set()
        batch = []
        for n in range(count):
            kind = KINDS[n % 2]
            address = f"leader{n}@bench.example"
            expected.add(address)
            batch.append(
                {
                    "key": f"{kind}:bench{n}:{n}",
                    "kind": kind,
                    "to_email": address,
                    "template": "account",
                    "context": {
                        "subject": f"Check-in {n}: how is your COP doing?",
                        "body": "Tell your TTA coach how things are going.",
                    },
                }
            )
        # The workers below are the sweep: no wake-up task goes to the developer's broker.
        with mock.patch.object(send_due_messages, "delay"):
            for start in range(0, count, 1000):
                outbox.enqueue_many(batch[start : start + 1000])
        connection.close()

        directory = Path(tempfile.mkdtemp(prefix="copkit-outbox-sink-"))
        sink = directory / "sink.txt"
        env = {
            **os.environ,
            WORKER_FLAG: "1",
            "DJANGO_SETTINGS_MODULE": "devtools.worker_settings",  # email into the sink
            "COPKIT_MAIL_SINK": str(sink),
            "COPKIT_OUTBOX_BATCH_SIZE": "200",
        }
        argv = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "outboxbench"]
        started = time.perf_counter()
        workers = [
            subprocess.Popen(argv, env=env, cwd=settings.BASE_DIR)  # noqa: S603 -- our own command
            for _ in range(options["workers"])
        ]
        try:
            for worker in workers:
                worker.wait(timeout=options["timeout"])
        except subprocess.TimeoutExpired:
            for worker in workers:
                worker.kill()
            self.stderr.write("outbox bench: the workers did not finish in time")
        elapsed = time.perf_counter() - started
        sends = Counter(mailsink.read(sink))
        shutil.rmtree(directory, ignore_errors=True)
        sent = len(set(sends) & expected)
        duplicates = sum(1 for n in sends.values() if n > 1)
        lost = len(expected - set(sends))
        rate = sum(sends.values()) / elapsed if elapsed else 0
        self.stdout.write(
            f"outbox: {sent} sent, {duplicates} duplicates, {lost} lost, {rate:.0f} per second"
        )
        if duplicates or lost or any(worker.returncode for worker in workers):
            sys.exit(1)

    # --- worker: the outbox task until nothing is left --------------------------------------

    def worker(self):
        import logging

        from copkit.models import OutboxMessage

        # One line per email and per skipped claim would bury the result line.
        logging.getLogger("copkit").setLevel(logging.WARNING)
        from copkit.tasks import send_due_messages

        State = OutboxMessage.State
        while True:
            try:
                send_due_messages()  # the Celery task's body, as a worker runs it
                left = OutboxMessage.objects.filter(
                    state__in=[State.PENDING, State.SENDING]
                ).exists()
            except OperationalError:  # SQLite: the other worker holds the write lock
                time.sleep(0.05)
                continue
            if not left:
                return
