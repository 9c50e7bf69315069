"""Journeys through the top three needs vote and the appreciative interviews, in Chromium:
a member votes on a phone, the leader records the top three, the leader sets up the
interview rounds and a member writes a note their partner reads."""

import pytest
from django.urls import reverse

from planning.models import CommonNeed
from tests import factories
from tests.browser.conftest import assert_no_horizontal_scroll, check_a11y, login, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

CSP_MARKER = "Content Security Policy"


def watch_csp(page):
    seen = []
    page.on("console", lambda m: seen.append(m.text) if CSP_MARKER in m.text else None)
    return seen


def test_members_dot_vote_and_the_leader_records_the_top_three(
    world, live_server, phone_page, new_page
):
    titles = [
        "Recruiting board members who stay",
        "Raising money from individual donors",
        "Keeping volunteers through the year",
        "Measuring what our programs change",
    ]
    for title in titles:
        factories.CommonNeedFactory(
            community=world.community, title=title, description="Most of us struggle with it."
        )
    page = phone_page
    csp = watch_csp(page)
    login(page, live_server, world.participant.email, world.password)
    page.goto(
        live_server.url
        + reverse("planning:common-needs", args=[world.cohort.slug, world.community.slug])
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Top three needs")
    expect(page.locator("#dots-left")).to_contain_text("You have 3 of 3 dots left.")
    check_a11y(page, "top three needs (member, phone)")
    assert_no_horizontal_scroll(page)

    # The dots go in place (htmx): the row and the counter change, the page stays.
    for title, left in zip(titles[:3], ["2 dots", "1 dot", "0 dots"], strict=True):
        page.get_by_role("button", name=f"Place a dot on {title}").click()
        expect(page.locator("#vote-status")).to_have_text(
            f"Your dot is on “{title}”. You have {left} left."
        )
    expect(page.locator("#dots-left")).to_contain_text("You have 0 of 3 dots left.")
    page.get_by_role("button", name=f"Place a dot on {titles[3]}").click()
    expect(page.get_by_role("alert")).to_contain_text("You have placed all 3 of your dots")
    assert not CommonNeed.objects.get(title=titles[3]).votes.exists()
    expect(page.get_by_role("button", name=f"Take back my dot from {titles[0]}")).to_be_visible()
    check_a11y(page, "top three needs after voting")
    assert_no_horizontal_scroll(page)

    # The leader sees the dots, the tie flagged, and records the top three as proposed.
    leader = new_page("desktop")
    csp += watch_csp(leader)
    login(leader, live_server, world.leader.email, world.password)
    leader.goto(page.url)
    expect(leader.get_by_role("heading", name="Record the top three")).to_be_visible()
    expect(leader.get_by_role("note").first).to_contain_text("Tied on 1 dot")
    expect(leader.get_by_label("Need number 1")).to_have_value(
        str(CommonNeed.objects.get(title=titles[2]).public_id)
    )
    check_a11y(leader, "top three needs (leader)")
    # The group decides on another order.
    for rank, title in enumerate(titles[:3], start=1):
        leader.get_by_label(f"Need number {rank}").select_option(label=title)
    submit(leader, leader.get_by_role("button", name="Record the top three"))
    expect(leader.locator(".messages")).to_contain_text("Top needs recorded")
    submit(leader, leader.get_by_role("link", name=world.community.name).first)
    top = leader.locator("section", has=leader.get_by_role("heading", name="Top three needs"))
    expect(top.locator("li")).to_have_text(
        [f"{title} · Most of us struggle with it." for title in titles[:3]]
    )
    check_a11y(leader, "community page with the top three")
    assert csp == []


def test_leader_sets_up_interviews_and_partners_share_notes(world, live_server, page, new_page):
    factories.MembershipFactory(
        community=world.community,
        participant=factories.ParticipantFactory(cohort=world.cohort, name="Ana Ruiz"),
    )
    csp = watch_csp(page)
    login(page, live_server, world.leader.email, world.password)
    interviews_url = live_server.url + reverse(
        "planning:interviews", args=[world.cohort.slug, world.community.slug]
    )
    page.goto(interviews_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Appreciative interviews")
    check_a11y(page, "interviews before setup")
    submit(page, page.get_by_role("link", name="Set up the interviews"))
    expect(page.get_by_label("Questions for each interview")).to_contain_text("talents and skills")
    check_a11y(page, "interview setup")
    page.get_by_label("Minutes per round").fill("15")
    submit(page, page.get_by_role("button", name="Make the rounds"))
    expect(page.locator(".messages")).to_contain_text("The interview rounds are ready")
    expect(page.get_by_role("heading", name="All rounds")).to_be_visible()
    check_a11y(page, "interviews (leader)")

    # Pat, on a phone: Ana rests in round 1, so Pat's first partner is Lee.
    phone = new_page("phone")
    csp += watch_csp(phone)
    login(phone, live_server, world.participant.email, world.password)
    phone.goto(interviews_url)
    rounds = phone.locator(".my-rounds li")
    expect(rounds.first).to_contain_text("Round 1: you and Lee Leader")
    expect(rounds).to_have_count(3)
    expect(phone.get_by_text("you rest")).to_be_visible()
    check_a11y(phone, "interviews (member, phone)")
    assert_no_horizontal_scroll(phone)
    phone.get_by_label("Your notes on Lee Leader").fill(
        "Lee has rebuilt two boards; ask about bylaws."
    )
    submit(phone, phone.get_by_role("button", name="Save notes on Lee Leader"))
    expect(phone.locator(".messages")).to_contain_text("Your notes on Lee Leader are saved")
    expect(phone.get_by_label("Your notes on Lee Leader")).to_have_value(
        "Lee has rebuilt two boards; ask about bylaws."
    )
    check_a11y(phone, "interviews after writing notes")

    # Lee reads what Pat wrote about them.
    page.reload()
    card = page.locator("article", has=page.get_by_role("heading", name="Round 1: Pat Participant"))
    expect(card).to_contain_text("What Pat Participant noted about you")
    expect(card).to_contain_text("Lee has rebuilt two boards; ask about bylaws.")
    assert csp == []
