"""Live polls: the presenter's view and controls, and the phone page participants vote on.

STUB: scaffolding only; each view is replaced by its real implementation."""

from django.http import HttpResponse
from django.views.decorators.http import require_POST

from copkit.access import cohort_view


@require_POST
@cohort_view("cohort.manage")
def live_start(request, access, survey_id):
    return HttpResponse("stub: live_start")


@cohort_view("cohort.manage")
def live_present(request, access, session_id):
    return HttpResponse("stub: live_present")


@cohort_view("cohort.manage")
def live_results(request, access, session_id):
    return HttpResponse("stub: live_results")


@require_POST
@cohort_view("cohort.manage")
def live_control(request, access, session_id):
    return HttpResponse("stub: live_control")


def live_join(request):
    return HttpResponse("stub: live_join")


def live_vote(request, code):
    return HttpResponse("stub: live_vote")


def live_vote_state(request, code):
    return HttpResponse("stub: live_vote_state")
