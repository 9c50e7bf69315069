"""Calendars and reminders: each person's secret iCalendar feed, a meeting's .ics file, and
turning meeting reminders on or off.

The feed (`calendar_feed`) answers without a login: calendar apps cannot log in, so the
secret token in its address is the key. Making a new address replaces the token, and the old
address answers 404 from then on."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from cohorts.access import cohort_view
from copkit.http import safe_next
from planning.meetings import ical
from planning.meetings.services import feeds as services

CONTENT_TYPE = "text/calendar; charset=utf-8"
UPCOMING_SHOWN = 5


def _back(request, access):
    """Where a form posted from: its `next`, if it is a page of this site; else the
    community's meetings page."""
    target = safe_next(request, request.POST.get("next"))
    if target:
        return HttpResponseRedirect(target)
    return redirect("planning:meetings", access.cohort.slug, access.community.slug)


@require_POST
@cohort_view("community.members")
def meeting_reminders(request, access):
    membership = access.membership()
    if membership is None:  # staff hold no membership whose reminders they could change
        raise PermissionDenied
    action = request.POST.get("action")
    if action not in {"on", "off"}:
        messages.error(request, _("Choose whether to turn reminders on or off."))
        return _back(request, access)
    membership.community = access.community
    services.set_reminders(membership, action == "on", actor=request.user)
    name = access.community.name
    if action == "on":
        messages.success(
            request, _("You will get an email before each meeting of %(name)s.") % {"name": name}
        )
    else:
        messages.success(
            request,
            _("Reminders for %(name)s are off. You can turn them on again here at any time.")
            % {"name": name},
        )
    return _back(request, access)


@cohort_view("community.members")
def meeting_ics(request, access, meeting_id):
    meetings = access.community.meetings.select_related(
        "community__cohort", "community__meeting_settings"
    )
    meeting = get_object_or_404(meetings, public_id=meeting_id)
    body = ical.calendar(
        [meeting],
        access.community.name,
        url_for=lambda m: request.build_absolute_uri(m.get_absolute_url()),
    )
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    filename = "-".join(
        filter(None, [slugify(meeting.title), ical.local_start(meeting).strftime("%Y-%m-%d")])
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    return response


def _feed_urls(request, feed):
    https = request.build_absolute_uri(reverse("calendar-feed", kwargs={"token": feed.token}))
    webcal = "webcal://" + https.split("://", 1)[1]
    return https, webcal


@never_cache
@cohort_view("cohort.profile")
def my_calendar(request, access):
    participant = access.participant
    feed = services.feed_for(participant)
    https_url, webcal_url = _feed_urls(request, feed)
    memberships = list(services.active_memberships(participant))
    for membership in memberships:
        membership.reminder_hours = ical.reminder_hours(membership.community)
    upcoming = list(services.meetings_for(participant, since=timezone.now())[:UPCOMING_SHOWN])
    for meeting in upcoming:
        meeting.when = ical.when(meeting, ical.SHORT_FORMAT)
        meeting.ics_url = reverse(
            "planning:meeting-ics",
            kwargs={
                "cohort_slug": access.cohort.slug,
                "community_slug": meeting.community.slug,
                "meeting_id": meeting.public_id,
            },
        )
    context = {
        "feed_url": https_url,
        "webcal_url": webcal_url,
        "memberships": memberships,
        "upcoming": upcoming,
        "here": request.get_full_path(),
    }
    return render(request, "planning/meetings/calendar/my_calendar.html", context)


@require_POST
@cohort_view("cohort.profile")
def calendar_reset(request, access):
    services.reset_feed(access.participant, actor=request.user)
    messages.success(
        request,
        _(
            "Your calendar has a new address. The old one no longer works: subscribe again "
            "with the new one below, and remove the old calendar from your app."
        ),
    )
    return redirect("planning:my-calendar", access.cohort.slug)


@require_safe
def calendar_feed(request, token):
    feed = services.feed_by_token(token)
    if feed is None:
        raise Http404("No such calendar")
    participant = feed.participant
    body = ical.calendar(
        services.meetings_for(participant),
        _("%(cohort)s: my community meetings") % {"cohort": participant.cohort.name},
        url_for=lambda m: request.build_absolute_uri(m.get_absolute_url()),
        extra=services.extra_events(participant, request.build_absolute_uri),
    )
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
