"""Evaluations and goals: how a COP checks, with its members, whether it is meeting its goals,
and what it agrees to change.

- `Goal` is one goal of a community's action plan (the plan's "goals" part), kept as a row so
  that its progress can be told over time. The plan stays the source of the goal's wording:
  `sync_goals` copies the part's entries into rows by position, and retires a row whose entry
  was removed.
- `GoalUpdate` is one dated status of a goal (not started, on track, at risk, met, dropped),
  with a note and, where the indicator counts something, a measured value. The goal keeps
  its latest status and value beside it, so lists read them without a subquery.
- `EvaluationRound` is one evaluation staff schedule (for example "Mid-way" or "End of the
  program") at a date, for one community or all, in one of two forms: an online survey of the
  members, or a facilitated discussion with the leaders that staff record.
- `Evaluation` is that round for one community. Either way its questions live in a `Survey` of
  kind EVALUATION (copied from the cohort's evaluation template, with one question per goal of
  the plan): the survey form sends it to the members with personal links and reminders; the
  discussion form has no recipients, and staff record the group's answers as one response.
- `StructureDecision` is what leaders and staff agree to change after an evaluation (meeting
  format, frequency, roles, goals), with its date; it can open the plan for a revision.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from copkit.models import TimeStampedModel


class GoalStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    MET = "met", _("Met")
    DROPPED = "dropped", _("Dropped")


class Goal(TimeStampedModel):
    """One goal of a community's action plan, at `position` in the plan's goals part."""

    community = models.ForeignKey(
        "cohorts.Community", on_delete=models.CASCADE, related_name="goals"
    )
    position = models.PositiveSmallIntegerField()
    text = models.CharField(_("goal"), max_length=500)
    indicator = models.CharField(_("how we will know"), max_length=500, blank=True)
    target_date = models.DateField(_("by when"), null=True, blank=True)
    # The latest update's status, date and value (None: never measured).
    status = models.CharField(
        _("status"), max_length=20, choices=GoalStatus.choices, default=GoalStatus.NOT_STARTED
    )
    status_on = models.DateField(null=True, blank=True)
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    # Set when the goal's entry left the plan; its history stays.
    retired_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["community", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "position"],
                condition=models.Q(retired_at__isnull=True),
                name="goal_one_live_per_position",
            )
        ]
        indexes = [models.Index(fields=["community", "retired_at"], name="goal_live")]

    def __str__(self):
        return self.text


class GoalUpdate(TimeStampedModel):
    """One dated status of a goal, from a leader or staff, a check-in or an evaluation."""

    class Source(models.TextChoices):
        COMMUNITY_PAGE = "page", _("Community page")
        CHECKIN = "checkin", _("Check-in")
        EVALUATION = "evaluation", _("Evaluation")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(_("status"), max_length=20, choices=GoalStatus.choices)
    recorded_on = models.DateField(_("as of"))
    note = models.TextField(_("note"), blank=True)
    value = models.DecimalField(
        _("measured value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.COMMUNITY_PAGE)
    checkin = models.ForeignKey(
        "planning.CheckIn", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evaluation = models.ForeignKey(
        "planning.Evaluation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="goal_updates",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["goal", "recorded_on", "created_at"]
        indexes = [models.Index(fields=["goal", "recorded_on"], name="goalupdate_goal_day")]

    def __str__(self):
        return f"{self.goal} · {self.get_status_display()} on {self.recorded_on}"


class EvaluationRound(TimeStampedModel):
    """An evaluation staff scheduled for one community or all of a cohort's communities."""

    class Form(models.TextChoices):
        SURVEY = "survey", _("Online survey of the members")
        DISCUSSION = "discussion", _("Facilitated discussion with the leaders")

    cohort = models.ForeignKey(
        "cohorts.Cohort", on_delete=models.CASCADE, related_name="evaluation_rounds"
    )
    title = models.CharField(_("title"), max_length=200)
    form = models.CharField(_("form"), max_length=20, choices=Form.choices, default=Form.SURVEY)
    opens_on = models.DateField(_("date"))
    closes_on = models.DateField(_("answers close"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["cohort", "opens_on", "created_at"]

    def __str__(self):
        return self.title


class Evaluation(TimeStampedModel):
    """One community's evaluation in a round: its survey of questions, and (discussion form)
    the response staff recorded for the group."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="evaluations")
    community = models.ForeignKey(
        "cohorts.Community", on_delete=models.CASCADE, related_name="evaluations"
    )
    survey = models.OneToOneField(
        "planning.Survey",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evaluation",
    )
    discussion = models.OneToOneField(
        "planning.Response",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)
    # Claim column of the sweep that opens the evaluation on its date (copkit.later).
    opened_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["round", "community"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "community"], name="evaluation_once_per_round_community"
            )
        ]
        indexes = [models.Index(fields=["opened_at"], name="evaluation_unopened")]

    def __str__(self):
        return f"{self.round} · {self.community}"


class StructureDecision(TimeStampedModel):
    """A change to the COP's structure that leaders and staff agreed, with its date."""

    class Area(models.TextChoices):
        MEETING_FORMAT = "meeting_format", _("Meeting format")
        FREQUENCY = "frequency", _("How often we meet")
        ROLES = "roles", _("Roles")
        GOALS = "goals", _("Goals")
        OTHER = "other", _("Something else")

    community = models.ForeignKey(
        "cohorts.Community", on_delete=models.CASCADE, related_name="structure_decisions"
    )
    evaluation = models.ForeignKey(
        Evaluation, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    area = models.CharField(_("what changes"), max_length=20, choices=Area.choices)
    decision = models.TextField(_("what we agreed"))
    decided_on = models.DateField(_("agreed on"))
    reopened_plan = models.BooleanField(default=False, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["community", "-decided_on", "-created_at"]

    def __str__(self):
        return f"{self.get_area_display()} · {self.community}"
