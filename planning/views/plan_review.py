"""Submitting an action plan, its review by staff, versions and their differences, comments,
the printable plan and its PDF.

STUB: scaffolding only; each view is replaced by its real implementation."""

from django.http import HttpResponse
from django.views.decorators.http import require_POST

from copkit.access import cohort_view


@cohort_view("community.members")
def plan_print(request, access):
    return HttpResponse("stub: plan_print")


@cohort_view("community.members")
def plan_pdf(request, access):
    return HttpResponse("stub: plan_pdf")


@cohort_view("community.members")
def plan_versions(request, access):
    return HttpResponse("stub: plan_versions")


@require_POST
@cohort_view("community.lead")
def plan_submit(request, access):
    return HttpResponse("stub: plan_submit")


@require_POST
@cohort_view("community.manage")
def plan_review(request, access):
    return HttpResponse("stub: plan_review")


@require_POST
@cohort_view("community.members")
def plan_comment(request, access):
    return HttpResponse("stub: plan_comment")


@cohort_view("cohort.manage")
def plan_list(request, access):
    return HttpResponse("stub: plan_list")
