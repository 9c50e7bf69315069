"""Convenings in a leader's calendar feed: one VEVENT each, as the community meetings are
(UID the public id, SEQUENCE bumped by every change of time, place or status, a cancelled one
kept as CANCELLED so apps remove it). Registered as a source of the meetings' feed."""

from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import Membership
from planning.meetings.ical import calendar_event
from planning.meetings.services.feeds import add_feed_source
from planning.models import Convening


def convening_event(convening, url, stamp=None):
    title = convening.title
    if convening.is_cancelled:
        title = _("Cancelled: %(title)s") % {"title": title}
    parts = []
    if convening.is_cancelled:
        parts.append(_("This convening is cancelled."))
    if convening.agenda.strip():
        parts.append(_("Agenda:") + "\n" + convening.agenda.strip())
    parts.append(_("Convening page: %(url)s") % {"url": url})
    return calendar_event(
        convening,
        url,
        summary=title,
        location=convening.location,
        description="\n\n".join(parts),
        stamp=stamp,
    )


def convenings_for(participant, since):
    """The convenings of the participant's cohort from `since`, when they lead or co-lead an
    active community there; else none (two queries at most)."""
    leads = Membership.objects.filter(
        participant=participant,
        role__in=Membership.LEADING_ROLES,
        community__archived_at__isnull=True,
    ).exists()
    if not leads:
        return []
    return list(
        Convening.objects.filter(cohort_id=participant.cohort_id, starts_at__gte=since)
        .select_related("cohort")
        .order_by("starts_at", "pk")
    )


def feed_events(participant, since, absolute):
    stamp = timezone.now()
    return [
        convening_event(convening, absolute(convening.get_absolute_url()), stamp=stamp)
        for convening in convenings_for(participant, since)
    ]


add_feed_source(feed_events)
