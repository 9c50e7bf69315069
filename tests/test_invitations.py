"""Invitations: inviting (service and staff views), resending, and accepting by link."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Invitation
from cohorts.services import invitations as services
from copkit import outbox
from copkit.models import OutboxMessage, User
from tests import factories

GOOD_PASSWORD = "lantern orchard 47 quietly"


@pytest.fixture
def newcomers(world):
    """Two participants of the cohort who have not been invited yet."""
    return [
        factories.ParticipantFactory(
            cohort=world.cohort,
            organization=world.organization,
            name="Nia Newcomer",
            email="nia@shelter.example",
        ),
        factories.ParticipantFactory(
            cohort=world.cohort,
            organization=world.organization,
            name="Omar Onboard",
            email="omar@shelter.example",
        ),
    ]


@pytest.fixture
def stranger(world):
    """A participant of the other cohort."""
    return factories.ParticipantFactory(
        cohort=world.other_cohort, name="Quinn Elsewhere", email="quinn@elsewhere.example"
    )


@pytest.fixture
def invitation(world, newcomers):
    """Nia's invitation, sent two hours ago."""
    return factories.InvitationFactory(
        participant=newcomers[0],
        invited_by=world.staff,
        last_sent_at=timezone.now() - timedelta(hours=2),
    )


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def invite_url(world):
    return reverse("cohorts:invite", kwargs={"cohort_slug": world.cohort.slug})


def resend_url(world, participant):
    return reverse(
        "cohorts:invitation-resend",
        kwargs={"cohort_slug": world.cohort.slug, "participant_id": participant.public_id},
    )


def list_url(world):
    return reverse("cohorts:participant-list", kwargs={"cohort_slug": world.cohort.slug})


# Service ------------------------------------------------------------------------------


def test_invite_creates_one_invitation_and_one_email_per_participant(world, newcomers, wake):
    counts = services.invite_participants(world.cohort, newcomers, world.staff)

    assert counts == {"invited": 2, "already_invited": 0, "already_joined": 0}
    invitations = Invitation.objects.filter(participant__in=newcomers)
    assert invitations.count() == 2
    expected = {}
    for inv in invitations:
        assert (inv.cohort, inv.invited_by, inv.send_count) == (world.cohort, world.staff, 1)
        assert inv.last_sent_at is not None
        expected[f"invitation:{inv.pk}:1"] = inv.participant.email
    rows = dict(OutboxMessage.objects.values_list("key", "to_email"))
    assert rows == expected
    assert set(OutboxMessage.objects.values_list("kind", flat=True)) == {"invitation"}


def test_inviting_again_sends_nothing(world, newcomers, wake):
    services.invite_participants(world.cohort, newcomers, world.staff)

    counts = services.invite_participants(
        world.cohort, [*newcomers, world.participant_participant], world.staff
    )

    assert counts == {"invited": 0, "already_invited": 2, "already_joined": 1}
    assert OutboxMessage.objects.count() == 2
    assert not Invitation.objects.filter(participant=world.participant_participant).exists()


def test_invite_ignores_participants_of_another_cohort(world, newcomers, stranger, wake):
    counts = services.invite_participants(world.cohort, [stranger, newcomers[0]], world.staff)

    assert counts["invited"] == 1
    assert not Invitation.objects.filter(participant=stranger).exists()
    assert OutboxMessage.objects.count() == 1


def test_resend_rotates_the_token_and_queues_a_second_email(world, invitation, wake):
    old_token, old_expiry = invitation.token, invitation.expires_at
    services._queue_email(invitation)  # the first send, as invite_participants made it

    services.resend_invitation(invitation, world.staff)

    invitation.refresh_from_db()
    assert invitation.token != old_token
    assert invitation.expires_at > old_expiry
    assert invitation.send_count == 2
    assert sorted(OutboxMessage.objects.values_list("key", flat=True)) == [
        f"invitation:{invitation.pk}:1",
        f"invitation:{invitation.pk}:2",
    ]
    second = OutboxMessage.objects.get(key=f"invitation:{invitation.pk}:2")
    assert invitation.token in second.body_text
    assert old_token not in second.body_text


def test_resend_a_moment_after_a_send_is_refused(world, invitation, wake):
    invitation.last_sent_at = timezone.now() - timedelta(seconds=5)
    invitation.save()

    with pytest.raises(services.InvitationError, match="less than a minute ago"):
        services.resend_invitation(invitation, world.staff)
    assert not OutboxMessage.objects.exists()

    invitation.last_sent_at = timezone.now() - timedelta(minutes=2)
    invitation.save()
    services.resend_invitation(invitation, world.staff)
    assert OutboxMessage.objects.count() == 1


def test_an_accepted_invitation_cannot_be_resent(world, invitation, wake):
    token = invitation.token
    services.accept_invitation(invitation, GOOD_PASSWORD, name="Nia")

    with pytest.raises(services.InvitationError, match="already joined"):
        services.resend_invitation(invitation, world.staff)

    invitation.refresh_from_db()
    assert (invitation.token, invitation.send_count) == (token, 1)
    assert not OutboxMessage.objects.exists()


def test_the_email_is_queued_after_commit_with_an_absolute_link(
    world, newcomers, wake, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://copkit.example.org"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.invite_participants(world.cohort, newcomers[:1], world.staff)
        assert wake.call_count == 0
    assert len(callbacks) == 1
    assert wake.call_count == 1

    outbox.send_due()
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    invitation = newcomers[0].invitation
    link = f"https://copkit.example.org/invite/{invitation.token}/"
    assert email.to == ["nia@shelter.example"]
    assert email.subject == "Sam Staff invites you to join Riverbend Capacity Cohort on copkit"
    assert link in email.body
    assert "communities of practice" in email.body
    assert timezone.localtime(invitation.expires_at).strftime("%B") in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{link}"' in html
    assert "Riverbend Capacity Cohort" in html


# Invite and resend views -------------------------------------------------------------


def test_staff_invite_chosen_participants(world, newcomers, client_for, wake):
    client = client_for("staff")
    response = client.post(
        invite_url(world) + "?status=not_invited",
        {"participants": [str(newcomers[0].public_id)]},
    )

    assert response.status_code == 302
    assert response["Location"] == list_url(world) + "?status=not_invited"
    assert Invitation.objects.filter(participant=newcomers[0]).exists()
    assert not Invitation.objects.filter(participant=newcomers[1]).exists()
    assert messages_of(response) == ["Invitation on its way to 1 participant."]


def test_staff_invite_everyone_not_yet_invited(world, newcomers, client_for, wake):
    factories.InvitationFactory(participant=newcomers[1])
    client = client_for("staff")

    response = client.post(invite_url(world), {"scope": "all_uninvited"})

    assert response.status_code == 302
    assert response["Location"] == list_url(world)
    assert OutboxMessage.objects.count() == 1  # Nia only: Omar invited, Lee and Pat joined
    assert OutboxMessage.objects.get().to_email == "nia@shelter.example"
    assert messages_of(response) == ["Invitation on its way to 1 participant."]


def test_double_click_on_invite_sends_one_email(world, newcomers, client_for, wake):
    client = client_for("staff")
    data = {"participants": [str(p.public_id) for p in newcomers]}

    client.post(invite_url(world), data)
    response = client.post(invite_url(world), data)

    assert OutboxMessage.objects.count() == 2
    assert messages_of(response)[-1] == (
        "Nobody new to invite. 2 were invited already (use Resend to send a new link)."
    )


def test_invite_with_nobody_chosen_is_refused(world, newcomers, client_for, wake):
    client = client_for("staff")

    response = client.post(invite_url(world), {})

    assert response.status_code == 302
    assert not Invitation.objects.filter(participant__in=newcomers).exists()
    assert messages_of(response) == [
        "Choose the participants to invite, or invite everyone not invited yet."
    ]
    response = client.post(invite_url(world), {"participants": [str(newcomers[0].public_id)]})
    assert Invitation.objects.filter(participant=newcomers[0]).exists()


@pytest.mark.parametrize("bad_id", ["stranger", "not-a-uuid"])
def test_invite_refuses_ids_not_of_this_cohort(
    world, newcomers, stranger, client_for, wake, bad_id
):
    client = client_for("staff")
    bad = str(stranger.public_id) if bad_id == "stranger" else bad_id

    response = client.post(invite_url(world), {"participants": [str(newcomers[0].public_id), bad]})

    assert response.status_code == 302
    assert not Invitation.objects.exists()  # nothing half-way: not even the valid one
    assert messages_of(response) == ["Some of the chosen participants are not in this cohort."]
    client.post(invite_url(world), {"participants": [str(newcomers[0].public_id)]})
    assert Invitation.objects.filter(participant=newcomers[0]).exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("observer", 403), ("leader", 403), ("participant", 403), ("outsider", 404)],
)
def test_only_staff_may_invite_or_resend(world, newcomers, invitation, client_for, persona, status):
    client = client_for(persona)
    data = {"participants": [str(newcomers[1].public_id)]}

    assert client.post(invite_url(world), data).status_code == status
    assert client.post(resend_url(world, newcomers[0])).status_code == status
    assert not Invitation.objects.filter(participant=newcomers[1]).exists()
    assert Invitation.objects.get(pk=invitation.pk).send_count == 1

    client.force_login(world.staff)
    assert client.post(invite_url(world), data).status_code == 302
    assert client.post(resend_url(world, newcomers[0])).status_code == 302
    assert Invitation.objects.filter(participant=newcomers[1]).exists()
    assert Invitation.objects.get(pk=invitation.pk).send_count == 2


def test_anonymous_is_sent_to_log_in_and_get_is_not_allowed(world, newcomers, client):
    response = client.post(invite_url(world), {"scope": "all_uninvited"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    client.force_login(world.staff)
    assert client.get(invite_url(world)).status_code == 405
    assert not Invitation.objects.exists()


def test_staff_resend(world, newcomers, invitation, client_for, wake):
    old_token = invitation.token
    client = client_for("staff")

    response = client.post(resend_url(world, newcomers[0]))

    assert response.status_code == 302
    assert response["Location"] == list_url(world)
    invitation.refresh_from_db()
    assert invitation.token != old_token
    assert OutboxMessage.objects.get().key == f"invitation:{invitation.pk}:2"
    assert messages_of(response) == [
        "A new invitation is on its way to Nia Newcomer (nia@shelter.example). "
        "The link in earlier invitations no longer works."
    ]
    # The old link is dead, the new one works.
    client.logout()
    assert client.get(f"/invite/{old_token}/").status_code == 404
    assert client.get(invitation.get_accept_url()).status_code == 200


def test_resend_without_an_invitation_or_after_joining_says_why(
    world, newcomers, invitation, client_for, wake
):
    client = client_for("staff")
    response = client.post(resend_url(world, newcomers[1]))
    assert messages_of(response) == ["Omar Onboard has not been invited yet: use Invite."]

    services.accept_invitation(invitation, GOOD_PASSWORD, name="Nia Newcomer")
    response = client.post(resend_url(world, newcomers[0]))
    assert messages_of(response)[-1] == (
        "Nia Newcomer has already joined; there is nothing to resend."
    )
    assert not OutboxMessage.objects.exists()


def test_invite_with_an_unknown_scope_is_refused(world, newcomers, client_for, wake):
    client = client_for("staff")
    response = client.post(invite_url(world), {"scope": "everyone-ever"})
    assert response.status_code == 302
    assert len(messages_of(response)) == 1
    assert not Invitation.objects.exists()
    client.post(invite_url(world), {"scope": "all_uninvited"})
    assert Invitation.objects.count() == 2


def test_resend_of_another_cohorts_participant_is_404(world, stranger, client_for, wake):
    factories.InvitationFactory(participant=stranger)
    client = client_for("staff")
    assert client.post(resend_url(world, stranger)).status_code == 404
    assert not OutboxMessage.objects.exists()


# Accepting ----------------------------------------------------------------------------


def test_the_invitation_page_shows_the_form(world, invitation, client):
    response = client.get(invitation.get_accept_url())

    assert response.status_code == 200
    content = response.content.decode()
    assert "Join Riverbend Capacity Cohort" in content
    assert "Sam Staff invited you" in content
    assert 'value="Nia Newcomer"' in content
    assert 'name="password1"' in content
    assert 'name="password2"' in content
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("password1", "password2", "field", "error"),
    [
        (GOOD_PASSWORD, GOOD_PASSWORD + "x", "password2", "The two passwords differ."),
        ("password", "password", "password2", "This password is too common."),
        ("shelter", "shelter", "password2", "This password is too short."),
        ("", "", "password1", "This field is required."),
    ],
)
def test_bad_passwords_are_refused_next_to_the_field(
    world, invitation, client, password1, password2, field, error
):
    url = invitation.get_accept_url()
    response = client.post(url, {"name": "Nia", "password1": password1, "password2": password2})

    assert response.status_code == 200
    assert any(message.startswith(error) for message in response.context["form"].errors[field])
    assert not User.objects.filter(email="nia@shelter.example").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert SESSION_KEY not in client.session

    response = client.post(
        url, {"name": "Nia", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )
    assert response.status_code == 302


def test_accepting_creates_the_account_and_logs_in(world, invitation, client):
    response = client.post(
        invitation.get_accept_url(),
        {"name": " Nia  N. ", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user = User.objects.get(email="nia@shelter.example")
    assert user.name == "Nia N."
    assert user.check_password(GOOD_PASSWORD)
    assert client.session[SESSION_KEY] == str(user.pk)
    participant = invitation.participant
    participant.refresh_from_db()
    invitation.refresh_from_db()
    assert participant.user == user
    assert participant.joined_at is not None
    assert invitation.accepted_at is not None
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == (user.email, True, True)
    assert messages_of(response) == [
        "Welcome to Riverbend Capacity Cohort! Start by completing your profile."
    ]
    home = client.get(reverse("home"))
    assert "Riverbend Capacity Cohort" in home.content.decode()


def test_a_used_link_is_refused(world, invitation, client):
    url = invitation.get_accept_url()
    data = {"name": "Nia", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    client.post(url, data)
    client.logout()

    response = client.get(url)
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert reverse("account_login") in response.content.decode()

    response = client.post(url, {**data, "password1": "another " + GOOD_PASSWORD})
    assert response.status_code == 410
    assert User.objects.get(email="nia@shelter.example").check_password(GOOD_PASSWORD)


def test_an_expired_link_is_refused(world, invitation, client):
    invitation.expires_at = timezone.now() - timedelta(minutes=1)
    invitation.save()
    url = invitation.get_accept_url()
    data = {"name": "Nia", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}

    response = client.get(url)
    assert response.status_code == 410
    assert "This invitation has expired" in response.content.decode()
    assert "TTA team" in response.content.decode()
    assert client.post(url, data).status_code == 410
    assert not User.objects.filter(email="nia@shelter.example").exists()

    invitation.expires_at = timezone.now() + timedelta(days=1)
    invitation.save()
    assert client.post(url, data).status_code == 302


def test_an_unknown_token_is_404(world, invitation, client):
    assert client.get("/invite/no-such-token/").status_code == 404
    assert client.post("/invite/no-such-token/", {}).status_code == 404


def test_a_person_with_an_account_logs_in_then_joins(world, client):
    """Oscar has an account (he is staff of another cohort): the link must not set his
    password; he logs in and accepts, and his account is linked."""
    participant = factories.ParticipantFactory(
        cohort=world.cohort, name="Oscar O.", email="Oscar@Elsewhere.example"
    )
    invitation = factories.InvitationFactory(participant=participant)
    url = invitation.get_accept_url()

    response = client.get(url)
    assert response.status_code == 302
    assert (
        response["Location"]
        == reverse("account_login") + f"?next=%2Finvite%2F{invitation.token}%2F"
    )
    login_redirect = response["Location"]
    response = client.post(
        url, {"name": "x", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )
    assert response["Location"] == login_redirect  # posting a password changes nothing
    assert not User.objects.get(pk=world.outsider.pk).check_password(GOOD_PASSWORD)
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None

    response = client.post(
        login_redirect, {"login": "oscar@elsewhere.example", "password": world.password}
    )
    assert response.status_code == 302
    assert response["Location"] == url  # back to the invitation after logging in
    response = client.get(url)
    assert response.status_code == 200
    assert "You are logged in as oscar@elsewhere.example" in response.content.decode()
    assert 'name="password1"' not in response.content.decode()

    response = client.post(url)
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.user == world.outsider
    assert EmailAddress.objects.get(user=world.outsider).verified
    assert User.objects.get(pk=world.outsider.pk).check_password(world.password)


def test_someone_logged_in_as_another_person_is_told_to_log_out(world, invitation, client_for):
    client = client_for("participant")
    url = invitation.get_accept_url()

    response = client.get(url)
    assert response.status_code == 200
    assert "Log out first" in response.content.decode()
    assert 'name="password1"' not in response.content.decode()
    response = client.post(url)
    assert "Log out first" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert invitation.participant.user is None

    client.logout()
    assert 'name="password1"' in client.get(url).content.decode()


def test_accept_service_refuses_a_used_invitation(world, invitation):
    services.accept_invitation(invitation, GOOD_PASSWORD, name="Nia")
    with pytest.raises(services.InvitationError, match="already been used"):
        services.accept_invitation(invitation, GOOD_PASSWORD, name="Nia again")
    assert User.objects.filter(email="nia@shelter.example").count() == 1


def test_the_email_to_someone_with_an_account_asks_them_to_log_in(world, wake):
    participant = factories.ParticipantFactory(
        cohort=world.cohort, name="Oscar O.", email="oscar@elsewhere.example"
    )
    newcomer = factories.ParticipantFactory(cohort=world.cohort, email="new@shelter.example")
    services.invite_participants(world.cohort, [participant, newcomer], world.staff)

    to_oscar = OutboxMessage.objects.get(to_email="oscar@elsewhere.example")
    to_newcomer = OutboxMessage.objects.get(to_email="new@shelter.example")
    assert "open this link and log in" in to_oscar.body_text
    assert "Log in and join" in to_oscar.body_html
    assert "choose a password" not in to_oscar.body_text
    assert "open this link and choose a password" in to_newcomer.body_text


def test_inviting_a_whole_roster_costs_the_same_queries_as_a_few(
    world, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cohorts.services.invitations import invite_participants
    from copkit.models import OutboxMessage

    def invite(n):
        people = [factories.ParticipantFactory(cohort=world.cohort) for _ in range(n)]
        with CaptureQueriesContext(connection) as queries:
            counts = invite_participants(world.cohort, people, world.staff)
        assert counts["invited"] == n
        return len(queries)

    few, many = invite(3), invite(50)
    assert many == few, (few, many)
    assert OutboxMessage.objects.filter(kind="invitation").count() == 53


def test_invite_selected_button_invites_the_ticked_participants(world, client_for):
    """The participant list's "Invite selected" button posts scope=selected."""
    ticked = [factories.ParticipantFactory(cohort=world.cohort) for _ in range(2)]
    untouched = factories.ParticipantFactory(cohort=world.cohort)
    response = client_for("staff").post(
        reverse("cohorts:invite", args=[world.cohort.slug]),
        {"scope": "selected", "participants": [p.public_id for p in ticked]},
    )
    assert response.status_code == 302
    assert Invitation.objects.filter(participant__in=ticked).count() == 2
    assert not Invitation.objects.filter(participant=untouched).exists()
