"""Behind a reverse proxy: COPKIT_TRUSTED_PROXY_COUNT says how many proxies stand in front,
and the login rate limit then counts each client's own address from X-Forwarded-For instead
of the one address of the proxy."""

import pytest
from django.test import Client
from django.urls import reverse

from copkit import settings as deployment
from tests.test_settings import PRODUCTION_ENV, run_manage

PROXY = "10.0.0.2"
ATTACKER = "203.0.113.7"
SOMEONE_ELSE = "198.51.100.20"
REFUSED = "Too many failed login attempts"


@pytest.fixture
def real_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = deployment.ACCOUNT_RATE_LIMITS


def log_in_through_proxy(email, password, client_address):
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address)
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    return client, response


def ten_failures_from_the_attacker():
    for n in range(10):
        _, response = log_in_through_proxy(f"guess{n}@example.org", "wrong", ATTACKER)
        assert REFUSED not in response.content.decode(), f"guess {n + 1} was refused"


def test_with_one_trusted_proxy_two_clients_are_limited_separately(world, real_limits, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    ten_failures_from_the_attacker()

    client, response = log_in_through_proxy(world.staff.email, world.password, ATTACKER)
    assert REFUSED in response.content.decode()
    assert "_auth_user_id" not in client.session

    # Another client behind the same proxy is not the attacker.
    client, response = log_in_through_proxy(world.staff.email, world.password, SOMEONE_ELSE)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_without_a_trusted_proxy_the_proxy_address_is_everyone(world, real_limits, settings):
    """Why the setting matters: with the default 0, X-Forwarded-For is not believed, every
    request counts against the proxy's address, and the attacker locks everyone out."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    ten_failures_from_the_attacker()

    _, response = log_in_through_proxy(world.staff.email, world.password, SOMEONE_ELSE)
    assert REFUSED in response.content.decode()


def test_the_count_comes_from_the_environment():
    show = "from django.conf import settings; print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)"
    assert deployment.ALLAUTH_TRUSTED_PROXY_COUNT == 0  # the default: trust no header
    result = run_manage(
        "shell", "-v", "0", "-c", show, **PRODUCTION_ENV, COPKIT_TRUSTED_PROXY_COUNT="1"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1"
    refused = run_manage("check", **PRODUCTION_ENV, COPKIT_TRUSTED_PROXY_COUNT="-1")
    assert refused.returncode != 0
    assert "COPKIT_TRUSTED_PROXY_COUNT must be 0 or more" in refused.stderr
