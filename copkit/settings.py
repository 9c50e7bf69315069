"""copkit settings: one module, configured from the environment.

Every variable is listed in README.md and .env.example. Development is the default; set
COPKIT_PRODUCTION=true for a deployment, which refuses to start without a secret key and
turns on every transport and cookie protection that `manage.py check --deploy` asks for.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("COPKIT_VAR_DIR", BASE_DIR / "var"))

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name, default=False):
    """Parse a boolean strictly: a typo is an error, not a silent False."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = env_bool("COPKIT_PRODUCTION")
DEBUG = env_bool("DJANGO_DEBUG") and not PRODUCTION

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when COPKIT_PRODUCTION=true")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# The base of absolute links (emails, seed_demo's login link): COPKIT_SITE_URL, else the local
# server on PORT, the port `make run` serves on.
SITE_URL = (
    os.environ.get("COPKIT_SITE_URL") or f"http://localhost:{env_int('PORT', 8000)}"
).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    "template_partials",
    "copkit",
    "cohorts",
    "planning",
    "devtools",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "copkit.http.RefuseNulInQueryMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Refuses every write to a closed cohort (after the session and user are known).
    "copkit.hub.closing.ClosedCohortMiddleware",
]

ROOT_URLCONF = "copkit.urls"
WSGI_APPLICATION = "copkit.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
            "builtins": ["django.templatetags.i18n"],
        },
    },
]

# Database: SQLite for the one-command local run, PostgreSQL when DATABASE_URL is set.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'copkit.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60 if PRODUCTION else 0),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, otherwise the database (a real, shared cache, so that
# allauth's rate limits hold across processes). Tests use local memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "copkit",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "copkit_cache",
        }
    }

AUTH_USER_MODEL = "copkit.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# allauth: log in by email; accounts come from invitations, so open sign-up is closed.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory" if PRODUCTION else "optional"
ACCOUNT_ADAPTER = "copkit.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "copkit.forms.LoginForm"}
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # no sign-up page to point strangers to
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[copkit] "
# Behind a reverse proxy every request comes from the proxy's address, so ten failed logins
# from anyone would block everyone: give the number of proxies in front of copkit, and the
# rate limits (allauth's and the live poll's) count the client's address from
# X-Forwarded-For. 0 trusts no X-Forwarded-For, which a client can forge.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("COPKIT_TRUSTED_PROXY_COUNT", 0)
if ALLAUTH_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("COPKIT_TRUSTED_PROXY_COUNT must be 0 or more")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("COPKIT_TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("COPKIT_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = not PRODUCTION
# Uploaded files (the COP workspace's): on local disk under var/uploads by default, never
# served from a public URL (only through the workspace's download view, which checks access).
# Set COPKIT_S3_BUCKET (with the optional `s3` extra installed) to keep them in S3-compatible
# storage instead; the other COPKIT_S3_* variables name the endpoint, region and keys.
MEDIA_ROOT = Path(os.environ.get("COPKIT_MEDIA_ROOT") or VAR_DIR / "uploads")
S3_BUCKET = os.environ.get("COPKIT_S3_BUCKET", "")
if S3_BUCKET:
    DEFAULT_FILE_STORAGE_SETTINGS = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("COPKIT_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("COPKIT_S3_REGION") or None,
            "access_key": os.environ.get("COPKIT_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("COPKIT_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("COPKIT_S3_PREFIX", "copkit"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    DEFAULT_FILE_STORAGE_SETTINGS = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": None},
    }
STORAGES = {
    "default": DEFAULT_FILE_STORAGE_SETTINGS,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Uploads: rosters are read in memory and never kept; a roster past this size is refused.
ROSTER_MAX_BYTES = env_int("COPKIT_ROSTER_MAX_BYTES", 2 * 1024 * 1024)
ROSTER_MAX_ROWS = env_int("COPKIT_ROSTER_MAX_ROWS", 5000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

INVITATION_VALID_DAYS = env_int("COPKIT_INVITATION_VALID_DAYS", 14)

# The COP workspace: the largest file a member may upload, how long an announcement stays on
# the members' home pages, and how long the reply link in a discussion email works.
WORKSPACE_MAX_UPLOAD_BYTES = env_int("COPKIT_WORKSPACE_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
WORKSPACE_ANNOUNCEMENT_DAYS = env_int("COPKIT_WORKSPACE_ANNOUNCEMENT_DAYS", 14)
WORKSPACE_REPLY_LINK_DAYS = env_int("COPKIT_WORKSPACE_REPLY_LINK_DAYS", 60)

# Email: console in development, SMTP when EMAIL_URL-style settings are given.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or "copkit <copkit@localhost>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = 20

# Celery: Redis when REDIS_URL is set; otherwise kombu's filesystem transport, so that the
# local run needs no server. Work that must happen later is an outbox row, never a countdown.
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Eager tasks run in the web request and hide tasks queued before commit: debugging only.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER")
if CELERY_TASK_ALWAYS_EAGER and PRODUCTION:
    raise ImproperlyConfigured("CELERY_TASK_ALWAYS_EAGER must be off when COPKIT_PRODUCTION=true")
CELERY_BEAT_SCHEDULE = {
    "send-due-messages": {
        "task": "copkit.tasks.send_due_messages",
        "schedule": timedelta(seconds=env_int("COPKIT_OUTBOX_SWEEP_SECONDS", 30)),
    },
    # Every kind of later work registered with copkit.later: survey, formation and meeting
    # reminders, and what comes next (check-in prompts, digests). The old per-sweep tasks
    # (planning.tasks.send_survey_reminders, ...) stay as aliases for messages already queued.
    "run-later-work": {
        "task": "copkit.tasks.run_later_work",
        "schedule": timedelta(seconds=env_int("COPKIT_LATER_SWEEP_SECONDS", 60)),
    },
}
OUTBOX_BATCH_SIZE = env_int("COPKIT_OUTBOX_BATCH_SIZE", 100)
OUTBOX_MAX_ATTEMPTS = 5

# Content Security Policy: enforced everywhere, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Sessions end after a working day.
SESSION_COOKIE_AGE = env_int("COPKIT_SESSION_SECONDS", 9 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"one_line_403": {"()": "copkit.logfilters.OneLineForbidden"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("COPKIT_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # A 403 is one line, not a traceback (copkit.logfilters).
        "django.request": {"filters": ["one_line_403"]},
    },
}
