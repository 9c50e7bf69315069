"""The workspace's files: the list with its upload form, uploading (maybe attached to a
thread or a meeting), downloading through an access check, and deleting."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts.access import cohort_view
from copkit.errors import ServiceError, show_error
from planning.archived import community_open
from planning.workspace import files
from planning.workspace.forms import UploadForm
from planning.workspace.views.common import context, file_help, get_file, visible_files

FILES_PER_PAGE = 50

# What a file can be attached to from the upload form: "<name>:<public id>", looked up
# through the community's related rows of that name. A new stage adds its own here.
TARGETS = {"thread": "workspace_threads", "meeting": "meetings", "knowledge": "knowledge_items"}


def target(access, value):
    """The object named by an upload form's `to`, through the URL's community; None when
    empty. A name that matches nothing is a 404."""
    if not value:
        return None
    name, _sep, ident = value.partition(":")
    if name not in TARGETS:
        raise Http404("No such target")
    rows = getattr(access.community, TARGETS[name])
    try:
        return get_object_or_404(rows, public_id=ident)
    except ValidationError as error:
        raise Http404("No such target") from error


def _page(request, access, form):
    page = Paginator(visible_files(access), FILES_PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page)
    for row in rows:
        row.deletable = files.may_delete(row, access)
    return render(
        request,
        "planning/workspace/files.html",
        context(access, files=rows, page=page, form=form),
    )


@cohort_view("community.members")
def file_list(request, access):
    return _page(request, access, UploadForm(file_help=file_help()))


@require_POST
@cohort_view("community.members")
@community_open
def file_upload(request, access):
    form = UploadForm(request.POST, request.FILES, file_help=file_help())
    to = target(access, request.POST.get("to", ""))
    if form.is_valid():
        try:
            row = files.upload(
                access.community,
                form.cleaned_data["file"],
                actor=request.user,
                title=form.cleaned_data["title"],
                to=to,
            )
        except ServiceError as error:
            show_error(request, error, form)
        else:
            messages.success(
                request, _("“%(title)s” is shared with your COP.") % {"title": row.title}
            )
            if to is not None:
                return redirect(to.get_absolute_url() + "#attachments")
            return redirect("planning:workspace-files", access.cohort.slug, access.community.slug)
    return _page(request, access, form)


@cohort_view("community.members")
def file_download(request, access, file_id):
    return serve(get_file(access, file_id))


def serve(row):
    """The stored file of `row` as a private download (404 when the storage lost it)."""
    try:
        handle = row.stored.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404("The stored file is missing") from error
    response = FileResponse(
        handle, as_attachment=True, filename=row.name, content_type=row.mime_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@cohort_view("community.members")
@community_open
def file_delete(request, access, file_id):
    row = get_file(access, file_id)
    if not files.may_delete(row, access):
        raise PermissionDenied
    attached_to = row.attached_to
    try:
        files.delete(row, actor=request.user, access=access)
    except ServiceError as error:
        show_error(request, error)
    else:
        messages.success(request, _("File deleted."))
    back = request.POST.get("back", "")
    if back == "attached" and attached_to is not None:
        return redirect(attached_to.get_absolute_url() + "#attachments")
    return redirect("planning:workspace-files", access.cohort.slug, access.community.slug)
