"""One archive export: who asked for it, of what (a community, or the whole cohort), how far
its build has got, and the ZIP it made until it expires."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from copkit.models import TimeStampedModel

KEEP_FOR = timedelta(days=7)


def _upload_to(archive, filename):
    return f"archives/{archive.cohort_id}/{archive.public_id}/{filename}"


class Archive(TimeStampedModel):
    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for a free worker")
        BUILDING = "building", _("Being built")
        READY = "ready", _("Ready to download")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    class Audience(models.TextChoices):
        # Staff get everything, people's own answers included; leaders the figures only.
        STAFF = "staff", _("Staff: everything, personal answers included")
        LEADERS = "leaders", _("Leaders: figures only, no one's personal answers")

    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.CASCADE, related_name="archives")
    community = models.ForeignKey(
        "cohorts.Community",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="archives",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    audience = models.CharField(max_length=20, choices=Audience.choices)
    state = models.CharField(max_length=20, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    error = models.TextField(blank=True)
    stored = models.FileField(upload_to=_upload_to, max_length=300, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    # The later-work claim column of the sweep that deletes the file once it has expired.
    cleaned_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["expires_at", "cleaned_at"], name="archive_expiry")]

    def __str__(self):
        return f"Archive of {self.community or self.cohort}"

    @property
    def scope_name(self):
        return str(self.community.name if self.community_id else self.cohort.name)

    @property
    def is_running(self):
        return self.state in (self.State.QUEUED, self.State.BUILDING)

    def is_downloadable(self, now=None):
        now = now or timezone.now()
        return self.state == self.State.READY and self.expires_at and self.expires_at > now

    def filename(self):
        scope = self.community.slug if self.community_id else self.cohort.slug
        return f"copkit-archive-{scope}.zip"
