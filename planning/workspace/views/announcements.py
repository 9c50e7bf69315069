"""Announcements: a COP's leaders (or staff) write to its members; staff write to one or
every COP of the cohort; a member dismisses one from their home page."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cohorts.access import cohort_view
from copkit.errors import ServiceError, show_error
from planning.archived import community_open
from planning.workspace.forms import AnnounceAllForm, AnnouncementForm
from planning.workspace.services import announcements
from planning.workspace.views.common import context


def _sent(request, queued):
    messages.success(
        request,
        ngettext(
            "Announced. %(n)d member gets an email, and everyone sees it on their home page.",
            "Announced. %(n)d members get an email, and everyone sees it on their home page.",
            queued,
        )
        % {"n": queued},
    )


@cohort_view("community.lead")
@community_open
def announce(request, access):
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _row, queued = announcements.announce(
                access.cohort, author=request.user, community=access.community, **form.cleaned_data
            )
        except ServiceError as error:
            show_error(request, error, form)
        else:
            _sent(request, queued)
            return redirect("planning:workspace", access.cohort.slug, access.community.slug)
    return render(
        request,
        "planning/workspace/announce.html",
        context(access, form=form, announcement_days=settings.WORKSPACE_ANNOUNCEMENT_DAYS),
    )


@cohort_view("cohort.manage")
def announce_all(request, access):
    communities = access.cohort.communities.filter(archived_at__isnull=True).order_by("name")
    form = AnnounceAllForm(request.POST or None, communities=communities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _row, queued = announcements.announce(
                access.cohort,
                author=request.user,
                community=data["to"],
                title=data["title"],
                body=data["body"],
            )
        except ServiceError as error:
            show_error(request, error, form)
        else:
            _sent(request, queued)
            return redirect("cohorts:dashboard", access.cohort.slug)
    return render(
        request,
        "planning/workspace/announce.html",
        {
            "cohort": access.cohort,
            "community": None,
            "form": form,
            "announcement_days": settings.WORKSPACE_ANNOUNCEMENT_DAYS,
        },
    )


@require_POST
@cohort_view("cohort.profile")
def dismiss(request, access, announcement_id):
    row = get_object_or_404(access.cohort.announcements, public_id=announcement_id)
    announcements.dismiss(row, user=request.user)
    messages.success(request, _("Announcement closed."))
    return redirect("home")
