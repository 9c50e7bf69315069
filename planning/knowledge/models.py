"""Knowledge a COP writes down, and the library that keeps it after the cohort ends.

A member drafts a `KnowledgeItem` from one of three templates (planning.knowledge.blueprints):
a case study, a promising practice or a lesson learned. Its answers are kept in `fields`,
keyed by the template's field names. Shared, it is read within its `scope`: the COP, the
cohort, every cohort on this site (one copkit site is one TTA provider), or the public. Members
respond with a `KnowledgeComment`; the COP's leaders mark a promising practice as agreed by
the group. Staff ask the leaders for items with a `KnowledgeRequest`, and add resources of
their own (`Resource`: guides, trainings, recordings) to the same library.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from copkit.models import TimeStampedModel


class Scope(models.TextChoices):
    COMMUNITY = "community", _("The community")
    COHORT = "cohort", _("The whole cohort")
    PROVIDER = "provider", _("Every cohort of this TTA provider, now and later")
    PUBLIC = "public", _("Anyone, on a public page without login")


# The scopes an author may choose; wider ones are the staff's to give.
AUTHOR_SCOPES = (Scope.COMMUNITY, Scope.COHORT)


class KnowledgeItem(TimeStampedModel):
    """A case study, promising practice or lesson learned of one community."""

    class Kind(models.TextChoices):
        CASE_STUDY = "case_study", _("Case study")
        PRACTICE = "practice", _("Promising practice")
        LESSON = "lesson", _("Lesson learned")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SHARED = "shared", _("Shared")

    community = models.ForeignKey(
        "cohorts.Community", on_delete=models.CASCADE, related_name="knowledge_items"
    )
    cohort = models.ForeignKey(
        "cohorts.Cohort", on_delete=models.CASCADE, related_name="knowledge_items"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        "cohorts.Participant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="knowledge_items",
    )
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fields = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.COMMUNITY)
    show_author_publicly = models.BooleanField(
        _("show my name on the public page"),
        default=False,
        help_text=_("Only if your TTA team makes this public. Your name stays off it otherwise."),
    )
    topic = models.ForeignKey(
        "cohorts.Topic",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="knowledge_items",
        verbose_name=_("practice area"),
    )
    shared_at = models.DateTimeField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The title and every answer in one text, for the library's search (kept by the service).
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-shared_at", "-created_at"]
        indexes = [
            models.Index(fields=["state", "scope"], name="knowledge_state_scope"),
            models.Index(fields=["community", "state"], name="knowledge_community_state"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "planning:knowledge-item",
            args=[self.cohort.slug, self.community.slug, self.public_id],
        )

    def get_library_url(self):
        return reverse("library-item", args=[self.public_id])

    def get_public_url(self):
        return reverse("library-public", args=[self.public_id])

    @property
    def is_shared(self):
        return self.state == self.State.SHARED

    @property
    def is_agreed(self):
        return self.agreed_at is not None


class KnowledgeComment(TimeStampedModel):
    """A member's response to a shared item (on a case study: a way to solve the problem)."""

    item = models.ForeignKey(KnowledgeItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        "cohorts.Participant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("your response"))

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.item} · {self.created_at:%Y-%m-%d}"

    @property
    def author_name(self):
        if self.author_id:
            return self.author.name
        return self.author_user.get_full_name() if self.author_user_id else ""


class KnowledgeRequest(TimeStampedModel):
    """Staff asking one community's leaders for items; open until the community shares one
    (of the kind asked for, if any) after the request."""

    cohort = models.ForeignKey(
        "cohorts.Cohort", on_delete=models.CASCADE, related_name="knowledge_requests"
    )
    community = models.ForeignKey(
        "cohorts.Community", on_delete=models.CASCADE, related_name="knowledge_requests"
    )
    kind = models.CharField(
        _("what to share"), max_length=20, choices=KnowledgeItem.Kind.choices, blank=True
    )
    note = models.TextField(_("a note to the leaders"), blank=True)
    due_on = models.DateField(_("share by"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display() or _('Anything')} · {self.community}"


class Resource(TimeStampedModel):
    """A guide, training or recording the TTA staff add to the library."""

    cohort = models.ForeignKey(
        "cohorts.Cohort", on_delete=models.CASCADE, related_name="knowledge_resources"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what it is"), help_text=_("Who it is for, in a sentence."))
    url = models.URLField(
        _("link"), blank=True, help_text=_("Where it lives: a recording, a document, a page.")
    )
    body = models.TextField(_("text"), blank=True, help_text=_("Or write the guide here."))
    areas = models.CharField(
        _("practice areas"),
        max_length=500,
        blank=True,
        help_text=_("Separated by commas, e.g. “board development, online meetings”."),
    )
    # "|board development|online meetings|": lower-cased, for matching a need's area.
    areas_key = models.CharField(max_length=520, blank=True, editable=False)
    scope = models.CharField(
        _("who can read it"), max_length=20, choices=Scope.choices, default=Scope.PROVIDER
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_library_url(self):
        return reverse("library-resource", args=[self.public_id])

    @property
    def area_list(self):
        return [area for area in self.areas_key.strip("|").split("|") if area]
