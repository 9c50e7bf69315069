"""The Celery app. Worker and beat both start from here: `celery -A copkit worker|beat`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "copkit.settings")

app = Celery("copkit")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
