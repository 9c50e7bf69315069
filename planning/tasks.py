"""Celery tasks of the planning app. They take no objects, only what they re-fetch."""

from celery import shared_task

from planning.services import meeting_reminders, surveys


@shared_task(name="planning.tasks.send_survey_reminders", ignore_result=True)
def send_survey_reminders():
    """Queue the survey reminders that are due (the outbox sends them). Run by the beat;
    any number of these may run at once: each reminder is claimed by one of them."""
    return surveys.queue_due_reminders()


@shared_task(name="planning.tasks.send_meeting_reminders", ignore_result=True)
def send_meeting_reminders():
    """Queue the meeting reminders that are due (the outbox sends them). Run by the beat;
    each meeting is claimed by one sweep, however many run at once."""
    return meeting_reminders.queue_due_reminders()
