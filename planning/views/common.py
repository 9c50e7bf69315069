"""What the planning views share."""

from functools import wraps

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _


def community_open(view):
    """Refuse changes to an archived community (inside `cohort_view`): its inventory, votes
    and interview notes stay readable, but nothing in them changes until it is restored."""

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
