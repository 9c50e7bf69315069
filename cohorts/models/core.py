"""Who: cohorts, their staff and observers, organizations, participants, invitations,
topics, communities of practice and their memberships."""

import secrets
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from copkit.models import TimeStampedModel


def unique_slug(queryset, text, max_length=60):
    """A slug for `text` that no row of `queryset` has yet (`name`, `name-2`, ...)."""
    base = slugify(text)[: max_length - 4].strip("-") or "item"
    slug, n = base, 1
    taken = set(queryset.filter(slug__startswith=base).values_list("slug", flat=True))
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


class FormatPreference(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIRTUAL = "virtual", _("Virtual")
    EITHER = "either", _("Either")


def default_time_zone():
    """The deployment's zone (settings.TIME_ZONE), read when a cohort is made, not frozen
    into a migration."""
    return settings.TIME_ZONE


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a time zone, like America/Chicago."), params={"value": value}
        )


class CohortQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Cohorts in which `user` holds any role: staff, observer or participant."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(Q(roles__user=user) | Q(participants__user=user)).distinct()


class Cohort(TimeStampedModel):
    """A TTA program's group of participants, with its start and end dates."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("program starts"))
    ends_on = models.DateField(_("program ends"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=60,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text=_("Deadlines, closing times and emails of this cohort are shown in it."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when staff close the cohort: from then on it is read-only (copkit.hub.closing
    # refuses every write), and no later work prompts its people. Reopening clears it.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="cohort_ends_after_start",
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Cohort.objects.all(), self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("cohorts:dashboard", kwargs={"cohort_slug": self.slug})

    @property
    def is_closed(self):
        return self.closed_at is not None


class CohortRole(TimeStampedModel):
    """Staff and observers of a cohort. Participants and leaders come through Participant
    and Membership instead."""

    class Role(models.TextChoices):
        STAFF = "staff", _("TTA staff")
        OBSERVER = "observer", _("Observer")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohort_roles"
    )
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["role", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user"], name="cohortrole_one_per_user")
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.cohort}"


class Organization(TimeStampedModel):
    """A community-based organization taking part in a cohort."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="organizations")
    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(max_length=200, editable=False)
    kind = models.CharField(_("type of organization"), max_length=100, blank=True)
    zip_code = models.CharField(_("ZIP code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=2, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "name_key"], name="organization_unique_name")
        ]

    def __str__(self):
        return self.name

    @staticmethod
    def key_for(name):
        return " ".join(name.lower().split())

    def save(self, *args, **kwargs):
        self.name_key = self.key_for(self.name)
        super().save(*args, **kwargs)


class ParticipantQuerySet(models.QuerySet):
    def with_status(self):
        """Annotate `joined` (linked to a user) and `invited` (an invitation exists)."""
        return self.annotate(
            is_invited=Exists(Invitation.objects.filter(participant=OuterRef("pk"))),
        )

    def without_community(self):
        return self.exclude(
            Exists(
                Membership.objects.filter(
                    participant=OuterRef("pk"), community__archived_at__isnull=True
                )
            )
        )


class Participant(TimeStampedModel):
    """A person in a cohort. Linked to a User once they accept their invitation."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="participants")
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participants",
        verbose_name=_("organization"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participations",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    zip_code = models.CharField(_("ZIP code"), max_length=10, blank=True)
    state = models.CharField(_("state"), max_length=2, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    job_title = models.CharField(_("role in their organization"), max_length=200, blank=True)
    expertise = models.TextField(
        _("expertise"),
        blank=True,
        help_text=_("What you could help others with, separated by commas."),
    )
    format_preference = models.CharField(
        _("meeting format preference"),
        max_length=20,
        choices=FormatPreference.choices,
        blank=True,
    )
    extra = models.JSONField(default=dict, blank=True)
    joined_at = models.DateTimeField(null=True, blank=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "email"], name="participant_unique_email"),
            models.UniqueConstraint(
                fields=["cohort", "user"],
                condition=Q(user__isnull=False),
                name="participant_one_per_user",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def expertise_list(self):
        return [item.strip() for item in self.expertise.split(",") if item.strip()]


def new_token():
    return secrets.token_urlsafe(32)


def default_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


class Invitation(TimeStampedModel):
    """A link that lets a participant set a password and land in their cohort."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="invitations")
    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="invitation"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(default=default_expiry)
    send_count = models.PositiveSmallIntegerField(default=0)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation for {self.participant}"

    @property
    def is_expired(self):
        return timezone.now() >= self.expires_at

    def get_accept_url(self):
        return reverse("accept-invitation", kwargs={"token": self.token})


class Topic(TimeStampedModel):
    """A subject area of a cohort: board development, raising funds, ..."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="topics")
    slug = models.SlugField(max_length=60)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["cohort", "slug"], name="topic_unique_slug")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self.cohort.topics.all(), self.name)
        super().save(*args, **kwargs)


class CommunityQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)

    def with_member_count(self):
        return self.annotate(member_count=Count("memberships", distinct=True))

    def with_leaders(self, to_attr="leaders"):
        """Prefetch each community's leaders and co-leaders, with their participant, into
        `to_attr` (leaders first, then by name)."""
        return self.prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(role__in=Membership.LEADING_ROLES)
                .select_related("participant")
                .order_by("role", "participant__name"),
                to_attr=to_attr,
            )
        )


class Community(TimeStampedModel):
    """A community of practice (COP) within a cohort."""

    class WorkType(models.TextChoices):
        INNOVATING = "innovating", _("Innovating: creating new solutions and ideas")
        BEST_PRACTICES = (
            "best_practices",
            _("Distilling best practices: gathering and sharing what works"),
        )
        PROBLEM_SOLVING = (
            "problem_solving",
            _("Collective problem solving: working through a shared challenge"),
        )
        GROUP_LEARNING = "group_learning", _("Group learning: learning a practice together")

    class Phase(models.TextChoices):
        FORMING = "forming", _("Forming")
        DEFINING = "defining", _("Defining needs and plan")
        ACTIVE = "active", _("Active")
        SUNSETTING = "sunsetting", _("Sunsetting")
        CONTINUING = "continuing", _("Continuing on its own")
        CLOSED = "closed", _("Closed")

    class MeetingFormat(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIRTUAL = "virtual", _("Virtual")
        HYBRID = "hybrid", _("Mixed: some in person, some virtual")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="communities")
    slug = models.SlugField(max_length=60)
    name = models.CharField(_("name"), max_length=200)
    topic = models.ForeignKey(
        Topic,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="communities",
        verbose_name=_("topic"),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("What brings these members together, in a sentence or two."),
    )
    work_type = models.CharField(
        _("type of work"),
        max_length=30,
        choices=WorkType.choices,
        default=WorkType.GROUP_LEARNING,
    )
    meeting_format = models.CharField(
        _("meeting format"),
        max_length=20,
        choices=MeetingFormat.choices,
        default=MeetingFormat.VIRTUAL,
    )
    # The phase follows the COP's state (planning.sunset.phases keeps it up to date, so that
    # lists filter on it cheaply); staff can set it instead: the override wins until cleared.
    phase = models.CharField(
        _("phase"), max_length=20, choices=Phase.choices, default=Phase.FORMING
    )
    phase_override = models.CharField(
        _("phase set by staff"), max_length=20, choices=Phase.choices, blank=True
    )
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The staff member responsible for this COP's check-ins and follow-ups. Empty: the
    # cohort's first staff member (cohorts.coaches.coach_ids).
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coached_communities",
        verbose_name=_("coach"),
    )

    objects = CommunityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "communities"
        constraints = [
            models.UniqueConstraint(fields=["cohort", "slug"], name="community_unique_slug")
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self.cohort.communities.all(), self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "cohorts:community-detail",
            kwargs={"cohort_slug": self.cohort.slug, "community_slug": self.slug},
        )

    @property
    def is_archived(self):
        return self.archived_at is not None

    @property
    def phase_set_by_staff(self):
        return bool(self.phase_override)

    @property
    def action_plan(self):
        """The community's action plan (planning's plan of kind "action"), or None before
        anyone opened it. Its sunset plan is `plans.filter(kind="sunset")`."""
        return self.plans.filter(kind="action").first()


class Membership(TimeStampedModel):
    """A participant's place in a community, with a role and an optional title of its own."""

    class Role(models.TextChoices):
        LEADER = "leader", _("Leader")
        CO_LEADER = "co_leader", _("Co-leader")
        MEMBER = "member", _("Member")

    LEADING_ROLES = (Role.LEADER, Role.CO_LEADER)

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    title = models.CharField(
        _("custom role"),
        max_length=100,
        blank=True,
        help_text=_("Optional: note-taker, timekeeper, host, ..."),
    )
    meeting_reminders = models.BooleanField(
        _("email me before each meeting"),
        default=True,
    )

    class Meta:
        ordering = ["role", "participant__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "participant"], name="membership_one_per_participant"
            )
        ]

    def __str__(self):
        return f"{self.participant} in {self.community} ({self.get_role_display()})"

    @property
    def is_leading(self):
        return self.role in self.LEADING_ROLES
