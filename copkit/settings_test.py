"""Settings for the test suite, named in pyproject.toml's pytest options.

The deployment settings with the values only tests want: fast password hashing, mail kept in
memory, an in-memory broker and cache unless CI gives Redis, and no login rate limits (the
test that checks those limits turns them back on). A process that a test starts gets the
settings module it needs from its own environment, never by guessing that it runs in a test.
"""

from copkit.settings import *  # noqa: F403
from copkit.settings import CACHES, REDIS_URL

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if REDIS_URL:
    CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": "copkit-test"}}
else:
    CELERY_BROKER_URL = "memory://"
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ACCOUNT_RATE_LIMITS = False
