"""The surveys stage's background work. The task keeps its name from before the stages had
packages, so a message already queued or a beat entry still finds it."""

from celery import shared_task

from planning.surveys.services import surveys


@shared_task(name="planning.tasks.send_survey_reminders", ignore_result=True)
def send_survey_reminders():
    """Queue the survey reminders that are due (the outbox sends them). Run by the beat;
    any number of these may run at once: each reminder is claimed by one of them."""
    return surveys.queue_due_reminders()
