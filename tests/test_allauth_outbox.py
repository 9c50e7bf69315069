"""allauth's emails (password reset, email confirmation) go through the outbox like every
other email: queued in the request, sent by the sweep. A mail server that is down fails no
page, and a reset request answers the same whether the address has an account or not."""

import socket

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from copkit.models import OutboxMessage
from copkit.outbox import send_due

UNKNOWN = "nobody@nowhere.example"


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the block ends: nothing listens


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port()
    settings.EMAIL_TIMEOUT = 2


def request_reset(client, email):
    return client.post(reverse("account_reset_password"), {"email": email})


def test_with_smtp_down_a_reset_answers_the_same_for_known_and_unknown_addresses(
    world, client, smtp_down
):
    known = request_reset(client, world.participant.email)
    unknown = request_reset(client, UNKNOWN)

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("account_reset_password_done")
    # The known address's email waits in the outbox; the unknown one gets none.
    queued = OutboxMessage.objects.get(to_email=world.participant.email)
    assert queued.state == OutboxMessage.State.PENDING
    assert queued.kind == "account_password_reset_key"
    assert not OutboxMessage.objects.filter(to_email=UNKNOWN).exists()
    assert mail.outbox == []

    # The sweep meets the same mail server down: the message waits for a retry.
    assert send_due()["retrying"] == 1
    queued.refresh_from_db()
    assert queued.state == OutboxMessage.State.PENDING
    assert "Connection refused" in queued.last_error or "Errno" in queued.last_error


def test_the_reset_email_arrives_by_the_sweep_and_its_link_sets_the_password(world, client):
    response = request_reset(client, world.participant.email)
    assert response.status_code == 302
    assert mail.outbox == []  # nothing sent inside the request

    assert send_due()["sent"] == 1
    (email,) = mail.outbox
    assert email.to == [world.participant.email]
    assert email.subject.startswith("[copkit] ")
    assert "Password Reset" in email.subject
    html = {kind: body for body, kind in email.alternatives}["text/html"]
    link = next(line for line in email.body.splitlines() if "/accounts/password/reset/key/" in line)
    assert f'href="{link.strip()}"' in html
    assert "<!doctype html>" in html  # copkit's email layout

    path = link[link.index("/accounts/") :].strip()
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else path
    response = client.post(
        form_url, {"password1": "a long river 2028", "password2": "a long river 2028"}
    )
    assert response.status_code == 302
    world.participant.refresh_from_db()
    assert world.participant.check_password("a long river 2028")


def test_an_email_confirmation_is_queued_too(world, client_for, smtp_down):
    EmailAddress.objects.update_or_create(
        user=world.participant,
        email=world.participant.email,
        defaults={"verified": False, "primary": True},
    )
    client = client_for("participant")

    response = client.post(
        reverse("account_email"), {"action_send": "", "email": world.participant.email}
    )

    assert response.status_code == 302
    queued = OutboxMessage.objects.get(to_email=world.participant.email)
    assert queued.kind.startswith("account_email_confirmation")
    assert "/accounts/confirm-email/" in queued.body_text
