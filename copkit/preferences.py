"""Each person's choices about copkit's emails, and the links that change them.

A person is an email address here: many recipients (participants answering through a link)
have no account. `EmailSettings` holds the address's language and time zone, and its
`EmailPreference` rows say how it gets each optional kind (copkit.kinds): at once, in the
daily or the weekly digest (copkit.digests), or not at all. A kind nobody declared, or one
declared not optional (a personal link someone must act on), always goes at once.

The outbox asks `plan_for(addresses)` when it queues: one or two queries for any number
of recipients, and no caller changes its `enqueue` call. A message held for a digest is
rendered and stored like any other (state HELD); the digest sweep gathers it, so it is never
sent on its own as well.

Every email carries a link to the settings page that works without a password: the address,
signed with the site's secret (`settings_url`), and a one-click unsubscribe link for its kind
(`unsubscribe_url`, also in the List-Unsubscribe header).
"""

import zoneinfo
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from copkit import kinds
from copkit.models import Delivery, EmailPreference, EmailSettings, OutboxMessage

SALT = "copkit.email-settings"
State = OutboxMessage.State


def normalize(address):
    return (address or "").strip().lower()


# -- links -----------------------------------------------------------------------------------


def token_for(address):
    """The token of `address`'s settings link; it does not expire (old emails keep working)."""
    return signing.dumps(normalize(address), salt=SALT, compress=True)


def address_from(token):
    """The address a token was made for, or None when it was not made by this site."""
    try:
        address = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return address if isinstance(address, str) and "@" in address else None


def settings_url(address):
    return settings.SITE_URL + reverse("email-settings", args=[token_for(address)])


def unsubscribe_url(address, kind):
    return settings.SITE_URL + reverse("email-unsubscribe", args=[token_for(address), kind])


# -- what applies to a recipient -------------------------------------------------------------


@dataclass
class Plan:
    """What the outbox needs to know of one address when it queues for it."""

    language: str = ""
    time_zone: str = ""
    deliveries: dict = field(default_factory=dict)  # kind -> Delivery

    def delivery(self, kind_name):
        kind = kinds.get(kind_name)
        if kind is None or not kind.optional:
            return Delivery.NOW
        return self.deliveries.get(kind_name, Delivery.NOW)


def plan_for(addresses):
    """{address: Plan} for the given addresses (normalized), in two queries whatever their
    number; an address with no settings gets the defaults."""
    wanted = {normalize(address) for address in addresses}
    plans = {address: Plan() for address in wanted}
    rows = EmailSettings.objects.filter(email__in=wanted)
    by_pk = {}
    for row in rows:
        plans[row.email] = by_pk[row.pk] = Plan(language=row.language, time_zone=row.time_zone)
    if by_pk:
        for settings_id, kind, delivery in EmailPreference.objects.filter(
            settings_id__in=by_pk
        ).values_list("settings_id", "kind", "delivery"):
            by_pk[settings_id].deliveries[kind] = delivery
    return plans


def state_for(delivery):
    """The state a message queued with `delivery` starts in."""
    if delivery == Delivery.OFF:
        return State.SKIPPED
    if delivery in (Delivery.DAILY, Delivery.WEEKLY):
        return State.HELD
    return State.PENDING


# -- reading and changing the choices --------------------------------------------------------


def settings_for(address):
    """The address's EmailSettings, or an unsaved one with the defaults."""
    address = normalize(address)
    return EmailSettings.objects.filter(email=address).first() or EmailSettings(email=address)


def choices_of(address):
    """[(kind, delivery)] for every optional kind, in label order."""
    current = plan_for([address])[normalize(address)].deliveries
    return [
        (kind, current.get(kind.name, Delivery.NOW)) for kind in kinds.registered() if kind.optional
    ]


def optional_kind_names():
    return [kind.name for kind in kinds.registered() if kind.optional]


def time_zone_valid(name):
    return not name or name in zoneinfo.available_timezones()


@transaction.atomic
def save_preferences(address, *, deliveries, language=None, time_zone=None):
    """Store `deliveries` ({kind: Delivery}, optional kinds only; others are ignored) and,
    when given, the language and time zone. Messages already held for a digest follow the
    new choice: sent at once, moved to the other digest, or not sent. Returns the settings."""
    address = normalize(address)
    row, _created = EmailSettings.objects.select_for_update().get_or_create(email=address)
    fields = []
    if language is not None:
        row.language = language
        fields.append("language")
    if time_zone is not None:
        row.time_zone = time_zone
        fields.append("time_zone")
    if fields:
        row.save(update_fields=[*fields, "updated_at"])
    allowed = set(optional_kind_names())
    for kind, delivery in deliveries.items():
        if kind not in allowed or delivery not in Delivery.values:
            continue
        EmailPreference.objects.update_or_create(
            settings=row, kind=kind, defaults={"delivery": delivery}
        )
        _release_held(address, kind, delivery)
    return row


def _release_held(address, kind, delivery):
    """Messages of `kind` held for `address` follow its new `delivery`. Conditional on the
    HELD state: a digest that gathered them first keeps them."""
    held = OutboxMessage.objects.filter(to_email__iexact=address, kind=kind, state=State.HELD)
    if delivery == Delivery.NOW:
        return held.update(state=State.PENDING, delivery=delivery, due_at=timezone.now())
    if delivery == Delivery.OFF:
        return held.update(state=State.SKIPPED, delivery=delivery)
    return held.exclude(delivery=delivery).update(delivery=delivery)


def unsubscribe(address, kind_name):
    """The one-click unsubscribe: turn `kind_name` off, or, for a kind that cannot be turned
    off (a personal link, a digest), every optional kind. Returns the kinds turned off."""
    kind = kinds.get(kind_name)
    names = [kind.name] if kind is not None and kind.optional else optional_kind_names()
    save_preferences(address, deliveries=dict.fromkeys(names, Delivery.OFF))
    return names
