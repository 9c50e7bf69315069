"""The evaluation pages, each as the persona who uses it, at desktop and phone width: axe
finds nothing serious or critical and the phone never scrolls sideways. With DEEPER_SHOTS
set to a folder, each page is saved there too."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from planning.evaluations.services import evaluations as services
from planning.models import ActionPlan, EvaluationRound, PlanPart, StructureDecision
from tests.browser.conftest import login
from tests.browser.test_deeper_journey import look

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
pytest.importorskip("playwright.sync_api")


def test_the_evaluation_pages(world, live_server, new_page, sweeps):
    plan, _ = ActionPlan.objects.get_or_create(community=world.community)
    PlanPart.objects.create(
        plan=plan,
        key="goals",
        data={
            "goals": [
                {"goal": "Share one volunteer pool", "indicator": "20 volunteers shared"},
                {"goal": "Send a joint grant proposal", "indicator": "A proposal sent"},
            ]
        },
    )
    today = timezone.localdate()
    survey_round = services.schedule(
        world.cohort,
        actor=world.staff,
        title="Mid-way evaluation",
        form=EvaluationRound.Form.SURVEY,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=14),
        communities=[world.community],
    )
    opened = survey_round.evaluations.get()
    services.open_now(opened, actor=world.staff)
    talk = services.schedule(
        world.cohort,
        actor=world.staff,
        title="End-of-program evaluation",
        form=EvaluationRound.Form.DISCUSSION,
        opens_on=today + datetime.timedelta(days=60),
        communities=[world.community],
    ).evaluations.get()
    services.record_decision(
        world.community,
        actor=world.leader,
        area=StructureDecision.Area.FREQUENCY,
        decision="We meet every two weeks, online, for an hour.",
        decided_on=today,
        evaluation=opened,
    )
    cohort, community = world.cohort.slug, world.community.slug
    evaluation_page = reverse("planning:evaluation", args=[cohort, community, opened.public_id])
    pages = [
        ("staff", reverse("planning:evaluations", args=[cohort])),
        ("staff", reverse("planning:evaluation-schedule", args=[cohort])),
        ("staff", evaluation_page),
        (
            "staff",
            reverse("planning:evaluation-discussion", args=[cohort, community, talk.public_id]),
        ),
        ("staff", world.community.get_absolute_url()),
        ("staff", services.ensure_template(world.cohort).get_absolute_url()),
        ("staff", reverse("planning:survey-list", args=[cohort])),
        ("leader", reverse("planning:structure-decision-add", args=[cohort, community])),
        ("leader", world.community.get_absolute_url()),
        ("participant", evaluation_page),
        ("leader", reverse("planning:evaluation", args=[cohort, community, talk.public_id])),
    ]
    for kind in ("desktop", "phone"):
        logged_in = {}
        for persona, path in pages:
            if persona not in logged_in:
                logged_in[persona] = new_page(kind)
                login(logged_in[persona], live_server, world.users[persona].email, world.password)
            page = logged_in[persona]
            page.goto(live_server.url + path)
            name = path.strip("/").replace("/", "-")[-60:]
            look(page, f"eval-{persona}-{name}-{kind}", phone=kind == "phone")
