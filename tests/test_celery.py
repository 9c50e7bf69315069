"""Celery wiring: the beat names a task the worker knows, the task sends the outbox, and
(where REDIS_URL is set, as on CI) a task message goes through the real Redis broker."""

import uuid

import pytest
from django.conf import settings
from django.core import mail

from copkit import later
from copkit.celery import app
from copkit.models import OutboxMessage


@pytest.fixture(autouse=True)
def _discover_tasks():
    """What a worker does when it starts: import every installed app's tasks module."""
    app.loader.import_default_modules()


def test_every_beat_entry_names_a_registered_task():
    assert settings.CELERY_BEAT_SCHEDULE
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, f"beat entry {name!r} names an unknown task"
    assert "copkit.tasks.send_due_messages" in app.tasks


def test_one_beat_entry_sweeps_all_later_work_and_the_old_task_names_stay():
    """The three reminder sweeps run in copkit.tasks.run_later_work; their old tasks are no
    longer in the beat, but a message an old beat queued still finds its task."""
    beat_tasks = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert sorted(beat_tasks) == ["copkit.tasks.run_later_work", "copkit.tasks.send_due_messages"]
    assert {sweep.name for sweep in later.registered()} >= {
        "survey reminders",
        "meeting reminders",
        "formation reminders",
    }
    for old in (
        "planning.tasks.send_survey_reminders",
        "planning.tasks.send_meeting_reminders",
        "cohorts.tasks.send_formation_reminders",
    ):
        assert old in app.tasks


def test_the_registered_task_sends_due_messages(db):
    OutboxMessage.objects.create(
        key="celery:1", kind="hello", to_email="ana@example.org", subject="Hi", body_text="Hi"
    )
    task = app.tasks["copkit.tasks.send_due_messages"]

    result = task.apply()  # through Celery's own call path, in this process

    assert result.successful()
    assert result.result["sent"] == 1
    assert [email.to for email in mail.outbox] == [["ana@example.org"]]


@pytest.fixture
def redis_broker():
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("no Redis broker configured (set REDIS_URL)")
    return settings.CELERY_BROKER_URL


def test_the_redis_broker_is_reachable(redis_broker):
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1)
        assert connection.transport.driver_type == "redis"


def test_a_task_message_goes_through_redis(redis_broker):
    """Publish send_due_messages to a queue of the test's own and read it back: what a
    worker would receive. The test's queue keeps real workers from running it."""
    task = app.tasks["copkit.tasks.send_due_messages"]
    queue_name = f"copkit-test-{uuid.uuid4().hex}"
    with app.connection_for_write() as connection:
        simple = connection.SimpleQueue(queue_name)
        try:
            sent = task.apply_async(queue=queue_name, connection=connection)
            message = simple.get(timeout=5)
            message.ack()
            assert message.headers["task"] == "copkit.tasks.send_due_messages"
            assert message.headers["id"] == sent.id
            args, kwargs, _embed = message.decode()
            assert (args, kwargs) == ([], {})
        finally:
            simple.queue.delete()
            simple.close()
