"""The meetings stage's background work. The task keeps its name from before the stages had
packages, so a message already queued or a beat entry still finds it."""

from celery import shared_task

from planning.meetings.services import reminders


@shared_task(name="planning.tasks.send_meeting_reminders", ignore_result=True)
def send_meeting_reminders():
    """Queue the meeting reminders that are due (the outbox sends them). Run by the beat;
    each meeting is claimed by one sweep, however many run at once."""
    return reminders.queue_due_reminders()
