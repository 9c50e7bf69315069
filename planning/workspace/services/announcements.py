"""Announcements: a leader or staff writes to every member of a COP, or staff to every COP
of the cohort. Each member gets one email (kind `workspace_announcement`, by their
preference) and sees it on their home page until they dismiss it or it is older than
WORKSPACE_ANNOUNCEMENT_DAYS."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import Participant
from cohorts.services.activity import record
from copkit import outbox
from planning.archived import refuse_if_archived
from planning.workspace.models import Announcement, AnnouncementDismissal
from planning.workspace.services.discussion import MAX_BODY, MAX_TITLE, author_name, clean_text


def announce(cohort, *, author, title, body, community=None):
    """Post an announcement to `community`'s members, or (None) to every member of every
    active COP of `cohort`. Returns (announcement, how many emails were queued)."""
    refuse_if_archived(community)
    title = clean_text(
        " ".join((title or "").split()),
        field="title",
        limit=MAX_TITLE,
        empty=_("Give the announcement a title."),
    )
    body = clean_text(body, field="body", limit=MAX_BODY, empty=_("Write the announcement."))
    with transaction.atomic():
        row = Announcement.objects.create(
            cohort=cohort, community=community, author=author, title=title, body=body
        )
        record(cohort, author, "made an announcement", community or cohort, title=title)
        queued = _email(row, author)
    return row, queued


def recipients(row):
    people = Participant.objects.filter(cohort=row.cohort)
    if row.community_id is not None:
        people = people.filter(memberships__community_id=row.community_id)
    else:
        people = people.filter(memberships__community__archived_at__isnull=True)
    return people.distinct().order_by("name", "pk")


def _email(row, author):
    url = settings.SITE_URL + "/"
    seen, messages = {(author.email or "").lower()}, []
    for person in recipients(row):
        address = (person.email or "").lower()
        if not address or address in seen:
            continue
        seen.add(address)
        messages.append(
            {
                "key": f"workspace:announcement:{row.pk}:{address}",
                "kind": "workspace_announcement",
                "to_email": person.email,
                "template": "workspace_announcement",
                "context": {
                    "name": person.name,
                    "announcement": row,
                    "author_name": author_name(author),
                    "community": row.community,
                    "cohort": row.cohort,
                    "home_url": url,
                },
            }
        )
    return outbox.enqueue_many(messages)


def for_home(user):
    """The announcements `user` has not dismissed, newest first, from the last
    WORKSPACE_ANNOUNCEMENT_DAYS, for the COPs they belong to. Two queries at most."""
    if not user.is_authenticated:
        return []
    since = timezone.now() - timedelta(days=settings.WORKSPACE_ANNOUNCEMENT_DAYS)
    mine = Participant.objects.filter(user=user)
    communities = list(
        mine.filter(memberships__community__archived_at__isnull=True).values_list(
            "memberships__community_id", "cohort_id"
        )
    )
    if not communities:
        return []
    community_ids = {c for c, _cohort in communities}
    cohort_ids = {cohort for _c, cohort in communities}
    return list(
        Announcement.objects.filter(created_at__gte=since)
        .filter(
            Q(community_id__in=community_ids) | Q(community__isnull=True, cohort_id__in=cohort_ids)
        )
        .exclude(
            Exists(AnnouncementDismissal.objects.filter(announcement=OuterRef("pk"), user=user))
        )
        .select_related("cohort", "community", "author")[:10]
    )


def dismiss(row, *, user):
    AnnouncementDismissal.objects.get_or_create(announcement=row, user=user)


def for_community(community):
    """The announcements to `community` (its own and the cohort-wide ones) still shown."""
    since = timezone.now() - timedelta(days=settings.WORKSPACE_ANNOUNCEMENT_DAYS)
    return list(
        Announcement.objects.filter(cohort_id=community.cohort_id, created_at__gte=since)
        .filter(Q(community=community) | Q(community__isnull=True))
        .select_related("author")[:5]
    )
