"""A community's meetings: the settings they are kept with, the schedule proposed from the
action plan, one-off meetings, changes to a meeting, and attendance.

Calendars and reminders (planning/meetings/ical.py, services/reminders.py) rely on two
rules kept here: whenever a meeting's time, length, place, format, title or cancellation
changes, its `sequence` goes up by one (iCalendar SEQUENCE, so subscribed apps replace their
copy); when its start moves, `reminded_at` is cleared so the reminder goes again before the
new time. Both are written in the same UPDATE as the change.
"""

from datetime import date, time, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.geo import community_time_zone
from cohorts.services.activity import record
from copkit.errors import ServiceError
from planning.archived import refuse_if_archived
from planning.meetings import ical as calendar
from planning.meetings import schedule
from planning.models import Attendance, Meeting, MeetingSettings, PlanPart
from planning.plans import parts as plan_parts

# Changes to these fields (and to the cancellation) reach subscribed calendars.
CALENDAR_FIELDS = ("title", "starts_at", "duration_minutes", "location", "mode", "cancelled_at")
EDITABLE_FIELDS = (
    "title",
    "starts_at",
    "duration_minutes",
    "mode",
    "location",
    "agenda",
    "notes",
)
# Attendance can be taken from a little before the start (a roll call as people join).
ATTENDANCE_OPENS_BEFORE = timedelta(minutes=30)
PLAN_KEYS = ("logistics", "schedule", "agenda")
DEFAULT_START = time(12, 0)
DEFAULT_LENGTH = 90


# -- settings ------------------------------------------------------------------------------


def settings_for(community):
    """The community's MeetingSettings, or an unsaved one with the defaults."""
    return calendar.meeting_settings(community) or MeetingSettings(
        community=community, time_zone=community_time_zone(community)
    )


@transaction.atomic
def save_settings(community, *, actor, time_zone, location, reminder_hours):
    """Create or update the community's meeting settings."""
    refuse_if_archived(community)
    row, _created = MeetingSettings.objects.select_for_update().get_or_create(community=community)
    changed = [
        name
        for name, value in (
            ("time_zone", time_zone),
            ("location", location),
            ("reminder_hours", reminder_hours),
        )
        if getattr(row, name) != value
    ]
    row.time_zone, row.location, row.reminder_hours = time_zone, location, reminder_hours
    row.save()
    community.meeting_settings = row
    record(community.cohort, actor, "changed the meeting settings of", community, fields=changed)
    return row


# -- what the plan says --------------------------------------------------------------------


def plan_answers(community):
    """The data of the plan's logistics, schedule and agenda parts: {key: dict} (one query;
    parts not written yet are empty dicts)."""
    rows = PlanPart.objects.filter(plan__community=community, key__in=PLAN_KEYS).values_list(
        "key", "data"
    )
    answers = {key: {} for key in PLAN_KEYS}
    for key, data in rows:
        answers[key] = data if isinstance(data, dict) else {}
    return answers


def plan_agenda(answers):
    """The plan's agenda template, or copkit's default agenda."""
    text = str(answers.get("agenda", {}).get("agenda") or "").strip()
    return text or str(plan_parts.DEFAULT_AGENDA)


def _parse_date(value):
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


def _parse_time(value):
    try:
        return time.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


def schedule_initial(community, answers, *, today=None):
    """Initial values of the schedule form, from the plan where it says (the leader can
    change any of them): first date, frequency, week, weekday, start, length, format and an
    end at the cohort's end date."""
    logistics, plan_schedule = answers.get("logistics", {}), answers.get("schedule", {})
    today = today or timezone.localdate()
    first = _parse_date(plan_schedule.get("first_meeting"))
    try:
        length = int(logistics.get("length_minutes") or DEFAULT_LENGTH)
    except (TypeError, ValueError):
        length = DEFAULT_LENGTH
    return {
        "first_date": first or max(today, community.cohort.starts_on),
        "frequency": logistics.get("frequency") or schedule.MONTHLY,
        "week_of_month": logistics.get("week_of_month") or "",
        "weekday": logistics.get("weekday") or "1",
        "start_time": _parse_time(logistics.get("start_time")) or DEFAULT_START,
        "length_minutes": length,
        "mode": logistics.get("mode") or Meeting.Mode.VIRTUAL,
        "until": community.cohort.ends_on,
        "location": settings_for(community).location,
    }


def describe_rule(rule):
    """The one-line description of a saved rule (MeetingSettings.schedule), or ""."""
    try:
        return schedule.describe(
            rule["frequency"],
            rule["weekday"],
            rule.get("week_of_month") or "",
            time.fromisoformat(rule["start_time"]),
            rule.get("length_minutes"),
            rule.get("mode"),
        )
    except (KeyError, TypeError, ValueError):
        return ""


def describe_plan(answers):
    """The plan's logistics as one line, when the plan says enough; else ""."""
    logistics = answers.get("logistics", {})
    start = _parse_time(logistics.get("start_time"))
    if start is None:
        return ""
    return describe_rule({**logistics, "start_time": start.isoformat("minutes")})


# -- the schedule ---------------------------------------------------------------------------


def propose(community, rule):
    """The start times the rule gives in the community's time zone, each with whether a
    meeting already exists on that local day: [(starts_at, taken)]."""
    zone = calendar.community_zone(community)
    starts = schedule.propose(tz_name=zone.key, **rule)
    taken = _taken_days(community, starts, zone)
    return [(start, timezone.localtime(start, zone).date() in taken) for start in starts]


def _taken_days(community, starts, zone):
    if not starts:
        return set()
    existing = community.meetings.filter(
        starts_at__gte=starts[0] - timedelta(days=1), starts_at__lte=starts[-1] + timedelta(days=1)
    ).values_list("starts_at", flat=True)
    return {timezone.localtime(start, zone).date() for start in existing}


def _rule_for_storage(rule):
    return {
        "frequency": rule["frequency"],
        "weekday": str(rule["weekday"]),
        "week_of_month": str(rule.get("week_of_month") or ""),
        "start_time": rule["start_time"].isoformat("minutes"),
        "length_minutes": rule["length_minutes"],
        "mode": rule.get("mode") or "",
    }


def default_title(community):
    return _("%(name)s meeting") % {"name": community.name}


def create_from_schedule(community, *, actor, rule, mode, agenda, location=None, leave_out=()):
    """Create the meetings of the rule (first_date, frequency, weekday, week_of_month,
    start_time, length_minutes, until) that do not fall on a local day that already has a
    meeting, nor on a local date in `leave_out` (dates the leader unticked: "no meeting in
    July"). `location` (a place or call link), when given, goes on every new meeting and
    becomes the community's usual place; else the usual place is used. Returns (created
    meetings, skipped start times: those on a day that already has a meeting)."""
    refuse_if_archived(community)
    with transaction.atomic():
        # One schedule at a time per community: the settings row is the lock.
        settings_row, _created = MeetingSettings.objects.select_for_update().get_or_create(
            community=community, defaults={"time_zone": community_time_zone(community)}
        )
        community.meeting_settings = settings_row
        proposal = propose(community, rule)
        if not proposal:
            raise ServiceError(_("No meeting falls between these dates."))
        if leave_out:
            zone = calendar.community_zone(community)
            left_out = set(leave_out)
            proposal = [
                (start, taken)
                for start, taken in proposal
                if timezone.localtime(start, zone).date() not in left_out
            ]
            if not proposal:
                raise ServiceError(_("Every date is unticked: tick the dates to create."))
        if location is not None:
            settings_row.location = location.strip()
        title = default_title(community)
        meetings = [
            Meeting(
                community=community,
                title=title,
                starts_at=start,
                duration_minutes=rule["length_minutes"],
                mode=mode,
                location=settings_row.location,
                agenda=agenda,
                created_by=actor if actor is not None and actor.is_authenticated else None,
            )
            for start, taken in proposal
            if not taken
        ]
        Meeting.objects.bulk_create(meetings)
        skipped = [start for start, taken in proposal if taken]
        settings_row.schedule = _rule_for_storage({**rule, "mode": mode})
        settings_row.save(update_fields=["schedule", "location", "updated_at"])
        record(
            community.cohort,
            actor,
            "scheduled meetings of",
            community,
            created=len(meetings),
            skipped=len(skipped),
            rule=settings_row.schedule,
        )
    return meetings, skipped


# -- one meeting ----------------------------------------------------------------------------


@transaction.atomic
def create_meeting(community, *, actor, title, starts_at, duration_minutes, mode, location, agenda):
    refuse_if_archived(community)
    meeting = Meeting.objects.create(
        community=community,
        title=title,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        mode=mode,
        location=location,
        agenda=agenda,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    record(community.cohort, actor, "added a meeting to", community, meeting=str(meeting.public_id))
    return meeting


def apply_changes(row, *, changes, cancelled=None, editable=EDITABLE_FIELDS):
    """Write `changes` and a cancel or restore to a calendar row (a meeting, or a convening
    of the leaders' circle), under a row lock; call it inside a transaction. Only the fields
    that differ are written; a change calendars show moves `sequence` on, so calendar apps
    replace their copy; a new time clears `reminded_at`, so the reminder goes again before
    it. Returns the sorted names of the fields that changed (empty: none did)."""
    unknown = set(changes) - set(editable)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    now = timezone.now()
    model = type(row)
    current = model.objects.select_for_update().get(pk=row.pk)
    updates = {name: value for name, value in changes.items() if getattr(current, name) != value}
    if cancelled is not None and cancelled != current.is_cancelled:
        updates["cancelled_at"] = now if cancelled else None
    changed = sorted(updates)
    if not updates:
        return []
    if any(name in CALENDAR_FIELDS for name in updates):
        updates["sequence"] = F("sequence") + 1
    if "starts_at" in updates:
        updates["reminded_at"] = None
    updates["updated_at"] = now
    model.objects.filter(pk=current.pk).update(**updates)
    return changed


def update_meeting(meeting, *, actor, changes, cancelled=None):
    """Apply `changes` (a dict of EDITABLE_FIELDS) and, when `cancelled` is not None, cancel
    or restore the meeting. Returns the names of the fields that changed (empty: nothing
    did). The meeting object is refreshed from the database."""
    refuse_if_archived(meeting.community)
    with transaction.atomic():
        changed = apply_changes(meeting, changes=changes, cancelled=cancelled)
        if not changed:
            return []
        verb = "changed a meeting of"
        if "cancelled_at" in changed:
            verb = "cancelled a meeting of" if cancelled else "restored a meeting of"
        record(
            meeting.community.cohort,
            actor,
            verb,
            meeting.community,
            meeting=str(meeting.public_id),
            fields=changed,
        )
    meeting.refresh_from_db()
    return changed


# -- attendance -----------------------------------------------------------------------------


def current_members(community):
    """The community's members (participants), by name."""
    return [
        membership.participant
        for membership in community.memberships.select_related("participant").order_by(
            "participant__name", "participant_id"
        )
    ]


def attendance_open(meeting, now=None):
    """Whether attendance can be taken: the meeting is not cancelled and has started (or
    starts within half an hour)."""
    now = now or timezone.now()
    return not meeting.is_cancelled and meeting.starts_at - ATTENDANCE_OPENS_BEFORE <= now


def record_attendance(meeting, *, actor, statuses):
    """Save who came: `statuses` maps a member's public id (str) to present, absent or
    excused. Only current members of the meeting's community can be marked; anything else
    refuses the whole batch. Returns how many rows were written."""
    refuse_if_archived(meeting.community)
    if meeting.is_cancelled:
        raise ServiceError(_("This meeting is cancelled: there is no attendance to record."))
    if not attendance_open(meeting):
        raise ServiceError(_("Attendance can be recorded once the meeting has started."))
    if not statuses:
        raise ServiceError(_("Mark each member present, absent or excused, then save."))
    valid = set(Attendance.Status.values)
    if any(status not in valid for status in statuses.values()):
        raise ServiceError(_("Choose present, absent or excused for each member."))
    members = {str(p.public_id): p for p in current_members(meeting.community)}
    unknown = set(statuses) - set(members)
    if unknown:
        raise ServiceError(
            _("Attendance can only be recorded for members of this community. Nothing was saved.")
        )
    rows = [
        Attendance(meeting=meeting, participant=members[key], status=status)
        for key, status in statuses.items()
    ]
    with transaction.atomic():
        Attendance.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["meeting", "participant"],
            update_fields=["status"],
        )
        record(
            meeting.community.cohort,
            actor,
            "recorded attendance at a meeting of",
            meeting.community,
            meeting=str(meeting.public_id),
            present=sum(1 for s in statuses.values() if s == Attendance.Status.PRESENT),
            marked=len(rows),
        )
    return len(rows)
