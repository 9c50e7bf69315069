"""Celery tasks of the planning app, for autodiscovery: each is defined in its stage's
`tasks.py`, next to its service, and keeps its name ("planning.tasks....")."""

from planning.meetings.tasks import send_meeting_reminders
from planning.sunset.archive.build import build_archive
from planning.surveys.tasks import send_survey_reminders

__all__ = ["build_archive", "send_meeting_reminders", "send_survey_reminders"]
