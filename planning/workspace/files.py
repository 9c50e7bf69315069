"""Files shared in a COP's workspace: what may be uploaded, how it is checked, stored,
attached to an object and removed.

A file is accepted when it is not empty, not over WORKSPACE_MAX_UPLOAD_BYTES, and its content
is one of TYPES, sniffed from its bytes (the `filetype` library; office documents are zip
containers, so their inner parts are looked at too), with a name ending the way that type's
names end. Plain text and CSV have no signature: they must read as UTF-8 text with no NUL.

Nothing is half-saved: every write runs inside `removed_on_failure()`, which deletes what was
stored when the surrounding work fails (a refused check, a database error, a rollback).
"""

import contextvars
import os
import unicodedata
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cohorts.services.activity import record
from copkit.errors import ServiceError
from planning.archived import refuse_if_archived
from planning.workspace.models import WorkspaceFile

MAX_TITLE = 200
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    mime: str
    extensions: tuple


TYPES = {
    t.key: t
    for t in (
        FileType("pdf", gettext_lazy("PDF document"), "application/pdf", (".pdf",)),
        FileType(
            "docx",
            gettext_lazy("Word document"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            (".docx",),
        ),
        FileType(
            "xlsx",
            gettext_lazy("Excel spreadsheet"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            (".xlsx",),
        ),
        FileType(
            "pptx",
            gettext_lazy("PowerPoint presentation"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            (".pptx",),
        ),
        FileType("png", gettext_lazy("PNG image"), "image/png", (".png",)),
        FileType("jpg", gettext_lazy("JPEG photo"), "image/jpeg", (".jpg", ".jpeg")),
        FileType("gif", gettext_lazy("GIF image"), "image/gif", (".gif",)),
        FileType("webp", gettext_lazy("WebP image"), "image/webp", (".webp",)),
        FileType("txt", gettext_lazy("text file"), "text/plain", (".txt", ".md")),
        FileType("csv", gettext_lazy("CSV table"), "text/csv", (".csv",)),
    )
}
# The part every office document of each kind holds (its zip's inner structure).
OFFICE_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
SNIFFED = {"pdf": "pdf", "png": "png", "jpg": "jpg", "gif": "gif", "webp": "webp"}
EXTENSIONS = sorted({ext for t in TYPES.values() for ext in t.extensions})


def accepted_list():
    """The accepted types, for help texts: "PDF, Word, ... (up to 20 MB)"."""
    return _(
        "PDF, Word, Excel, PowerPoint, images (PNG, JPEG, GIF, WebP), text or CSV; up to %(size)s."
    ) % {"size": filesizeformat(settings.WORKSPACE_MAX_UPLOAD_BYTES)}


def _office_kind(upload):
    """docx, xlsx or pptx when `upload` is a zip holding that kind's main part; else None."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    return next((kind for kind, part in OFFICE_PARTS.items() if part in names), None)


def _is_text(upload):
    upload.seek(0)
    data = upload.read(SNIFF_BYTES * 8)
    upload.seek(0)
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still text.
        return error.start >= len(data) - 3 and len(data) == SNIFF_BYTES * 8
    return True


def sniff(upload):
    """The key of TYPES the content of `upload` is, or None when it is none of them."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    guess = filetype.guess(head)
    if guess is not None:
        if guess.extension in SNIFFED:
            return SNIFFED[guess.extension]
        if guess.extension in {"zip", "docx", "xlsx", "pptx"}:
            return _office_kind(upload)
        return None
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(upload)
    return "txt" if _is_text(upload) else None


def clean_name(name):
    """The file's own name, as shown and as offered on download: no folders, no control
    characters, at most 200 characters (keeping the extension)."""
    name = unicodedata.normalize("NFC", os.path.basename((name or "").replace("\\", "/")))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if len(name) > MAX_TITLE:
        stem, ext = os.path.splitext(name)
        name = stem[: MAX_TITLE - len(ext)] + ext
    return name or "file"


def check(upload, *, field="file"):
    """Refuse an upload that is missing, empty, too big, or not what it says it is.
    Returns its FileType."""
    if upload is None:
        raise ServiceError(_("Choose a file to upload."), field=field)
    if not upload.size:
        raise ServiceError(_("This file is empty. Choose the file again."), field=field)
    limit = settings.WORKSPACE_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ServiceError(
            _("This file is %(size)s; the most you can upload is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            field=field,
        )
    extension = os.path.splitext(upload.name or "")[1].lower()
    kind = sniff(upload)
    if kind == "txt" and extension == ".csv":
        kind = "csv"
    if kind is None:
        raise ServiceError(
            _("copkit cannot take this kind of file. You can share: %(types)s")
            % {"types": accepted_list()},
            field=field,
        )
    kind = TYPES[kind]
    if extension not in kind.extensions:
        raise ServiceError(
            _(
                "The file's name ends in “%(ext)s” but its content is a %(label)s. "
                "Rename it to end in “%(right)s”, or choose the right file."
            )
            % {"ext": extension or _("nothing"), "label": kind.label, "right": kind.extensions[0]},
            field=field,
        )
    return kind


def clean_title(title, default):
    title = " ".join((title or "").replace("\x00", "").split())
    if len(title) > MAX_TITLE:
        raise ServiceError(
            _("Keep the title to %(n)d characters or fewer.") % {"n": MAX_TITLE}, field="title"
        )
    return title or default


_stored = contextvars.ContextVar("workspace_stored_files", default=None)


@contextmanager
def removed_on_failure():
    """Delete every file stored inside this block when the block fails. Nested blocks
    share the outermost one's list, so a rollback further out removes inner files too."""
    if _stored.get() is not None:
        yield
        return
    names = []
    token = _stored.set(names)
    try:
        yield
    except BaseException:
        for name in names:
            default_storage.delete(name)
        raise
    finally:
        _stored.reset(token)


def _remember(name):
    names = _stored.get()
    if names is None:  # a caller outside removed_on_failure: guard this one write only
        raise RuntimeError("store files inside removed_on_failure()")
    names.append(name)


def _store(community, upload, *, title, actor, kind, to=None):
    row = WorkspaceFile(
        community=community,
        uploaded_by=actor,
        title=title,
        name=clean_name(upload.name),
        kind=kind.key,
        mime_type=kind.mime,
        size=upload.size,
    )
    if to is not None:
        row.content_type = ContentType.objects.get_for_model(to)
        row.object_id = to.pk
    upload.seek(0)
    row.stored.save(upload.name or "file", upload, save=False)
    _remember(row.stored.name)
    row.save()
    return row


def upload(community, upload, *, actor, title="", to=None):
    """Store `upload` as a file of `community`, attached to `to` when given. Returns the
    WorkspaceFile. Refusals raise ServiceError naming the field ("file" or "title")."""
    refuse_if_archived(community)
    kind = check(upload)
    title = clean_title(title, clean_name(upload.name))
    with removed_on_failure(), transaction.atomic():
        row = _store(community, upload, title=title, actor=actor, kind=kind, to=to)
        record(community.cohort, actor, "shared a file", community, file=row.name)
    return row


def attach(file_or_upload, *, to, actor, community=None, title=""):
    """Attach a file to `to` (any model instance of the same community): an existing
    WorkspaceFile is moved onto it; an upload is checked and stored first. Returns the
    WorkspaceFile."""
    if isinstance(file_or_upload, WorkspaceFile):
        row = file_or_upload
        refuse_if_archived(row.community)
        owner = getattr(to, "community_id", row.community_id)
        if owner != row.community_id:
            raise ServiceError(_("A file can only be attached to something of its own COP."))
        row.content_type = ContentType.objects.get_for_model(to)
        row.object_id = to.pk
        row.save(update_fields=["content_type", "object_id", "updated_at"])
        return row
    community = community or getattr(to, "community", None)
    if community is None:
        raise ValueError("attach() an upload needs the community it belongs to")
    return upload(community, file_or_upload, actor=actor, title=title, to=to)


def attached(obj):
    """The files attached to `obj`, oldest first, in one query."""
    return WorkspaceFile.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).order_by("created_at", "pk")


def may_delete(row, access):
    """The uploader, the COP's leaders and staff may delete a file."""
    return access.can("community.lead") or (
        row.uploaded_by_id is not None and row.uploaded_by_id == access.user.pk
    )


def delete(row, *, actor, access):
    """Remove a file: its row now, its stored bytes once the removal is committed."""
    if not may_delete(row, access):
        raise ServiceError(
            _("Only the person who shared a file, the leaders and staff can delete it.")
        )
    refuse_if_archived(row.community)
    name = row.stored.name
    with transaction.atomic():
        row.delete()
        record(row.community.cohort, actor, "deleted a file", row.community, file=row.name)
        transaction.on_commit(lambda: default_storage.delete(name))


def delete_attached(obj):
    """Remove the files attached to `obj` (when `obj` itself is deleted)."""
    rows = list(attached(obj))
    names = [row.stored.name for row in rows]
    WorkspaceFile.objects.filter(pk__in=[row.pk for row in rows]).delete()
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
