"""The full-screen presenter view in headless Chromium: the presenter opens it from the
presenter page on a 1920x1080 screen, a phone joins with the link the QR code holds and
votes, and the presenter steps through the poll with a key and the small controls (reveal,
next, close after confirming); the view fits the screen without scrolling and works at 1280
and 375 pixels wide too.

With COPKIT_SCREENSHOT_DIR set, the test saves what each width looked like there."""

import os
import re
from pathlib import Path

import pytest

from planning.models import LiveSession, Question
from planning.surveys.services import live as services
from tests import factories
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    TIMEOUT_MS,
    assert_no_horizontal_scroll,
    check_a11y,
    login,
    submit,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

OPTIONS = ["Board development", "Raising funds", "Volunteers"]
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}}


def shoot(page, name):
    folder = os.environ.get("COPKIT_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"presenter-{name}.png"), full_page=True)


def open_context(browser, options):
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    page.dialogs = dialogs
    return context, page


@pytest.fixture
def contexts(browser):
    opened = []

    def make(options):
        context, page = open_context(browser, options)
        opened.append(context)
        return page

    yield make
    for context in opened:
        context.close()


def test_a_poll_runs_on_the_full_screen_view_while_a_phone_votes(world, live_server, contexts):
    survey = factories.SurveyFactory(cohort=world.cohort, kind="poll", title="Launch night poll")
    factories.QuestionFactory(
        survey=survey, position=1, text="Which need presses hardest?", choices=OPTIONS
    )
    factories.QuestionFactory(
        survey=survey, position=2, kind=Question.Kind.SHORT_TEXT, text="One word for tonight?"
    )
    session = services.start_session(survey, world.staff)
    screen_path = f"/c/{world.cohort.slug}/live/{session.public_id}/screen/"

    # The presenter opens the full-screen view from the normal presenter page.
    screen = contexts(PROJECTOR)
    login(screen, live_server, world.staff.email, world.password)
    screen.goto(f"{live_server.url}/c/{world.cohort.slug}/live/{session.public_id}/")
    submit(screen, screen.get_by_role("link", name="Full screen for the shared screen"))
    expect(screen).to_have_url(re.compile(re.escape(screen_path) + "$"))
    expect(screen.locator("nav.navbar")).to_have_count(0)
    expect(screen.locator(".live-screen-code")).to_have_text(session.code)
    expect(screen.get_by_role("img", name=re.compile("^QR code of "))).to_be_visible()
    direct = f"{live_server.url}/p/{session.code}/"
    expect(screen.get_by_text(direct)).to_be_visible()
    expect(screen.get_by_role("heading", level=1)).to_have_text("Which need presses hardest?")
    expect(screen.locator("#live-results")).to_contain_text("Results hidden")
    check_a11y(screen, "full-screen presenter view, results hidden")

    # A phone opens the link the QR code holds and votes.
    phone = contexts(PHONE)
    phone.goto(direct)
    phone.get_by_label("Raising funds").check()
    submit(phone, phone.get_by_role("button", name="Send my answer"))
    expect(phone.get_by_text("Your answer is in")).to_be_visible()
    expect(screen.locator("#live-results")).to_contain_text("1 vote")

    # R reveals the results (the presentation clicker's keys still work).
    with screen.expect_navigation():
        screen.keyboard.press("r")
    expect(screen.locator("#live-results")).to_contain_text("100%")
    expect(screen).to_have_url(re.compile(re.escape(screen_path) + "$"))
    fits = screen.evaluate("document.documentElement.scrollHeight <= window.innerHeight")
    assert fits, "the 1920x1080 view scrolls: the controls are off the screen"
    check_a11y(screen, "full-screen presenter view, results revealed")
    shoot(screen, "1920")

    # Next: the screen and the phone move to the second question.
    submit(screen, screen.get_by_role("button", name="Next"))
    expect(screen.get_by_text("Question 2 of 2")).to_be_visible()
    expect(phone.locator("legend")).to_have_text("One word for tonight?", timeout=10_000)
    phone.get_by_label("Your answer").fill("Hopeful")
    submit(phone, phone.get_by_role("button", name="Send my answer"))
    submit(screen, screen.get_by_role("button", name="Reveal results"))
    expect(screen.locator("#live-results")).to_contain_text("Hopeful")

    # Close asks first, then the screen shows what people said and the phone the end.
    submit(screen, screen.get_by_role("button", name="Close session"))
    assert screen.dialogs and "Close this live poll?" in screen.dialogs[-1]
    expect(screen).to_have_url(re.compile(re.escape(screen_path) + "$"))
    expect(screen.get_by_role("heading", name="What people said")).to_be_visible()
    expect(screen.locator("main")).to_contain_text("Hopeful")
    expect(screen.locator("main")).to_contain_text("Raising funds")
    check_a11y(screen, "full-screen presenter view, poll closed")
    expect(phone.get_by_text("This poll has ended. Thank you")).to_be_visible(timeout=10_000)
    assert not LiveSession.objects.get(pk=session.pk).is_open

    # Back to the normal presenter page.
    submit(screen, screen.get_by_role("link", name="Leave full screen"))
    expect(screen.get_by_role("heading", level=1)).to_contain_text("Live poll: Launch night poll")


@pytest.mark.parametrize(("width", "options"), [("1280", DESKTOP), ("375", PHONE)])
def test_the_full_screen_view_at_other_widths(world, live_server, contexts, width, options):
    question = factories.QuestionFactory(
        survey__cohort=world.cohort, survey__kind="poll", text="Which need?", choices=OPTIONS
    )
    session = services.start_session(question.survey, world.staff)
    services.vote(session, session.current_question, "Volunteers", "a1")
    services.control(session, "reveal", world.staff)
    page = contexts(options)
    login(page, live_server, world.staff.email, world.password)
    page.goto(f"{live_server.url}/c/{world.cohort.slug}/live/{session.public_id}/screen/")
    expect(page.locator("#live-results")).to_contain_text("100%")
    expect(page.get_by_role("img", name=re.compile("^QR code of "))).to_be_visible()
    expect(page.get_by_role("button", name="Close session")).to_be_visible()
    assert_no_horizontal_scroll(page, int(width))
    check_a11y(page, f"full-screen presenter view at {width}px")
    shoot(page, width)
