"""What every app shares: the user, the base model, and the outbox of messages to send."""

import uuid

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Base for tenant rows: a public UUID for URLs and creation/update times."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class EmailUserManager(UserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in, by email. Their roles live in the cohorts they belong to."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    can_create_cohorts = models.BooleanField(
        _("may create cohorts"),
        default=False,
        help_text=_("TTA provider staff who set up new cohorts."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.name or self.email

    def get_full_name(self):
        return self.name or self.email

    def get_short_name(self):
        return (self.name.split() or [self.email])[0]


class Delivery(models.TextChoices):
    """How a person gets one kind of optional email."""

    NOW = "now", _("At once")
    DAILY = "daily", _("In a daily digest")
    WEEKLY = "weekly", _("In a weekly digest")
    OFF = "off", _("Not at all")


class OutboxMessage(models.Model):
    """One email to send, durably. The sweep claims due rows with a conditional update,
    so a second worker or a second beat never sends the same row twice."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")
        # The recipient's preferences (copkit.preferences): waiting for their digest, sent
        # inside one (see `digest`), or not sent because they turned the kind off.
        HELD = "held", _("Waiting for a digest")
        DIGESTED = "digested", _("Sent in a digest")
        SKIPPED = "skipped", _("Not sent: turned off by the recipient")

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=50)
    to_email = models.EmailField()
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    due_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # The pk of the cohort the message belongs to (taken from its context when queued), for
    # the cohort's Emails page. A plain number: the core knows no app.
    cohort_ref = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    # The recipient's choice for this kind when it was queued; a held message waits for
    # the digest of that cadence.
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.NOW)
    digest = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="gathered"
    )

    class Meta:
        indexes = [
            models.Index(
                fields=["due_at"],
                name="outbox_pending_due_idx",
                condition=models.Q(state="pending"),
            ),
            models.Index(
                fields=["to_email", "due_at"],
                name="outbox_held_idx",
                condition=models.Q(state="held"),
            ),
        ]

    def __str__(self):
        return f"{self.kind} to {self.to_email} ({self.get_state_display()})"


class EmailSettings(models.Model):
    """One email address's choices: its language and time zone (blank: the cohort's or the
    deployment's), when its last digests went, and (in `preferences`) how it gets each
    optional kind. Keyed by the address, not a user: many recipients have no account."""

    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=60, blank=True)
    daily_digest_at = models.DateTimeField(null=True, blank=True)
    weekly_digest_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("email settings")
        verbose_name_plural = _("email settings")

    def __str__(self):
        return self.email


class EmailPreference(models.Model):
    """How one address gets one optional kind of email (copkit.kinds)."""

    settings = models.ForeignKey(
        EmailSettings, on_delete=models.CASCADE, related_name="preferences"
    )
    kind = models.CharField(max_length=50)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.NOW)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["settings", "kind"], name="emailpreference_one_per_kind"
            )
        ]

    def __str__(self):
        return f"{self.settings.email}: {self.kind} {self.delivery}"
