"""The cohort's emails, as staff see them on its Emails page: what the outbox holds for the
cohort, and sending failed ones again."""

from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, Value, When

from cohorts.services.activity import record
from copkit import outbox
from copkit.models import OutboxMessage

State = OutboxMessage.State

# Failed first (they need someone), then what is still to go, then the rest; newest first.
_PROBLEMS_FIRST = Case(
    When(state=State.FAILED, then=Value(0)),
    When(state=State.DIGESTED, digest__state=State.FAILED, then=Value(0)),
    When(state=State.PENDING, attempts__gt=0, then=Value(1)),
    When(state__in=[State.PENDING, State.SENDING, State.HELD], then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def _failed(cohort):
    """The cohort's failed messages, and the failed digests that gathered any of its
    messages (a digest belongs to no cohort: it may gather several cohorts' emails)."""
    return OutboxMessage.objects.filter(state=State.FAILED).filter(
        Q(cohort_ref=cohort.pk) | Q(gathered__cohort_ref=cohort.pk)
    )


def failed_count(cohort):
    return _failed(cohort).values("pk").distinct().count()


def messages_of(cohort, *, state="", kind=""):
    """The cohort's messages, failed first (a message whose digest failed with them), then
    retrying, waiting, and the rest. Each carries its digest's state."""
    messages = OutboxMessage.objects.filter(cohort_ref=cohort.pk).select_related("digest")
    if state:
        messages = messages.filter(state=state)
    if kind:
        messages = messages.filter(kind=kind)
    return messages.annotate(rank=_PROBLEMS_FIRST).order_by("rank", "-created_at", "-pk")


def counts_of(cohort):
    """{state: number of the cohort's messages in it}, in one query."""
    rows = (
        OutboxMessage.objects.filter(cohort_ref=cohort.pk)
        .order_by()
        .values("state")
        .annotate(n=Count("pk"))
    )
    return {row["state"]: row["n"] for row in rows}


@transaction.atomic
def retry_failed(cohort, *, actor, message_id=None):
    """Send the cohort's failed messages again: one (by `message_id`) or all of them.
    Returns how many go again."""
    ids = set(_failed(cohort).values_list("pk", flat=True))
    if message_id is not None:
        ids &= {message_id}
    count = outbox.retry(OutboxMessage.objects.filter(pk__in=ids))
    if count:
        record(cohort, actor, "retried emails", "", count=count)
    return count
