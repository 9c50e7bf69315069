"""Writes about a cohort itself: creating it, its team, its topics, its organizations and
participants' records and profiles."""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils.translation import gettext as _

from cohorts import geo
from cohorts.models import Cohort, CohortRole, Topic
from cohorts.models.core import validate_time_zone
from copkit import outbox
from copkit.concurrency import record_values
from copkit.errors import ServiceError

from .activity import record

# What people already said reaches the inventory through these (cohorts may not import the
# planning app, which listens). Both are sent inside the write's transaction.
# `topics_changed(cohort, actor)`: topics were added or renamed.
topics_changed = Signal()
# `expertise_changed(cohort, participants, actor, source)`: the expertise text of
# `participants` was written; `source` is "roster", "profile" (by the person) or "staff".
expertise_changed = Signal()


def _checked_time_zone(value):
    try:
        validate_time_zone(value)
    except ValidationError as error:
        raise ServiceError(error.messages[0], field="time_zone") from error
    return value


@transaction.atomic
def create_cohort(*, actor, name, starts_on, ends_on, description="", time_zone=None):
    """Create a cohort; its creator becomes its first staff member. `time_zone` defaults to
    the deployment's (settings.TIME_ZONE)."""
    cohort = Cohort(
        name=name, description=description, starts_on=starts_on, ends_on=ends_on, created_by=actor
    )
    if time_zone:
        cohort.time_zone = _checked_time_zone(time_zone)
    cohort.save()
    CohortRole.objects.create(cohort=cohort, user=actor, role=CohortRole.Role.STAFF)
    record(cohort, actor, "created cohort", cohort)
    return cohort


@transaction.atomic
def update_cohort(cohort, *, actor, **fields):
    if "time_zone" in fields:
        _checked_time_zone(fields["time_zone"])
    for name, value in fields.items():
        setattr(cohort, name, value)
    cohort.save()
    record(cohort, actor, "updated cohort", cohort, fields=sorted(fields))
    return cohort


@transaction.atomic
def add_team_member(cohort, *, actor, email, role, name=""):
    """Give `email` a staff or observer role. A person without an account gets one, and an
    email with a link to set their password (sent through the outbox after commit)."""
    User = get_user_model()
    email = email.strip().lower()
    user, created = User.objects.get_or_create(email=email, defaults={"name": name})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if cohort.roles.filter(user=user).exists():
        raise ServiceError(_("This person already has a role in this cohort."), field="email")
    cohort_role = CohortRole.objects.create(cohort=cohort, user=user, role=role)
    context = {
        "cohort": cohort,
        "role": cohort_role.get_role_display(),
        "invited_by": actor.get_full_name(),
        "new_account": not user.has_usable_password(),
        "url": settings.SITE_URL + reverse("cohorts:dashboard", args=[cohort.slug]),
    }
    if context["new_account"]:
        key = default_token_generator.make_token(user)
        context["set_password_url"] = settings.SITE_URL + reverse(
            "account_reset_password_from_key",
            kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
        )
    outbox.enqueue(
        key=f"team-role:{cohort_role.public_id}",
        kind="team_welcome",
        to_email=user.email,
        template="team_welcome",
        context=context,
    )
    record(cohort, actor, "added to team", user, role=role)
    return cohort_role


@transaction.atomic
def remove_team_member(cohort, *, actor, cohort_role):
    if (
        cohort_role.role == CohortRole.Role.STAFF
        and cohort.roles.filter(role=CohortRole.Role.STAFF).count() == 1
    ):
        raise ServiceError(_("A cohort needs at least one staff member; add another one first."))
    cohort_role.delete()
    # A coach who leaves the team is no one's coach any more: the default takes over.
    cohort.communities.filter(coach=cohort_role.user).update(coach=None)
    record(cohort, actor, "removed from team", cohort_role.user, role=cohort_role.role)


@transaction.atomic
def remove_participant(participant, *, actor):
    """Take a person out of the cohort: their memberships and invitation go with them (an
    unused invitation link stops working). Their user account, if any, stays: it may
    belong to other cohorts."""
    name, email = participant.name, participant.email
    participant.delete()
    record(participant.cohort, actor, "removed participant", name, email=email)


def same_name(name):
    """A name as topics are compared: spaces collapsed, case ignored."""
    return " ".join(str(name).split()).casefold()


@transaction.atomic
def save_topic(cohort, *, actor, name, description="", topic=None):
    """Add a topic to `cohort`, or change `topic`. A new or renamed topic fills the
    inventory from the answers and expertise that already name it."""
    creating = topic is None
    old = {"name": None, "description": None}
    if creating:
        topic = Topic(cohort=cohort)
    else:  # a form may have changed the instance already: compare with what is stored
        old = Topic.objects.filter(pk=topic.pk).values("name", "description").first() or old
    topic.name = " ".join(name.split())
    topic.description = description
    topic.save()
    fields = sorted(key for key, value in old.items() if getattr(topic, key) != value)
    record(cohort, actor, "added topic" if creating else "updated topic", topic, fields=fields)
    if "name" in fields:
        topics_changed.send(sender=Topic, cohort=cohort, actor=actor)
    return topic


@transaction.atomic
def add_topics(cohort, *, actor, names):
    """Add a topic for each of `names` that the cohort has not got yet (by `same_name`);
    returns the new topics. The inventory is filled as for `save_topic`."""
    taken = {same_name(name) for name in cohort.topics.values_list("name", flat=True)}
    created = []
    for name in names:
        name = " ".join(str(name).split())
        if not name or same_name(name) in taken:
            continue
        taken.add(same_name(name))
        topic = Topic.objects.create(cohort=cohort, name=name)
        record(cohort, actor, "added topic", topic, fields=["name"])
        created.append(topic)
    if created:
        topics_changed.send(sender=Topic, cohort=cohort, actor=actor)
    return created


def expertise_written(cohort, participants, *, actor, source):
    """Say that the expertise text of `participants` was saved (see `expertise_changed`)."""
    participants = [person for person in participants if person.expertise]
    if participants:
        expertise_changed.send(
            sender=Cohort, cohort=cohort, participants=participants, actor=actor, source=source
        )


@transaction.atomic
def delete_topic(topic, *, actor):
    """Delete a topic; its communities keep going, without a topic."""
    topic.delete()
    record(topic.cohort, actor, "deleted topic", topic.name)


def apply_values(row, values, allowed):
    """Put `values` ({model field: value}, each one of `allowed`) on `row` and return the
    names whose value differs from what is stored (from the model's defaults for a new row),
    sorted. A ModelForm may have put the values on the instance already, so this compares
    with the database, not with the instance."""
    unknown = set(values) - set(allowed)
    if unknown:
        raise TypeError(f"not a field this write changes: {', '.join(sorted(unknown))}")
    stored = type(row)() if row.pk is None else type(row)._default_manager.get(pk=row.pk)
    before = record_values(stored, values)
    for name, value in values.items():
        setattr(row, name, value)
    after = record_values(row, values)
    return sorted(name for name in values if before[name] != after[name])


def _checked_zip(value):
    """Five digits from a typed ZIP code ("" for none), or ServiceError on the field."""
    text = str(value or "").strip()
    if not text:
        return ""
    try:
        zip_code = geo.clean_zip(text)
    except ValueError as error:
        raise ServiceError(str(error), field="zip_code") from None
    if geo.lookup_zip(zip_code) is None:
        raise ServiceError(
            _("There is no US ZIP code %(zip)s.") % {"zip": zip_code}, field="zip_code"
        )
    return zip_code


def _place_from_zip(row):
    """Keep the place of `row`'s ZIP code on it: state, latitude, longitude, and city where
    the model has one (no ZIP code: no coordinates or city; the state stays)."""
    place = geo.lookup_zip(row.zip_code) if row.zip_code else None
    row.latitude = place.latitude if place else None
    row.longitude = place.longitude if place else None
    if place:
        row.state = place.state
    if hasattr(row, "city"):
        row.city = place.city if place else ""


ORGANIZATION_FIELDS = ("name", "kind", "zip_code")
PARTICIPANT_FIELDS = (
    "name",
    "email",
    "organization",
    "job_title",
    "zip_code",
    "expertise",
    "format_preference",
)
PROFILE_FIELDS = ("name", "job_title", "expertise", "format_preference")


def _save_person_or_place(row, values, allowed, *, actor, verb):
    if "zip_code" in values:
        values = {**values, "zip_code": _checked_zip(values["zip_code"])}
    fields = apply_values(row, values, allowed)
    if "zip_code" in fields:
        _place_from_zip(row)
    row.save()
    record(row.cohort, actor, verb, row, fields=fields)
    return fields


@transaction.atomic
def update_organization(organization, *, actor, **values):
    """Change an organization's `name`, `kind` or `zip_code` (which also places it)."""
    _save_person_or_place(
        organization, values, ORGANIZATION_FIELDS, actor=actor, verb="updated organization"
    )
    return organization


@transaction.atomic
def update_participant(participant, *, actor, **values):
    """Staff's change to a participant's record (any of PARTICIPANT_FIELDS)."""
    if "email" in values:
        values = {**values, "email": str(values["email"]).strip().lower()}
    fields = _save_person_or_place(
        participant, values, PARTICIPANT_FIELDS, actor=actor, verb="updated participant"
    )
    if "expertise" in fields:
        expertise_written(participant.cohort, [participant], actor=actor, source="staff")
    return participant


@transaction.atomic
def update_profile(participant, *, actor, **values):
    """A participant's change to their own profile (any of PROFILE_FIELDS)."""
    fields = _save_person_or_place(
        participant, values, PROFILE_FIELDS, actor=actor, verb="updated own profile"
    )
    if "expertise" in fields:
        expertise_written(participant.cohort, [participant], actor=actor, source="profile")
    return participant
