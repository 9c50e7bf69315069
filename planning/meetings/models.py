"""A community's meetings: the schedule, each meeting's agenda, notes and attendance, the
reminder settings, and each person's calendar feed."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from copkit.models import TimeStampedModel


def new_feed_token():
    return secrets.token_urlsafe(32)


def default_time_zone():
    """The deployment's zone (COPKIT_TIME_ZONE), read when a row is made: a callable, so the
    migrations do not freeze the zone of the machine that wrote them."""
    return settings.TIME_ZONE


class MeetingSettings(TimeStampedModel):
    """How a community's meetings are kept: their time zone, a default place or call link,
    and how long before a meeting the reminder goes out."""

    community = models.OneToOneField(
        "cohorts.Community", on_delete=models.CASCADE, related_name="meeting_settings"
    )
    time_zone = models.CharField(_("time zone"), max_length=60, default=default_time_zone)
    location = models.CharField(_("usual place or call link"), max_length=500, blank=True)
    reminder_hours = models.PositiveSmallIntegerField(
        _("remind members this many hours before"),
        default=24,
        help_text=_("0 sends no reminders."),
    )
    # The rule the meetings were last created from (the schedule page's fields:
    # frequency, weekday, week_of_month, start_time "HH:MM", length_minutes, mode), so the
    # meetings page can say "Monthly, second Tuesday, 7:00 p.m., ...". Empty: none yet.
    schedule = models.JSONField(default=dict, blank=True, editable=False)

    def __str__(self):
        return f"Meeting settings of {self.community}"


class CalendarEvent(TimeStampedModel):
    """What a community meeting and a convening of the leaders' circle share: a time, a
    place, an agenda and notes. Its public id is its calendar UID; `sequence` goes up whenever
    its time, place or status changes, so calendar apps replace their copy; `reminded_at` is
    the reminder sweep's claim column."""

    class Mode(models.TextChoices):
        CALL = "call", _("Conference call")
        VIRTUAL = "virtual", _("Virtual meeting (video)")
        IN_PERSON = "in_person", _("In person")

    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(_("length in minutes"), default=90)
    mode = models.CharField(_("format"), max_length=20, choices=Mode.choices, default=Mode.VIRTUAL)
    location = models.CharField(_("place or call link"), max_length=500, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["starts_at"]

    def __str__(self):
        return f"{self.title} ({self.starts_at:%Y-%m-%d %H:%M})"

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None


class Meeting(CalendarEvent):
    """One meeting of a community."""

    community = models.ForeignKey(
        "cohorts.Community", on_delete=models.CASCADE, related_name="meetings"
    )

    class Meta(CalendarEvent.Meta):
        indexes = [models.Index(fields=["community", "starts_at"], name="meeting_community_time")]

    def get_absolute_url(self):
        return reverse(
            "planning:meeting-detail",
            kwargs={
                "cohort_slug": self.community.cohort.slug,
                "community_slug": self.community.slug,
                "meeting_id": self.public_id,
            },
        )


class Attendance(models.Model):
    """Whether a member came to a meeting."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(
        "cohorts.Participant", on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField(max_length=20, choices=Status.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "participant"], name="attendance_one_per_person"
            )
        ]

    def __str__(self):
        return f"{self.participant} · {self.meeting} · {self.status}"


class CalendarFeed(TimeStampedModel):
    """A participant's secret calendar address. Revoking gives a new token; the old address
    stops working at once."""

    participant = models.OneToOneField(
        "cohorts.Participant", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token, editable=False)

    def __str__(self):
        return f"Calendar of {self.participant}"

    def get_absolute_url(self):
        return reverse("calendar-feed", kwargs={"token": self.token})
