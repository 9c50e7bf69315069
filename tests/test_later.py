"""copkit.later: due rows, each claimed once by a conditional UPDATE and handed to the outbox
in the same transaction, however many sweeps run at once.

The rows here are meetings and their `reminded_at`, the shape of every kind of later work."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from copkit import later, outbox
from copkit.celery import app
from copkit.models import OutboxMessage
from planning.models import Meeting
from tests import factories

TEST_TEMPLATES = {
    "emails/nudge_subject.txt": "Soon: {{ title }}",
    "emails/nudge_body.txt": "{{ title }} starts soon.",
    "emails/nudge_body.html": "<p>{{ title }} starts soon.</p>",
}


@pytest.fixture(autouse=True)
def email_templates(settings):
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", TEST_TEMPLATES)]},
        }
    ]


class Handler:
    """Queues one outbox email per meeting and counts its calls, from any thread."""

    def __init__(self, fail_for=()):
        self.calls = Counter()
        self.fail_for = set(fail_for)
        self.lock = threading.Lock()

    def __call__(self, meeting, now):
        with self.lock:
            self.calls[meeting.pk] += 1
        if meeting.pk in self.fail_for:
            raise RuntimeError("the handler failed")
        outbox.enqueue(
            key=f"nudge:{meeting.pk}",
            kind="nudge",
            to_email="ana@example.org",
            template="nudge",
            context={"title": meeting.title},
        )
        return 1


def soon(now):
    return (
        Meeting.objects.filter(reminded_at__isnull=True, starts_at__lte=now + timedelta(days=1))
        .select_related("community")
        .order_by("pk")
    )


def make_sweep(handler, **options):
    return later.Sweep(
        name="test nudges", due=soon, column="reminded_at", handle=handler, **options
    )


def meetings(n, *, hours=2):
    community = factories.CommunityFactory()
    now = timezone.now()
    return [
        factories.MeetingFactory(community=community, starts_at=now + timedelta(hours=hours))
        for _ in range(n)
    ]


def test_a_sweep_claims_handles_and_queues_each_due_row(db):
    due = meetings(3)
    later_one = factories.MeetingFactory(starts_at=timezone.now() + timedelta(days=5))
    handler = Handler()
    now = timezone.now()

    swept = make_sweep(handler).run(now)

    assert [row.pk for row, _queued in swept.handled] == [m.pk for m in due]
    assert (swept.queued, swept.skipped, swept.failed) == (3, 0, 0)
    assert set(Meeting.objects.filter(reminded_at=now).values_list("pk", flat=True)) == {
        m.pk for m in due
    }
    later_one.refresh_from_db()
    assert later_one.reminded_at is None
    assert OutboxMessage.objects.count() == 3

    # Claimed rows are no longer due: the next sweep finds nothing.
    again = make_sweep(handler).run(now + timedelta(minutes=1))
    assert again.handled == []
    assert set(handler.calls.values()) == {1}


def test_a_row_read_by_two_processes_is_claimed_by_one(db):
    """Two sweeps read the same due row; only the first UPDATE changes it."""
    (meeting,) = meetings(1)
    first_read = Meeting.objects.get(pk=meeting.pk)
    second_read = Meeting.objects.get(pk=meeting.pk)
    handler = Handler()
    sweep = make_sweep(handler)

    assert sweep.take(first_read) == 1
    assert sweep.take(second_read) is None

    assert handler.calls == Counter({meeting.pk: 1})
    assert OutboxMessage.objects.count() == 1


def test_take_passes_what_only_a_click_knows_on_to_the_handler(db):
    """ "Remind now" takes a row with who asked; the sweep's own run passes nothing."""
    first, second = meetings(2)
    seen = []

    def handle(meeting, now, *, sender="the team"):
        seen.append((meeting.pk, sender))
        return 0

    sweep = later.Sweep(name="test senders", due=soon, column="reminded_at", handle=handle)
    assert sweep.take(first, sender="Ana") == 0
    sweep.run()

    assert seen == [(first.pk, "Ana"), (second.pk, "the team")]


def test_a_row_changed_since_it_was_read_is_left_for_the_next_sweep(db):
    (meeting,) = meetings(1)
    read = Meeting.objects.get(pk=meeting.pk)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=meeting.starts_at + timedelta(hours=1), sequence=1
    )
    handler = Handler()
    sweep = make_sweep(handler, still=lambda m: {"sequence": m.sequence})

    assert sweep.take(read) is None
    assert handler.calls == Counter()
    # Read again, it is claimed.
    assert sweep.take(Meeting.objects.get(pk=meeting.pk)) == 1


def test_a_failing_handler_rolls_its_claim_back_and_the_others_go_on(db):
    first, second, third = meetings(3)
    handler = Handler(fail_for={second.pk})

    swept = make_sweep(handler).run()

    assert [row.pk for row, _queued in swept.handled] == [first.pk, third.pk]
    assert swept.failed == 1
    second.refresh_from_db()
    assert second.reminded_at is None  # still due
    assert OutboxMessage.objects.count() == 2

    handler.fail_for.clear()
    retry = make_sweep(handler).run()
    assert [row.pk for row, _queued in retry.handled] == [second.pk]


def test_a_counter_can_be_the_claim_column(db):
    (meeting,) = meetings(1)
    sweep = later.Sweep(
        name="test counter",
        due=lambda now: Meeting.objects.filter(sequence__lt=2),
        column="sequence",
        mark=lambda m, now: m.sequence + 1,
        handle=lambda m, now: 0,
    )
    stale = Meeting.objects.get(pk=meeting.pk)
    assert [row.pk for row, _ in sweep.run().handled] == [meeting.pk]
    assert sweep.take(stale) is None  # it read sequence 0, which is no longer there
    assert [row.pk for row, _ in sweep.run().handled] == [meeting.pk]
    meeting.refresh_from_db()
    assert meeting.sequence == 2
    assert sweep.run().handled == []


def test_after_is_called_once_with_what_this_run_handled(db):
    due = meetings(2)
    seen = []
    sweep = make_sweep(Handler(), after=lambda handled, now: seen.append(handled))

    sweep.run()
    sweep.run()  # nothing left: `after` is not called

    assert len(seen) == 1
    assert [(row.pk, queued) for row, queued in seen[0]] == [(m.pk, 1) for m in due]


def test_the_task_runs_every_registered_sweep_and_one_failure_stops_none(db, monkeypatch):
    monkeypatch.setattr(later, "_registry", {})
    meetings(2)

    def broken(now):
        raise RuntimeError("the due query failed")

    later.register(later.Sweep(name="broken", due=broken, column="reminded_at", handle=Handler()))
    handler = Handler()
    later.register(make_sweep(handler))
    later.register(make_sweep(handler))  # the same name again replaces, never doubles

    app.loader.import_default_modules()
    result = app.tasks["copkit.tasks.run_later_work"].apply()

    assert result.successful()
    assert result.result == {"test nudges": "test nudges: 2 handled, 2 queued, 0 skipped, 0 failed"}
    assert set(handler.calls.values()) == {1}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_handle_each_row_exactly_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so nothing would race")
    rows = meetings(40)
    handler = Handler()
    workers = 4
    start = threading.Barrier(workers)
    results, errors = [], []

    def sweep():
        try:
            start.wait(timeout=10)
            results.append(make_sweep(handler).run())
        except Exception as exc:  # surfaced below; a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(results) == workers
    # The handler ran once per row (the outbox's unique keys would hide a second run).
    assert handler.calls == Counter({m.pk: 1 for m in rows})
    assert sum(len(result.handled) for result in results) == 40
    assert OutboxMessage.objects.count() == 40
    # The sweeps really overlapped: some of them found rows another had claimed.
    assert sum(result.skipped for result in results) > 0
