"""Dot voting on a phone, in Chromium at 375 px: a dot placed on a candidate below the fold
changes that row and the dots-left counter in place; the page does not reload or jump, the
candidate keeps its place and the button keeps the focus. Without JavaScript the same tap
comes back at the candidate."""

import pytest
from django.urls import reverse

from planning.models import NeedVote
from tests import factories
from tests.browser.conftest import PHONE, assert_no_horizontal_scroll, check_a11y, login, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

TITLES = [f"Need {letter}: a common problem of our organizations" for letter in "ABCDEFGHIJ"]


def rows(page):
    return page.locator(".need-list > li").evaluate_all("els => els.map(e => e.id)")


def test_a_dot_below_the_fold_changes_its_row_in_place(world, live_server, phone_page):
    needs = [
        factories.CommonNeedFactory(
            community=world.community, title=title, description="Most of us struggle with it."
        )
        for title in TITLES
    ]
    # Another member's dots: ranked by dots, the last candidate would be first.
    other = factories.MembershipFactory(community=world.community).participant
    NeedVote.objects.create(need=needs[-2], participant=other)
    page = phone_page
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login(page, live_server, world.participant.email, world.password)
    page.goto(
        live_server.url
        + reverse("planning:common-needs", args=[world.cohort.slug, world.community.slug])
    )
    order = rows(page)
    page.evaluate("window.loadedOnce = true")  # gone if the page reloads

    target = needs[-1]
    button = page.get_by_role("button", name=f"Place a dot on {target.title}")
    button.scroll_into_view_if_needed()
    row = page.locator(f"#candidate-{target.public_id}")
    assert page.evaluate("window.scrollY") > 300  # below the fold
    before = (page.evaluate("window.scrollY"), row.bounding_box()["y"])
    button.tap()

    expect(row.get_by_text("1 dot", exact=True)).to_be_visible()
    expect(page.locator("#dots-left")).to_contain_text("You have 2 of 3 dots left.")
    expect(page.locator("#vote-status")).to_contain_text(f"Your dot is on “{target.title}”.")
    take_back = page.get_by_role("button", name=f"Take back my dot from {target.title}")
    expect(take_back).to_be_focused()
    assert page.evaluate("window.loadedOnce") is True
    after = (page.evaluate("window.scrollY"), row.bounding_box()["y"])
    assert after == pytest.approx(before, abs=2)
    assert rows(page) == order
    assert target.votes.count() == 1

    # A second dot higher up, then a refusal: the order still holds, the reason is shown.
    page.get_by_role("button", name=f"Place a dot on {needs[0].title}").tap()
    expect(page.locator("#dots-left")).to_contain_text("You have 1 of 3 dots left.")
    page.get_by_role("button", name=f"Place a dot on {needs[1].title}").tap()
    expect(page.locator("#dots-left")).to_contain_text("You have 0 of 3 dots left.")
    page.get_by_role("button", name=f"Place a dot on {needs[2].title}").tap()
    expect(page.locator(f"#candidate-{needs[2].public_id}").get_by_role("alert")).to_contain_text(
        "You have placed all 3 of your dots"
    )
    assert rows(page) == order
    # The standings, apart: most dots first, ties by name.
    expect(page.locator("#standings li").nth(3)).to_have_text(f"{needs[-1].title}: 1 dot")
    expect(page.locator("#standings li").nth(4)).to_have_text(f"{needs[2].title}: 0 dots")
    assert page.evaluate("window.loadedOnce") is True
    check_a11y(page, "top three needs after voting in place (phone)")
    assert_no_horizontal_scroll(page)
    assert errors == []


def test_without_javascript_a_dot_comes_back_at_the_candidate(world, live_server, browser):
    needs = [
        factories.CommonNeedFactory(community=world.community, title=title) for title in TITLES
    ]
    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        login(page, live_server, world.participant.email, world.password)
        page.goto(
            live_server.url
            + reverse("planning:common-needs", args=[world.cohort.slug, world.community.slug])
        )
        order = rows(page)
        submit(page, page.get_by_role("button", name=f"Place a dot on {needs[-1].title}"))
        assert page.url.endswith(f"#candidate-{needs[-1].public_id}")
        assert rows(page) == order
        # At the candidate, not the top (the browser scrolls there smoothly).
        expect(page.locator(f"#candidate-{needs[-1].public_id}")).to_be_in_viewport()
        expect(page.get_by_role("heading", level=1)).not_to_be_in_viewport()
        expect(page.locator(".messages")).to_contain_text(f"Your dot is on “{needs[-1].title}”.")
    finally:
        context.close()
