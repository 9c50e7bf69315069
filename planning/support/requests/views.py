"""TTA request pages. A community's: its requests, the form to file one (leaders and staff),
and one request with the TTA team's reply and its history (every member). The cohort's, for
staff: every request on one page, to filter and triage, and one request's triage page (where
a refused change comes back with its message beside the field)."""

from django.contrib import messages
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.access import cohort_view
from copkit.concurrency import EditConflict
from copkit.errors import ServiceError, show_error
from planning.archived import community_open
from planning.models import Convening, Meeting, TTARequest
from planning.support.requests import services
from planning.support.requests.forms import FilterForm, RequestForm, TriageForm, triage_initial

State = TTARequest.State
LIST_LIMIT = 200


# -- a community's pages --------------------------------------------------------------------


@cohort_view("community.members")
def request_list(request, access):
    community = access.community
    rows = list(community.tta_requests.select_related("assignee").order_by("-created_at", "pk"))
    return render(
        request,
        "planning/support/requests/list.html",
        {
            "community": community,
            "open_rows": [r for r in rows if r.is_open],
            "closed_rows": [r for r in rows if not r.is_open],
            "can_file": access.can("community.lead") and not community.is_archived,
        },
    )


def _members(community):
    return [
        m.participant
        for m in community.memberships.select_related("participant").order_by("participant__name")
    ]


@cohort_view("community.lead")
@community_open
def request_create(request, access):
    community = access.community
    form = RequestForm(request.POST or None, members=_members(community))
    if request.method == "POST" and form.is_valid():
        try:
            filed = services.file_request(community, actor=request.user, **form.values())
        except ServiceError as error:
            show_error(request, error, form)
        else:
            messages.success(
                request, _("Your request is filed. Your TTA team will answer you here.")
            )
            return redirect(filed)
    return render(
        request,
        "planning/support/requests/form.html",
        {"community": community, "form": form},
        status=200,
    )


@cohort_view("community.members")
def request_detail(request, access, request_id):
    community = access.community
    row = get_object_or_404(
        community.tta_requests.select_related(
            "filed_by", "assignee", "meeting", "convening", "community__cohort"
        ),
        public_id=request_id,
    )
    if access.is_leader() and row.replied_at is not None:
        services.mark_reply_seen(row)
    return render(
        request,
        "planning/support/requests/detail.html",
        {
            "community": community,
            "row": row,
            "serves": list(row.serves.order_by("name")),
            "events": _events(row),
            "can_triage": access.is_staff,
        },
    )


def _events(row):
    events = list(row.events.select_related("actor").order_by("at", "pk"))
    for event in events:
        for change in event.changes:
            change["label"] = services.field_label(change["field"])
    return events


# -- staff: triage --------------------------------------------------------------------------


def _choices(cohort, communities):
    """The lists every triage form draws from: staff, the coming meetings of `communities`
    (by community id), and the cohort's coming convenings. Three queries."""
    now = timezone.now()
    meetings = {}
    for meeting in Meeting.objects.filter(
        community__in=communities, cancelled_at__isnull=True, starts_at__gt=now
    ).order_by("starts_at", "pk"):
        meetings.setdefault(meeting.community_id, []).append(meeting)
    convenings = list(
        Convening.objects.filter(
            cohort=cohort, cancelled_at__isnull=True, starts_at__gt=now
        ).order_by("starts_at", "pk")
    )
    return list(services.staff_of(cohort)), meetings, convenings


def _with_linked(items, linked):
    """The choices, plus the one the request links now when it is past or cancelled."""
    if linked is not None and linked not in items:
        return [linked, *items]
    return items


def _form(row, staff, meetings, convenings, data=None):
    return TriageForm(
        data,
        prefix=f"r{row.pk}",
        record=row,
        initial=triage_initial(row),
        staff=staff,
        meetings=_with_linked(meetings.get(row.community_id, []), row.meeting),
        convenings=_with_linked(convenings, row.convening),
    )


@cohort_view("cohort.manage")
def triage_list(request, access):
    cohort = access.cohort
    communities = list(cohort.communities.order_by("name"))
    staff, meetings, convenings = _choices(cohort, communities)
    filters = FilterForm(request.GET or None, staff=staff, communities=communities)
    rows = TTARequest.objects.filter(community__cohort=cohort)
    if filters.is_valid():
        state = filters.cleaned_data["state"]
        if state == FilterForm.OPEN:
            rows = rows.filter(state__in=TTARequest.OPEN_STATES)
        elif state:
            rows = rows.filter(state=state)
        assignee = filters.cleaned_data["assignee"]
        if assignee == "none":
            rows = rows.filter(assignee__isnull=True)
        elif assignee:
            rows = rows.filter(assignee_id=int(assignee))
        if filters.cleaned_data["community"]:
            rows = rows.filter(community__slug=filters.cleaned_data["community"])
    today = timezone.localdate()
    rows = rows.annotate(
        overdue=Case(
            When(Q(state__in=TTARequest.OPEN_STATES, due_on__lt=today), then=Value(0)),
            When(Q(state__in=TTARequest.OPEN_STATES), then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).select_related("community", "assignee", "filed_by", "meeting", "convening")
    by_due = F("due_on").asc(nulls_last=True)  # the same on PostgreSQL and SQLite
    rows = list(rows.order_by("overdue", by_due, "-created_at", "pk")[:LIST_LIMIT])
    for row in rows:
        row.community.cohort = cohort
        row.form = _form(row, staff, meetings, convenings)
        row.url = reverse("planning:tta-request-triage", args=[cohort.slug, row.public_id])
    return render(
        request,
        "planning/support/requests/triage.html",
        {"rows": rows, "filters": filters, "today": today, "limit": LIST_LIMIT},
    )


@cohort_view("cohort.manage")
def triage_one(request, access, request_id):
    cohort = access.cohort
    row = get_object_or_404(
        TTARequest.objects.filter(community__cohort=cohort).select_related(
            "community", "assignee", "filed_by", "meeting", "convening"
        ),
        public_id=request_id,
    )
    row.community.cohort = cohort
    staff, meetings, convenings = _choices(cohort, [row.community])
    form = _form(row, staff, meetings, convenings, request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = request.POST.get(form.add_prefix("edit_fingerprint"))
        try:
            event = services.triage(row, actor=request.user, token=token, **form.cleaned_data)
        except EditConflict as conflict:
            form.show_conflict(conflict)
        except ServiceError as error:
            show_error(request, error, form)
        else:
            if event is None:
                messages.info(request, _("Nothing was changed."))
            else:
                messages.success(
                    request, _("Saved. The community's members are told of the change.")
                )
            back = _list_url(cohort) if request.POST.get("next") == "list" else row_url(row)
            return redirect(back)
    return render(
        request,
        "planning/support/requests/triage_one.html",
        {
            "row": row,
            "form": form,
            "events": _events(row),
            "serves": list(row.serves.order_by("name")),
        },
        status=200,
    )


def _list_url(cohort):
    return reverse("planning:tta-requests", args=[cohort.slug])


def row_url(row):
    return reverse("planning:tta-request-triage", args=[row.community.cohort.slug, row.public_id])
