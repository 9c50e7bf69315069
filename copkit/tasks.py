"""Celery tasks of the core, found here by the worker's autodiscovery. Each task is defined
next to the service it runs; they take no objects, only what they need to re-fetch."""

from copkit.later import run_later_work
from copkit.outbox import send_due_messages

__all__ = ["run_later_work", "send_due_messages"]
