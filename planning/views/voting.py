"""Dot voting on a community's common needs, and recording its top three.

STUB: scaffolding only; each view is replaced by its real implementation."""

from django.http import HttpResponse
from django.views.decorators.http import require_POST

from copkit.access import cohort_view


@cohort_view("community.members")
def common_needs(request, access):
    return HttpResponse("stub: common_needs")


@require_POST
@cohort_view("community.lead")
def common_need_add(request, access):
    return HttpResponse("stub: common_need_add")


@require_POST
@cohort_view("community.members")
def common_need_vote(request, access):
    return HttpResponse("stub: common_need_vote")


@require_POST
@cohort_view("community.lead")
def common_needs_choose(request, access):
    return HttpResponse("stub: common_needs_choose")
