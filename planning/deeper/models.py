"""Going-deeper activities: what a COP can do after a training to take it further.

A cohort keeps a list of `DeeperActivity` (seeded with copkit's starter set; staff add, edit
and retire their own). Staff suggest one to a community, or to every community at once, with
the training it follows and a date to do it by: each community gets its own
`DeeperSuggestion`, which its leaders accept (or decline with a reason), plan onto one of the
community's meetings, and mark done with a short reflection.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from copkit.models import TimeStampedModel


class DeeperActivity(TimeStampedModel):
    """One activity on a cohort's list, with what it is and the steps to run it."""

    cohort = models.ForeignKey(
        "cohorts.Cohort", on_delete=models.CASCADE, related_name="deeper_activities"
    )
    # Names a starter activity ("grant-review"), so the starter set is added once per cohort;
    # an activity staff wrote has none.
    starter = models.CharField(max_length=40, blank=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    training = models.CharField(
        _("goes with a training on"),
        max_length=200,
        blank=True,
        help_text=_("The kind of training this activity follows, e.g. “grant writing”."),
    )
    description = models.TextField(
        _("what it is"), help_text=_("Why a COP would do it and what members get from it.")
    )
    steps = models.TextField(
        _("steps"), help_text=_("One step per line, in the order the group takes them.")
    )
    position = models.PositiveSmallIntegerField(default=0, editable=False)
    retired_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position", "title"]
        verbose_name_plural = "deeper activities"
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "starter"],
                condition=~models.Q(starter=""),
                name="deeper_starter_once_per_cohort",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("planning:deeper-activity", args=[self.cohort.slug, self.public_id])

    @property
    def is_retired(self):
        return self.retired_at is not None

    @property
    def step_list(self):
        return [line.strip() for line in self.steps.splitlines() if line.strip()]


class DeeperSuggestion(TimeStampedModel):
    """An activity suggested to one community, and how far the community took it."""

    class State(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested")
        ACCEPTED = "accepted", _("Accepted")
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        DECLINED = "declined", _("Declined")

    OPEN_STATES = (State.SUGGESTED, State.ACCEPTED, State.PLANNED)
    # The states a member (not a leader) sees: what the group is going to do, or did.
    MEMBER_STATES = (State.ACCEPTED, State.PLANNED, State.DONE)

    activity = models.ForeignKey(
        DeeperActivity, on_delete=models.CASCADE, related_name="suggestions"
    )
    community = models.ForeignKey(
        "cohorts.Community", on_delete=models.CASCADE, related_name="deeper_suggestions"
    )
    training = models.CharField(_("the training it follows"), max_length=200)
    due_on = models.DateField(_("do it by"))
    note = models.TextField(_("a note to the leaders"), blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.SUGGESTED)
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decline_reason = models.TextField(_("why not"), blank=True)
    meeting = models.ForeignKey(
        "planning.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deeper_suggestions",
    )
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    what_we_did = models.TextField(_("what the group did"), blank=True)
    what_we_learned = models.TextField(_("what the group learned"), blank=True)
    # When the leaders were reminded that the date to do it by is near (the due-date sweep's
    # claim column); empty while not reminded.
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            # A double click, or "suggest to all" twice, gives a community one open copy.
            models.UniqueConstraint(
                fields=["activity", "community"],
                condition=models.Q(state__in=["suggested", "accepted", "planned"]),
                name="deeper_one_open_per_community",
            )
        ]
        indexes = [models.Index(fields=["community", "state"], name="deeper_community_state")]

    def __str__(self):
        return f"{self.activity} · {self.community}"

    def get_absolute_url(self):
        return reverse(
            "planning:deeper-suggestion",
            args=[self.community.cohort.slug, self.community.slug, self.public_id],
        )

    @property
    def is_open(self):
        return self.state in self.OPEN_STATES
