"""The demo cohort has evaluations a visitor can look at: a mid-way survey that members
answered, one closed with its goals updated, a recorded discussion, decisions on the
community page and an end-of-program evaluation to come."""

import io

import pytest
from django.core.management import call_command

from cohorts.models import Cohort
from devtools import demo
from planning.models import Evaluation, GoalUpdate, Response, StructureDecision

pytestmark = pytest.mark.django_db


def test_the_demo_evaluations(client):
    call_command("seed_demo", stdout=io.StringIO())
    cohort = Cohort.objects.get(slug=demo.DEMO_COHORT_SLUG)
    assert cohort.evaluation_rounds.count() == 3
    evaluations = Evaluation.objects.filter(round__cohort=cohort)
    assert evaluations.filter(closed_at__isnull=False).count() == 2  # a survey and a discussion
    assert Response.objects.filter(
        survey__evaluation__round__cohort=cohort, submitted_at__isnull=False
    ).exists()
    assert GoalUpdate.objects.filter(
        goal__community__cohort=cohort, source=GoalUpdate.Source.EVALUATION
    ).exists()
    decision = StructureDecision.objects.filter(community__cohort=cohort).first()
    client.force_login(
        decision.community.memberships.filter(role="leader").first().participant.user
    )
    page = client.get(decision.community.get_absolute_url()).content.decode()
    assert decision.decision in page
