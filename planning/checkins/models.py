"""Leader check-ins: how a COP is doing, told to its TTA coach at each check-in.

A `CheckIn` is one leader's answer for one period of the cohort's cadence (or a check-in staff
held by phone or in a call and logged). The period key ("2026-12-01") names the cadence step
it belongs to, so a leader has at most one row per community and period.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from copkit.models import TimeStampedModel


def new_answer_token():
    return secrets.token_urlsafe(32)


class CheckIn(TimeStampedModel):
    """One leader's check-in for one period: asked (a prompt with a personal link), then
    answered on the web or logged by staff after a call."""

    class Scale(models.IntegerChoices):
        STRUGGLING = 1, _("1 — Struggling: the group has nearly stopped meeting")
        SLOW = 2, _("2 — Slow: meetings happen but little moves")
        STEADY = 3, _("3 — Steady: meeting and working on the plan")
        GOOD = 4, _("4 — Going well: members take part and share")
        THRIVING = 5, _("5 — Thriving: members lead and the group grows")

    class How(models.TextChoices):
        WEB = "web", _("Answered online")
        PHONE = "phone", _("Phone call")
        CALL = "call", _("Video or conference call")
        IN_PERSON = "in_person", _("In person")

    community = models.ForeignKey(
        "cohorts.Community", on_delete=models.CASCADE, related_name="checkins"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="checkins",
    )
    period = models.CharField(max_length=20, help_text="The cadence step: its first day.")
    due_at = models.DateTimeField(null=True, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_answer_token, editable=False)
    answered_at = models.DateTimeField(null=True, blank=True)
    how = models.CharField(
        _("how it happened"), max_length=20, choices=How.choices, default=How.WEB
    )
    scale = models.PositiveSmallIntegerField(
        _("how is the COP doing?"), choices=Scale.choices, null=True, blank=True
    )
    successes = models.TextField(_("successes"), blank=True)
    challenges = models.TextField(_("challenges"), blank=True)
    support_wanted = models.TextField(_("support wanted from your TTA provider"), blank=True)
    anything_else = models.TextField(_("anything else"), blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Added by the check-in cycle (0008): the leader asked (a participant, who may have no
    # account yet), and the claim columns of the prompt, reminder and escalation sweeps.
    participant = models.ForeignKey(
        "cohorts.Participant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="checkins",
    )
    prompted_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-period", "community_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "leader", "period"],
                condition=models.Q(leader__isnull=False),
                name="checkin_once_per_leader_period",
            ),
            models.UniqueConstraint(
                fields=["community", "participant", "period"],
                condition=models.Q(participant__isnull=False),
                name="checkin_once_per_person_period",
            ),
        ]
        indexes = [models.Index(fields=["community", "answered_at"], name="checkin_answered")]

    def __str__(self):
        return f"Check-in {self.period} of {self.community}"

    @property
    def answered(self):
        return self.answered_at is not None


class Cadence(TimeStampedModel):
    """How often a cohort's leaders check in: the cohort's own row (no community), and a
    community's row where staff changed it for that community or paused it there."""

    cohort = models.ForeignKey(
        "cohorts.Cohort", on_delete=models.CASCADE, related_name="checkin_cadences"
    )
    community = models.OneToOneField(
        "cohorts.Community",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="checkin_cadence",
    )
    every_weeks = models.PositiveSmallIntegerField(_("every how many weeks"), default=2)
    starts_on = models.DateField(_("first check-in"))
    paused = models.BooleanField(_("paused"), default=False)
    remind_after_days = models.PositiveSmallIntegerField(
        _("remind the leader after this many days late"), default=3
    )
    escalate_after_days = models.PositiveSmallIntegerField(
        _("tell the coach after this many days late"), default=7
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cohort"],
                condition=models.Q(community__isnull=True),
                name="cadence_one_per_cohort",
            )
        ]

    def __str__(self):
        where = self.community or self.cohort
        return f"Check-in cadence of {where}"


class FollowUp(TimeStampedModel):
    """A leader's "support wanted" answer, for the community's coach to act on and answer."""

    class State(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    checkin = models.OneToOneField(CheckIn, on_delete=models.CASCADE, related_name="followup")
    community = models.ForeignKey(
        "cohorts.Community", on_delete=models.CASCADE, related_name="checkin_followups"
    )
    request = models.TextField(_("support wanted"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.NEW)
    reply = models.TextField(_("reply to the leader"), blank=True)
    replied_at = models.DateTimeField(null=True, blank=True, editable=False)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["community", "state"], name="followup_state")]

    def __str__(self):
        return f"Follow-up of {self.community}: {self.request[:40]}"

    @property
    def is_open(self):
        return self.state != self.State.DONE
