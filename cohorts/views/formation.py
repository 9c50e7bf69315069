"""Formation rounds, staff side: the list, setting a round up, who takes part, topics and
criteria, sending links, and entering a person's input on paper."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from cohorts.models import FormationRound
from copkit.access import cohort_view


def get_round(access, round_id):
    return get_object_or_404(FormationRound, cohort=access.cohort, public_id=round_id)


@cohort_view("cohort.manage")
def round_list(request, access):
    return HttpResponse("TODO")


@cohort_view("cohort.manage")
def round_create(request, access):
    return HttpResponse("TODO")


@cohort_view("cohort.manage")
def round_detail(request, access, round_id):
    get_round(access, round_id)
    return HttpResponse("TODO")


@cohort_view("cohort.manage")
def round_edit(request, access, round_id):
    get_round(access, round_id)
    return HttpResponse("TODO")


@require_POST
@cohort_view("cohort.manage")
def round_delete(request, access, round_id):
    get_round(access, round_id)
    return redirect("cohorts:formation-list", access.cohort.slug)


@cohort_view("cohort.manage")
def round_people(request, access, round_id):
    get_round(access, round_id)
    return HttpResponse("TODO")


@cohort_view("cohort.manage")
def round_topics(request, access, round_id):
    get_round(access, round_id)
    return HttpResponse("TODO")


@require_POST
@cohort_view("cohort.manage")
def round_topic_delete(request, access, round_id, topic_id):
    formation_round = get_round(access, round_id)
    return redirect("cohorts:formation-topics", access.cohort.slug, formation_round.public_id)


@cohort_view("cohort.manage")
def round_criteria(request, access, round_id):
    get_round(access, round_id)
    return HttpResponse("TODO")


@require_POST
@cohort_view("cohort.manage")
def round_send(request, access, round_id):
    formation_round = get_round(access, round_id)
    return redirect(formation_round)


@cohort_view("cohort.manage")
def entry_edit(request, access, round_id, entry_id):
    formation_round = get_round(access, round_id)
    get_object_or_404(formation_round.entries, public_id=entry_id)
    return HttpResponse("TODO")
