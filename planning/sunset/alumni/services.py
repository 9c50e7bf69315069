"""What the alumni network does: who belongs to a cohort's space, opening it (and telling
every member through the outbox), the knowledge it shows, its directory and discussion, and
the COPs' groups on outside networks.

Who enters a space:
- the staff of its cohort (and superusers) see all of it;
- its observers see its front page, with counts only: never the directory or the discussion;
- every member of every COP of its cohort, and, when the space includes them, every member
  of a COP of a cohort of this TTA provider that started earlier (one copkit site is one TTA
  provider, as in the knowledge library);
- anyone else gets 404, as for a cohort they have no role in.

The knowledge shown is the library's own rule (planning.knowledge.library) narrowed to the
space's cohorts and to the cohort scope and wider: an item shared with its COP only never
shows, and an item shared with its cohort shows only to that cohort's people."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import Cohort, CohortRole, Membership, Participant
from cohorts.services.activity import record
from copkit import outbox
from copkit.errors import ServiceError
from planning.knowledge import library
from planning.knowledge.models import Scope
from planning.models import InventoryEntry
from planning.sunset.alumni.models import (
    AlumniReply,
    AlumniSpace,
    AlumniThread,
    DirectoryEntry,
    NetworkGroup,
)

STAFF, OBSERVER, MEMBER = "staff", "observer", "member"


@dataclass
class Visitor:
    """One user in one alumni space."""

    user: object
    space: object
    standing: str

    @property
    def is_staff(self):
        return self.standing == STAFF

    @property
    def is_observer(self):
        return self.standing == OBSERVER

    @property
    def sees_people(self):
        """The directory and the discussion: names and words, never for observers."""
        return self.standing in (STAFF, MEMBER)


def cohorts_of(space):
    """The cohorts whose members and knowledge the space holds (a queryset)."""
    rows = Cohort.objects.filter(pk=space.cohort_id)
    if space.include_earlier:
        rows = Cohort.objects.filter(
            Q(pk=space.cohort_id) | Q(starts_on__lt=space.cohort.starts_on)
        )
    return rows


def members_of(space):
    """The memberships of every COP of the space's cohorts (a queryset)."""
    return Membership.objects.filter(community__cohort__in=cohorts_of(space).values("pk"))


def standing_of(user, space):
    if user.is_superuser:
        return STAFF
    role = (
        CohortRole.objects.filter(cohort_id=space.cohort_id, user=user)
        .values_list("role", flat=True)
        .first()
    )
    if role == CohortRole.Role.STAFF:
        return STAFF
    if members_of(space).filter(participant__user=user).exists():
        return MEMBER
    if role == CohortRole.Role.OBSERVER:
        return OBSERVER
    return None


def visit(user, cohort_slug):
    """The Visitor of the cohort's space, or 404 (no space, or no standing in it)."""
    space = get_object_or_404(
        AlumniSpace.objects.select_related("cohort"), cohort__slug=cohort_slug
    )
    standing = standing_of(user, space)
    if standing is None:
        raise Http404("No such alumni space")
    return Visitor(user=user, space=space, standing=standing)


def staff_before_opening(user, cohort_slug):
    """True when the cohort has no space yet and `user` is its staff (they are sent to open
    it; anyone else gets 404 as before)."""
    cohort = Cohort.objects.filter(slug=cohort_slug).first()
    if cohort is None or AlumniSpace.objects.filter(cohort=cohort).exists():
        return False
    return (
        user.is_superuser
        or CohortRole.objects.filter(cohort=cohort, user=user, role=CohortRole.Role.STAFF).exists()
    )


def space_of(cohort):
    return AlumniSpace.objects.filter(cohort=cohort).first()


# -- opening ---------------------------------------------------------------------------------


@transaction.atomic
def open_space(cohort, *, actor, include_earlier=False, welcome=""):
    """Open the cohort's alumni space (once) and tell every member of its COPs, and of the
    earlier cohorts' when included. Returns (space, emails queued)."""
    if AlumniSpace.objects.filter(cohort=cohort).exists():
        raise ServiceError(_("The alumni space of this cohort is open already."))
    space = AlumniSpace.objects.create(
        cohort=cohort,
        include_earlier=include_earlier,
        welcome=welcome.strip(),
        opened_by=actor,
    )
    record(cohort, actor, "opened the alumni space", cohort, include_earlier=include_earlier)
    return space, notify_opened(space)


def notify_opened(space):
    """One email per person of the space (by email address), through the outbox."""
    url = settings.SITE_URL + reverse("planning:alumni", args=[space.cohort.slug])
    people = (
        Participant.objects.filter(memberships__in=members_of(space))
        .exclude(email="")
        .distinct()
        .only("public_id", "name", "email", "cohort_id")
        .order_by("pk")
    )
    messages, seen = [], set()
    for person in people:
        address = person.email.strip().lower()
        if address in seen:
            continue
        seen.add(address)
        messages.append(
            {
                "key": f"alumni_opened:{space.public_id}:{address}",
                "kind": "alumni_opened",
                "to_email": person.email,
                "template": "alumni_opened",
                "context": {
                    "cohort": space.cohort,
                    "name": person.name,
                    "welcome": space.welcome,
                    "url": url,
                },
            }
        )
    return outbox.enqueue_many(messages)


# -- knowledge -------------------------------------------------------------------------------


def knowledge_for(visitor, words=""):
    """The shared items of the space's COPs `visitor` may read, never those shared with one
    COP only. Observers read aggregates only: no rows (see `knowledge_count`)."""
    if not visitor.sees_people:
        return library.items_for(visitor.user).none()
    rows = (
        library.items_for(visitor.user)
        .filter(cohort__in=cohorts_of(visitor.space).values("pk"))
        .exclude(scope=Scope.COMMUNITY)
        .select_related("community", "cohort")
        .order_by("-shared_at", "-pk")
    )
    return library.search(rows, words)


def knowledge_count(space):
    """How many items the space holds at cohort scope and wider (a figure, for observers)."""
    from planning.knowledge.models import KnowledgeItem

    return (
        KnowledgeItem.objects.filter(
            state=KnowledgeItem.State.SHARED, cohort__in=cohorts_of(space).values("pk")
        )
        .exclude(scope=Scope.COMMUNITY)
        .count()
    )


# -- the directory ---------------------------------------------------------------------------

PHONE = re.compile(r"^\+?[0-9 ().\-]{7,25}$")
SHARED_FIELDS = ("email", "phone", "organization", "expertise", "link")


def clean_phone(value):
    value = " ".join((value or "").split())
    if not value:
        return ""
    digits = re.sub(r"\D", "", value)
    if not PHONE.match(value) or not 7 <= len(digits) <= 15:
        raise ServiceError(
            _("Enter a phone number of 7 to 15 digits, like +1 555 010 0100."), field="phone"
        )
    return value


def entry_of(visitor):
    return DirectoryEntry.objects.filter(space=visitor.space, user=visitor.user).first()


def suggestions_for(visitor):
    """What to prefill a new entry with: the person's email, organization and expertise
    from their profile and the needs-and-expertise inventory of their cohorts."""
    user = visitor.user
    people = list(
        Participant.objects.filter(user=user, cohort__in=cohorts_of(visitor.space).values("pk"))
        .select_related("organization")
        .order_by("-cohort__starts_on")
    )
    expertise = []
    for person in people:
        expertise += [part.strip() for part in (person.expertise or "").split(",")]
    entries = InventoryEntry.objects.filter(
        participant__in=people, kind=InventoryEntry.Kind.EXPERTISE
    ).select_related("topic")
    for entry in entries:
        expertise.append(entry.topic.name if entry.topic else "")
        expertise.append(getattr(entry, "description", "") or "")
    unique = list(dict.fromkeys(word for word in expertise if word))
    first = people[0] if people else None
    return {
        "name": (first.name if first else "") or user.get_full_name() or user.email,
        "email": user.email,
        "organization": first.organization.name if first and first.organization else "",
        "expertise": ", ".join(unique),
    }


def save_entry(visitor, *, listed, **values):
    """Opt in (create or update the entry with what the person shares) or opt out (delete
    it: they leave the directory at once). Returns the entry, or None when opted out."""
    if not visitor.sees_people:
        raise ServiceError(_("Only members of the space appear in its directory."))
    if not listed:
        DirectoryEntry.objects.filter(space=visitor.space, user=visitor.user).delete()
        return None
    fields = {"name": " ".join((values.get("name") or "").split())[:200]}
    if not fields["name"]:
        raise ServiceError(_("Enter the name to show."), field="name")
    for name in SHARED_FIELDS:
        shown = bool(values.get(f"show_{name}"))
        value = (values.get(name) or "").strip()
        if name == "phone" and shown:  # a number typed but not shared is dropped
            value = clean_phone(value)
        if shown and not value:
            raise ServiceError(_("Fill this in, or untick it so it is not shared."), field=name)
        fields[f"show_{name}"] = shown
        fields[name] = value if shown else ""
    fields["search_text"] = " ".join(
        [fields["name"], fields["organization"], fields["expertise"]]
    ).lower()
    entry, _created = DirectoryEntry.objects.update_or_create(
        space=visitor.space, user=visitor.user, defaults=fields
    )
    return entry


def directory(space, words=""):
    """The opted-in entries, searched by name, organization and expertise (what each chose to
    share only: the search text holds nothing else)."""
    rows = DirectoryEntry.objects.filter(space=space)
    for word in " ".join((words or "").split())[:200].lower().split():
        rows = rows.filter(search_text__contains=word)
    return rows


# -- the discussion --------------------------------------------------------------------------


def _check_speaker(visitor):
    if not visitor.sees_people:
        raise ServiceError(_("Only members and staff take part in the discussion."))


@transaction.atomic
def start_thread(visitor, *, title, body):
    _check_speaker(visitor)
    title, body = " ".join((title or "").split()), (body or "").strip()
    if not title:
        raise ServiceError(_("Give the conversation a title."), field="title")
    if not body:
        raise ServiceError(_("Write a message."), field="body")
    return AlumniThread.objects.create(
        space=visitor.space,
        author=visitor.user,
        title=title[:200],
        body=body,
        last_activity_at=timezone.now(),
    )


@transaction.atomic
def reply(visitor, thread, *, body):
    _check_speaker(visitor)
    body = (body or "").strip()
    if not body:
        raise ServiceError(_("Write a reply."), field="body")
    row = AlumniReply.objects.create(thread=thread, author=visitor.user, body=body)
    AlumniThread.objects.filter(pk=thread.pk).update(last_activity_at=row.created_at)
    return row


def threads(space):
    from django.db.models import Count

    return (
        space.threads.filter(hidden_at__isnull=True)
        .select_related("author")
        .annotate(reply_count=Count("replies"))
    )


# -- groups on outside networks --------------------------------------------------------------

HOSTS = {
    NetworkGroup.Kind.LINKEDIN: ("linkedin.com",),
    NetworkGroup.Kind.FACEBOOK: ("facebook.com", "fb.com"),
}


@transaction.atomic
def add_group(community, *, actor, kind, url, label=""):
    """Record one of the COP's groups on an outside network; a LinkedIn or Facebook link
    must point to that network, any other needs a name."""
    from urllib.parse import urlsplit

    url, label = (url or "").strip(), " ".join((label or "").split())
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ServiceError(_("Enter a full link starting with https://."), field="url")
    hosts = HOSTS.get(kind)
    host = parts.hostname.lower()
    if hosts and not any(host == h or host.endswith("." + h) for h in hosts):
        raise ServiceError(
            _("This is not a %(network)s link: check it, or choose Other.")
            % {"network": NetworkGroup.Kind(kind).label.split()[0]},
            field="url",
        )
    if kind == NetworkGroup.Kind.OTHER and not label:
        raise ServiceError(
            _("Name the network or group, so members know where it leads."), field="label"
        )
    group = NetworkGroup.objects.create(
        community=community, kind=kind, url=url, label=label[:120], added_by=actor
    )
    record(community.cohort, actor, "added a network group to", community, url=url)
    return group


@transaction.atomic
def remove_group(group, *, actor):
    community = group.community
    group.delete()
    record(community.cohort, actor, "removed a network group from", community)


def groups_of_space(space):
    """Every group of the space's COPs, with its community. One query."""
    return NetworkGroup.objects.filter(
        community__cohort__in=cohorts_of(space).values("pk")
    ).select_related("community")
