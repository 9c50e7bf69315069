"""Settings for the test suite, named in pyproject.toml's pytest options.

The deployment settings with the values only tests want: fast password hashing, mail kept in
memory, an in-memory broker and cache unless CI gives Redis, no login rate limits (the test
that checks those limits turns them back on), and no waiting for PostgreSQL's disk flush.
A process that a test starts gets the settings module it needs from its own environment,
never by guessing that it runs in a test.
"""

import tempfile

from copkit.settings import *  # noqa: F403
from copkit.settings import CACHES, DATABASES, REDIS_URL

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if REDIS_URL:
    CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": "copkit-test"}}
else:
    CELERY_BROKER_URL = "memory://"
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ACCOUNT_RATE_LIMITS = False

# A test database need not survive a crash of its server: on PostgreSQL, commits (and the
# TRUNCATE that empties the database after every live-server test) do not wait for the WAL to
# reach the disk. About a third off the browser tests' time on this machine.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"

# Uploaded files go to a directory of this test run, never to var/ of the checkout.
STORAGES = {
    **STORAGES,  # noqa: F405
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tempfile.mkdtemp(prefix="copkit-test-uploads-"), "base_url": None},
    },
}
