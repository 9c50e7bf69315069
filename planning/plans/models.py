"""A community's action plan: its parts (filled in over several sessions), the versions
submitted for review, comments, and the cohort's editable template of prompts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from copkit.models import TimeStampedModel


class PlanTemplate(TimeStampedModel):
    """The cohort's wording of the plan's parts. `parts` maps a part key to the texts staff
    changed ({"title": ..., "prompt": ..., "help_text": ...}); anything missing falls back
    to copkit's default wording in planning/plans/parts.py."""

    cohort = models.OneToOneField(
        "cohorts.Cohort", on_delete=models.CASCADE, related_name="plan_template"
    )
    parts = models.JSONField(default=dict, blank=True)

    def __str__(self):
        return f"Action plan template of {self.cohort}"


class ActionPlan(TimeStampedModel):
    """A community's plan, created when someone first opens it: at most one of each kind.
    The action plan says how the COP works during the program; the sunset plan how it goes
    on after it (its parts in planning/sunset/plan_parts.py). Both share the parts, versions,
    comments and review below; `planning.plans.kinds` says what differs."""

    class Kind(models.TextChoices):
        ACTION = "action", _("Action plan")
        SUNSET = "sunset", _("Sunset plan")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being written")
        SUBMITTED = "submitted", _("Submitted for review")
        RETURNED = "returned", _("Returned with comments")
        APPROVED = "approved", _("Approved")

    community = models.ForeignKey(
        "cohorts.Community", on_delete=models.CASCADE, related_name="plans"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ACTION)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "kind"], name="actionplan_one_per_kind")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.community}"


class PlanPart(TimeStampedModel):
    """The answer to one part. `revision` goes up by one on every save; a save names the
    revision it started from, so two people editing at once never overwrite each other."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="parts")
    key = models.CharField(max_length=40)
    data = models.JSONField(default=dict, blank=True)
    revision = models.PositiveIntegerField(default=0)
    # Whether `data` answers every required field (plan_parts.is_complete), kept with the data
    # so that lists of many plans count done parts in SQL. save() sets it; so must every
    # bulk_create and update() that writes `data`.
    complete = models.BooleanField(default=False, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["plan", "key"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="planpart_one_per_key")]

    def __str__(self):
        return f"{self.plan} · {self.key}"

    def save(self, *args, **kwargs):
        self.complete = self.answers_all()
        super().save(*args, **kwargs)

    def answers_all(self):
        from planning.plans.kinds import kind_of
        from planning.plans.parts import is_complete

        part = kind_of(self.plan).part(self.key)
        return part is not None and is_complete(part, self.data)


class PlanVersion(TimeStampedModel):
    """A submitted plan, frozen: every part's data and its text as it read then."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned with comments")

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    data = models.JSONField(default=dict)  # part key -> data
    texts = models.JSONField(default=dict)  # part key -> as_text() then
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    review_comment = models.TextField(_("comment for the leaders"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="planversion_unique_number")
        ]

    def __str__(self):
        return f"{self.plan} · version {self.number}"


class PlanComment(TimeStampedModel):
    """A comment on a part of the plan (or on the whole plan when `part_key` is empty)."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="comments")
    part_key = models.CharField(max_length=40, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("comment"))
    version_number = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"Comment on {self.plan} · {self.part_key or 'plan'}"
