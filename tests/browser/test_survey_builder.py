"""Staff build a needs assessment from the template, edit a question and send it, in
headless Chromium; every page is checked with axe-core, and the pages are checked at phone
width for sideways scrolling."""

import re

import pytest

from copkit.models import OutboxMessage
from planning.models import Survey
from tests.browser.conftest import assert_no_horizontal_scroll, check_a11y, login, menu_link, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect


def test_staff_builds_a_needs_survey_edits_a_question_and_sends_it(
    world, live_server, page, new_page, sweeps
):
    login(page, live_server, world.staff.email, world.password)
    page.goto(f"{live_server.url}/c/{world.cohort.slug}/")
    submit(page, menu_link(page, "Surveys"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Surveys")
    expect(page.get_by_text("No surveys yet")).to_be_visible()
    check_a11y(page, "survey list (empty)")

    # From the template.
    submit(page, page.get_by_role("link", name="Start a needs assessment"))
    expect(page.get_by_role("heading", level=1)).to_have_text("New survey")
    expect(page.get_by_label("Needs assessment")).to_be_checked()
    check_a11y(page, "new survey")
    page.get_by_label("Title").fill("Riverbend needs, fall")
    page.get_by_label("Community").select_option(label="Board Builders")
    submit(page, page.get_by_role("button", name="Create survey"))

    survey = Survey.objects.get(cohort=world.cohort)
    assert survey.kind == "needs" and survey.community == world.community
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverbend needs, fall")
    expect(page.locator(".messages")).to_contain_text("Survey created as a draft")
    first = survey.questions.order_by("position").first()
    expect(page.locator(f"#question-{first.public_id}")).to_contain_text("Board development")
    check_a11y(page, "survey builder")

    # Edit the first question: only the fields of its type show.
    submit(page, page.get_by_role("link", name="Edit question 1"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit question")
    expect(page.get_by_label("Pick at most")).to_be_visible()
    expect(page.get_by_label("Scale from")).to_be_hidden()
    check_a11y(page, "edit question")
    page.get_by_label("Type").select_option("rating")
    expect(page.get_by_label("Scale from")).to_be_visible()
    expect(page.get_by_label("Options")).to_be_hidden()
    page.get_by_label("Type").select_option("pick_n")
    page.get_by_label(re.compile(r"^\W*Question\W*$")).fill(
        "Which two areas matter most to you now?"
    )
    page.get_by_label("Pick at most").fill("40")
    submit(page, page.get_by_role("button", name="Save question"))
    expect(page.get_by_text("Choose a number from 1 to")).to_be_visible()
    check_a11y(page, "edit question with an error")
    page.get_by_label("Pick at most").fill("2")
    submit(page, page.get_by_role("button", name="Save question"))
    expect(page.locator(".messages")).to_contain_text("Question saved.")
    first.refresh_from_db()
    assert (first.text, first.max_picks) == ("Which two areas matter most to you now?", 2)

    # Move the second question up, then send to two participants.
    submit(page, page.get_by_role("button", name="Move up question 2"))
    assert survey.questions.order_by("position").first().kind == "rating"

    submit(page, page.get_by_role("link", name="Send and follow up"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Send")
    check_a11y(page, "recipients before sending")
    page.get_by_label("Select Lee Leader").check()
    page.get_by_label("Select Pat Participant").check()
    submit(page, page.get_by_role("button", name="Send to ticked"))
    expect(page.locator(".messages")).to_contain_text("Survey on its way to 2 people")
    expect(page.get_by_text("0 of 2 answered")).to_be_visible()
    expect(page.locator("tbody tr", has_text="Pat Participant")).to_contain_text("Sent")
    check_a11y(page, "recipients after sending")

    survey.refresh_from_db()
    assert survey.status == "open"
    messages = OutboxMessage.objects.filter(kind="survey_invitation")
    assert sorted(messages.values_list("to_email", flat=True)) == [
        "lee@pantry.example",
        "pat@pantry.example",
    ]
    pat = survey.recipients.get(participant=world.participant_participant)
    assert re.search(
        rf"/s/{re.escape(pat.token)}/", messages.get(to_email=pat.participant.email).body_text
    )
    assert sweeps

    # The same pages on a phone: no sideways scrolling.
    phone = new_page("phone")
    login(phone, live_server, world.staff.email, world.password)
    for path in (
        f"/c/{world.cohort.slug}/surveys/",
        survey.get_absolute_url(),
        f"{survey.get_absolute_url()}recipients/",
        f"{survey.get_absolute_url()}questions/{first.public_id}/",
    ):
        phone.goto(live_server.url + path)
        assert_no_horizontal_scroll(phone)
        check_a11y(phone, f"{path} (phone)")
