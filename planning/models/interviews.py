"""Appreciative interviews: a rotation in which every member of a community interviews
every other member once, in rounds of pairs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from copkit.models import TimeStampedModel


class InterviewRotation(TimeStampedModel):
    """A community's interview rotation and the question set the pairs use."""

    community = models.OneToOneField(
        "cohorts.Community", on_delete=models.CASCADE, related_name="interview_rotation"
    )
    questions = models.TextField(
        _("questions"),
        help_text=_("One question per line."),
    )
    minutes_per_round = models.PositiveSmallIntegerField(_("minutes per round"), default=20)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self):
        return f"Interviews of {self.community}"

    @property
    def question_list(self):
        return [line.strip() for line in self.questions.splitlines() if line.strip()]


class InterviewPair(TimeStampedModel):
    """Two members who interview each other in one round; `second` is empty when `first`
    rests that round. Each side's notes are written by the other and seen by both."""

    rotation = models.ForeignKey(InterviewRotation, on_delete=models.CASCADE, related_name="pairs")
    round_number = models.PositiveSmallIntegerField()
    first = models.ForeignKey("cohorts.Participant", on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(
        "cohorts.Participant", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    notes_on_first = models.TextField(_("notes on the first"), blank=True)
    notes_on_second = models.TextField(_("notes on the second"), blank=True)

    class Meta:
        ordering = ["round_number", "id"]

    def __str__(self):
        return f"Round {self.round_number}: {self.first} & {self.second or '(rests)'}"
