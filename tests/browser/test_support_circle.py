"""The leaders' circle in Chromium: staff on a laptop schedule monthly convenings, draft the
next one's agenda from three communities' check-ins (two name the same challenge in different
words, and the draft groups them), edit and save it, then write the notes and attendance of a
past convening; a leader on a phone asks the other leaders a question and another leader,
also on a phone, replies. axe on every page, no sideways scroll on the phones."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Membership
from copkit.models import OutboxMessage
from planning.models import CheckIn, CirclePost, Convening, ConveningAttendance
from tests import factories
from tests.browser.conftest import assert_no_horizontal_scroll, check_a11y, login, menu_link, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

SHOTS = Path(__file__).resolve().parents[2] / "var" / "shots" / "support"


def shot(page, name):
    """Keep a screenshot for a person to look at (var/ is not committed)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def leader_of(world, name, email):
    community = factories.CommunityFactory(cohort=world.cohort, name=name, topic=world.topic)
    user = factories.UserFactory(email=email, name=f"{name} Leader")
    person = factories.ParticipantFactory(
        cohort=world.cohort, user=user, name=user.name, email=email
    )
    factories.MembershipFactory(community=community, participant=person, role="leader")
    return community, user


def answered(community, minutes_ago, successes, challenges):
    """A check-in answered minutes ago: after any convening that has already started."""
    CheckIn.objects.create(
        community=community,
        period=f"b{minutes_ago}",
        answered_at=timezone.now() - timedelta(minutes=minutes_ago),
        successes=successes,
        challenges=challenges,
    )


def test_staff_run_a_convening_and_leaders_talk_between_them(
    world, live_server, page, new_page, sweeps
):
    governance, gail = leader_of(world, "Governance Circle", "gail@board.example")
    hands, _hank = leader_of(world, "Helping Hands", "hank@hands.example")
    answered(world.community, 3, "Our first joint training ran", "Board recruitment")
    answered(governance, 4, "Shared bylaws templates", "Recruiting board members")
    answered(hands, 5, "A volunteer pool across three pantries", "Volunteer retention")
    today = timezone.localdate()

    # -- staff, on a laptop: schedule, draft, edit ------------------------------------------
    login(page, live_server, world.staff.email, world.password)
    page.goto(live_server.url + world.community.get_absolute_url())
    submit(page, menu_link(page, "Leaders' circle"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Leaders' circle")
    check_a11y(page, "circle home (staff, empty)")
    submit(page, page.get_by_role("link", name="Schedule convenings"))
    check_a11y(page, "schedule convenings")
    shot(page, "staff-schedule-desktop")
    page.get_by_label("First convening on or after").fill((today - timedelta(days=75)).isoformat())
    page.get_by_label("How often").select_option("monthly")
    page.get_by_label("Which week of the month").select_option(label="First")
    page.get_by_label("Day of the week").select_option(label="Wednesday")
    page.get_by_label("Start time").fill("15:00")
    page.get_by_label("Length in minutes").fill("60")
    page.get_by_label("Where: place or call link").fill("https://meet.example/leaders")
    page.get_by_label("Last date").fill((today + timedelta(days=95)).isoformat())
    submit(page, page.get_by_role("button", name="Create the convenings"))
    expect(page.locator(".alert-success")).to_contain_text("convenings scheduled")
    assert Convening.objects.count() >= 5
    shot(page, "staff-home-desktop")

    submit(page, page.get_by_role("link", name="Draft the agenda"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Agenda")
    shared = page.locator(".shared-challenges li")
    expect(shared).to_have_count(1)
    expect(shared.first).to_contain_text("Board recruitment")
    expect(shared.first).to_contain_text("Board Builders, Governance Circle")
    agenda = page.get_by_label("Agenda")
    expect(agenda).to_contain_text("- Board recruitment (Board Builders, Governance Circle)")
    check_a11y(page, "agenda draft")
    shot(page, "staff-agenda-desktop")
    agenda.fill(agenda.input_value() + "\nA word from the funder")
    submit(page, page.get_by_role("button", name="Save agenda"))
    expect(page.locator(".convening-agenda")).to_contain_text("A word from the funder")
    expect(page.locator(".convening-agenda")).to_contain_text("Challenges several communities")
    check_a11y(page, "convening detail (staff)")
    shot(page, "staff-convening-desktop")
    submit(page, page.get_by_role("link", name="Move or cancel"))
    check_a11y(page, "move or cancel a convening")
    page.go_back()

    # -- notes and attendance of the last convening ------------------------------------------
    page.goto(live_server.url + reverse("planning:circle", args=[world.cohort.slug]))
    submit(page, page.locator(".convening-row a").last)  # the list of past ones, newest first
    submit(page, page.get_by_role("link", name="Notes"))
    check_a11y(page, "notes")
    page.get_by_label("Notes").fill("Two communities will share board job descriptions.")
    submit(page, page.get_by_role("button", name="Save notes"))
    expect(page.locator(".convening-notes")).to_contain_text("board job descriptions")
    submit(page, page.get_by_role("link", name="Attendance"))
    check_a11y(page, "attendance")
    shot(page, "staff-attendance-desktop")
    page.get_by_role("group", name="Lee Leader").get_by_label("Present").check()
    page.get_by_role("group", name="Governance Circle Leader").get_by_label("Excused").check()
    page.get_by_role("group", name="Helping Hands Leader").get_by_label("Present").check()
    submit(page, page.get_by_role("button", name="Save attendance"))
    expect(page.locator(".alert-success")).to_contain_text("Attendance saved for 3 leaders")
    expect(page.locator(".convening-attendance")).to_contain_text("Lee Leader: Present")
    assert ConveningAttendance.objects.filter(status="present").count() == 2

    # -- a leader asks on a phone, another replies on hers -------------------------------------
    lee = new_page("phone")
    login(lee, live_server, world.leader.email, world.password)
    lee.goto(live_server.url + reverse("planning:circle", args=[world.cohort.slug]))
    expect(lee.locator("#next-convening")).to_be_visible()
    check_a11y(lee, "circle home (leader, phone)")
    assert_no_horizontal_scroll(lee)
    shot(lee, "leader-home-phone")
    submit(lee, lee.get_by_role("link", name="Ask the other leaders").first)
    lee.get_by_label("Title").fill("Who has run a board retreat?")
    lee.get_by_label("Message").fill("We are planning one in the spring. What worked?")
    check_a11y(lee, "new post (phone)")
    assert_no_horizontal_scroll(lee)
    shot(lee, "leader-new-post-phone")
    submit(lee, lee.get_by_role("button", name="Post"))
    expect(lee.get_by_role("heading", level=1)).to_have_text("Who has run a board retreat?")
    post = CirclePost.objects.get()
    mailed = sorted(
        OutboxMessage.objects.filter(kind="circle_post").values_list("to_email", flat=True)
    )
    assert mailed == ["gail@board.example", "hank@hands.example"]

    gail_page = new_page("phone")
    login(gail_page, live_server, gail.email, world.password)
    gail_page.goto(live_server.url + reverse("planning:circle-posts", args=[world.cohort.slug]))
    check_a11y(gail_page, "discussion (phone)")
    assert_no_horizontal_scroll(gail_page)
    shot(gail_page, "leader-discussion-phone")
    submit(gail_page, gail_page.get_by_role("link", name="Who has run a board retreat?"))
    gail_page.get_by_label("Your reply").fill("We did one in May: a facilitator helped a lot.")
    submit(gail_page, gail_page.get_by_role("button", name="Post reply"))
    expect(gail_page.locator(".circle-reply")).to_contain_text("a facilitator helped")
    check_a11y(gail_page, "post with a reply (phone)")
    assert_no_horizontal_scroll(gail_page)
    shot(gail_page, "leader-post-phone")

    lee.goto(live_server.url + post.get_absolute_url())
    expect(lee.locator(".circle-reply")).to_contain_text("Governance Circle Leader")
    submit(lee, lee.get_by_role("link", name="Edit your post"))
    check_a11y(lee, "edit a post (phone)")
    lee.get_by_label("Message").fill("We are planning one in April. What worked?")
    submit(lee, lee.get_by_role("button", name="Save post"))
    expect(lee.locator(".circle-post-body")).to_contain_text("in April")
    assert Membership.objects.filter(role="leader").count() == 3
