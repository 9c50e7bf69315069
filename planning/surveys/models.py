"""Surveys (needs assessments, expertise inventories, any questionnaire), the people they are
sent to, their answers, and live poll sessions run from a survey's questions."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from copkit.models import TimeStampedModel


def new_token():
    return secrets.token_urlsafe(24)


# Short join codes: no 0/O, 1/I/L, so they read aloud and type on a phone without doubt.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Survey(TimeStampedModel):
    """A questionnaire of a cohort, or of one community in it."""

    class Kind(models.TextChoices):
        NEEDS = "needs", _("Needs assessment")
        EXPERTISE = "expertise", _("Expertise inventory")
        POLL = "poll", _("Live poll questions")
        EVALUATION = "evaluation", _("Evaluation")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.CASCADE, related_name="surveys")
    community = models.ForeignKey(
        "cohorts.Community",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="surveys",
        verbose_name=_("community"),
        help_text=_("Leave empty for a survey of the whole cohort."),
    )
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("Shown above the questions: why you ask and how the answers will be used."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    reminder_limit = models.PositiveSmallIntegerField(
        _("reminders at most"),
        default=2,
        help_text=_("How many reminders a person who has not answered may get (0: none)."),
    )
    reminder_interval_days = models.PositiveSmallIntegerField(
        _("days between reminders"), default=3
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # A live poll's questions are answered in the room, as the presenter shows them:
        # nobody is sent a link, so nobody is reminded.
        if self.kind == self.Kind.POLL:
            self.reminder_limit = 0
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "planning:survey-detail",
            kwargs={"cohort_slug": self.cohort.slug, "survey_id": self.public_id},
        )

    @property
    def is_open(self):
        if self.status != self.Status.OPEN:
            return False
        return self.closes_at is None or timezone.now() < self.closes_at


class Question(TimeStampedModel):
    """One question of a survey. `choices` holds the options of the choice kinds."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        PICK_N = "pick_n", _("Pick up to N")
        RATING = "rating", _("Rating scale")
        RANKING = "ranking", _("Ranking")
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE, Kind.PICK_N, Kind.RANKING)
    TEXT_KINDS = (Kind.SHORT_TEXT, Kind.LONG_TEXT)

    class Fills(models.TextChoices):
        NOTHING = "", _("Nothing")
        NEEDS = "needs", _("Needs in the inventory")
        EXPERTISE = "expertise", _("Expertise in the inventory")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.SINGLE)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=False)
    choices = models.JSONField(_("options"), default=list, blank=True)
    max_picks = models.PositiveSmallIntegerField(_("pick at most"), null=True, blank=True)
    scale_min = models.SmallIntegerField(_("scale from"), default=1)
    scale_max = models.SmallIntegerField(_("scale to"), default=5)
    scale_min_label = models.CharField(_("label of the low end"), max_length=60, blank=True)
    scale_max_label = models.CharField(_("label of the high end"), max_length=60, blank=True)
    fills = models.CharField(
        _("answers fill"),
        max_length=20,
        choices=Fills.choices,
        default=Fills.NOTHING,
        blank=True,
        help_text=_(
            "Options named like the cohort's topics become needs or expertise in the "
            "inventory of the person who picks them."
        ),
    )

    # What an evaluation question measures (planning/evaluations/bank.py names the keys:
    # "goal_progress", "practice_change", "value", ...), so reports find its answers whatever
    # staff made of its wording; empty for other questions. A goal-progress question names
    # the plan's goal it asks about.
    measures = models.CharField(max_length=30, blank=True, editable=False)
    goal = models.ForeignKey(
        "planning.Goal", null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text

    @property
    def is_choice(self):
        return self.kind in self.CHOICE_KINDS

    @property
    def is_text(self):
        return self.kind in self.TEXT_KINDS


class SurveyRecipient(TimeStampedModel):
    """A participant a survey was sent to, with their personal link."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="recipients")
    participant = models.ForeignKey(
        "cohorts.Participant", on_delete=models.CASCADE, related_name="survey_links"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["participant__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "participant"], name="surveyrecipient_one_per_participant"
            )
        ]

    def __str__(self):
        return f"{self.participant} · {self.survey}"

    def get_answer_url(self):
        return reverse("survey-answer", kwargs={"token": self.token})


class LiveSession(TimeStampedModel):
    """A live poll run from a survey's questions while a presenter shows the results."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="live_sessions")
    code = models.CharField(max_length=12, default=new_code)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    current_question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    results_visible = models.BooleanField(
        _("show results to participants"),
        default=False,
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(status="open"), name="livesession_open_code_unique"
            )
        ]

    def __str__(self):
        return f"{self.survey} · {self.code}"

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    def get_join_url(self):
        return reverse("live-vote", kwargs={"code": self.code})


class Response(TimeStampedModel):
    """One person's answers to a survey: through their personal link, or in a live session.

    `voter_key` identifies the voter within a live session ("p<participant id>" for a known
    participant, "a<random>" for an anonymous phone); it is empty for survey responses.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    participant = models.ForeignKey(
        "cohorts.Participant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
    )
    recipient = models.OneToOneField(
        SurveyRecipient, null=True, blank=True, on_delete=models.CASCADE, related_name="response"
    )
    live_session = models.ForeignKey(
        LiveSession, null=True, blank=True, on_delete=models.CASCADE, related_name="responses"
    )
    voter_key = models.CharField(max_length=40, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["live_session", "voter_key"],
                condition=Q(live_session__isnull=False),
                name="response_one_per_voter",
            )
        ]

    def __str__(self):
        return f"Response to {self.survey}"


class Answer(models.Model):
    """The answer to one question. `value` is a string (single choice, text), an integer
    (rating) or a list of strings (multiple, pick up to N, ranking in order)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_one_per_question")
        ]

    def __str__(self):
        return f"{self.question}: {self.value}"
