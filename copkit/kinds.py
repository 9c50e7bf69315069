"""The kinds of email copkit sends, each declared once by the app that sends it.

    kinds.register(kinds.Kind("checkin_prompt", _("Check-in prompts"), optional=False))

`outbox.enqueue(kind=...)` names one of these. The preferences page lists the optional ones:
a person chooses, per kind, to get it at once, in a daily or weekly digest, or not at all.
A kind that is not optional (a personal link someone must act on) is always sent at once.
Apps register their kinds from a `messages.py` module imported in their `AppConfig.ready()`.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    optional: bool = True
    description: str = ""


_kinds: dict[str, Kind] = {}


def register(kind):
    """Declare `kind`; declaring a name twice replaces it. Returns the kind."""
    _kinds[kind.name] = kind
    return kind


def get(name):
    """The kind called `name`, or None for a kind nobody declared."""
    return _kinds.get(name)


def registered():
    """Every declared kind, in the order of their labels."""
    return sorted(_kinds.values(), key=lambda kind: str(kind.label))


# The core's own kinds. A digest gathers held messages (copkit.digests): it is never held
# itself. Account emails (a password reset, an address to confirm) are asked for by the
# person and always go at once.
DIGEST = register(
    Kind(
        "digest",
        _("Digests"),
        optional=False,
        description=_("The emails you chose to get together."),
    )
)
