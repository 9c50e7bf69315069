"""The check-in cycle in Chromium, with the clock moved forward (issue 13, Done when):
staff set the cadence and choose a coach on the Team page; the sweep opens the first
check-in and the prompt is in the outbox; the leader opens the personal link on a phone
without logging in and answers, asking for support; staff see it on Check-ins. A week
later the other community's leader has not answered: they are reminded and their coach is
told, and the community's page shows each step. The support wanted is a follow-up on the
coach's home page; the coach answers it and the leader reads the reply.

Set COPKIT_SHOTS=<folder> to keep screenshots of every page (desktop and phone)."""

import os
import re
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from cohorts.models import CohortRole, Membership
from copkit.models import OutboxMessage
from planning.checkins.services import cycle
from planning.models import CheckIn, FollowUp
from tests import factories
from tests.browser.conftest import assert_no_horizontal_scroll, check_a11y, login, menu_link, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

NEW_YORK = ZoneInfo("America/New_York")
SHOTS = os.environ.get("COPKIT_SHOTS")


def shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def at_phone_width(page, name):
    """The staff page as it is, narrowed to a phone's width: nothing scrolls sideways."""
    page.set_viewport_size({"width": 375, "height": 740})
    try:
        assert_no_horizontal_scroll(page)
        check_a11y(page, f"{name} (375 wide)")
        shot(page, f"{name}-phone")
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})


def link_in(kind, email):
    body = OutboxMessage.objects.get(kind=kind, to_email=email).body_text
    return re.search(r"https?://\S+", body).group(0)


def test_the_check_in_cycle_end_to_end(world, live_server, page, new_page, settings):
    settings.SITE_URL = live_server.url
    cohort = world.cohort
    cohort.time_zone = "America/New_York"
    cohort.save()
    world.community.phase = "active"
    world.community.save()
    coach = factories.UserFactory(email="cam@tta.example", name="Cam Coach")
    factories.CohortRoleFactory(cohort=cohort, user=coach, role=CohortRole.Role.STAFF)
    grants = factories.CommunityFactory(cohort=cohort, name="Grant Writers", phase="active")
    gina = factories.ParticipantFactory(cohort=cohort, name="Gina Grant", email="gina@gw.example")
    factories.MembershipFactory(community=grants, participant=gina, role=Membership.Role.LEADER)

    first_day = datetime.now(NEW_YORK).date() + timedelta(days=1)
    due = datetime.combine(first_day, time(9), tzinfo=NEW_YORK)
    slug = cohort.slug

    # Staff set the cadence from the Check-ins page.
    login(page, live_server, world.staff.email, world.password)
    page.goto(live_server.url + reverse("cohorts:dashboard", args=[slug]))
    submit(page, menu_link(page, "Check-ins"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check-ins")
    check_a11y(page, "check-ins (no cadence yet)")
    submit(page, page.get_by_role("link", name="Set the cadence"))
    check_a11y(page, "cadence form")
    page.get_by_label("Check in every … weeks").fill("0")
    page.get_by_label("First check-in on").fill(first_day.isoformat())
    submit(page, page.get_by_role("button", name="Save the cadence"))
    expect(page.locator("#id_every_weeks")).to_have_class(re.compile("is-invalid"))
    page.get_by_label("Check in every … weeks").fill("2")
    page.get_by_label("Remind the leader after … days without an answer").fill("3")
    page.get_by_label("Tell the coach after … days without an answer").fill("7")
    shot(page, "staff-cadence-desktop")
    submit(page, page.get_by_role("button", name="Save the cadence"))
    expect(page.locator(".alert-success")).to_contain_text("Check-in cadence saved")

    # ... and make Cam the coach of Grant Writers on the Team page.
    page.goto(live_server.url + reverse("cohorts:team", args=[slug]))
    page.get_by_label("Coach of Grant Writers").select_option(label="Cam Coach")
    check_a11y(page, "team page with coaches")
    shot(page, "staff-team-coaches-desktop")
    submit(page, page.get_by_role("button", name="Save coaches"))
    grants.refresh_from_db()
    assert grants.coach == coach

    # The clock reaches the first check-in: the sweep opens it and queues the prompts.
    with time_machine.travel(due + timedelta(minutes=1), tick=True):
        cycle.run_cycle()
        assert sorted(
            OutboxMessage.objects.filter(kind="checkin_prompt").values_list("to_email", flat=True)
        ) == ["gina@gw.example", "lee@pantry.example"]
        answer_link = link_in("checkin_prompt", "lee@pantry.example")
        assert "/k/" in answer_link

        # Lee answers on a phone, with no login.
        phone = new_page("phone")
        phone.goto(answer_link)
        expect(phone.get_by_role("heading", level=1)).to_have_text("How is Board Builders doing?")
        check_a11y(phone, "answer page (phone)")
        assert_no_horizontal_scroll(phone)
        shot(phone, "leader-answer-phone")
        submit(phone, phone.get_by_role("button", name="Send my check-in"))
        expect(phone.locator(".invalid-feedback, .text-danger").first).to_contain_text(
            "Choose how the COP is doing"
        )
        phone.get_by_label(re.compile("4 — Going well")).check()
        phone.get_by_label("Successes").fill("Nine members came to the budget session.")
        phone.get_by_label("Challenges").fill("Recruiting board members is slow.")
        phone.get_by_label("Support you would like from your TTA provider").fill(
            "A guide to recruiting board members."
        )
        submit(phone, phone.get_by_role("button", name="Send my check-in"))
        expect(phone.locator(".alert-success").first).to_contain_text("Thank you")
        check_a11y(phone, "answer page, answered (phone)")
        assert_no_horizontal_scroll(phone)
        shot(phone, "leader-answered-phone")
        assert CheckIn.objects.get(participant=world.leader_participant).scale == 4

        # Staff see it on Check-ins.
        # Staff log in again: a day has passed on the server's clock.
        login(page, live_server, world.staff.email, world.password)
        page.goto(live_server.url + reverse("planning:checkins", args=[slug]))
        row = page.locator("tr", has_text="Board Builders")
        expect(row).to_contain_text("Nine members came to the budget session.")
        expect(row).to_contain_text("1 open follow-up")
        expect(row.locator("svg.scale-chart")).to_have_count(1)
        expect(page.locator("tr", has_text="Grant Writers")).to_contain_text(
            "Waiting for Gina Grant"
        )
        check_a11y(page, "check-ins overview")
        shot(page, "staff-checkins-desktop")
        at_phone_width(page, "staff-checkins")

    # A week later Gina has still not answered: reminded at three days, coach told at seven.
    with time_machine.travel(due + timedelta(days=7, minutes=1), tick=True):
        cycle.run_cycle()
        assert list(
            OutboxMessage.objects.filter(kind="checkin_reminder").values_list("to_email", flat=True)
        ) == ["gina@gw.example"]
        assert list(
            OutboxMessage.objects.filter(kind="checkin_escalation").values_list(
                "to_email", flat=True
            )
        ) == ["cam@tta.example"]
        login(page, live_server, world.staff.email, world.password)
        page.goto(live_server.url + reverse("planning:checkins", args=[slug]))
        first_row = page.locator("tbody tr").first
        expect(first_row).to_contain_text("Grant Writers")
        expect(first_row).to_have_class(re.compile("checkin-overdue"))
        page.get_by_label("Overdue").check()
        submit(page, page.get_by_role("button", name="Filter"))
        expect(page.locator("tbody tr")).to_have_count(1)
        shot(page, "staff-checkins-overdue-desktop")
        page.goto(live_server.url + grants.get_absolute_url())
        steps = page.locator(".community-checkins .checkin-steps")
        expect(steps).to_contain_text("Asked")
        expect(steps).to_contain_text("Reminded")
        expect(steps).to_contain_text("Coach told")
        check_a11y(page, "community page with check-in steps")
        shot(page, "staff-community-desktop")
        page.goto(
            live_server.url + reverse("planning:community-checkins", args=[slug, grants.slug])
        )
        check_a11y(page, "a community's check-ins (staff)")
        shot(page, "staff-history-desktop")
        at_phone_width(page, "staff-history")
        submit(page, page.get_by_role("link", name="Log a call"))
        check_a11y(page, "log a call")
        at_phone_width(page, "staff-log")

        # The follow-up is on the default coach's (Sam's) home page; Sam answers it.
        page.goto(live_server.url + reverse("home"))
        followups = page.locator(".home-followups")
        expect(followups).to_contain_text("A guide to recruiting board members.")
        check_a11y(page, "coach home page")
        shot(page, "coach-home-desktop")
        submit(page, followups.get_by_role("link", name=re.compile("^Follow up")))
        check_a11y(page, "follow-up form")
        at_phone_width(page, "coach-followup")
        page.get_by_label("State").select_option(label="In progress")
        page.get_by_label("Short reply to the leader").fill(
            "I am sending you our board recruitment guide this week."
        )
        submit(page, page.get_by_role("button", name="Save"))
        assert FollowUp.objects.get().state == "in_progress"
        assert OutboxMessage.objects.filter(
            kind="followup_reply", to_email="lee@pantry.example"
        ).exists()

        # Lee, logged in on the phone, reads the reply on the community's check-ins.
        lee = new_page("phone")
        login(lee, live_server, world.leader.email, world.password)
        lee.goto(live_server.url + world.community.get_absolute_url())
        submit(lee, lee.get_by_role("link", name="Go to your check-ins"))
        expect(lee.locator(".followup-reply")).to_contain_text(
            "I am sending you our board recruitment guide this week."
        )
        check_a11y(lee, "leader's check-ins (phone)")
        assert_no_horizontal_scroll(lee)
        shot(lee, "leader-history-phone")
