"""Calendars and reminders: each person's secret iCalendar feed, a meeting's .ics file, and
turning meeting reminders off.

STUB: scaffolding only; each view is replaced by its real implementation."""

from django.http import HttpResponse
from django.views.decorators.http import require_POST

from copkit.access import cohort_view


@require_POST
@cohort_view("community.members")
def meeting_reminders(request, access):
    return HttpResponse("stub: meeting_reminders")


@cohort_view("community.members")
def meeting_ics(request, access, meeting_id):
    return HttpResponse("stub: meeting_ics")


@cohort_view("cohort.profile")
def my_calendar(request, access):
    return HttpResponse("stub: my_calendar")


@require_POST
@cohort_view("cohort.profile")
def calendar_reset(request, access):
    return HttpResponse("stub: calendar_reset")


def calendar_feed(request, token):
    return HttpResponse("stub: calendar_feed")
