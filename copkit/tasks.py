"""Celery tasks. They take no objects, only what they need to re-fetch from the database."""

from celery import shared_task

from copkit import outbox


@shared_task(name="copkit.tasks.send_due_messages", ignore_result=True)
def send_due_messages():
    """Send the outbox's due messages. Run by the beat every 30 seconds and woken right after
    a transaction that queued a message commits; any number of these may run at once."""
    return outbox.send_due()
