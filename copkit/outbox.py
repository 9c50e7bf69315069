"""The outbox: every email copkit sends is first a row, written in the same transaction as
the change that caused it, then sent by a sweep.

- `enqueue(...)` renders the email from `templates/emails/{template}_subject.txt`,
  `{template}_body.txt` and `{template}_body.html` and inserts one `OutboxMessage`. Its `key`
  is unique: enqueueing the same key twice inserts nothing, so a double click, a retried
  request or a second process cannot queue a second copy. Call it inside the caller's
  transaction; after commit it wakes the sweep (the `send_due_messages` task below, named
  `copkit.tasks.send_due_messages`), and the periodic beat catches anything else (a message
  due later, a broker that was down).
- `send_due(...)` sends what is due. Each row is claimed with a conditional UPDATE and sent
  only by the process whose UPDATE changed it; failures go back to pending with a growing
  delay, until `OUTBOX_MAX_ATTEMPTS`, then fail for good.

Each recipient's choices apply to every enqueue (copkit.preferences): a message of an
optional kind is sent at once (PENDING), held for their daily or weekly digest (HELD, gathered
by copkit.digests, never sent alone), or kept unsent (SKIPPED) when they turned the kind off.
It is rendered in their language and time zone, ends with a signed link to their email
settings, and goes out with List-Unsubscribe (one-click) headers. `cohort_ref` ties it to the
cohort of its context, for the cohort's Emails page.

Text templates are rendered by Django's template engine, which escapes HTML: wrap a
`_subject.txt` or `_body.txt` template in `{% autoescape off %}` so that "&" stays "&".
"""

import logging
import threading
import weakref
import zoneinfo
from contextlib import nullcontext
from datetime import timedelta

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from copkit import kinds, preferences
from copkit.models import OutboxMessage

logger = logging.getLogger(__name__)

State = OutboxMessage.State

# A row left in SENDING this long was claimed by a process that died mid-send (the task's
# hard time limit is far shorter). It goes back to pending: it may have gone out once, but an
# email that never arrives is the worse failure.
STALE_CLAIM_AFTER = timedelta(minutes=15)
MAX_ERROR_LENGTH = 2000


def email_time_zone(context, time_zone=None):
    """The zone an email's dates read in: `time_zone` when given, else the zone of the
    context's `cohort` (any object with a `time_zone` name), else the deployment's."""
    name = time_zone or getattr(context.get("cohort"), "time_zone", None)
    return zoneinfo.ZoneInfo(name) if name else None


def cohort_ref(context):
    """The pk of the cohort an email belongs to, from its context: its `cohort`, else the
    `cohort_id` of the first object that has one (a participant, a community, a survey).
    No query: only what the objects already hold."""
    cohort = context.get("cohort")
    if isinstance(getattr(cohort, "pk", None), int):
        return cohort.pk
    for value in context.values():
        ref = getattr(value, "cohort_id", None)
        if isinstance(ref, int):
            return ref
    return None


def render_email(template, context, time_zone=None, *, to_email=None, kind=None, language=None):
    """Return (subject, text body, HTML body) of `templates/emails/{template}_*`, with its
    dates in `email_time_zone(context, time_zone)` and its words in `language` (the
    deployment's by default). With `to_email`, both bodies end with the link to that
    address's email settings (and, for `kind`, a one-click way to stop it)."""
    zone = email_time_zone(context, time_zone)
    if to_email:
        declared = kinds.get(kind) if kind else None
        context = {
            **context,
            "email_kind_label": declared.label if declared and declared.optional else "",
            "email_settings_url": preferences.settings_url(to_email),
            "email_unsubscribe_url": preferences.unsubscribe_url(to_email, kind or "all"),
        }
    with (
        timezone.override(zone) if zone else nullcontext(),
        translation.override(language or settings.LANGUAGE_CODE),
    ):
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        # One line, whatever the template's whitespace: a newline in a header is refused.
        subject = " ".join(subject.split())
        body_text = render_to_string(f"emails/{template}_body.txt", context).strip() + "\n"
        body_html = render_to_string(f"emails/{template}_body.html", context)
        if to_email:
            body_text += "\n-- \n" + _footer_text(context, kind)
    return subject, body_text, body_html


def _footer_text(context, kind):
    """The text body's last lines: the settings link, and a way to stop an optional kind."""
    lines = [
        _("Choose which emails copkit sends you, and how often (no password needed):"),
        context["email_settings_url"],
    ]
    declared = kinds.get(kind) if kind else None
    if declared is not None and declared.optional:
        lines += [
            _("Stop these emails (%(kind)s):") % {"kind": declared.label},
            context["email_unsubscribe_url"],
        ]
    return "\n".join(str(line) for line in lines) + "\n"


def _prepare(message, plan, now):
    """An unsaved OutboxMessage for one `enqueue` argument dict, rendered for its recipient
    (their language, their time zone before the cohort's) and in the state their
    preference for its kind gives it."""
    kind = message["kind"]
    delivery = plan.delivery(kind)
    subject, body_text, body_html = render_email(
        message["template"],
        message["context"],
        plan.time_zone or message.get("time_zone"),
        to_email=message["to_email"],
        kind=kind,
        language=plan.language,
    )
    return OutboxMessage(
        key=message["key"],
        kind=kind,
        to_email=message["to_email"],
        subject=subject[:300],
        body_text=body_text,
        body_html=body_html,
        due_at=message.get("due_at") or now,
        cohort_ref=cohort_ref(message["context"]),
        delivery=delivery,
        state=preferences.state_for(delivery),
    )


def enqueue(*, key, kind, to_email, template, context, due_at=None, time_zone=None):
    """Queue one email under a unique `key`. Returns the new row, or None when a row with
    that key exists already (nothing is inserted then). Its dates read in the recipient's
    time zone, else `time_zone` (a zone name), else the zone of the context's `cohort`.

    The recipient's preference for `kind` applies (copkit.preferences): the row is sent at
    once, held for their digest, or kept unsent (SKIPPED) so that staff can see it."""
    if OutboxMessage.objects.filter(key=key).exists():
        return None
    now = timezone.now()
    arguments = {
        "key": key,
        "kind": kind,
        "to_email": to_email,
        "template": template,
        "context": context,
        "due_at": due_at,
        "time_zone": time_zone,
    }
    message = _prepare(
        arguments, preferences.plan_for([to_email])[preferences.normalize(to_email)], now
    )
    try:
        # A savepoint: a concurrent insert of the same key loses here without spoiling the
        # caller's transaction.
        with transaction.atomic():
            message.save()
    except IntegrityError:
        if OutboxMessage.objects.filter(key=key).exists():
            return None
        raise
    if message.state == State.PENDING and message.due_at <= now:
        _wake_sweep_on_commit()
    return message


def enqueue_many(messages):
    """Queue many emails at once: `messages` is a list of dicts with the arguments of
    `enqueue` (`time_zone` too). Rows whose key exists already are skipped. Returns how
    many were new.

    For bulk sends (inviting a whole roster): a few queries however many messages."""
    if not messages:
        return 0
    keys = [message["key"] for message in messages]
    taken = set(OutboxMessage.objects.filter(key__in=keys).values_list("key", flat=True))
    plans = preferences.plan_for(
        [message["to_email"] for message in messages if message["key"] not in taken]
    )
    now = timezone.now()
    rows = []
    for message in messages:
        if message["key"] in taken:
            continue
        taken.add(message["key"])
        rows.append(_prepare(message, plans[preferences.normalize(message["to_email"])], now))
    # ignore_conflicts: a key inserted by a concurrent transaction since the check above
    # is that transaction's to send.
    OutboxMessage.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    if any(row.state == State.PENDING and row.due_at <= now for row in rows):
        _wake_sweep_on_commit()
    return len(rows)


class _WakeSweep:
    """The commit callback that asks for one sweep. Only a weak reference to it is kept:
    when the transaction (or the savepoint) that registered it rolls back, Django drops it,
    and the next message queued registers a new one."""

    ran = False

    def __call__(self):
        self.ran = True
        # The rows are committed whatever happens here: if the broker is down, the periodic
        # beat sends them a little later. A broker error must not fail the request.
        try:
            send_due_messages.delay()
        except Exception:
            logger.warning(
                "outbox: could not queue a sweep; the periodic one will send", exc_info=True
            )


_pending = threading.local()  # per thread, as database connections are


def _wake_sweep_on_commit():
    """Ask for a sweep right after the caller's transaction commits (once per transaction,
    however many messages it queues); never when it rolls back. Outside a transaction the
    sweep is asked for at once."""
    ref = getattr(_pending, "wake", None)
    wake = ref() if ref is not None else None
    if wake is not None and not wake.ran:
        return
    wake = _WakeSweep()
    _pending.wake = weakref.ref(wake)
    transaction.on_commit(wake)


@shared_task(name="copkit.tasks.send_due_messages", ignore_result=True)
def send_due_messages():
    """Send the outbox's due messages. Run by the beat every 30 seconds and woken right after
    a transaction that queued a message commits; any number of these may run at once. A
    sweep that filled its batch queues the next one at once, so a large send (a cohort's
    invitations) drains at the workers' speed instead of one batch per beat."""
    counts = send_due()
    if filled_its_batch(counts):
        send_due_messages.delay()
    return counts


def filled_its_batch(counts, batch_size=None):
    """Whether a sweep that returned `counts` handled a whole batch (so more may be due)."""
    handled = counts["sent"] + counts["retrying"] + counts["failed"] + counts["skipped"]
    return handled >= (batch_size or settings.OUTBOX_BATCH_SIZE)


def send_due(now=None, batch_size=None):
    """Send up to `batch_size` due messages, oldest due first. Safe to run in any number of
    processes at once: each message is sent by the one that claims it.

    Returns counts: sent, retrying, failed, skipped (claimed by another process first),
    recovered (stale claims put back to pending)."""
    now = now or timezone.now()
    batch_size = batch_size or settings.OUTBOX_BATCH_SIZE
    counts = {"sent": 0, "retrying": 0, "failed": 0, "skipped": 0, "recovered": 0}
    counts["recovered"] = release_stale_claims(now)

    connection = None
    try:
        for pk in _due_ids(now, batch_size):
            claimed = OutboxMessage.objects.filter(
                pk=pk, state=State.PENDING, due_at__lte=now
            ).update(state=State.SENDING, claimed_at=now, attempts=F("attempts") + 1)
            if claimed != 1:
                logger.info("outbox: message %s skipped, another process got there first", pk)
                counts["skipped"] += 1
                continue
            message = OutboxMessage.objects.get(pk=pk)
            try:
                if connection is None:
                    connection = get_connection()
                    connection.open()
                _build(message, connection).send()
            except Exception as exc:
                if connection is not None:
                    _close_quietly(connection)
                    connection = None
                outcome = _record_failure(message, exc, now)
                counts[outcome] += 1
                if isinstance(exc, SoftTimeLimitExceeded):
                    raise
            else:
                OutboxMessage.objects.filter(pk=pk, state=State.SENDING).update(
                    state=State.SENT, sent_at=timezone.now(), last_error=""
                )
                counts["sent"] += 1
                logger.info(
                    "outbox: sent message %s (%s, key %s), attempt %s",
                    pk,
                    message.kind,
                    message.key,
                    message.attempts,
                )
    finally:
        if connection is not None:
            _close_quietly(connection)
    if any(counts.values()):
        logger.info("outbox sweep: %s", counts)
    return counts


def _due_ids(now, batch_size):
    """The ids of the oldest due pending messages; claimed one by one afterwards."""
    return list(
        OutboxMessage.objects.filter(state=State.PENDING, due_at__lte=now)
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)[:batch_size]
    )


def backoff(attempts):
    """How long to wait before attempt number `attempts + 1`: 2, 4, 8, 16... minutes."""
    return timedelta(minutes=2**attempts)


def release_stale_claims(now=None):
    """Put messages stuck in SENDING (their process died) back to pending."""
    now = now or timezone.now()
    stale = OutboxMessage.objects.filter(
        state=State.SENDING, claimed_at__lt=now - STALE_CLAIM_AFTER
    )
    error = "Interrupted while sending (the sending process stopped)."
    # A message that keeps killing its sender must not come round for ever.
    given_up = stale.filter(attempts__gte=settings.OUTBOX_MAX_ATTEMPTS).update(
        state=State.FAILED, last_error=error
    )
    released = stale.update(state=State.PENDING, due_at=now, last_error=error)
    if released or given_up:
        logger.warning(
            "outbox: %s message(s) interrupted while sending queued again, %s failed",
            released,
            given_up,
        )
    return released


def retry(messages, now=None):
    """Send failed `messages` (a queryset) again: back to pending, due now, with a fresh
    count of attempts. Conditional on FAILED, so a double click retries once. Returns how
    many went back to pending; wakes the sweep after commit."""
    now = now or timezone.now()
    count = messages.filter(state=State.FAILED).update(
        state=State.PENDING, due_at=now, attempts=0, claimed_at=None
    )
    if count:
        _wake_sweep_on_commit()
    return count


def _build(message, connection):
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_email],
        connection=connection,
        headers={
            "Auto-Submitted": "auto-generated",
            # RFC 2369 and RFC 8058: mail programs offer an "Unsubscribe" button that
            # POSTs to the link; it turns this kind off (or, for a kind that cannot be
            # turned off, every optional kind).
            "List-Unsubscribe": f"<{preferences.unsubscribe_url(message.to_email, message.kind)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    return email


def _record_failure(message, exc, now):
    error = f"{type(exc).__name__}: {exc}"[:MAX_ERROR_LENGTH]
    if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        OutboxMessage.objects.filter(pk=message.pk, state=State.SENDING).update(
            state=State.FAILED, last_error=error
        )
        logger.error(
            "outbox: message %s (%s, key %s) failed for good after %s attempts: %s",
            message.pk,
            message.kind,
            message.key,
            message.attempts,
            error,
        )
        return "failed"
    retry_at = now + backoff(message.attempts)
    OutboxMessage.objects.filter(pk=message.pk, state=State.SENDING).update(
        state=State.PENDING, due_at=retry_at, last_error=error
    )
    logger.warning(
        "outbox: message %s (%s, key %s) attempt %s failed, retrying at %s: %s",
        message.pk,
        message.kind,
        message.key,
        message.attempts,
        retry_at.isoformat(),
        error,
    )
    return "retrying"


def _close_quietly(connection):
    try:
        connection.close()
    except Exception:
        logger.debug("outbox: closing the mail connection failed", exc_info=True)
