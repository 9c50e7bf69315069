"""A participant answers a survey on a phone through their personal link: autosave, coming
back later, a required answer missing, submit. Then the results as staff see them.

Every page is checked with axe-core, for sideways scroll at phone width, and for CSP
violations in the console."""

import re

import pytest
from django.urls import reverse

from planning.models import Question, Response
from tests import factories
from tests.browser.conftest import assert_no_horizontal_scroll, check_a11y, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

Kind = Question.Kind
CSP_MARKER = "Content Security Policy"


def watch_csp(page):
    messages = []
    page.on("console", lambda m: messages.append(m.text) if CSP_MARKER in m.text else None)
    return messages


@pytest.fixture
def survey(world):
    survey = factories.SurveyFactory(
        cohort=world.cohort,
        title="Spring needs check",
        intro="A few questions so we can shape the sessions around what you need.",
    )
    factories.QuestionFactory(
        survey=survey,
        kind=Kind.SINGLE,
        text="Which area matters most to your organization now?",
        required=True,
        choices=["Board development", "Raising funds", "Keeping staff"],
    )
    factories.QuestionFactory(
        survey=survey,
        kind=Kind.RATING,
        text="How ready is your board to take on new work?",
        choices=[],
        scale_min=1,
        scale_max=5,
        scale_min_label="Not at all",
        scale_max_label="Fully ready",
    )
    factories.QuestionFactory(
        survey=survey,
        kind=Kind.RANKING,
        text="Rank these meeting times",
        choices=["Mornings", "Lunchtime", "Evenings"],
    )
    factories.QuestionFactory(
        survey=survey,
        kind=Kind.LONG_TEXT,
        text="What would help your organization most this year?",
        required=True,
        choices=[],
    )
    return survey


def status_of(page, question_text):
    return page.locator("fieldset", has_text=question_text).locator(".save-status")


def test_a_participant_answers_on_a_phone_comes_back_and_submits(
    world, survey, live_server, phone_page, new_page
):
    link = factories.SurveyRecipientFactory(
        survey=survey, participant=world.participant_participant
    )
    url = f"{live_server.url}{link.get_answer_url()}"
    page = phone_page
    csp = watch_csp(page)
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Spring needs check")
    expect(page.locator("main")).to_contain_text("Answering as Pat Participant")
    expect(page.locator("main")).to_contain_text("Your answers are saved as you go.")
    check_a11y(page, "survey page (phone)")
    assert_no_horizontal_scroll(page)

    # Two answers, each saved as it is given.
    page.get_by_label("Raising funds").check()
    expect(status_of(page, "Which area matters most")).to_have_text(re.compile("Saved"))
    page.locator("label", has_text=re.compile(r"^\s*4\s*$")).click()
    expect(status_of(page, "How ready is your board")).to_have_text(re.compile("Saved"))
    response = Response.objects.get(recipient=link)
    values = dict(response.answers.values_list("question__text", "value"))
    assert values == {
        "Which area matters most to your organization now?": "Raising funds",
        "How ready is your board to take on new work?": 4,
    }
    assert response.submitted_at is None
    page.close()

    # Later, on a fresh page: the answers are there.
    page = new_page("phone")
    csp += watch_csp(page)
    page.goto(url)
    expect(page.get_by_label("Raising funds")).to_be_checked()
    expect(page.locator("label", has_text=re.compile(r"^\s*4\s*$"))).to_have_count(1)
    expect(page.locator('input.btn-check[value="4"]')).to_be_checked()

    # Rank the meeting times (selects work without JS too).
    page.get_by_label("Evenings").select_option("1st")
    page.get_by_label("Mornings").select_option("2nd")
    page.get_by_label("Lunchtime").select_option("3rd")
    expect(status_of(page, "Rank these meeting times")).to_have_text(re.compile("Saved"))

    # Submit with the required written answer missing: the message is beside it.
    with page.expect_navigation():
        page.get_by_role("button", name="Submit").click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Your answers are not sent yet")
    expect(summary).to_be_focused()
    expect(status_of(page, "What would help your organization")).to_have_text(
        re.compile("This question needs an answer.")
    )
    expect(page.get_by_label("Raising funds")).to_be_checked()  # nothing was lost
    check_a11y(page, "survey page with a missing answer (phone)")
    assert_no_horizontal_scroll(page)
    summary.get_by_role("link").click()
    textarea = page.get_by_label("What would help your organization most this year?")
    textarea.fill("A grants calendar we can share.")
    expect(status_of(page, "What would help your organization")).to_have_text(
        re.compile("Saved"), timeout=5000
    )

    with page.expect_navigation():
        page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, Pat Participant")
    check_a11y(page, "thanks (phone)")
    assert_no_horizontal_scroll(page)
    response.refresh_from_db()
    assert response.submitted_at is not None
    values = dict(response.answers.values_list("question__text", "value"))
    assert values["Rank these meeting times"] == ["Evenings", "Mornings", "Lunchtime"]
    assert values["What would help your organization most this year?"] == (
        "A grants calendar we can share."
    )
    assert not csp, csp


def test_results_and_my_surveys_pages(world, survey, live_server, new_page):
    link = factories.SurveyRecipientFactory(
        survey=survey, participant=world.participant_participant
    )
    from planning.surveys.services.answers import field_name, save_all

    questions = list(survey.questions.all())
    save_all(
        link,
        {
            field_name(questions[0]): "Board development",
            field_name(questions[1]): "5",
            f"{field_name(questions[2])}-0": "1",
            f"{field_name(questions[2])}-1": "2",
            f"{field_name(questions[2])}-2": "3",
            field_name(questions[3]): "Help with bylaws",
        },
        submit=True,
    )
    results = reverse(
        "planning:survey-results",
        kwargs={"cohort_slug": world.cohort.slug, "survey_id": survey.public_id},
    )
    for kind in ("desktop", "phone"):
        page = new_page(kind)
        csp = watch_csp(page)
        login(page, live_server, world.staff.email, world.password)
        page.goto(f"{live_server.url}{results}")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Spring needs check")
        expect(page.locator("main")).to_contain_text("Help with bylaws")
        check_a11y(page, f"results ({kind})")
        if kind == "phone":
            assert_no_horizontal_scroll(page)
        assert not csp, csp

    page = new_page("phone")
    login(page, live_server, world.participant.email, world.password)
    page.goto(f"{live_server.url}{reverse('planning:my-surveys', args=[world.cohort.slug])}")
    expect(page.locator("main")).to_contain_text("Submitted")
    check_a11y(page, "my surveys (phone)")
    assert_no_horizontal_scroll(page)
