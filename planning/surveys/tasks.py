"""The surveys stage's background work. Survey reminders are a `copkit.later` sweep
(`surveys.survey_reminders`), run with every other kind of later work by the one beat task
`copkit.tasks.run_later_work`.

The old task name stays as an alias, so a message queued by an old beat still finds a task."""

from celery import shared_task

from planning.surveys.services import surveys


@shared_task(name="planning.tasks.send_survey_reminders", ignore_result=True)
def send_survey_reminders():
    """Run the survey reminder sweep once (an alias of its part of run_later_work)."""
    return surveys.queue_due_reminders()
