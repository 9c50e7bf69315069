"""The meetings stage's background work. Meeting reminders are a `copkit.later` sweep
(`reminders.meeting_reminders`), run with every other kind of later work by the one beat
task `copkit.tasks.run_later_work`.

The old task name stays as an alias, so a message queued by an old beat still finds a task."""

from celery import shared_task

from planning.meetings.services import reminders


@shared_task(name="planning.tasks.send_meeting_reminders", ignore_result=True)
def send_meeting_reminders():
    """Run the meeting reminder sweep once (an alias of its part of run_later_work)."""
    return reminders.queue_due_reminders()
