"""The outbox: enqueue inside a transaction, one wake-up after commit, and a sweep that
sends each message exactly once, however many sweeps run at once."""

import smtplib
import threading
import time
from collections import Counter
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from copkit import outbox
from copkit.models import OutboxMessage
from copkit.tasks import send_due_messages

State = OutboxMessage.State

TEST_TEMPLATES = {
    "emails/hello_subject.txt": (
        "{% autoescape off %}\n  Hello {{ name }}\n  from {{ cohort }}\n{% endautoescape %}"
    ),
    "emails/hello_body.txt": (
        "{% autoescape off %}Dear {{ name }}, open {{ url }}{% endautoescape %}"
    ),
    "emails/hello_body.html": '<p>Dear {{ name }}, <a href="{{ url }}">open</a></p>',
}


@pytest.fixture(autouse=True)
def email_templates(settings):
    """Emails of the tests' own, so that these tests do not hang on a real template."""
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", TEST_TEMPLATES)]},
        }
    ]


def queue(key="hello:1", to_email="ana@example.org", due_at=None, name="Ana"):
    return outbox.enqueue(
        key=key,
        kind="hello",
        to_email=to_email,
        template="hello",
        context={"name": name, "cohort": "Riverbend", "url": "https://copkit.example/x?a=1&b=2"},
        due_at=due_at,
    )


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class PickyBackend(BaseEmailBackend):
    """Refuses mail to bounce@..., delivers the rest to mail.outbox."""

    def send_messages(self, messages):
        for message in messages:
            if message.to[0].startswith("bounce@"):
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"No such user")})
        mail.outbox.extend(messages)
        return len(messages)


class RecordingBackend(BaseEmailBackend):
    """Records every send from any thread; slow enough that sweeps overlap."""

    sent = []
    lock = threading.Lock()

    def send_messages(self, messages):
        time.sleep(0.003)
        with self.lock:
            self.sent.extend(message.to[0] for message in messages)
        return len(messages)


# enqueue ------------------------------------------------------------------------------


def test_enqueue_renders_subject_text_and_html(db, wake):
    message = queue(name="Ana & Bo")

    message.refresh_from_db()
    assert message.subject == "Hello Ana & Bo from Riverbend"  # one line, not escaped
    body, footer = message.body_text.split("\n-- \n")
    assert body == "Dear Ana & Bo, open https://copkit.example/x?a=1&b=2\n"
    # Every email ends with the recipient's settings link (copkit.preferences).
    assert "/emails/" in footer
    assert message.body_html == (
        '<p>Dear Ana &amp; Bo, <a href="https://copkit.example/x?a=1&amp;b=2">open</a></p>'
    )
    assert (message.kind, message.to_email, message.state) == (
        "hello",
        "ana@example.org",
        "pending",
    )
    assert abs(message.due_at - timezone.now()) < timedelta(seconds=5)


def test_enqueue_same_key_twice_inserts_nothing(db, wake):
    first = queue(name="Ana")
    second = queue(name="Someone else")

    assert first is not None
    assert second is None
    assert OutboxMessage.objects.count() == 1
    assert OutboxMessage.objects.get().body_text.startswith("Dear Ana,")
    # Another key is queued.
    assert queue(key="hello:2") is not None
    assert OutboxMessage.objects.count() == 2


def test_enqueue_losing_a_race_for_the_key_keeps_the_transaction_usable(db, wake):
    """Another process inserted the key between our check and our insert: the insert fails
    in its savepoint, enqueue returns None, and the caller's transaction goes on."""
    queue(key="race:1")
    with mock.patch("copkit.outbox.OutboxMessage.objects.filter") as filter_:
        filter_.return_value.exists.side_effect = [False, True]
        with transaction.atomic():
            assert queue(key="race:1", name="Late") is None
            # Still usable (on PostgreSQL a failed statement would abort the transaction).
            assert OutboxMessage.objects.count() == 1
    assert filter_.return_value.exists.call_count == 2


def test_sweep_is_asked_for_only_after_commit_and_once_per_transaction(
    db, wake, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        queue(key="hello:1")
        queue(key="hello:2")
        assert wake.call_count == 0  # not before commit
    assert len(callbacks) == 1
    assert wake.call_count == 1


def test_no_sweep_is_asked_for_when_the_transaction_rolls_back(
    db, wake, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue(key="hello:1")
        raise RuntimeError("the caller's write failed")
    assert callbacks == []
    wake.assert_not_called()
    assert not OutboxMessage.objects.exists()

    # The same write, committed this time, asks for a sweep.
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        queue(key="hello:1")
    assert len(callbacks) == 1
    assert wake.call_count == 1


def test_a_rolled_back_savepoint_does_not_swallow_the_next_wake(
    db, wake, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            queue(key="hello:1")
            raise RuntimeError("the inner write failed")
        queue(key="hello:2")
    assert len(callbacks) == 1
    assert wake.call_count == 1
    assert list(OutboxMessage.objects.values_list("key", flat=True)) == ["hello:2"]


def test_a_message_due_later_waits_for_the_periodic_sweep(
    db, wake, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        queue(due_at=timezone.now() + timedelta(days=1))
    assert callbacks == []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        queue(key="hello:now")
    assert len(callbacks) == 1


def test_a_broker_that_is_down_does_not_fail_the_commit(
    db, wake, django_capture_on_commit_callbacks
):
    wake.side_effect = OperationalError("Error 111 connecting to 127.0.0.1:6379")
    with django_capture_on_commit_callbacks(execute=True):
        queue()
    assert wake.call_count == 1
    assert OutboxMessage.objects.get().state == State.PENDING  # the beat will send it


# send_due -----------------------------------------------------------------------------


def test_send_due_sends_once_and_marks_sent(db, wake, settings):
    settings.DEFAULT_FROM_EMAIL = "copkit <noreply@copkit.example>"
    message = queue(name="Ana & Bo")

    counts = outbox.send_due()

    assert counts["sent"] == 1
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.subject == "Hello Ana & Bo from Riverbend"
    assert email.to == ["ana@example.org"]
    assert email.from_email == "copkit <noreply@copkit.example>"
    assert email.body.startswith("Dear Ana & Bo,")
    assert email.alternatives[0][1] == "text/html"
    assert "Dear Ana &amp; Bo" in email.alternatives[0][0]
    message.refresh_from_db()
    assert message.state == State.SENT
    assert message.sent_at is not None
    assert message.attempts == 1

    # A second sweep finds nothing to send.
    assert outbox.send_due()["sent"] == 0
    assert len(mail.outbox) == 1


def test_send_due_leaves_messages_not_yet_due(db, wake):
    now = timezone.now()
    message = queue(due_at=now + timedelta(hours=1))

    assert outbox.send_due(now=now)["sent"] == 0
    assert mail.outbox == []
    message.refresh_from_db()
    assert (message.state, message.attempts) == (State.PENDING, 0)

    assert outbox.send_due(now=now + timedelta(hours=1))["sent"] == 1
    assert len(mail.outbox) == 1


def test_send_due_sends_oldest_first_within_the_batch(db, wake):
    now = timezone.now()
    queue(key="late", to_email="late@example.org", due_at=now - timedelta(minutes=1))
    queue(key="early", to_email="early@example.org", due_at=now - timedelta(minutes=5))
    queue(key="middle", to_email="middle@example.org", due_at=now - timedelta(minutes=3))

    assert outbox.send_due(now=now, batch_size=2)["sent"] == 2
    assert [email.to[0] for email in mail.outbox] == ["early@example.org", "middle@example.org"]
    assert outbox.send_due(now=now, batch_size=2)["sent"] == 1
    assert mail.outbox[-1].to == ["late@example.org"]


def test_a_sweep_that_fills_its_batch_queues_the_next_at_once(db, wake, settings, monkeypatch):
    settings.OUTBOX_BATCH_SIZE = 2
    past = timezone.now() - timedelta(minutes=1)
    for i in range(5):
        queue(key=f"m{i}", to_email=f"m{i}@example.org", due_at=past)
    queued = []
    monkeypatch.setattr(send_due_messages, "delay", lambda: queued.append(1))
    send_due_messages()  # 2 sent: a full batch, so the next sweep is queued
    assert (len(mail.outbox), len(queued)) == (2, 1)
    send_due_messages()  # 2 more
    assert (len(mail.outbox), len(queued)) == (4, 2)
    send_due_messages()  # the last one: not a full batch, nothing more is queued
    assert (len(mail.outbox), len(queued)) == (5, 2)
    send_due_messages()  # nothing due
    assert (len(mail.outbox), len(queued)) == (5, 2)


def test_a_failing_send_backs_off_then_fails_for_good(db, wake, settings):
    settings.EMAIL_BACKEND = "tests.test_outbox.FailingBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 3
    message = queue()
    now = timezone.now()

    counts = outbox.send_due(now=now)

    assert counts["retrying"] == 1
    message.refresh_from_db()
    assert message.state == State.PENDING
    assert message.attempts == 1
    assert message.due_at == now + timedelta(minutes=2)
    assert "SMTPServerDisconnected" in message.last_error

    # Not due again yet.
    assert outbox.send_due(now=now + timedelta(minutes=1))["retrying"] == 0
    message.refresh_from_db()
    assert message.attempts == 1

    # Second attempt: 4 minutes more.
    second = message.due_at
    outbox.send_due(now=second)
    message.refresh_from_db()
    assert (message.state, message.attempts) == (State.PENDING, 2)
    assert message.due_at == second + timedelta(minutes=4)

    # Third attempt is the last.
    counts = outbox.send_due(now=message.due_at)
    assert counts["failed"] == 1
    message.refresh_from_db()
    assert (message.state, message.attempts) == (State.FAILED, 3)
    assert outbox.send_due(now=message.due_at + timedelta(days=1)) == {
        "sent": 0,
        "retrying": 0,
        "failed": 0,
        "skipped": 0,
        "recovered": 0,
    }


def test_a_message_that_failed_once_is_sent_on_retry(db, wake, settings):
    settings.EMAIL_BACKEND = "tests.test_outbox.FailingBackend"
    message = queue()
    now = timezone.now()
    outbox.send_due(now=now)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    message.refresh_from_db()
    assert outbox.send_due(now=message.due_at)["sent"] == 1
    message.refresh_from_db()
    assert (message.state, message.attempts, message.last_error) == (State.SENT, 2, "")
    assert len(mail.outbox) == 1


def test_one_failing_message_does_not_stop_the_batch(db, wake, settings):
    settings.EMAIL_BACKEND = "tests.test_outbox.PickyBackend"
    now = timezone.now()
    queue(key="a", to_email="ana@example.org", due_at=now - timedelta(minutes=3))
    queue(key="b", to_email="bounce@example.org", due_at=now - timedelta(minutes=2))
    queue(key="c", to_email="cy@example.org", due_at=now - timedelta(minutes=1))

    counts = outbox.send_due(now=now)

    assert (counts["sent"], counts["retrying"]) == (2, 1)
    assert sorted(email.to[0] for email in mail.outbox) == ["ana@example.org", "cy@example.org"]
    assert OutboxMessage.objects.get(key="b").state == State.PENDING


def test_a_message_claimed_by_another_process_first_is_skipped(db, wake):
    now = timezone.now()
    taken = queue(key="taken", to_email="taken@example.org", due_at=now - timedelta(minutes=2))
    queue(key="free", to_email="free@example.org", due_at=now - timedelta(minutes=1))
    real_due_ids = outbox._due_ids

    def another_process_claims_after_our_select(now, batch_size):
        ids = real_due_ids(now, batch_size)
        OutboxMessage.objects.filter(pk=taken.pk).update(state=State.SENDING, claimed_at=now)
        return ids

    with mock.patch("copkit.outbox._due_ids", side_effect=another_process_claims_after_our_select):
        counts = outbox.send_due(now=now)

    assert (counts["sent"], counts["skipped"]) == (1, 1)
    assert [email.to[0] for email in mail.outbox] == ["free@example.org"]
    taken.refresh_from_db()
    assert (taken.state, taken.attempts) == (State.SENDING, 0)  # left to its owner


def test_a_claim_left_by_a_dead_process_is_sent_again_later(db, wake, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    now = timezone.now()
    stuck = queue(key="stuck", to_email="stuck@example.org")
    hopeless = queue(key="hopeless", to_email="hopeless@example.org")
    recent = queue(key="recent", to_email="recent@example.org")
    OutboxMessage.objects.filter(pk=stuck.pk).update(
        state=State.SENDING, attempts=1, claimed_at=now - timedelta(minutes=20)
    )
    OutboxMessage.objects.filter(pk=hopeless.pk).update(
        state=State.SENDING, attempts=3, claimed_at=now - timedelta(minutes=20)
    )
    OutboxMessage.objects.filter(pk=recent.pk).update(
        state=State.SENDING, attempts=1, claimed_at=now - timedelta(minutes=1)
    )

    counts = outbox.send_due(now=now)

    assert (counts["recovered"], counts["sent"]) == (1, 1)
    assert [email.to[0] for email in mail.outbox] == ["stuck@example.org"]
    assert OutboxMessage.objects.get(pk=stuck.pk).attempts == 2
    assert OutboxMessage.objects.get(pk=hopeless.pk).state == State.FAILED
    assert OutboxMessage.objects.get(pk=recent.pk).state == State.SENDING  # still its owner's


def test_the_task_runs_the_sweep(db, wake):
    queue()
    send_due_messages.run()
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get().state == State.SENT


# Real concurrency ---------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_send_each_message_exactly_once(settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so nothing would race")
    settings.EMAIL_BACKEND = "tests.test_outbox.RecordingBackend"
    RecordingBackend.sent = []
    now = timezone.now()
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            key=f"race:{n}",
            kind="hello",
            to_email=f"person{n}@example.org",
            subject="Hello",
            body_text="Hello",
            due_at=now - timedelta(seconds=n),
        )
        for n in range(40)
    )
    workers = 4
    start = threading.Barrier(workers)
    results, errors = [], []

    def sweep():
        try:
            start.wait(timeout=10)
            results.append(outbox.send_due())
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
    sends = Counter(RecordingBackend.sent)
    assert len(sends) == 40
    assert set(sends.values()) == {1}, [email for email, n in sends.items() if n > 1]
    assert sum(result["sent"] for result in results) == 40
    # The sweeps really overlapped: some of them found rows another had claimed.
    assert sum(result["skipped"] for result in results) > 0
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {State.SENT}
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}
