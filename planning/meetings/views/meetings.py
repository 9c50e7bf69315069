"""A community's meetings: the schedule proposed from its plan, one-off meetings, agendas,
notes and attendance, and the community's meeting settings.

Times are entered and shown in the community's time zone (MeetingSettings.time_zone) and
stored in UTC; pages render inside `{% timezone %}` so every date filter shows local time."""

from datetime import timedelta

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cohorts.access import cohort_view
from copkit.concurrency import hold_for_saving
from copkit.errors import ServiceError, show_error
from planning.archived import community_open
from planning.deeper import summaries as deeper
from planning.meetings import ical as calendar
from planning.meetings import schedule
from planning.meetings.forms import AttendanceForm, MeetingForm, MeetingSettingsForm, ScheduleForm
from planning.meetings.services import meetings as services
from planning.models import Attendance

PRESENT = Attendance.Status.PRESENT


def _meeting(access, meeting_id):
    return get_object_or_404(access.community.meetings.all(), public_id=meeting_id)


def _to_list(access):
    return redirect("planning:meetings", access.cohort.slug, access.community.slug)


def _ends_at(meeting):
    return meeting.starts_at + timedelta(minutes=meeting.duration_minutes)


@cohort_view("community.members")
def meeting_list(request, access):
    community = access.community
    settings_row = calendar.meeting_settings(community)
    zone = calendar.community_zone(community)
    default_place = settings_row.location if settings_row else ""
    meetings = list(
        community.meetings.annotate(
            present_count=Count("attendance", filter=Q(attendance__status=PRESENT)),
            marked_count=Count("attendance"),
        ).order_by("starts_at", "pk")
    )
    now = timezone.now()
    for meeting in meetings:
        meeting.place = meeting.location or default_place
        meeting.is_past = _ends_at(meeting) <= now
    description = services.describe_rule(settings_row.schedule) if settings_row else ""
    planned = ""
    if not description:
        planned = services.describe_plan(services.plan_answers(community))
    return render(
        request,
        "planning/meetings/list.html",
        {
            "community": community,
            "zone": zone,
            "upcoming": [m for m in meetings if not m.is_past],
            "past": [m for m in reversed(meetings) if m.is_past],
            "description": description,
            "planned": planned,
            "can_lead": access.can("community.lead"),
            "membership": access.membership(),
            "is_participant": access.is_participant,
            "reminder_hours": calendar.reminder_hours(community),
        },
    )


@cohort_view("community.lead")
@community_open
def meeting_schedule(request, access):
    community = access.community
    zone = calendar.community_zone(community)
    answers = services.plan_answers(community)
    form = ScheduleForm(
        request.POST or None,
        initial=services.schedule_initial(community, answers),
        zone_name=zone.key,
    )
    proposal = description = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("action") == "create":
            try:
                created, skipped = services.create_from_schedule(
                    community,
                    actor=request.user,
                    rule=form.rule,
                    mode=data["mode"],
                    agenda=services.plan_agenda(answers),
                    location=data["location"],
                    leave_out=form.leave_out,
                )
            except ServiceError as error:
                show_error(request, error, form)
            else:
                text = ngettext(
                    "%(n)d meeting created.", "%(n)d meetings created.", len(created)
                ) % {"n": len(created)}
                if skipped:
                    text += " " + ngettext(
                        "%(n)d date was skipped: it already has a meeting.",
                        "%(n)d dates were skipped: they already have a meeting.",
                        len(skipped),
                    ) % {"n": len(skipped)}
                messages.success(request, text)
                return _to_list(access)
        else:
            proposal = _preview(services.propose(community, form.rule), zone, form.leave_out)
            description = schedule.describe(
                data["frequency"],
                data["weekday"],
                form.rule["week_of_month"],
                data["start_time"],
                data["length_minutes"],
                data["mode"],
            )
    return render(
        request,
        "planning/meetings/schedule.html",
        {
            "community": community,
            "zone": zone,
            "form": form,
            "proposal": proposal,
            "months": _by_month(proposal or ()),
            "description": description,
            "new_count": sum(1 for date in proposal or () if date["kept"] and not date["taken"]),
            "plan_has_logistics": bool(answers["logistics"]),
        },
    )


def _preview(proposal, zone, leave_out):
    """The proposed dates as the preview lists them: each start, its local date, whether a
    meeting is on that day already (`taken`) and whether it is still ticked (`kept`)."""
    dates = []
    for start, taken in proposal:
        day = timezone.localtime(start, zone).date()
        dates.append({"start": start, "day": day, "taken": taken, "kept": day not in leave_out})
    return dates


def _by_month(dates):
    """[(first day of the month, its dates)], in order, so a month can be left out at once."""
    months = []
    for date in dates:
        month = date["day"].replace(day=1)
        if not months or months[-1][0] != month:
            months.append((month, []))
        months[-1][1].append(date)
    return months


@cohort_view("community.lead")
@community_open
@transaction.atomic
def meeting_settings(request, access):
    community = access.community
    form = MeetingSettingsForm(request.POST or None, instance=services.settings_for(community))
    if request.method == "POST" and form.is_valid() and hold_for_saving(form, form.instance):
        services.save_settings(
            community,
            actor=request.user,
            time_zone=form.cleaned_data["time_zone"],
            location=form.cleaned_data["location"],
            reminder_hours=form.cleaned_data["reminder_hours"],
        )
        messages.success(request, _("Meeting settings saved."))
        return _to_list(access)
    return render(
        request, "planning/meetings/settings.html", {"community": community, "form": form}
    )


@cohort_view("community.lead")
@community_open
def meeting_create(request, access):
    community = access.community
    zone = calendar.community_zone(community)
    answers = services.plan_answers(community)
    plan = services.schedule_initial(community, answers)
    settings_row = services.settings_for(community)
    initial = {
        "title": services.default_title(community),
        "start_time": plan["start_time"],
        "duration_minutes": plan["length_minutes"],
        "mode": plan["mode"],
        "location": settings_row.location,
        "agenda": services.plan_agenda(answers),
    }
    form = MeetingForm(request.POST or None, initial=initial, zone=zone)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting = services.create_meeting(
            community,
            actor=request.user,
            title=data["title"],
            starts_at=data["starts_at"],
            duration_minutes=data["duration_minutes"],
            mode=data["mode"],
            location=data["location"],
            agenda=data["agenda"],
        )
        messages.success(request, _("Meeting added."))
        return redirect(
            "planning:meeting-detail", access.cohort.slug, community.slug, meeting.public_id
        )
    return render(
        request,
        "planning/meetings/form.html",
        {"community": community, "form": form, "meeting": None, "zone": zone},
    )


@cohort_view("community.members")
def meeting_detail(request, access, meeting_id):
    community = access.community
    meeting = _meeting(access, meeting_id)
    can_lead = access.can("community.lead")
    records = list(
        meeting.attendance.select_related("participant").order_by(
            "participant__name", "participant_id"
        )
    )
    now = timezone.now()
    is_past = _ends_at(meeting) <= now
    context = {
        "community": community,
        "meeting": meeting,
        "zone": calendar.community_zone(community),
        "place": calendar.place(meeting),
        "agenda_items": [line.strip() for line in meeting.agenda.splitlines() if line.strip()],
        "can_lead": can_lead,
        "is_past": is_past,
        "records": records,
        "present_count": sum(1 for r in records if r.status == PRESENT),
        "attendance_open": services.attendance_open(meeting, now),
        "needs_attendance": is_past and not records and not meeting.is_cancelled,
        "deeper": deeper.on_meeting(meeting),
    }
    me = access.participant if access.membership() else None
    if me is not None:
        context["my_status"] = next(
            (r.get_status_display() for r in records if r.participant_id == me.pk), None
        )
    if can_lead and context["attendance_open"]:
        context["attendance_form"] = AttendanceForm(
            members=services.current_members(community),
            recorded={r.participant_id: r.status for r in records},
        )
    return render(request, "planning/meetings/detail.html", context)


@cohort_view("community.lead")
@community_open
@transaction.atomic
def meeting_edit(request, access, meeting_id):
    community = access.community
    meeting = _meeting(access, meeting_id)
    zone = calendar.community_zone(community)
    form = MeetingForm(
        request.POST or None,
        initial=MeetingForm.initial_for(meeting, zone),
        zone=zone,
        editing=True,
        record=meeting,
    )
    if request.method == "POST" and form.is_valid() and hold_for_saving(form, meeting):
        before = meeting.sequence
        changed = services.update_meeting(
            meeting,
            actor=request.user,
            changes=form.changes(),
            cancelled=form.cleaned_data["cancelled"],
        )
        if not changed:
            messages.info(request, _("Nothing was changed."))
        elif "cancelled_at" in changed and meeting.is_cancelled:
            messages.success(
                request, _("The meeting is cancelled. Members' calendars will show it so.")
            )
        elif meeting.sequence != before:
            messages.success(
                request, _("Meeting saved. Members' calendars will pick up the change.")
            )
        else:
            messages.success(request, _("Meeting saved."))
        return redirect(
            "planning:meeting-detail", access.cohort.slug, community.slug, meeting.public_id
        )
    return render(
        request,
        "planning/meetings/form.html",
        {"community": community, "form": form, "meeting": meeting, "zone": zone},
    )


@require_POST
@cohort_view("community.lead")
@community_open
def meeting_attendance(request, access, meeting_id):
    community = access.community
    meeting = _meeting(access, meeting_id)
    form = AttendanceForm(request.POST, members=services.current_members(community))
    back = redirect(
        "planning:meeting-detail", access.cohort.slug, community.slug, meeting.public_id
    )
    if not form.is_valid():
        reason = " ".join(form.non_field_errors()) or _(
            "Choose present, absent or excused for each member."
        )
        messages.error(request, reason + " " + _("Nothing was saved."))
        return back
    statuses = form.statuses()
    try:
        services.record_attendance(meeting, actor=request.user, statuses=statuses)
    except ServiceError as error:
        show_error(request, error)
        return back
    counts = dict.fromkeys(Attendance.Status.values, 0)
    for value in statuses.values():
        counts[value] += 1
    messages.success(
        request,
        _("Attendance saved: %(present)d present, %(absent)d absent, %(excused)d excused.")
        % counts,
    )
    return back
