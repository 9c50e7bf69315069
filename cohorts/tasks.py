"""Celery tasks of the cohorts app, found here by autodiscovery. Each is defined next to its
service (no import cycle): forming runs in cohorts.formation.services.runs, the reminder sweep
in cohorts.formation.services.reminders. Their names stay `cohorts.tasks.<name>`."""

from cohorts.formation.services.reminders import send_formation_reminders
from cohorts.formation.services.runs import run_formation_round

__all__ = ["run_formation_round", "send_formation_reminders"]
