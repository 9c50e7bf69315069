"""The going-deeper pages the journey does not open, each as the persona who uses it, at
desktop and phone width: axe finds nothing serious or critical and the phone never scrolls
sideways. With DEEPER_SHOTS set to a folder, each page is saved there too."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from planning.deeper import services
from tests import factories
from tests.browser.conftest import login
from tests.browser.test_deeper_journey import look

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
pytest.importorskip("playwright.sync_api")


def test_the_other_going_deeper_pages(world, live_server, new_page, sweeps):
    services.ensure_starters(world.cohort)
    activities = list(world.cohort.deeper_activities.order_by("position"))
    due = timezone.localdate() + datetime.timedelta(days=20)
    declined = services.suggest(
        activities[1],
        actor=world.staff,
        communities=[world.community],
        training="Capacity building, day 2",
        due_on=due,
    ).created[0]
    services.decline(declined, actor=world.leader, reason="We are working on our own case.")
    accepted = services.suggest(
        activities[2],
        actor=world.staff,
        communities=[world.community],
        training="Work plans webinar",
        due_on=due,
    ).created[0]
    services.accept(accepted, actor=world.leader)
    factories.MeetingFactory(community=world.community, title="May meeting")
    services.set_retired(activities[5], actor=world.staff, retired=True)
    cohort = world.cohort.slug
    community = world.community.slug
    pages = [
        ("staff", reverse("planning:deeper-activity", args=[cohort, activities[1].public_id])),
        ("staff", reverse("planning:deeper-activity-create", args=[cohort])),
        ("staff", reverse("planning:deeper-activity-edit", args=[cohort, activities[0].public_id])),
        ("staff", reverse("planning:deeper-activities", args=[cohort])),
        ("leader", reverse("planning:deeper-community", args=[cohort, community])),
        ("leader", accepted.get_absolute_url()),
        ("leader", declined.get_absolute_url()),
        ("participant", reverse("planning:deeper-activities", args=[cohort])),
        ("participant", reverse("planning:deeper-community", args=[cohort, community])),
        ("observer", reverse("planning:deeper-activity", args=[cohort, activities[0].public_id])),
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
            look(page, f"{persona}-{name}-{kind}", phone=kind == "phone")
