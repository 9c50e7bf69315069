"""The cohort's transition timeline, and where each COP stands in its transition."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from copkit.models import TimeStampedModel


class Transition(TimeStampedModel):
    """A cohort's transition timeline, set by staff: when sunsetting starts, by when the
    COPs should have started and finished their sunset plans, and the message each COP gets
    when sunsetting starts (empty: copkit's own text, planning.sunset.timeline)."""

    cohort = models.OneToOneField(
        "cohorts.Cohort", on_delete=models.CASCADE, related_name="transition"
    )
    starts_on = models.DateField(
        _("sunsetting starts on"),
        null=True,
        blank=True,
        help_text=_(
            "From this day the COPs are sunsetting: each gets the message below, then "
            "prompts to write its sunset plan."
        ),
    )
    start_plans_by = models.DateField(
        _("sunset plans started by"),
        null=True,
        blank=True,
        help_text=_("The day by which each COP should have started its sunset plan."),
    )
    finish_plans_by = models.DateField(
        _("sunset plans finished by"),
        null=True,
        blank=True,
        help_text=_("The day by which each COP should have its sunset plan agreed."),
    )
    message = models.TextField(
        _("transition message"),
        blank=True,
        help_text=_("What every member of each COP reads when sunsetting starts."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self):
        return f"Transition of {self.cohort}"


class SunsetState(TimeStampedModel):
    """Where one COP stands in its transition: its sunset plan's progress (set by the
    sunset plan's services through planning.sunset.phases.mark_sunset_*) and the nudges
    it has had. Each nudge column is the claim of a copkit.later sweep: set once, by the
    process that sends it."""

    community = models.OneToOneField(
        "cohorts.Community", on_delete=models.CASCADE, related_name="sunset_state"
    )
    sunset_started_at = models.DateTimeField(null=True, blank=True)
    sunset_submitted_at = models.DateTimeField(null=True, blank=True)
    sunset_agreed_at = models.DateTimeField(null=True, blank=True)
    announced_at = models.DateTimeField(null=True, blank=True)
    start_prompted_at = models.DateTimeField(null=True, blank=True)
    finish_prompted_at = models.DateTimeField(null=True, blank=True)

    class Progress(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        DRAFTING = "drafting", _("Being written")
        SUBMITTED = "submitted", _("Submitted")
        AGREED = "agreed", _("Agreed")

    def __str__(self):
        return f"Transition of {self.community}"

    @property
    def progress(self):
        if self.sunset_agreed_at:
            return self.Progress.AGREED
        if self.sunset_submitted_at:
            return self.Progress.SUBMITTED
        if self.sunset_started_at:
            return self.Progress.DRAFTING
        return self.Progress.NOT_STARTED
