"""Appreciative interviews: the rotation of pairs, the question set and the notes.

STUB: scaffolding only; each view is replaced by its real implementation."""

from django.http import HttpResponse
from django.views.decorators.http import require_POST

from copkit.access import cohort_view


@cohort_view("community.members")
def interviews(request, access):
    return HttpResponse("stub: interviews")


@cohort_view("community.lead")
def interviews_setup(request, access):
    return HttpResponse("stub: interviews_setup")


@require_POST
@cohort_view("community.members")
def interview_notes(request, access, pair_id):
    return HttpResponse("stub: interview_notes")
