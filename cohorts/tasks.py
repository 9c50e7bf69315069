"""Celery tasks of the cohorts app. They take no objects, only what they re-fetch."""

from celery import shared_task

from cohorts.services import formation, formation_rounds


@shared_task(name="cohorts.tasks.run_formation_round", ignore_result=True, soft_time_limit=120)
def run_formation_round(round_pk, actor_pk=None, run_token=None):
    """Form the groups of a large round in the background (the review page shows progress).
    The run is claimed by its token, so a task delivered twice adds one proposal."""
    return formation.run_in_background(round_pk, actor_pk=actor_pk, run_token=run_token)


@shared_task(name="cohorts.tasks.send_formation_reminders", ignore_result=True)
def send_formation_reminders():
    """Queue reminders to people who have not answered a round whose deadline is near (the
    outbox sends them). Run by the beat; each reminder is claimed by one sweep."""
    return formation_rounds.queue_due_reminders()
