"""Checks the needs forms and services share (pure: no writes), so a form asks no service."""

from django.utils.translation import gettext as _

from planning.needs.models import InventoryEntry


def same_title(a, b):
    """The same need, whatever its case and spacing."""
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def duplicate_message(kind, topic):
    if kind == InventoryEntry.Kind.NEED:
        return _("This need is already listed for %(area)s.") % {"area": topic}
    return _("This expertise is already listed for %(area)s.") % {"area": topic}
