"""Settings: strict environment parsing, a production mode that is safe, and the services
CI promises to test against."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.urls import reverse

from copkit.settings import env_bool, env_int

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    # A deployment's environment: the deployment settings named explicitly (pytest-django
    # exports the test settings to every child), and none of the test run's own switches (the
    # browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright, which check --deploy rightly
    # refuses).
    clean = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean["DJANGO_SETTINGS_MODULE"] = "copkit.settings"
    clean.update(env)
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION_ENV = {
    "COPKIT_PRODUCTION": "true",
    "DJANGO_SECRET_KEY": "k9$Qp2vX!m7Lr4Tz8Wc1Ny6Hb3Jd5Fg0Ks-Ua_Ee+Oi=Pl@Rq#St%Vw^Xy&Zz*A",
    "DJANGO_ALLOWED_HOSTS": "copkit.example.org",
}


def test_production_passes_check_deploy_with_no_warning():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": ""}
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
    # With the key, the same command starts.
    assert run_manage("check", **PRODUCTION_ENV).returncode == 0


def test_production_refuses_eager_celery_tasks():
    result = run_manage("check", **PRODUCTION_ENV, CELERY_TASK_ALWAYS_EAGER="true")
    assert result.returncode != 0
    assert "CELERY_TASK_ALWAYS_EAGER must be off" in result.stderr
    # Off, production starts; in development, eager mode is allowed for debugging.
    assert run_manage("check", **PRODUCTION_ENV, CELERY_TASK_ALWAYS_EAGER="false").returncode == 0
    assert run_manage("check", CELERY_TASK_ALWAYS_EAGER="true").returncode == 0


def test_tests_run_on_the_test_settings_they_name():
    assert settings.SETTINGS_MODULE == "copkit.settings_test"
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"


def test_a_process_started_by_a_test_is_not_in_test_mode():
    """Running under pytest no longer switches the settings: a server started by a test
    serves what its own DJANGO_SETTINGS_MODULE names."""
    probe = "from django.conf import settings; print(settings.EMAIL_BACKEND)"
    result = run_manage("shell", "--no-imports", "-c", probe, PYTEST_VERSION="8")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.mail.backends.filebased.EmailBackend"
    result = run_manage(
        "shell", "--no-imports", "-c", probe, DJANGO_SETTINGS_MODULE="copkit.settings_test"
    )
    assert result.stdout.strip() == "django.core.mail.backends.locmem.EmailBackend"


def test_development_check_deploy_does_warn():
    """The deploy check is not vacuous: without production mode it finds problems."""
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0


def test_booleans_are_parsed_strictly(monkeypatch):
    monkeypatch.setenv("COPKIT_FLAG", "Yes")
    assert env_bool("COPKIT_FLAG") is True
    monkeypatch.setenv("COPKIT_FLAG", "off")
    assert env_bool("COPKIT_FLAG", default=True) is False
    monkeypatch.setenv("COPKIT_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="must be true or false"):
        env_bool("COPKIT_FLAG")
    monkeypatch.setenv("COPKIT_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("COPKIT_NUMBER", 3)


def test_a_working_day_session():
    assert settings.SESSION_COOKIE_AGE == 9 * 60 * 60


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get(reverse("account_login"))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "<script>" not in response.content.decode()
    assert " style=" not in response.content.decode()


@pytest.mark.skipif(
    not env_bool("COPKIT_REQUIRE_SERVICES"), reason="only where CI promises PostgreSQL and Redis"
)
@pytest.mark.django_db
def test_ci_runs_against_real_postgresql_and_redis():
    assert connection.vendor == "postgresql"
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    cache.set("copkit-ci-probe", "here", 30)
    assert cache.get("copkit-ci-probe") == "here"
    assert "RedisCache" in settings.CACHES["default"]["BACKEND"]
