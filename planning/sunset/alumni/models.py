"""The alumni network: a space staff open toward the end of the program for every member of
every COP of the cohort (and, if they choose, of the earlier cohorts of this TTA provider),
with its discussion and its directory; and the groups each COP keeps on outside networks.

The discussion reuses the workspace's `Post` (author, words, edits, hiding); its threads are
the space's own rather than a COP's, so they live in tables of their own. A directory entry
exists only while its person opts in: opting out deletes it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from copkit.models import TimeStampedModel
from planning.workspace.models import Post

USER = settings.AUTH_USER_MODEL


class AlumniSpace(TimeStampedModel):
    """The alumni space of one cohort, opened once by its staff."""

    cohort = models.OneToOneField(
        "cohorts.Cohort", on_delete=models.CASCADE, related_name="alumni_space"
    )
    include_earlier = models.BooleanField(
        _("include the members of earlier cohorts"),
        default=False,
        help_text=_(
            "Members of this TTA provider's cohorts that started before this one join too, "
            "and their COPs' shared knowledge shows in the space."
        ),
    )
    welcome = models.TextField(_("welcome message"), blank=True)
    opened_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self):
        return f"Alumni space of {self.cohort}"


class DirectoryEntry(TimeStampedModel):
    """One person's listing in a space's directory, with only what they chose to share."""

    space = models.ForeignKey(AlumniSpace, on_delete=models.CASCADE, related_name="entries")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    show_email = models.BooleanField(_("my email address"), default=False)
    email = models.EmailField(_("email"), blank=True)
    show_phone = models.BooleanField(_("my phone number"), default=False)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    show_organization = models.BooleanField(_("my organization"), default=False)
    organization = models.CharField(_("organization"), max_length=200, blank=True)
    show_expertise = models.BooleanField(_("my expertise"), default=False)
    expertise = models.TextField(_("expertise"), blank=True)
    show_link = models.BooleanField(_("a profile link"), default=False)
    link = models.URLField(_("profile link"), max_length=300, blank=True)
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name_plural = "directory entries"
        constraints = [models.UniqueConstraint(fields=["space", "user"], name="alumni_entry_once")]

    def __str__(self):
        return self.name


class AlumniThread(Post):
    """A conversation in the alumni space."""

    space = models.ForeignKey(AlumniSpace, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(_("title"), max_length=200)
    last_activity_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-last_activity_at", "-pk"]

    def __str__(self):
        return self.title


class AlumniReply(Post):
    thread = models.ForeignKey(AlumniThread, on_delete=models.CASCADE, related_name="replies")

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "alumni replies"

    def __str__(self):
        return f"Reply to {self.thread}"


class NetworkGroup(TimeStampedModel):
    """A COP's group on an outside network, for its members to join."""

    class Kind(models.TextChoices):
        LINKEDIN = "linkedin", _("LinkedIn group")
        FACEBOOK = "facebook", _("Facebook group")
        OTHER = "other", _("Other")

    community = models.ForeignKey(
        "cohorts.Community", on_delete=models.CASCADE, related_name="network_groups"
    )
    kind = models.CharField(_("network"), max_length=20, choices=Kind.choices)
    label = models.CharField(_("name"), max_length=120, blank=True)
    url = models.URLField(_("link"), max_length=300)
    added_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["kind", "pk"]

    def __str__(self):
        return self.label or self.get_kind_display()

    @property
    def title(self):
        return self.label or self.get_kind_display()
