"""The leaders' circle's convenings: scheduling them (a rule, with the community meetings'
schedule code, or one at a time), drafting and editing the agenda, notes and attendance.

Times are entered and shown in the cohort's time zone. As for community meetings, a change of
time, length, place, format, title or cancellation bumps `sequence` (calendar apps replace
their copy) and a moved start clears `reminded_at` (the reminder goes again), in the same
UPDATE as the change.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from cohorts.models import Cohort, Membership, Participant
from cohorts.services.activity import record
from copkit.errors import ServiceError
from planning.meetings import schedule
from planning.meetings.services import meetings
from planning.models import CheckIn, Convening, ConveningAttendance
from planning.support import agenda as drafting

EDITABLE_FIELDS = ("title", "starts_at", "duration_minutes", "mode", "location", "agenda", "notes")
ATTENDANCE_OPENS_BEFORE = timedelta(minutes=30)


def cohort_zone(cohort):
    return ZoneInfo(cohort.time_zone)


def default_title(cohort):
    return _("Leaders' circle")


def leaders(cohort):
    """The participants who lead or co-lead an active community of the cohort, by name
    (each once, however many communities they lead)."""
    return list(
        Participant.objects.filter(
            cohort=cohort,
            memberships__role__in=Membership.LEADING_ROLES,
            memberships__community__archived_at__isnull=True,
        )
        .distinct()
        .order_by("name", "pk")
    )


# -- scheduling ------------------------------------------------------------------------------


def propose(cohort, rule):
    """The start times of `rule` (schedule.propose's keywords, without the zone) in the
    cohort's zone, each with whether a convening is on that local day already."""
    zone = cohort_zone(cohort)
    starts = schedule.propose(tz_name=zone.key, **rule)
    taken = set()
    if starts:
        existing = cohort.convenings.filter(
            starts_at__gte=starts[0] - timedelta(days=1),
            starts_at__lte=starts[-1] + timedelta(days=1),
        ).values_list("starts_at", flat=True)
        taken = {timezone.localtime(start, zone).date() for start in existing}
    return [(start, timezone.localtime(start, zone).date() in taken) for start in starts]


def schedule_convenings(cohort, *, actor, rule, mode, location=""):
    """Create the convenings of `rule` (first_date, frequency, weekday, week_of_month,
    start_time, length_minutes, until), skipping local days that have one already.
    Returns (created, skipped start times)."""
    with transaction.atomic():
        # One schedule at a time per cohort: the cohort row is the lock.
        Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
        proposal = propose(cohort, rule)
        if not proposal:
            raise ServiceError(_("No convening falls between these dates."), field="until")
        created = [
            Convening(
                cohort=cohort,
                title=default_title(cohort),
                starts_at=start,
                duration_minutes=rule["length_minutes"],
                mode=mode,
                location=location.strip(),
                created_by=_user(actor),
            )
            for start, taken in proposal
            if not taken
        ]
        Convening.objects.bulk_create(created)
        skipped = [start for start, taken in proposal if taken]
        record(
            cohort,
            actor,
            "scheduled convenings",
            cohort,
            created=len(created),
            skipped=len(skipped),
            rule=schedule.describe(
                rule["frequency"],
                rule["weekday"],
                rule.get("week_of_month") or "",
                rule["start_time"],
                rule["length_minutes"],
                mode,
            ),
        )
    return created, skipped


@transaction.atomic
def create_convening(
    cohort, *, actor, title, starts_at, duration_minutes, mode, location, agenda=""
):
    """One convening outside the regular rhythm."""
    convening = Convening.objects.create(
        cohort=cohort,
        title=title,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        mode=mode,
        location=location,
        agenda=agenda,
        created_by=_user(actor),
    )
    record(cohort, actor, "added a convening", convening)
    return convening


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


def update_convening(convening, *, actor, changes, cancelled=None):
    """Apply `changes` (EDITABLE_FIELDS) and, when `cancelled` is not None, cancel or
    restore. Returns the names of the fields that changed; `convening` is refreshed."""
    with transaction.atomic():
        changed = meetings.apply_changes(
            convening, changes=changes, cancelled=cancelled, editable=EDITABLE_FIELDS
        )
        if not changed:
            return []
        record(convening.cohort, actor, "changed a convening", convening, fields=changed)
    convening.refresh_from_db()
    return changed


# -- the agenda ------------------------------------------------------------------------------


def previous(convening):
    """The last convening before this one that was not cancelled, or None."""
    return (
        convening.cohort.convenings.filter(
            starts_at__lt=convening.starts_at, cancelled_at__isnull=True
        )
        .order_by("-starts_at", "-pk")
        .first()
    )


def window(convening):
    """The check-ins a convening's go-around reads: answered after the previous convening
    started (or ever, for the first) and before this one starts. Returns (since, until)."""
    before = previous(convening)
    return (before.starts_at if before is not None else None), convening.starts_at


def draft(convening):
    """The go-around of `convening`: an agenda.Draft from the check-ins of its window, one
    turn per active community of the cohort (three queries)."""
    since, until = window(convening)
    communities = [
        drafting.Community(id=c.pk, name=c.name, area=c.topic.name if c.topic else "")
        for c in convening.cohort.communities.active().select_related("topic").order_by("name")
    ]
    checkins = CheckIn.objects.filter(
        community__cohort=convening.cohort,
        answered_at__isnull=False,
        answered_at__lt=until,
    )
    if since is not None:
        checkins = checkins.filter(answered_at__gte=since)
    answers = [
        drafting.Answer(
            community_id=row["community_id"],
            successes=row["successes"],
            challenges=row["challenges"],
            answered_at=row["answered_at"],
        )
        for row in checkins.values("community_id", "successes", "challenges", "answered_at")
    ]
    return drafting.draft(communities, answers)


def draft_text(convening):
    since, _until = window(convening)
    since_text = ""
    if since is not None:
        local = timezone.localtime(since, cohort_zone(convening.cohort))
        since_text = dateformat.format(local, "F j, Y")
    return drafting.as_text(draft(convening), since_text)


def save_draft(convening, *, actor):
    """Replace the agenda with a fresh draft from the check-ins. Returns the convening."""
    text = draft_text(convening)
    now = timezone.now()
    with transaction.atomic():
        current = Convening.objects.select_for_update().get(pk=convening.pk)
        Convening.objects.filter(pk=current.pk).update(
            agenda=text, agenda_drafted_at=now, updated_at=now
        )
        record(convening.cohort, actor, "drafted a convening agenda", convening)
    convening.refresh_from_db()
    return convening


# -- attendance ------------------------------------------------------------------------------


def attendance_open(convening, now=None):
    now = now or timezone.now()
    return not convening.is_cancelled and convening.starts_at - ATTENDANCE_OPENS_BEFORE <= now


def record_attendance(convening, *, actor, statuses, now=None):
    """Save who came: `statuses` maps a leader's public id (str) to present, absent or
    excused. Anyone who is not a leader of the cohort refuses the whole batch."""
    if convening.is_cancelled:
        raise ServiceError(_("This convening is cancelled: there is no attendance to record."))
    if not attendance_open(convening, now):
        raise ServiceError(_("Attendance can be recorded once the convening has started."))
    if not statuses:
        raise ServiceError(_("Mark each leader present, absent or excused, then save."))
    valid = set(ConveningAttendance.Status.values)
    if any(status not in valid for status in statuses.values()):
        raise ServiceError(_("Choose present, absent or excused for each leader."))
    people = {str(p.public_id): p for p in leaders(convening.cohort)}
    # Leaders recorded before who lead no community now can still be corrected.
    for row in convening.attendance.select_related("participant"):
        people.setdefault(str(row.participant.public_id), row.participant)
    if set(statuses) - set(people):
        raise ServiceError(
            _("Attendance can only be recorded for the cohort's leaders. Nothing was saved.")
        )
    rows = [
        ConveningAttendance(convening=convening, participant=people[key], status=status)
        for key, status in statuses.items()
    ]
    with transaction.atomic():
        ConveningAttendance.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["convening", "participant"],
            update_fields=["status"],
        )
        record(
            convening.cohort,
            actor,
            "recorded convening attendance",
            convening,
            present=sum(1 for s in statuses.values() if s == ConveningAttendance.Status.PRESENT),
            marked=len(rows),
        )
    return len(rows)


def attendees(convening):
    """Everyone who can be marked: the leaders now, and anyone marked before."""
    people = {p.pk: p for p in leaders(convening.cohort)}
    recorded = {}
    for row in convening.attendance.select_related("participant"):
        people.setdefault(row.participant_id, row.participant)
        recorded[row.participant_id] = row.status
    ordered = sorted(people.values(), key=lambda p: (p.name.casefold(), p.pk))
    return ordered, recorded
