"""Starting, building, downloading and expiring archives (the writes of this stage)."""

import tempfile
import zipfile
from datetime import timedelta

from celery import shared_task
from django.core import signing
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from cohorts.services import activity
from copkit import later
from planning.sunset.archive import sections
from planning.sunset.archive.models import KEEP_FOR, Archive

SALT = "planning.sunset.archive.download"
LINK_MAX_AGE = KEEP_FOR
STALE_AFTER = timedelta(minutes=30)


class ArchiveRunning(Exception):
    """An archive of the same scope is already being built."""


def start(cohort, user, *, community=None, audience):
    """Queue an archive of `community` (or of the whole cohort) for `user`, logged; refused
    while one of the same scope is still being built (a double click makes one)."""
    with transaction.atomic():
        # The cohort's row is the lock: two clicks at once wait for each other here, and the
        # second then sees the first's archive.
        type(cohort).objects.select_for_update().filter(pk=cohort.pk).first()
        # A build whose worker died never finishes: after STALE_AFTER it stops blocking.
        Archive.objects.filter(
            cohort=cohort,
            state__in=[Archive.State.QUEUED, Archive.State.BUILDING],
            created_at__lt=timezone.now() - STALE_AFTER,
        ).update(state=Archive.State.FAILED, error="It took too long; its worker may have stopped.")
        running = Archive.objects.filter(
            cohort=cohort,
            community=community,
            state__in=[Archive.State.QUEUED, Archive.State.BUILDING],
        )
        if running.exists():
            raise ArchiveRunning
        archive = Archive.objects.create(
            cohort=cohort, community=community, requested_by=user, audience=audience
        )
        activity.record(
            cohort,
            user,
            "started archive",
            community or cohort,
            **({"community": community} if community else {}),
        )
        build_archive.delay_on_commit(archive.pk)
    return archive


def _communities(archive):
    if archive.community_id:
        return [archive.community]
    return list(archive.cohort.communities.order_by("name"))


def _progress(archive, percent):
    Archive.objects.filter(pk=archive.pk).update(progress=percent)


def manifest_text(archive, lines):
    scope = archive.scope_name
    head = [
        f"Archive of {scope}",
        f"Cohort: {archive.cohort.name}",
        f"Made {timezone.now():%Y-%m-%d %H:%M} UTC for "
        + (
            "the cohort's staff: personal survey answers included."
            if archive.audience == "staff"
            else "the community's leaders: survey results in figures only."
        ),
        "",
        "Files:",
    ]
    body = [f"{path}  ({size} bytes)  {description}" for path, size, description in lines]
    return "\n".join(head + body) + "\n"


def _write_zip(archive, steps, buffer):
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        out = sections.Out(zipped)
        for number, (community, section) in enumerate(steps, start=1):
            if community is None:
                folder = "cohort/"
            elif archive.community_id:
                folder = ""
            else:
                folder = f"communities/{community.slug}/"
            section.write(sections.Context(archive, community, folder), out)
            _progress(archive, min(99, number * 100 // len(steps)))
        zipped.writestr("MANIFEST.txt", manifest_text(archive, out.manifest))


def build(archive):
    """Write the ZIP of `archive`, section by section, moving its progress along; store it
    for KEEP_FOR."""
    Archive.objects.filter(pk=archive.pk).update(state=Archive.State.BUILDING, progress=0)
    communities = _communities(archive)
    steps = [(c, s) for c in communities for s in sections.COMMUNITY_SECTIONS]
    steps += [(None, s) for s in sections.COHORT_SECTIONS] if not archive.community_id else []
    # On disk while it is written: a cohort's files can be larger than a worker's memory.
    with tempfile.TemporaryFile() as buffer:
        _write_zip(archive, steps, buffer)
        archive.size = buffer.tell()
        buffer.seek(0)
        archive.stored.save(archive.filename(), File(buffer), save=False)
    now = timezone.now()
    archive.state = Archive.State.READY
    archive.progress = 100
    archive.finished_at = now
    archive.expires_at = now + KEEP_FOR
    archive.save(update_fields=["stored", "size", "state", "progress", "finished_at", "expires_at"])
    return archive


@shared_task(name="planning.tasks.build_archive", ignore_result=True, soft_time_limit=600)
def build_archive(archive_id):
    archive = Archive.objects.select_related("cohort", "community").filter(pk=archive_id).first()
    if archive is None or archive.state not in (Archive.State.QUEUED, Archive.State.BUILDING):
        return
    try:
        build(archive)
    except Exception as error:
        Archive.objects.filter(pk=archive.pk).update(state=Archive.State.FAILED, error=str(error))
        raise


# -- the signed download link --------------------------------------------------------------


def token_for(archive):
    return signing.TimestampSigner(salt=SALT).sign(str(archive.public_id))


def archive_id_from(token):
    """The public id a link's token names, or None when it is tampered with or older than
    LINK_MAX_AGE."""
    try:
        return signing.TimestampSigner(salt=SALT).unsign(token, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return None


def record_download(archive, user):
    with transaction.atomic():
        activity.record(
            archive.cohort,
            user,
            "downloaded archive",
            archive.community or archive.cohort,
            **({"community": archive.community} if archive.community_id else {}),
        )


# -- expiry: a later-work sweep deletes the file once the archive has expired -------------------


def _due(now):
    return Archive.objects.filter(expires_at__lte=now, cleaned_at__isnull=True)


def _clean(archive, now):
    if archive.stored:
        archive.stored.delete(save=False)
    Archive.objects.filter(pk=archive.pk).update(stored="", state=Archive.State.EXPIRED)
    return 0


expired_archives = later.register(
    later.Sweep(
        name="sunset.expired_archives",
        due=_due,
        column="cleaned_at",
        handle=_clean,
        cohort=None,  # expired files go, closed cohort or not
    )
)
