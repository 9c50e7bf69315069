"""The leaders' circle: regular convenings of all the cohort's COP leaders with the TTA staff
(each with an agenda drafted as a go-around of the communities' check-ins, notes and
attendance), and a discussion space where leaders ask each other between convenings.

A convening belongs to the cohort, not to a community, and reads in the cohort's time zone.
Like a community meeting, its `sequence` goes up whenever its time, place or status changes
(calendar apps replace their copy) and `reminded_at` is the reminder sweep's claim column.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from copkit.models import TimeStampedModel
from planning.meetings.models import CalendarEvent


class Convening(CalendarEvent):
    """One meeting of the leaders' circle."""

    cohort = models.ForeignKey(
        "cohorts.Cohort", on_delete=models.CASCADE, related_name="convenings"
    )
    duration_minutes = models.PositiveSmallIntegerField(_("length in minutes"), default=60)
    agenda_drafted_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta(CalendarEvent.Meta):
        indexes = [models.Index(fields=["cohort", "starts_at"], name="convening_cohort_time")]

    def get_absolute_url(self):
        return reverse(
            "planning:convening-detail",
            kwargs={"cohort_slug": self.cohort.slug, "convening_id": self.public_id},
        )


class ConveningAttendance(models.Model):
    """Whether a leader came to a convening."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    convening = models.ForeignKey(Convening, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(
        "cohorts.Participant", on_delete=models.CASCADE, related_name="convening_attendance"
    )
    status = models.CharField(max_length=20, choices=Status.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["convening", "participant"], name="convening_attendance_one_per_person"
            )
        ]

    def __str__(self):
        return f"{self.participant} · {self.convening} · {self.status}"


class CirclePost(TimeStampedModel):
    """A question or news a leader (or staff) shares with the cohort's other leaders."""

    cohort = models.ForeignKey(
        "cohorts.Cohort", on_delete=models.CASCADE, related_name="circle_posts"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"))
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_activity_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-last_activity_at", "-pk"]
        indexes = [
            models.Index(fields=["cohort", "-last_activity_at"], name="circlepost_cohort_activity")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "planning:circle-post",
            kwargs={"cohort_slug": self.cohort.slug, "post_id": self.public_id},
        )


class CircleReply(TimeStampedModel):
    """A reply to a post of the leaders' circle."""

    post = models.ForeignKey(CirclePost, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("reply"))

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Reply to {self.post}"
