"""A community's action plan: its parts, edited over several sessions with autosave, and
the cohort's template of prompts.

STUB: scaffolding only; each view is replaced by its real implementation."""

from django.http import HttpResponse
from django.views.decorators.http import require_POST

from copkit.access import cohort_view


@cohort_view("community.members")
def plan(request, access):
    return HttpResponse("stub: plan")


@cohort_view("community.members")
def plan_part(request, access, part_key):
    return HttpResponse("stub: plan_part")


@require_POST
@cohort_view("community.lead")
def plan_part_save(request, access, part_key):
    return HttpResponse("stub: plan_part_save")


@cohort_view("cohort.manage")
def plan_template(request, access):
    return HttpResponse("stub: plan_template")


@cohort_view("cohort.manage")
def plan_template_part(request, access, part_key):
    return HttpResponse("stub: plan_template_part")
