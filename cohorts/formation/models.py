"""Formation rounds: one way of forming a cohort's communities, from setting it up, through
what participants say (topic rankings, good-match lists, answers), to the engine's proposals
that staff adjust and publish as Communities.

A round keeps everything it was given and everything it proposed:
- `FormationEntry`: one per person taking part, with their personal link and their input;
- `FormationTopic`: the subject areas of a topic-choice round, each with an optional cap;
- `FormationLock`: two people who must share a group ("together") or must not ("apart");
- `FormationProposal`: each run of the engine (or CSV upload), with the problem it was given,
  its scores and its groups (`ProposedGroup`, `ProposedMember`). The newest proposal is the
  one staff edit on the review page; older ones stay as they were.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohorts.models.core import Cohort, Community, Participant, Topic, new_token
from copkit.models import TimeStampedModel

# A round's settings, as the round form edits them and the setup service takes them.
ROUND_FIELDS = (
    "name",
    "method",
    "scope",
    "size_mode",
    "size_min",
    "size_max",
    "group_count",
    "deadline",
    "instructions",
)


class FormationRound(TimeStampedModel):
    class Method(models.TextChoices):
        PREASSIGN = "preassign", _("Pre-assign")
        TOPIC = "topic", _("Topic choice")
        CRITERIA = "criteria", _("Criteria")
        MATCHING = "matching", _("Speed matching")
        MAP = "map", _("Map")

    class Status(models.TextChoices):
        SETUP = "setup", _("Setting up")
        COLLECTING = "collecting", _("Collecting input")
        REVIEW = "review", _("Reviewing groups")
        PUBLISHED = "published", _("Published")

    class Scope(models.TextChoices):
        ALL = "all", _("All participants")
        UNGROUPED = "ungrouped", _("Participants not yet in a community")

    class SizeMode(models.TextChoices):
        RANGE = "range", _("A group size from … to …")
        COUNT = "count", _("A number of groups")

    class RunState(models.TextChoices):
        IDLE = "idle", _("Idle")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        FAILED = "failed", _("Failed")

    # Methods whose participants are asked for something through their personal link.
    ASKS_PARTICIPANTS = (Method.TOPIC, Method.CRITERIA, Method.MATCHING)

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="formation_rounds")
    name = models.CharField(_("name"), max_length=200)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SETUP)
    scope = models.CharField(
        _("who takes part"), max_length=20, choices=Scope.choices, default=Scope.ALL
    )
    size_mode = models.CharField(
        _("group size"), max_length=10, choices=SizeMode.choices, default=SizeMode.RANGE
    )
    size_min = models.PositiveSmallIntegerField(_("smallest group"), null=True, blank=True)
    size_max = models.PositiveSmallIntegerField(_("largest group"), null=True, blank=True)
    group_count = models.PositiveSmallIntegerField(_("number of groups"), null=True, blank=True)
    deadline = models.DateTimeField(_("deadline for choices"), null=True, blank=True)
    instructions = models.TextField(
        _("message to participants"),
        blank=True,
        help_text=_("Shown above the choices on each person's page and in the email."),
    )
    # Criteria rounds: [{"attribute": "format", "rule": "similar"|"mix", "weight": 1..5}]
    criteria = models.JSONField(default=list, blank=True)
    custom_question = models.CharField(_("your own question"), max_length=300, blank=True)
    custom_options = models.TextField(
        _("its answers"), blank=True, help_text=_("One answer per line.")
    )
    seed = models.PositiveIntegerField(default=1)
    links_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The engine's run: small rounds run in the request, large ones in Celery.
    run_state = models.CharField(max_length=10, choices=RunState.choices, default=RunState.IDLE)
    run_progress = models.PositiveSmallIntegerField(default=0)
    run_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    run_error = models.JSONField(default=dict, blank=True)  # {"error": ..., "details": [...]}
    # The queued run's token: the task that clears it (a conditional update) runs the round; a
    # re-delivered or duplicated task finds it gone and does nothing.
    run_token = models.UUIDField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(
            "cohorts:formation-detail",
            kwargs={"cohort_slug": self.cohort.slug, "round_id": self.public_id},
        )

    @property
    def asks_participants(self):
        return self.method in self.ASKS_PARTICIPANTS

    @property
    def is_published(self):
        return self.published_at is not None

    @property
    def is_open_for_input(self):
        """Participants may change their input: the round collects and the deadline (if
        any) has not passed."""
        if self.status != self.Status.COLLECTING:
            return False
        return self.deadline is None or timezone.now() < self.deadline

    @property
    def custom_option_list(self):
        return [line.strip() for line in self.custom_options.splitlines() if line.strip()]


class FormationTopic(TimeStampedModel):
    """A subject area participants rank in a topic-choice round."""

    round = models.ForeignKey(FormationRound, on_delete=models.CASCADE, related_name="topics")
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("subject area"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    cap = models.PositiveSmallIntegerField(
        _("most people"),
        null=True,
        blank=True,
        help_text=_("Optional: the most people this area can take, across all its groups."),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class FormationEntry(TimeStampedModel):
    """A person taking part in a round, their personal link and what they said."""

    round = models.ForeignKey(FormationRound, on_delete=models.CASCADE, related_name="entries")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="formation_entries"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    # Speed matching: public ids (as strings) of the people marked as a good match.
    choices = models.JSONField(default=list, blank=True)
    # Topic choice: FormationTopic public ids (as strings), most wanted first.
    ranking = models.JSONField(default=list, blank=True)
    # Criteria: answers to what the round asks ({"commitment": 3, "custom": "..."}).
    answers = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["participant__name"]
        verbose_name_plural = "formation entries"
        constraints = [
            models.UniqueConstraint(
                fields=["round", "participant"], name="formationentry_one_per_person"
            )
        ]

    def __str__(self):
        return f"{self.participant} in {self.round}"

    def get_answer_url(self):
        return reverse("formation-answer", kwargs={"token": self.token})


class FormationLock(TimeStampedModel):
    """Two people who must share a group, or must not."""

    class Kind(models.TextChoices):
        TOGETHER = "together", _("Together")
        APART = "apart", _("Apart")

    round = models.ForeignKey(FormationRound, on_delete=models.CASCADE, related_name="locks")
    first = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["round", "first", "second"], name="formationlock_pair"),
            models.CheckConstraint(
                condition=~Q(first=models.F("second")), name="formationlock_two_people"
            ),
        ]

    def __str__(self):
        return f"{self.first} {self.get_kind_display().lower()} {self.second}"


class FormationProposal(TimeStampedModel):
    """One set of groups for a round: from the engine, or from a CSV. Staff edit the newest."""

    class Source(models.TextChoices):
        ENGINE = "engine", _("Formed by copkit")
        CSV = "csv", _("Uploaded CSV")
        MANUAL = "manual", _("Placed by hand")

    round = models.ForeignKey(FormationRound, on_delete=models.CASCADE, related_name="proposals")
    number = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ENGINE)
    problem = models.JSONField(default=dict)  # the engine's input, as sent
    scores = models.JSONField(default=dict)  # the engine's scores, recomputed after each edit
    warnings = models.JSONField(default=list, blank=True)  # what was left out, and why
    elapsed_s = models.FloatField(null=True, blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="formationproposal_number")
        ]

    def __str__(self):
        return f"{self.round} · proposal {self.number}"


class ProposedGroup(TimeStampedModel):
    proposal = models.ForeignKey(FormationProposal, on_delete=models.CASCADE, related_name="groups")
    label = models.CharField(max_length=40)  # the engine's group id ("g1")
    name = models.CharField(_("community name"), max_length=200)
    topic = models.ForeignKey(
        FormationTopic, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)
    # The engine's figures for this group: criteria met, spread in km, kept choices, ...
    details = models.JSONField(default=dict, blank=True)
    community = models.ForeignKey(
        Community, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who leads the community once published (members of this group, chosen by staff).
    leader = models.ForeignKey(
        Participant,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("leader"),
    )
    co_leader = models.ForeignKey(
        Participant,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("co-leader"),
    )

    class Meta:
        ordering = ["position", "label"]

    def __str__(self):
        return self.name


class ProposedMember(models.Model):
    proposal = models.ForeignKey(
        FormationProposal, on_delete=models.CASCADE, related_name="members"
    )
    group = models.ForeignKey(ProposedGroup, on_delete=models.CASCADE, related_name="members")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["participant__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "participant"], name="proposedmember_once_per_proposal"
            )
        ]

    def __str__(self):
        return f"{self.participant} in {self.group}"
