"""A live poll in a webinar, in headless Chromium: the presenter runs a survey's questions
on a shared screen while three phones (two anonymous, one logged-in participant) join with
the code and vote; the results and the questions move on without anyone reloading."""

import re

import pytest

from planning.models import Answer, LiveSession, Question
from tests import factories
from tests.browser.conftest import assert_no_horizontal_scroll, check_a11y, login, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

OPTIONS = ["Board development", "Raising funds", "Volunteers"]


def mark_page(page):
    """Tag the document; the tag survives htmx swaps and vanishes on a reload."""
    page.evaluate("window.__notReloaded = true")


def not_reloaded(page):
    return page.evaluate("window.__notReloaded === true")


def vote(phone, option):
    phone.get_by_label(option).check()
    submit(phone, phone.get_by_role("button", name="Send my answer"))
    expect(phone.get_by_role("status").filter(has_text="Your answer is in")).to_be_visible()


def test_presenter_runs_a_live_poll_and_phones_vote(world, live_server, page, new_page):
    survey = factories.SurveyFactory(cohort=world.cohort, kind="poll", title="Launch night poll")
    factories.QuestionFactory(
        survey=survey, position=1, text="Which need presses hardest?", choices=OPTIONS
    )
    factories.QuestionFactory(
        survey=survey, position=2, kind=Question.Kind.SHORT_TEXT, text="One word for tonight?"
    )

    # The presenter starts the poll from the survey's page.
    login(page, live_server, world.staff.email, world.password)
    page.goto(f"{live_server.url}{survey.get_absolute_url()}")
    submit(page, page.get_by_role("button", name="Run as live poll"))
    session = LiveSession.objects.get(survey=survey)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Live poll: Launch night poll")
    expect(page.locator(".live-code")).to_have_text(session.code)
    expect(page.get_by_text(f"{live_server.url}/p/", exact=False).first).to_be_visible()
    expect(page.get_by_text("Question 1 of 2")).to_be_visible()
    expect(page.locator("#live-results")).to_contain_text("Results hidden")
    check_a11y(page, "presenter, results hidden")
    submit(page, page.get_by_role("button", name="Reveal results"))
    expect(page.locator("#live-results")).to_contain_text("0 votes")
    mark_page(page)

    # Three phones: one types the code in lower case, one is Pat logged in, one opens the link.
    first = new_page("phone")
    first.goto(f"{live_server.url}/p/")
    check_a11y(first, "join a live poll (phone)")
    first.get_by_label("Code").fill(session.code.lower())
    submit(first, first.get_by_role("button", name="Join"))
    expect(first).to_have_url(re.compile(rf"/p/{session.code}/$"))
    expect(first.get_by_text("Which need presses hardest?")).to_be_visible()
    assert_no_horizontal_scroll(first)
    check_a11y(first, "phone vote page")

    pat = new_page("phone")
    login(pat, live_server, world.participant.email, world.password)
    pat.goto(f"{live_server.url}/p/{session.code}/")
    third = new_page("phone")
    third.goto(f"{live_server.url}/p/{session.code}/")

    # Votes arrive; the shared screen follows without a reload.
    results = page.locator("#live-results")
    vote(first, "Board development")
    expect(results).to_contain_text("100%")
    vote(pat, "Board development")
    vote(third, "Raising funds")
    expect(results).to_contain_text("67%")
    expect(results).to_contain_text("33%")
    expect(results).to_contain_text("3 votes")
    assert not_reloaded(page)
    check_a11y(page, "presenter, results revealed")
    assert Answer.objects.filter(response__live_session=session).count() == 3
    assert Answer.objects.filter(response__participant=world.participant_participant).exists()

    # A phone changes its mind: still three votes, the split moves.
    third.get_by_label("Board development").check()
    submit(third, third.get_by_role("button", name="Change my answer"))
    expect(results).to_contain_text("100%")
    expect(results).to_contain_text("3 votes")

    # The phones see the revealed results too, without reloading.
    mark_page(first)
    expect(first.locator("#live-phone-results")).to_contain_text("Results so far")
    expect(first.locator("#live-phone-results")).to_contain_text("100%")
    assert_no_horizontal_scroll(first)
    check_a11y(first, "phone with results")

    # The presenter moves on; the phone shows the new question by itself.
    submit(page, page.get_by_role("button", name="Next"))
    expect(page.get_by_text("Question 2 of 2")).to_be_visible()
    expect(page.locator("#live-results")).to_contain_text("Results hidden")
    expect(first.locator("legend")).to_have_text("One word for tonight?", timeout=10_000)
    expect(first.locator("#live-announce")).to_have_text("New question: One word for tonight?")
    assert not_reloaded(first)
    expect(first.locator("#live-phone-results")).not_to_contain_text("Results so far")
    first.get_by_label("Your answer").fill("Hopeful")
    submit(first, first.get_by_role("button", name="Send my answer"))
    expect(first.get_by_text("Your answer is in")).to_be_visible()
    check_a11y(first, "phone, text question answered")

    # Close: the presenter sees the summary, the phones the thank-you.
    mark_page(pat)
    submit(page, page.get_by_role("button", name="Close session"))
    expect(page.get_by_role("heading", name="What people said")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Hopeful")
    check_a11y(page, "presenter, poll closed")
    expect(pat.get_by_text("This poll has ended. Thank you")).to_be_visible(timeout=10_000)
    assert not_reloaded(pat)
