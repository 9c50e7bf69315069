"""Formation rounds, staff side: running the engine, the review page (moves, locks, group
names, CSV upload) and publishing the groups as communities."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from copkit.access import cohort_view

from .formation import get_round


@require_POST
@cohort_view("cohort.manage")
def run(request, access, round_id):
    formation_round = get_round(access, round_id)
    return redirect("cohorts:formation-review", access.cohort.slug, formation_round.public_id)


@cohort_view("cohort.manage")
def progress(request, access, round_id):
    get_round(access, round_id)
    return HttpResponse("TODO")


@cohort_view("cohort.manage")
def review(request, access, round_id):
    get_round(access, round_id)
    return HttpResponse("TODO")


@require_POST
@cohort_view("cohort.manage")
def move(request, access, round_id):
    get_round(access, round_id)
    return HttpResponse("TODO")


@require_POST
@cohort_view("cohort.manage")
def group_add(request, access, round_id):
    formation_round = get_round(access, round_id)
    return redirect("cohorts:formation-review", access.cohort.slug, formation_round.public_id)


@require_POST
@cohort_view("cohort.manage")
def group_rename(request, access, round_id, group_id):
    get_round(access, round_id)
    return HttpResponse("TODO")


@require_POST
@cohort_view("cohort.manage")
def lock_add(request, access, round_id):
    get_round(access, round_id)
    return HttpResponse("TODO")


@require_POST
@cohort_view("cohort.manage")
def lock_delete(request, access, round_id, lock_id):
    formation_round = get_round(access, round_id)
    get_object_or_404(formation_round.locks, public_id=lock_id)
    return redirect("cohorts:formation-review", access.cohort.slug, formation_round.public_id)


@cohort_view("cohort.manage")
def upload(request, access, round_id):
    get_round(access, round_id)
    return HttpResponse("TODO")


@require_POST
@cohort_view("cohort.manage")
def publish(request, access, round_id):
    formation_round = get_round(access, round_id)
    return redirect("cohorts:formation-review", access.cohort.slug, formation_round.public_id)
