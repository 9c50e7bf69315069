"""The COP workspace: discussion threads and their replies, the files members share, and
announcements to every member of a COP (or, from staff, of every COP of a cohort).

A file is generic: it belongs to a community and may be attached to one object of any model
(a thread, a meeting, later a knowledge item) through `attached_to`. The stored file lives in
Django's default storage (local disk under var/ or S3-compatible storage, see settings) and is
only ever served through the download view, which checks access first.

A hidden post stays in the table (its author can still see it); deleting one removes the row.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from copkit.models import TimeStampedModel

USER = settings.AUTH_USER_MODEL


class Post(TimeStampedModel):
    """What a thread and a reply share: who wrote it, its words, edits and hiding."""

    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("message"))
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    hidden_at = models.DateTimeField(null=True, blank=True, editable=False)
    hidden_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        abstract = True

    @property
    def is_hidden(self):
        return self.hidden_at is not None


class Thread(Post):
    """A conversation a member (or staff) starts in a COP's workspace."""

    community = models.ForeignKey(
        "cohorts.Community", on_delete=models.CASCADE, related_name="workspace_threads"
    )
    title = models.CharField(_("title"), max_length=200)
    last_activity_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-last_activity_at", "-pk"]
        indexes = [
            models.Index(
                fields=["community", "-last_activity_at"], name="wsthread_community_activity"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "planning:workspace-thread",
            kwargs={
                "cohort_slug": self.community.cohort.slug,
                "community_slug": self.community.slug,
                "thread_id": self.public_id,
            },
        )


class Reply(Post):
    """A reply under a thread."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="replies")

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "replies"

    def __str__(self):
        return f"Reply to {self.thread}"

    def get_absolute_url(self):
        return f"{self.thread.get_absolute_url()}#reply-{self.public_id}"


def _upload_to(instance, filename):
    # The stored name never carries the person's file name: a random id under the community.
    return f"workspace/{instance.community_id}/{instance.public_id.hex}"


class WorkspaceFile(TimeStampedModel):
    """A document a member shared with their COP, maybe attached to one object."""

    community = models.ForeignKey(
        "cohorts.Community", on_delete=models.CASCADE, related_name="workspace_files"
    )
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    stored = models.FileField(upload_to=_upload_to, max_length=300)
    title = models.CharField(_("title"), max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(max_length=20)  # a key of planning.workspace.files.TYPES
    mime_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    attached_to = GenericForeignKey("content_type", "object_id")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="wsfile_attached_to"),
            models.Index(fields=["community", "-created_at"], name="wsfile_community_time"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "planning:workspace-file",
            kwargs={
                "cohort_slug": self.community.cohort.slug,
                "community_slug": self.community.slug,
                "file_id": self.public_id,
            },
        )


class Announcement(TimeStampedModel):
    """News for every member of one COP, or (community empty) of every COP of the cohort.
    It shows on their home pages until they dismiss it or it is older than
    WORKSPACE_ANNOUNCEMENT_DAYS."""

    cohort = models.ForeignKey(
        "cohorts.Cohort", on_delete=models.CASCADE, related_name="announcements"
    )
    community = models.ForeignKey(
        "cohorts.Community",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="announcements",
    )
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["cohort", "-created_at"], name="announcement_cohort_time")]

    def __str__(self):
        return self.title


class AnnouncementDismissal(models.Model):
    """A person closed an announcement on their home page."""

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="dismissals"
    )
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "user"], name="announcement_dismissed_once"
            )
        ]

    def __str__(self):
        return f"{self.user} closed {self.announcement}"
