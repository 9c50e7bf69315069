"""Collective TTA requests: a community asks its TTA provider for help for the whole group
(training, one-to-one help, a peer exchange, a resource), and staff triage it.

A `TTARequest` belongs to a community. Its leaders (or staff on their behalf) file it; every
member reads it. Staff move it through its states (new → accepted → scheduled → delivered, or
declined with a reason), give it an assignee and a due date, link the meeting or training
that answers it, and write a reply the community reads. Each change leaves a
`TTARequestEvent`: who, when, and what changed from what to what.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from copkit.models import TimeStampedModel


class TTARequest(TimeStampedModel):
    """One request of a community to its TTA provider."""

    class State(models.TextChoices):
        NEW = "new", _("New")
        ACCEPTED = "accepted", _("Accepted")
        SCHEDULED = "scheduled", _("Scheduled")
        DELIVERED = "delivered", _("Delivered")
        DECLINED = "declined", _("Declined")

    class Format(models.TextChoices):
        TRAINING = "training", _("A training for the group")
        COACHING = "coaching", _("One-to-one help for the group's leaders or members")
        PEER_EXCHANGE = "peer_exchange", _("A peer exchange with another group")
        RESOURCE = "resource", _("A resource: a guide, a template, a recording")
        OTHER = "other", _("Something else")

    OPEN_STATES = (State.NEW, State.ACCEPTED, State.SCHEDULED)

    community = models.ForeignKey(
        "cohorts.Community", on_delete=models.CASCADE, related_name="tta_requests"
    )
    what = models.TextField(_("what help you want"))
    why_now = models.TextField(_("why now"))
    for_everyone = models.BooleanField(_("for every member"), default=True)
    serves = models.ManyToManyField("cohorts.Participant", blank=True, related_name="+")
    format = models.CharField(_("the form it takes"), max_length=20, choices=Format.choices)
    format_other = models.CharField(_("what form"), max_length=200, blank=True)
    wanted_by = models.DateField(_("needed by"), null=True, blank=True)
    timing = models.CharField(_("good times"), max_length=300, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Triage, by staff.
    state = models.CharField(max_length=20, choices=State.choices, default=State.NEW)
    decline_reason = models.TextField(_("why not"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tta_requests",
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    meeting = models.ForeignKey(
        "planning.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tta_requests",
    )
    convening = models.ForeignKey(
        "planning.Convening",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tta_requests",
    )
    training = models.CharField(_("training"), max_length=200, blank=True)
    reply = models.TextField(_("reply to the community"), blank=True)
    replied_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When a leader last opened the request after a reply: until then, their home page asks
    # them to read it.
    reply_seen_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The first time staff changed or answered it: the dashboard's time to a first answer.
    first_answer_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "pk"]
        indexes = [
            models.Index(fields=["community", "state"], name="ttarequest_community_state"),
        ]

    def __str__(self):
        first_line = self.what.strip().splitlines()[0] if self.what.strip() else ""
        return first_line[:80]

    def get_absolute_url(self):
        return reverse(
            "planning:tta-request",
            args=[self.community.cohort.slug, self.community.slug, self.public_id],
        )

    @property
    def is_open(self):
        return self.state in self.OPEN_STATES

    @property
    def format_text(self):
        if self.format == self.Format.OTHER and self.format_other:
            return self.format_other
        return self.get_format_display()


class TTARequestEvent(models.Model):
    """One change to a request: who made it, when, and each field's value before and after
    (`changes`: a list of {"field", "before", "after"} as people read them)."""

    request = models.ForeignKey(TTARequest, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    changes = models.JSONField(default=list)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.request} · {self.at:%Y-%m-%d %H:%M}"
