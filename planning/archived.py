"""The rule every planning stage shares: an archived community's records can be read but not
changed. Each service that writes to a community calls `refuse_if_archived` first, so a view,
a task or a command all meet the same refusal; views that only write wear `community_open`,
which says so before any form is read."""

from functools import wraps

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from copkit.errors import ServiceError


class CommunityArchived(ServiceError):
    """A write to a community that is archived (restore it first)."""


def refuse_if_archived(community):
    """Raise CommunityArchived when `community` (None for cohort-wide work) is archived."""
    if community is not None and community.is_archived:
        raise CommunityArchived(
            _("This community is archived: its records can be read but not changed.")
        )


def community_open(view):
    """Refuse changes to an archived community (inside `cohort_view`): its records stay
    readable, but nothing in them changes until it is restored."""

    @wraps(view)
    def wrapped(request, access, *args, **kwargs):
        if access.community.is_archived:
            messages.error(
                request,
                _("This community is archived: its records can be read but not changed."),
            )
            return redirect(access.community)
        return view(request, access, *args, **kwargs)

    return wrapped
