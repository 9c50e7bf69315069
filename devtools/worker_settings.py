"""Settings for worker and beat processes that the outbox bench and the reliability tests
start: copkit's own settings, email into the local sink (devtools.mailsink), and, with
COPKIT_CELERY_QUEUE, a queue of their own on the broker so that nothing else consumes
their tasks."""

import os

from copkit.settings import *  # noqa: F403

EMAIL_BACKEND = "devtools.mailsink.SinkBackend"
if os.environ.get("COPKIT_CELERY_QUEUE"):
    CELERY_TASK_DEFAULT_QUEUE = os.environ["COPKIT_CELERY_QUEUE"]
