"""Reminder emails before meetings, queued through the outbox by a periodic sweep.

A meeting is due for its reminder once it starts within its community's `reminder_hours`
(24 when the community has no meeting settings; 0 sends none). `meeting_reminders` is a
`copkit.later` sweep (run by `copkit.tasks.run_later_work`): it claims the meeting with a
conditional UPDATE of `reminded_at` and queues one email per member who has reminders on,
under the key `meeting-reminder:<meeting>:<sequence>:<participant>`. Any number of sweeps
may run at once: only the one whose UPDATE changed the row queues the emails.

When a meeting is moved, the meetings service bumps its `sequence` and clears `reminded_at`,
so the moved meeting is reminded again (under a new key) when its new time comes near.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from cohorts.services.activity import record
from copkit import later, outbox
from planning.meetings import ical as calendar
from planning.models import Meeting, MeetingSettings


def _longest_lead():
    """The longest reminder lead of any community, in hours (at least the default)."""
    longest = MeetingSettings.objects.aggregate(longest=Max("reminder_hours"))["longest"]
    return max(longest or 0, calendar.DEFAULT_REMINDER_HOURS)


def due_meetings(now=None):
    """The meetings whose reminder is due at `now` and not yet sent."""
    now = now or timezone.now()
    candidates = (
        Meeting.objects.filter(
            cancelled_at__isnull=True,
            reminded_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(hours=_longest_lead()),
            community__archived_at__isnull=True,
        )
        .select_related("community__cohort", "community__meeting_settings")
        .order_by("starts_at", "pk")
    )
    due = []
    for meeting in candidates:
        hours = calendar.reminder_hours(meeting.community)
        if hours and meeting.starts_at - timedelta(hours=hours) <= now:
            due.append(meeting)
    return due


def queue_emails(meeting, now):
    """The sweep's handler: one email to each member of the claimed meeting's community who
    has reminders on, and one activity entry. Returns how many emails were queued."""
    members = (
        meeting.community.memberships.filter(meeting_reminders=True)
        .exclude(participant__email="")
        .select_related("participant")
        .order_by("pk")
    )
    queued = outbox.enqueue_many(
        [_email(meeting, membership.participant) for membership in members]
    )
    record(meeting.community.cohort, None, "sent meeting reminders", meeting, count=queued)
    return queued


# Claimed on `reminded_at`, and only while the meeting is still the one read: not cancelled,
# not moved since (a moved meeting has a new start and sequence; the next sweep reads it again).
meeting_reminders = later.register(
    later.Sweep(
        name="meeting reminders",
        cohort="community__cohort",
        due=due_meetings,
        column="reminded_at",
        still=lambda meeting: {
            "cancelled_at__isnull": True,
            "starts_at": meeting.starts_at,
            "sequence": meeting.sequence,
        },
        handle=queue_emails,
    )
)


def queue_due_reminders(now=None):
    """Run the sweep once: queue the reminders due now. Safe to run in any number of
    processes at once. Returns how many emails were queued."""
    return meeting_reminders.run(now).queued


def _claim_and_queue(meeting, now):
    """Claim `meeting`'s reminder and queue its emails; 0 when another process claimed it
    first or the meeting changed since it was read (the next sweep looks again)."""
    return meeting_reminders.take(meeting, now) or 0


def _email(meeting, participant):
    community = meeting.community
    kwargs = {"cohort_slug": community.cohort.slug, "community_slug": community.slug}
    meeting_url = settings.SITE_URL + meeting.get_absolute_url()
    ics_url = settings.SITE_URL + reverse(
        "planning:meeting-ics", kwargs={**kwargs, "meeting_id": meeting.public_id}
    )
    meetings_url = settings.SITE_URL + reverse("planning:meetings", kwargs=kwargs)
    return {
        "key": f"meeting-reminder:{meeting.pk}:{meeting.sequence}:{participant.pk}",
        "kind": "meeting_reminder",
        "to_email": participant.email,
        "template": "meeting_reminder",
        "context": {
            "participant": participant,
            "meeting": meeting,
            "community": community,
            "when": calendar.when(meeting),
            "when_short": calendar.when(meeting, calendar.SHORT_FORMAT),
            "place": calendar.place(meeting),
            "agenda": meeting.agenda.strip(),
            "meeting_url": meeting_url,
            "ics_url": ics_url,
            "meetings_url": meetings_url,
        },
    }
