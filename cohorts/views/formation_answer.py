"""A participant's page in a formation round, opened from their personal link: rank the
topics, mark good matches, or answer the round's questions, until the deadline."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from cohorts.models import FormationEntry


def answer(request, token):
    get_object_or_404(FormationEntry, token=token)
    return HttpResponse("TODO")
