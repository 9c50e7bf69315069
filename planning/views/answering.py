"""Answering a survey through a personal link, saved as the person goes.

STUB: scaffolding only; each view is replaced by its real implementation."""

from django.http import HttpResponse
from django.views.decorators.http import require_POST

from copkit.access import cohort_view


@cohort_view("cohort.profile")
def my_surveys(request, access):
    return HttpResponse("stub: my_surveys")


def answer(request, token):
    return HttpResponse("stub: answer")


@require_POST
def answer_save(request, token):
    return HttpResponse("stub: answer_save")
