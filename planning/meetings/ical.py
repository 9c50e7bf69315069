"""Meetings as iCalendar data (RFC 5545), built with the `icalendar` library, and the local
time of a meeting in its community's time zone.

Every meeting is its own VEVENT (no RRULE), with its start and end in UTC: a monthly series
that crosses a daylight-saving change keeps its local hour because each meeting was stored
at its own instant. The UID is the meeting's public id, and SEQUENCE is `Meeting.sequence`,
which goes up whenever the time, place or status changes, so a subscriber's calendar app
replaces its copy. A cancelled meeting stays in a feed with STATUS:CANCELLED so apps remove
it rather than keep a stale copy.
"""

from datetime import UTC, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

PRODID = "-//copkit//Community meetings//EN"
# How often a subscribed app should come back for changes (apps may wait longer).
REFRESH = timedelta(hours=1)
DEFAULT_REMINDER_HOURS = 24
# "Tuesday, March 10, 2026, 7:00 p.m. EDT"
LONG_FORMAT = "l, F j, Y, g:i a T"
# "Tue, Mar 10, 7:00 p.m. EDT"
SHORT_FORMAT = "D, M j, g:i a T"


def meeting_settings(community):
    """The community's MeetingSettings row, or None when it has none."""
    try:
        return community.meeting_settings
    except ObjectDoesNotExist:
        return None


def community_zone(community):
    """The community's time zone (settings.TIME_ZONE when it has no settings or a bad name)."""
    row = meeting_settings(community)
    name = row.time_zone if row is not None and row.time_zone else settings.TIME_ZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def reminder_hours(community):
    """How many hours before a meeting members are reminded (0: never)."""
    row = meeting_settings(community)
    return DEFAULT_REMINDER_HOURS if row is None else row.reminder_hours


def place(meeting):
    """Where the meeting is: its own place or call link, else the community's usual one."""
    if meeting.location:
        return meeting.location
    row = meeting_settings(meeting.community)
    return row.location if row is not None else ""


def local_start(meeting):
    """The meeting's start in its community's time zone."""
    return timezone.localtime(meeting.starts_at, community_zone(meeting.community))


def when(meeting, format=LONG_FORMAT):
    """The start as people of the community read it, with the zone's abbreviation:
    "Tuesday, March 10, 2026, 7:00 p.m. EDT"."""
    return dateformat.format(local_start(meeting), format)


def summary(meeting):
    """The event's title: the meeting's title, with the community's name after it unless
    the title names it already ("Board Builders meeting", not "... · Board Builders")."""
    name = meeting.community.name
    text = (
        meeting.title
        if name.casefold() in meeting.title.casefold()
        else f"{meeting.title} · {name}"
    )
    if meeting.is_cancelled:
        # Some apps show a cancelled event until they next refresh; say it in the title too.
        text = _("Cancelled: %(title)s") % {"title": text}
    return text


def description(meeting, url):
    parts = []
    if meeting.is_cancelled:
        parts.append(_("This meeting is cancelled."))
    if meeting.agenda.strip():
        parts.append(_("Agenda:") + "\n" + meeting.agenda.strip())
    parts.append(_("Meeting page: %(url)s") % {"url": url})
    return "\n\n".join(parts)


def meeting_event(meeting, url, stamp=None):
    """One VEVENT for `meeting`; `url` is the absolute address of its page. `stamp` is the
    DTSTAMP (when this copy was made; now by default)."""
    return calendar_event(
        meeting,
        url,
        summary=summary(meeting),
        location=place(meeting),
        description=description(meeting, url),
        stamp=stamp,
    )


def calendar_event(row, url, *, summary, location, description, stamp=None):
    """One VEVENT for a CalendarEvent row (a meeting, a convening): its public id is the UID,
    its `sequence` the SEQUENCE, and a cancelled one stays in the feed as CANCELLED so that
    calendar apps remove it."""
    event = Event()
    event.add("uid", f"{row.public_id}@copkit")
    event.add("dtstamp", stamp or timezone.now())
    start = row.starts_at.astimezone(UTC)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=row.duration_minutes))
    event.add("summary", summary)
    if location:
        event.add("location", location)
    event.add("description", description)
    event.add("url", url)
    event.add("sequence", row.sequence)
    event.add("status", "CANCELLED" if row.is_cancelled else "CONFIRMED")
    event.add("last-modified", row.updated_at.astimezone(UTC))
    return event


def site_url(meeting):
    """The absolute address of a meeting's page on the configured site."""
    return settings.SITE_URL + meeting.get_absolute_url()


def calendar(meetings, name, url_for=site_url, extra=()):
    """A VCALENDAR named `name` with one VEVENT per meeting, as bytes. `url_for(meeting)`
    gives the absolute address of a meeting's page. Each meeting needs its community, the
    community's cohort and meeting settings loaded, or each costs queries. `extra`: more
    VEVENTs made elsewhere (a later stage's events in a person's feed)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", REFRESH)
    stamp = timezone.now()
    for meeting in meetings:
        cal.add_component(meeting_event(meeting, url_for(meeting), stamp=stamp))
    for event in extra:
        cal.add_component(event)
    return cal.to_ical()
