"""The leaders' circle's pages: its home (the next convening, past ones, the discussion),
scheduling convenings, a convening with its agenda, notes and attendance, and the
discussion's posts and replies.

Only the cohort's staff and the leaders and co-leaders of its communities come in: anyone
else of the cohort gets 403, anyone outside it 404 (cohort_view). Scheduling and the agenda,
notes and attendance are the staff's; a post is changed only by its author."""

from datetime import time, timedelta
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cohorts.access import cohort_view
from copkit.concurrency import hold_for_saving
from copkit.errors import ServiceError, show_error
from planning.meetings import schedule
from planning.models import ConveningAttendance
from planning.support.forms import (
    AgendaForm,
    CircleScheduleForm,
    ConveningEditForm,
    ConveningForm,
    LeadersAttendanceForm,
    NotesForm,
    PostForm,
    ReplyForm,
)
from planning.support.services import convenings as services
from planning.support.services import discussion

PRESENT = ConveningAttendance.Status.PRESENT
RECENT_POSTS = 5
PAST_SHOWN = 24
DEFAULT_START = time(15, 0)


def in_circle(access):
    return access.is_staff or access.leads_any


def circle_view(staff_only=False):
    """cohort_view for the circle: staff, and (unless `staff_only`) the cohort's leaders."""

    def decorator(view):
        @cohort_view("cohort.view")
        @wraps(view)
        def wrapped(request, access, *args, **kwargs):
            allowed = access.is_staff if staff_only else in_circle(access)
            if not allowed:
                raise PermissionDenied
            return view(request, access, *args, **kwargs)

        return wrapped

    return decorator


def _convening(access, convening_id):
    return get_object_or_404(access.cohort.convenings.all(), public_id=convening_id)


def _post(access, post_id):
    return get_object_or_404(access.cohort.circle_posts.select_related("author"), public_id=post_id)


def _ends_at(convening):
    return convening.starts_at + timedelta(minutes=convening.duration_minutes)


def _context(access, **extra):
    return {"cohort": access.cohort, "zone": services.cohort_zone(access.cohort), **extra}


def _posts(access):
    return access.cohort.circle_posts.select_related("author").annotate(
        reply_count=Count("replies")
    )


@circle_view()
def circle_home(request, access):
    now = timezone.now()
    convenings = access.cohort.convenings.annotate(
        present_count=Count("attendance", filter=Q(attendance__status=PRESENT)),
        marked_count=Count("attendance"),
    )
    upcoming = list(
        convenings.filter(starts_at__gte=now - timedelta(hours=3)).order_by("starts_at", "pk")[:6]
    )
    upcoming = [c for c in upcoming if _ends_at(c) > now]
    next_one = next((c for c in upcoming if not c.is_cancelled), None)
    past = [
        c
        for c in convenings.filter(starts_at__lt=now).order_by("-starts_at", "-pk")[
            : PAST_SHOWN + 1
        ]
        if _ends_at(c) <= now
    ][:PAST_SHOWN]
    return render(
        request,
        "planning/support/home.html",
        _context(
            access,
            next_one=next_one,
            upcoming=[c for c in upcoming if c is not next_one],
            past=past,
            posts=list(_posts(access)[:RECENT_POSTS]),
            is_staff=access.is_staff,
        ),
    )


@circle_view(staff_only=True)
def circle_schedule(request, access):
    cohort = access.cohort
    zone = services.cohort_zone(cohort)
    today = timezone.localdate(timezone=zone)
    initial = {
        "first_date": max(today, cohort.starts_on),
        "frequency": schedule.MONTHLY,
        "week_of_month": "1",
        "weekday": "2",
        "start_time": DEFAULT_START,
        "length_minutes": 60,
        "mode": "virtual",
        "until": cohort.ends_on,
    }
    form = CircleScheduleForm(request.POST or None, initial=initial, zone_name=zone.key)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created, skipped = services.schedule_convenings(
                cohort,
                actor=request.user,
                rule=form.rule,
                mode=data["mode"],
                location=data["location"],
            )
        except ServiceError as error:
            show_error(request, error, form)
        else:
            text = ngettext(
                "%(n)d convening scheduled.", "%(n)d convenings scheduled.", len(created)
            ) % {"n": len(created)}
            if skipped:
                text += " " + ngettext(
                    "%(n)d date was skipped: it already has a convening.",
                    "%(n)d dates were skipped: they already have a convening.",
                    len(skipped),
                ) % {"n": len(skipped)}
            messages.success(request, text)
            return redirect("planning:circle", cohort.slug)
    return render(request, "planning/support/schedule.html", _context(access, form=form))


@circle_view(staff_only=True)
def convening_create(request, access):
    zone = services.cohort_zone(access.cohort)
    initial = {
        "title": services.default_title(access.cohort),
        "duration_minutes": 60,
        "mode": "virtual",
    }
    form = ConveningForm(request.POST or None, initial=initial, zone=zone)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        convening = services.create_convening(
            access.cohort,
            actor=request.user,
            title=data["title"],
            starts_at=data["starts_at"],
            duration_minutes=data["duration_minutes"],
            mode=data["mode"],
            location=data["location"],
            agenda=data["agenda"],
        )
        messages.success(request, _("Convening added."))
        return redirect(convening)
    return render(
        request, "planning/support/form.html", _context(access, form=form, convening=None)
    )


@circle_view(staff_only=True)
@transaction.atomic
def convening_edit(request, access, convening_id):
    convening = _convening(access, convening_id)
    zone = services.cohort_zone(access.cohort)
    form = ConveningEditForm(
        request.POST or None,
        initial=ConveningEditForm.initial_for(convening, zone),
        zone=zone,
        editing=True,
        record=convening,
    )
    if request.method == "POST" and form.is_valid() and hold_for_saving(form, convening):
        changed = services.update_convening(
            convening,
            actor=request.user,
            changes=form.changes(),
            cancelled=form.cleaned_data["cancelled"],
        )
        messages.success(request, _("Convening saved.") if changed else _("Nothing was changed."))
        return redirect(convening)
    return render(
        request, "planning/support/form.html", _context(access, form=form, convening=convening)
    )


@circle_view()
def convening_detail(request, access, convening_id):
    convening = _convening(access, convening_id)
    records = list(
        convening.attendance.select_related("participant").order_by(
            "participant__name", "participant_id"
        )
    )
    now = timezone.now()
    return render(
        request,
        "planning/support/detail.html",
        _context(
            access,
            convening=convening,
            agenda_lines=_agenda_lines(convening.agenda),
            records=records,
            present_count=sum(1 for r in records if r.status == PRESENT),
            is_past=_ends_at(convening) <= now,
            attendance_open=services.attendance_open(convening, now),
            is_staff=access.is_staff,
        ),
    )


def _agenda_lines(text):
    """The agenda's lines, each with whether it is indented (a point under an item)."""
    return [
        {"text": line.strip(), "sub": line[:1].isspace()}
        for line in text.splitlines()
        if line.strip()
    ]


@circle_view(staff_only=True)
@transaction.atomic
def convening_agenda(request, access, convening_id):
    convening = _convening(access, convening_id)
    if request.method == "POST" and request.POST.get("action") == "draft":
        services.save_draft(convening, actor=request.user)
        messages.success(
            request,
            _("The agenda is drafted from the check-ins since the last convening. Edit it below."),
        )
        return redirect("planning:convening-agenda", access.cohort.slug, convening.public_id)
    initial = None
    if not convening.agenda.strip():
        initial = {"agenda": services.draft_text(convening)}
    form = AgendaForm(request.POST or None, instance=convening, initial=initial)
    if request.method == "POST" and form.is_valid() and hold_for_saving(form, convening):
        services.update_convening(
            convening, actor=request.user, changes={"agenda": form.cleaned_data["agenda"]}
        )
        messages.success(request, _("Agenda saved."))
        return redirect(convening)
    return render(
        request,
        "planning/support/agenda.html",
        _context(
            access,
            convening=convening,
            form=form,
            draft=services.draft(convening),
            since=services.window(convening)[0],
            is_new=initial is not None,
        ),
    )


@circle_view(staff_only=True)
@transaction.atomic
def convening_notes(request, access, convening_id):
    convening = _convening(access, convening_id)
    form = NotesForm(request.POST or None, instance=convening)
    if request.method == "POST" and form.is_valid() and hold_for_saving(form, convening):
        services.update_convening(
            convening, actor=request.user, changes={"notes": form.cleaned_data["notes"]}
        )
        messages.success(request, _("Notes saved."))
        return redirect(convening)
    return render(
        request, "planning/support/notes.html", _context(access, convening=convening, form=form)
    )


@circle_view(staff_only=True)
def convening_attendance(request, access, convening_id):
    convening = _convening(access, convening_id)
    people, recorded = services.attendees(convening)
    form = LeadersAttendanceForm(request.POST or None, members=people, recorded=recorded)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.record_attendance(
                convening, actor=request.user, statuses=form.statuses()
            )
        except ServiceError as error:
            show_error(request, error, form)
        else:
            messages.success(
                request,
                ngettext(
                    "Attendance saved for %(n)d leader.",
                    "Attendance saved for %(n)d leaders.",
                    saved,
                )
                % {"n": saved},
            )
            return redirect(convening)
    return render(
        request,
        "planning/support/attendance.html",
        _context(
            access,
            convening=convening,
            form=form,
            attendance_open=services.attendance_open(convening),
        ),
    )


# -- the discussion ------------------------------------------------------------------------


@circle_view()
def post_list(request, access):
    return render(
        request, "planning/support/posts.html", _context(access, posts=list(_posts(access)))
    )


@circle_view()
def post_create(request, access):
    form = PostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            post = discussion.create_post(
                access.cohort,
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except ServiceError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("Posted. The other leaders get an email about it."))
            return redirect(post)
    return render(
        request, "planning/support/post_form.html", _context(access, form=form, post=None)
    )


@circle_view()
def post_detail(request, access, post_id):
    post = _post(access, post_id)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            discussion.reply(post, author=request.user, body=form.cleaned_data["body"])
        except ServiceError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("Reply posted."))
            return redirect(post)
    replies = list(post.replies.select_related("author"))
    return render(
        request,
        "planning/support/post.html",
        _context(
            access,
            post=post,
            replies=replies,
            form=form,
            can_edit=post.author_id == request.user.pk,
        ),
    )


@circle_view()
@transaction.atomic
def post_edit(request, access, post_id):
    post = _post(access, post_id)
    if post.author_id != request.user.pk:
        raise PermissionDenied
    form = PostForm(
        request.POST or None, initial={"title": post.title, "body": post.body}, record=post
    )
    if request.method == "POST" and form.is_valid() and hold_for_saving(form, post):
        try:
            changed = discussion.edit_post(
                post,
                actor=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except ServiceError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("Post saved.") if changed else _("Nothing was changed."))
            return redirect(post)
    return render(
        request, "planning/support/post_form.html", _context(access, form=form, post=post)
    )
