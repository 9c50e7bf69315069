"""The meetings stage's pages: the meetings, their schedule and settings, attendance, the
reminders switch, a person's calendar, and the calendar feed apps subscribe to."""

from django.urls import path

from planning.meetings.views import calendar, meetings

# Under /c/<cohort_slug>/.
cohort_urls = [
    path("calendar/", calendar.my_calendar, name="my-calendar"),
    path("calendar/reset/", calendar.calendar_reset, name="calendar-reset"),
]

# Under /c/<cohort_slug>/communities/<community_slug>/.
community_urls = [
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("meetings/schedule/", meetings.meeting_schedule, name="meeting-schedule"),
    path("meetings/settings/", meetings.meeting_settings, name="meeting-settings"),
    path("meetings/new/", meetings.meeting_create, name="meeting-create"),
    path("meetings/reminders/", calendar.meeting_reminders, name="meeting-reminders"),
    path("meetings/<uuid:meeting_id>/", meetings.meeting_detail, name="meeting-detail"),
    path("meetings/<uuid:meeting_id>/edit/", meetings.meeting_edit, name="meeting-edit"),
    path(
        "meetings/<uuid:meeting_id>/attendance/",
        meetings.meeting_attendance,
        name="meeting-attendance",
    ),
    path("meetings/<uuid:meeting_id>/meeting.ics", calendar.meeting_ics, name="meeting-ics"),
]

# At the site root: the personal calendar feed (the token is the key; apps cannot log in).
public_urls = [
    path("cal/<str:token>.ics", calendar.calendar_feed, name="calendar-feed"),
]
