"""The needs stage's records: the needs-and-expertise inventory (what each participant needs
and can offer, the need -> expertise connections of a community's web), dot voting on its
common needs, and the appreciative interviews (a rotation in which every member interviews
every other member once, in rounds of pairs)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from copkit.models import TimeStampedModel


class InventoryEntry(TimeStampedModel):
    """One need or one area of expertise of a participant, tagged with a practice area
    (a topic of the cohort) and described in a sentence."""

    class Kind(models.TextChoices):
        NEED = "need", _("Need")
        EXPERTISE = "expertise", _("Expertise")

    class Source(models.TextChoices):
        SELF = "self", _("Entered by the member")
        SURVEY = "survey", _("From a survey")
        LIVE = "live", _("From a live poll")
        STAFF = "staff", _("Entered by staff")
        LEADER = "leader", _("Entered by a leader")

    participant = models.ForeignKey(
        "cohorts.Participant", on_delete=models.CASCADE, related_name="inventory"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    topic = models.ForeignKey(
        "cohorts.Topic",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inventory_entries",
        verbose_name=_("practice area"),
    )
    description = models.CharField(_("in a sentence"), max_length=300, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.SELF)

    class Meta:
        ordering = ["kind", "topic__name", "created_at"]
        verbose_name_plural = "inventory entries"
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "kind", "topic"],
                condition=Q(topic__isnull=False),
                name="inventory_one_per_topic",
            )
        ]

    def __str__(self):
        area = self.topic.name if self.topic_id else self.description
        return f"{self.participant} · {self.get_kind_display()}: {area}"

    @property
    def label(self):
        if self.topic_id and self.description:
            return f"{self.topic.name}: {self.description}"
        return self.topic.name if self.topic_id else self.description


class Connection(TimeStampedModel):
    """A confirmed thread of a community's web: `helper` can help with `need`."""

    community = models.ForeignKey(
        "cohorts.Community", on_delete=models.CASCADE, related_name="connections"
    )
    need = models.ForeignKey(InventoryEntry, on_delete=models.CASCADE, related_name="connections")
    helper = models.ForeignKey(
        "cohorts.Participant", on_delete=models.CASCADE, related_name="helping"
    )
    expertise = models.ForeignKey(
        InventoryEntry,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="helping_with",
    )
    note = models.CharField(
        _("how they could help"),
        max_length=300,
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "need", "helper"], name="connection_one_per_pair"
            )
        ]

    def __str__(self):
        return f"{self.helper} -> {self.need}"


class CommonNeed(TimeStampedModel):
    """A need many members share, put to the dot vote. The chosen top three carry a rank."""

    community = models.ForeignKey(
        "cohorts.Community", on_delete=models.CASCADE, related_name="common_needs"
    )
    topic = models.ForeignKey(
        "cohorts.Topic",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("practice area"),
    )
    title = models.CharField(_("need"), max_length=200)
    description = models.CharField(_("in a sentence"), max_length=300, blank=True)
    chosen_rank = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    VOTES_PER_MEMBER = 3
    TOP = 3

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "chosen_rank"],
                condition=Q(chosen_rank__isnull=False),
                name="commonneed_one_per_rank",
            )
        ]

    def __str__(self):
        return self.title


class NeedVote(models.Model):
    """One of a member's three dots on a common need."""

    need = models.ForeignKey(CommonNeed, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(
        "cohorts.Participant", on_delete=models.CASCADE, related_name="need_votes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["need", "participant"], name="needvote_one_per_need")
        ]

    def __str__(self):
        return f"{self.participant} -> {self.need}"


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
