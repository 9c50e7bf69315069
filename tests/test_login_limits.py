"""The login rate limits with the deployment's own values on (the test settings turn them
off): the real allauth login view, the real cache. A limit that silently stopped working
would let a password be guessed at the speed of the network."""

import pytest
from django.test import Client
from django.urls import reverse

from copkit import settings as deployment

REFUSED = "Too many failed login attempts"
ATTACKER = "203.0.113.7"
SOMEONE_ELSE = "198.51.100.20"


@pytest.fixture
def real_limits(settings):
    assert deployment.ACCOUNT_RATE_LIMITS["login_failed"] == "10/m/ip,5/5m/key"
    settings.ACCOUNT_RATE_LIMITS = deployment.ACCOUNT_RATE_LIMITS


def log_in(email, password, ip):
    client = Client(REMOTE_ADDR=ip)
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    return client, response


def logged_in(client):
    return "_auth_user_id" in client.session


def test_the_eleventh_failed_login_in_a_minute_from_one_address_is_refused(world, real_limits):
    # Ten guesses, each at a different account (so the per-account limit never bites).
    for n in range(10):
        _, response = log_in(f"guess{n}@example.org", "wrong-password", ATTACKER)
        assert response.status_code == 200
        assert REFUSED not in response.content.decode(), f"guess {n + 1} was refused"

    # The eleventh is refused, even with the right password of a real account.
    client, response = log_in(world.staff.email, world.password, ATTACKER)
    assert REFUSED in response.content.decode()
    assert not logged_in(client)

    # The refusal came from the per-address limit: the same login from elsewhere works.
    client, response = log_in(world.staff.email, world.password, SOMEONE_ELSE)
    assert response.status_code == 302
    assert logged_in(client)


def test_the_sixth_failed_login_at_one_account_is_refused_from_any_address(world, real_limits):
    for n in range(5):
        _, response = log_in(world.leader.email, "wrong-password", f"192.0.2.{n + 1}")
        assert REFUSED not in response.content.decode(), f"guess {n + 1} was refused"

    client, response = log_in(world.leader.email, world.password, SOMEONE_ELSE)
    assert REFUSED in response.content.decode()
    assert not logged_in(client)

    # Another account from the same address is not held back.
    client, response = log_in(world.participant.email, world.password, SOMEONE_ELSE)
    assert response.status_code == 302
    assert logged_in(client)


def test_the_test_settings_turn_the_limits_off(world, settings):
    """Why the fixture above is needed: without it, twelve failures change nothing."""
    assert settings.ACCOUNT_RATE_LIMITS is False
    for _ in range(12):
        log_in(world.staff.email, "wrong-password", ATTACKER)
    client, response = log_in(world.staff.email, world.password, ATTACKER)
    assert response.status_code == 302
    assert logged_in(client)
