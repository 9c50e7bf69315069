"""The archive pages: a cohort's (staff) and a community's (its leaders and staff), each
listing the archives made lately with a button to make a new one; the progress bar the page
polls while one is built; the signed download link."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts.access import cohort_view
from planning.sunset.archive import build
from planning.sunset.archive.models import Archive

PAGE_SIZE = 10


def _archives(access):
    rows = Archive.objects.filter(cohort=access.cohort, community=access.community)
    return rows.select_related("requested_by", "cohort", "community")[:PAGE_SIZE]


def _audience(access):
    return Archive.Audience.STAFF if access.is_staff else Archive.Audience.LEADERS


def _page_url(access):
    if access.community is not None:
        return reverse(
            "planning:community-export", args=[access.cohort.slug, access.community.slug]
        )
    return reverse("planning:cohort-export", args=[access.cohort.slug])


def _render_page(request, access):
    rows = list(_archives(access))
    for row in rows:
        row.link = (
            reverse("planning:export-download", args=[access.cohort.slug, build.token_for(row)])
            if row.is_downloadable()
            else ""
        )
    return render(
        request,
        "planning/sunset/archive/page.html",
        {
            "access": access,
            "cohort": access.cohort,
            "community": access.community,
            "archives": rows,
            "running": next((row for row in rows if row.is_running), None),
            "audience": _audience(access),
            "keep_days": build.KEEP_FOR.days,
        },
    )


@cohort_view("cohort.manage")
def cohort_archive(request, access):
    return _render_page(request, access)


@cohort_view("community.lead")
def community_archive(request, access):
    return _render_page(request, access)


def _start(request, access):
    try:
        build.start(
            access.cohort, request.user, community=access.community, audience=_audience(access)
        )
    except build.ArchiveRunning:
        messages.info(request, _("An archive is already being made. It will be ready shortly."))
    else:
        messages.success(
            request, _("The archive is being made. This page shows how far it has got.")
        )
    return redirect(_page_url(access))


@require_POST
@cohort_view("cohort.manage")
def cohort_archive_start(request, access):
    return _start(request, access)


@require_POST
@cohort_view("community.lead")
def community_archive_start(request, access):
    return _start(request, access)


def _progress(request, access, archive_id):
    archive = get_object_or_404(
        Archive.objects.filter(cohort=access.cohort, community=access.community),
        public_id=archive_id,
    )
    response = render(
        request,
        "planning/sunset/archive/_progress.html",
        {
            "archive": archive,
            "access": access,
            "cohort": access.cohort,
            "community": access.community,
        },
    )
    if request.htmx and not archive.is_running:
        response["HX-Refresh"] = "true"
    return response


@cohort_view("cohort.manage")
def cohort_archive_progress(request, access, archive_id):
    return _progress(request, access, archive_id)


@cohort_view("community.lead")
def community_archive_progress(request, access, archive_id):
    return _progress(request, access, archive_id)


@cohort_view("cohort.view")
def download(request, access, token):
    """The signed link: refused once it is older than the archive's time or altered; then
    only for those who may make that archive (a staff archive for staff only)."""
    public_id = build.archive_id_from(token)
    if public_id is None:
        return render(
            request,
            "planning/sunset/archive/link_problem.html",
            {"cohort": access.cohort},
            status=410,
        )
    archive = get_object_or_404(
        access.cohort.archives.select_related("community"), public_id=public_id
    )
    if archive.audience == Archive.Audience.STAFF or archive.community_id is None:
        allowed = access.is_staff
    else:
        allowed = access.is_staff or access.is_leader(archive.community)
    if not allowed:
        raise PermissionDenied
    if not archive.is_downloadable() or not archive.stored:
        return render(
            request,
            "planning/sunset/archive/link_problem.html",
            {"cohort": access.cohort},
            status=410,
        )
    build.record_download(archive, request.user)
    return FileResponse(archive.stored.open("rb"), as_attachment=True, filename=archive.filename())
