"""Invitations: a participant gets a link by email, sets a password, and lands in the cohort.

Each email goes through the outbox under the key `invitation:<id>:<send number>`, so the
same send can never be queued twice: a double click on "Invite" finds the invitation made
by the first click and sends nothing; only a deliberate `resend_invitation` makes a new
send number (and a new link).

Accepting, for a person who has no copkit account yet, creates the account with the
password they choose. A person who has an account already (same email) must log in first
and then accept: the link proves they read that mailbox, but it must not let anyone who
holds it replace the password of an existing account. Someone with an account but no
password yet (a team member who never chose one) uses "Forgot password" on the login page,
which proves the same thing and keeps one way of setting a password.
"""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import Invitation, Participant, default_expiry, new_token
from copkit import outbox
from copkit.errors import ServiceError

from .activity import record

RESEND_COOLDOWN = timedelta(seconds=60)


class InvitationError(ServiceError):
    """An invitation action refused for a reason the person can act on (the message)."""


class AccountExists(InvitationError):
    """The invited email has an account already: its owner must log in to accept."""


def invite_participants(cohort, participants, actor):
    """Invite each of `participants` (of `cohort`) who has neither joined nor been invited.

    The participants' rows are locked first, so that two requests inviting the same people
    at once (a double click, two colleagues) invite each person once. A few queries however
    many people: inviting a whole roster is one click.

    Returns counts: {"invited": n, "already_invited": n, "already_joined": n}."""
    counts = {"invited": 0, "already_invited": 0, "already_joined": 0}
    ids = {participant.pk for participant in participants}
    with transaction.atomic():
        rows = list(
            Participant.objects.select_for_update().filter(cohort=cohort, pk__in=ids).order_by("pk")
        )
        # Read after the lock is held: what a concurrent request committed is seen here.
        invited = set(
            Invitation.objects.filter(participant__in=rows).values_list("participant_id", flat=True)
        )
        fresh = []
        for participant in rows:
            if participant.user_id is not None:
                counts["already_joined"] += 1
            elif participant.pk in invited:
                counts["already_invited"] += 1
            else:
                fresh.append(participant)
        if not fresh:
            return counts
        now = timezone.now()
        invitations = Invitation.objects.bulk_create(
            [
                Invitation(
                    cohort=cohort,
                    participant=participant,
                    invited_by=actor,
                    send_count=1,
                    last_sent_at=now,
                )
                for participant in fresh
            ],
            batch_size=500,
        )
        User = get_user_model()
        with_account = set(
            User.objects.filter(email__in=[p.email.lower() for p in fresh]).values_list(
                "email", flat=True
            )
        )
        outbox.enqueue_many(
            [
                _email(invitation, has_account=invitation.participant.email.lower() in with_account)
                for invitation in invitations
            ]
        )
        counts["invited"] = len(invitations)
        record(cohort, actor, "invited participants", "", count=counts["invited"])
    return counts


def resend_invitation(invitation, actor):
    """Send the invitation again with a new link (the old one stops working) and a new
    expiry. Refused within RESEND_COOLDOWN of the last send, so that a double click (or two
    colleagues at once) does not send two emails whose first link is already dead."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("participant", "cohort")
            .get(pk=invitation.pk)
        )
        participant = invitation.participant
        if invitation.accepted_at is not None or participant.user_id is not None:
            raise InvitationError(
                _("%(name)s has already joined; there is nothing to resend.")
                % {"name": participant.name}
            )
        now = timezone.now()
        if invitation.last_sent_at and now - invitation.last_sent_at < RESEND_COOLDOWN:
            raise InvitationError(
                _(
                    "An invitation went to %(name)s less than a minute ago; it was not sent "
                    "again. Wait a moment if you really mean to send another."
                )
                % {"name": participant.name}
            )
        invitation.token = new_token()
        invitation.expires_at = default_expiry()
        invitation.send_count += 1
        invitation.last_sent_at = now
        invitation.invited_by = actor
        invitation.save(
            update_fields=[
                "token",
                "expires_at",
                "send_count",
                "last_sent_at",
                "invited_by",
                "updated_at",
            ]
        )
        _queue_email(invitation)
        record(
            invitation.cohort,
            actor,
            "resent invitation",
            participant,
            send_count=invitation.send_count,
        )
    return invitation


def _email(invitation, has_account):
    """The outbox message (as `outbox.enqueue` arguments) for this send of `invitation`."""
    participant = invitation.participant
    inviter = invitation.invited_by
    context = {
        "invitation": invitation,
        "participant": participant,
        "cohort": invitation.cohort,
        "inviter": inviter.get_full_name() if inviter else _("Your TTA team"),
        "accept_url": settings.SITE_URL + invitation.get_accept_url(),
        "expires_at": invitation.expires_at,
        "has_account": has_account,
    }
    return {
        "key": f"invitation:{invitation.pk}:{invitation.send_count}",
        "kind": "invitation",
        "to_email": participant.email,
        "template": "invitation",
        "context": context,
    }


def _queue_email(invitation):
    return outbox.enqueue(**_email(invitation, has_account=account_exists_for(invitation)))


def check_usable(invitation):
    """Raise InvitationError if the link can no longer be used."""
    if invitation.accepted_at is not None or invitation.participant.user_id is not None:
        raise InvitationError(_("This invitation has already been used."))
    if invitation.is_expired:
        raise InvitationError(_("This invitation has expired."))


def account_exists_for(invitation):
    User = get_user_model()
    return User.objects.filter(email__iexact=invitation.participant.email).exists()


def accept_invitation(invitation, password=None, name=None, *, user=None):
    """Accept `invitation` and return the user now linked to the participant.

    Without `user`: create an account with `password` (and `name`); refused with
    AccountExists if the email has an account already. With `user` (the person logged in):
    link that account, if its email is the invitation's."""
    User = get_user_model()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("participant", "cohort")
            .get(pk=invitation.pk)
        )
        check_usable(invitation)
        participant = invitation.participant
        email = participant.email.strip().lower()
        name = " ".join((name or "").split())
        if user is None:
            if User.objects.filter(email__iexact=email).exists():
                raise AccountExists(
                    _("You already have a copkit account with this email: log in to accept.")
                )
            if not password:
                raise InvitationError(_("Choose a password."))
            user = User.objects.create_user(email=email, password=password, name=name)
        else:
            if user.email.strip().lower() != email:
                raise InvitationError(
                    _("This invitation is for %(email)s; you are logged in as someone else.")
                    % {"email": participant.email}
                )
            if not user.name:
                user.name = name or participant.name
                user.save(update_fields=["name"])
        if participant.cohort.participants.filter(user=user).exists():
            raise InvitationError(_("Your account is already part of this cohort."))
        now = timezone.now()
        participant.user = user
        participant.joined_at = now
        update = ["user", "joined_at", "updated_at"]
        if name:
            participant.name = name
            update.append("name")
        participant.save(update_fields=update)
        invitation.accepted_at = now
        invitation.save(update_fields=["accepted_at", "updated_at"])
        _mark_email_verified(user)
        record(invitation.cohort, user, "accepted invitation", participant)
    return user


def _mark_email_verified(user):
    """The link reached this mailbox: the address is verified, and it is the primary one."""
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    EmailAddress.objects.filter(user=user, primary=True).exclude(
        pk=address.pk if address else None
    ).update(primary=False)
    if address is None:
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    elif not (address.verified and address.primary):
        address.verified = True
        address.primary = True
        address.save(update_fields=["verified", "primary"])


def usable_invitations(cohort, participants, actor):
    """A usable invitation for each of `participants` (of `cohort`) who has not joined, for
    another email to carry its link (nothing is sent here): the one they have while it is
    unused and unexpired, otherwise a new one, or the old one with a new link and expiry.
    Counted as a send. Returns {participant id: invitation}; call it inside the write's
    transaction."""
    waiting = [p for p in participants if p.user_id is None]
    if not waiting:
        return {}
    now = timezone.now()
    existing = {
        invitation.participant_id: invitation
        for invitation in Invitation.objects.select_for_update()
        .filter(cohort=cohort, participant__in=waiting)
        .select_related("participant")
    }
    fresh, renewed = [], []
    for participant in waiting:
        invitation = existing.get(participant.pk)
        if invitation is None:
            fresh.append(Invitation(cohort=cohort, participant=participant, invited_by=actor))
            continue
        if invitation.accepted_at is not None or invitation.is_expired:
            invitation.token = new_token()
            invitation.expires_at = default_expiry()
            invitation.accepted_at = None
            invitation.invited_by = actor
        invitation.send_count += 1
        invitation.last_sent_at = now
        renewed.append(invitation)
    for invitation in fresh:
        invitation.send_count = 1
        invitation.last_sent_at = now
    Invitation.objects.bulk_create(fresh, batch_size=500)
    Invitation.objects.bulk_update(
        renewed,
        ["token", "expires_at", "accepted_at", "invited_by", "send_count", "last_sent_at"],
        batch_size=500,
    )
    return {invitation.participant_id: invitation for invitation in [*fresh, *renewed]}
