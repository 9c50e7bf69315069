"""A community's meetings: the schedule proposed from its plan, one-off meetings, agendas,
notes and attendance.

STUB: scaffolding only; each view is replaced by its real implementation."""

from django.http import HttpResponse
from django.views.decorators.http import require_POST

from copkit.access import cohort_view


@cohort_view("community.members")
def meeting_list(request, access):
    return HttpResponse("stub: meeting_list")


@cohort_view("community.lead")
def meeting_schedule(request, access):
    return HttpResponse("stub: meeting_schedule")


@cohort_view("community.lead")
def meeting_settings(request, access):
    return HttpResponse("stub: meeting_settings")


@cohort_view("community.lead")
def meeting_create(request, access):
    return HttpResponse("stub: meeting_create")


@cohort_view("community.members")
def meeting_detail(request, access, meeting_id):
    return HttpResponse("stub: meeting_detail")


@cohort_view("community.lead")
def meeting_edit(request, access, meeting_id):
    return HttpResponse("stub: meeting_edit")


@require_POST
@cohort_view("community.lead")
def meeting_attendance(request, access, meeting_id):
    return HttpResponse("stub: meeting_attendance")
