"""Each person's secret calendar feed: making it, replacing its address, and the meetings it
holds; and turning meeting reminders on or off for oneself."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from cohorts.models import Membership
from cohorts.services.activity import record
from planning.meetings.models import new_feed_token
from planning.models import CalendarFeed, Meeting

# A feed shows meetings from this long ago onwards (older ones drop out of subscribers' apps
# only if the app forgets them; most keep past events they have seen).
FEED_HISTORY = timedelta(days=60)


def feed_for(participant):
    """The participant's feed, made on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(participant=participant)
    return feed


def reset_feed(participant, *, actor):
    """Give the participant a new secret address; the old one stops working at once."""
    with transaction.atomic():
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(
            participant=participant
        )
        if not created:
            feed.token = new_feed_token()
            feed.save(update_fields=["token", "updated_at"])
        record(participant.cohort, actor, "made a new calendar address", participant)
    return feed


# Later stages put events of their own in a person's feed (the leaders' circle its
# convenings): each source is a function (participant, since, absolute) -> VEVENTs, where
# `absolute(path)` makes a page's address absolute. Registered when their app loads.
_sources = []


def add_feed_source(source):
    """Add `source` to the feed's event sources (once, however often it is registered)."""
    if source not in _sources:
        _sources.append(source)
    return source


def extra_events(participant, absolute, *, since=None, now=None):
    """The events every registered source gives for the participant's feed."""
    now = now or timezone.now()
    since = since if since is not None else now - FEED_HISTORY
    return [event for source in _sources for event in source(participant, since, absolute)]


def feed_by_token(token):
    """The feed with this token, with its participant and cohort, or None."""
    if not token:
        return None
    return CalendarFeed.objects.select_related("participant__cohort").filter(token=token).first()


def meetings_for(participant, *, since=None, now=None):
    """Every meeting of every active community the participant is a member of, from `since`
    (60 days ago by default) onwards, cancelled ones included, with what a calendar needs
    loaded (one query)."""
    now = now or timezone.now()
    since = since if since is not None else now - FEED_HISTORY
    return (
        Meeting.objects.filter(
            community__memberships__participant=participant,
            community__archived_at__isnull=True,
            starts_at__gte=since,
        )
        .select_related("community__cohort", "community__meeting_settings")
        .order_by("starts_at", "pk")
    )


def active_memberships(participant):
    """The participant's memberships in active communities, with the community loaded."""
    return (
        Membership.objects.filter(participant=participant, community__archived_at__isnull=True)
        .select_related("community__cohort", "community__meeting_settings")
        .order_by("community__name")
    )


def set_reminders(membership, on, *, actor):
    """Turn meeting reminders on or off for the member. Returns True when it changed."""
    with transaction.atomic():
        changed = (
            Membership.objects.filter(pk=membership.pk)
            .exclude(meeting_reminders=on)
            .update(meeting_reminders=on, updated_at=timezone.now())
        )
        membership.meeting_reminders = on
        if changed:
            record(
                membership.community.cohort,
                actor,
                "turned meeting reminders on" if on else "turned meeting reminders off",
                membership.community,
            )
    return bool(changed)
