"""Answering a survey through a personal link: the services, the page, autosave and
"My surveys"."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Activity
from planning.models import Answer, Question, Response, Survey
from planning.surveys.services import answers
from planning.surveys.services.answers import SurveyClosed, field_name, save_all, save_answer
from tests import factories
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

Kind = Question.Kind


@pytest.fixture
def survey(world):
    """A needs survey of the cohort with one question of every kind."""
    survey = factories.SurveyFactory(cohort=world.cohort, title="Spring needs check")
    q = {}
    q["single"] = factories.QuestionFactory(
        survey=survey,
        kind=Kind.SINGLE,
        text="Which area matters most?",
        required=True,
        choices=["Board development", "Raising funds", "Staff"],
    )
    q["multiple"] = factories.QuestionFactory(
        survey=survey, kind=Kind.MULTIPLE, text="Where could you help?", choices=["A", "B", "C"]
    )
    q["pick_n"] = factories.QuestionFactory(
        survey=survey, kind=Kind.PICK_N, text="Pick two", choices=["A", "B", "C"], max_picks=2
    )
    q["rating"] = factories.QuestionFactory(
        survey=survey,
        kind=Kind.RATING,
        text="How ready are you?",
        choices=[],
        scale_min=1,
        scale_max=5,
        scale_min_label="Not at all",
        scale_max_label="Fully",
    )
    q["ranking"] = factories.QuestionFactory(
        survey=survey, kind=Kind.RANKING, text="Rank these", choices=["X", "Y", "Z"]
    )
    q["short"] = factories.QuestionFactory(
        survey=survey, kind=Kind.SHORT_TEXT, text="Your role", choices=[]
    )
    q["long"] = factories.QuestionFactory(
        survey=survey, kind=Kind.LONG_TEXT, text="Anything else?", choices=[], required=True
    )
    survey.q = q
    return survey


@pytest.fixture
def link(world, survey):
    return factories.SurveyRecipientFactory(
        survey=survey, participant=world.participant_participant
    )


def stored(link):
    response = Response.objects.filter(recipient=link).first()
    if response is None:
        return {}
    return {a.question.text: a.value for a in response.answers.select_related("question")}


def complete_data(survey, **overrides):
    q = survey.q
    data = {
        field_name(q["single"]): "Raising funds",
        field_name(q["multiple"]): ["A", "C"],
        field_name(q["pick_n"]): ["B"],
        field_name(q["rating"]): "4",
        f"{field_name(q['ranking'])}-0": "2",
        f"{field_name(q['ranking'])}-1": "3",
        f"{field_name(q['ranking'])}-2": "1",
        field_name(q["short"]): "Board chair",
        field_name(q["long"]): "We need help with grants.",
    }
    data.update(overrides)
    return data


# -- services --------------------------------------------------------------------------------


def test_save_answer_stores_each_kind_as_clean_value_returns(survey, link):
    q = survey.q
    assert save_answer(link, q["single"], ["Staff"]) == "Staff"
    assert save_answer(link, q["multiple"], ["C", "A", "C"]) == ["C", "A"]
    assert save_answer(link, q["rating"], "5") == 5
    assert save_answer(link, q["ranking"], ["Z", "X", "Y"]) == ["Z", "X", "Y"]
    assert save_answer(link, q["short"], "  Treasurer ") == "Treasurer"
    assert stored(link) == {
        "Which area matters most?": "Staff",
        "Where could you help?": ["C", "A"],
        "How ready are you?": 5,
        "Rank these": ["Z", "X", "Y"],
        "Your role": "Treasurer",
    }
    response = Response.objects.get(recipient=link)
    assert response.participant == link.participant
    assert response.survey == survey
    assert response.submitted_at is None  # autosave never hands the response in


@pytest.mark.parametrize(
    ("key", "raw", "message"),
    [
        ("single", ["Not an option"], "Choose from the options listed."),
        ("single", ["Staff", "Raising funds"], "Choose one option."),
        ("pick_n", ["A", "B", "C"], "Choose at most 2 options."),
        ("rating", "9", "Choose a number from 1 to 5."),
        ("rating", "lots", "Choose a number on the scale."),
        ("ranking", ["X", "Y"], "Give every option a different place in the ranking."),
        ("short", "x" * 301, "Please keep this under 300 characters (it is 301)."),
    ],
)
def test_save_answer_refuses_what_cannot_be_right(survey, link, key, raw, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        save_answer(link, survey.q[key], raw)
    assert error.value.messages == [message]
    assert not Answer.objects.exists()
    # The same question takes a right answer.
    good = {"single": ["Staff"], "pick_n": ["A"], "rating": "2", "ranking": ["X", "Y", "Z"]}
    save_answer(link, survey.q[key], good.get(key, "fine"))
    assert Answer.objects.count() == 1


def test_a_blank_answer_deletes_the_row_and_a_first_blank_makes_no_response(survey, link):
    q = survey.q
    assert save_answer(link, q["short"], "   ") is None
    assert not Response.objects.exists()
    save_answer(link, q["short"], "Director")
    save_answer(link, q["multiple"], ["A"])
    save_answer(link, q["short"], "")
    assert stored(link) == {"Where could you help?": ["A"]}


def test_save_answer_refuses_a_question_of_another_survey(world, survey, link):
    elsewhere = factories.QuestionFactory(survey__cohort=world.cohort)
    with pytest.raises(ValueError):
        save_answer(link, elsewhere, ["Staff"])
    assert not Answer.objects.exists()


def test_ranking_places_come_from_the_selects_and_must_all_differ(survey, link):
    name = field_name(survey.q["ranking"])
    assert save_all(link, {f"{name}-0": "3", f"{name}-1": "1", f"{name}-2": "2"}) == {}
    assert stored(link)["Rank these"] == ["Y", "Z", "X"]
    errors = save_all(link, {f"{name}-0": "1", f"{name}-1": "1", f"{name}-2": "2"})
    assert errors == {survey.q["ranking"].pk: "Give every option a different place in the ranking."}
    errors = save_all(link, {f"{name}-0": "1", f"{name}-1": "", f"{name}-2": ""})
    assert survey.q["ranking"].pk in errors
    errors = save_all(link, {f"{name}-0": "7", f"{name}-1": "", f"{name}-2": ""})
    assert survey.q["ranking"].pk in errors
    assert stored(link)["Rank these"] == ["Y", "Z", "X"]  # the last good ranking stays
    assert save_all(link, {}) == {}  # no places at all: no answer
    assert "Rank these" not in stored(link)


def test_save_for_later_keeps_valid_answers_and_reports_the_rest(survey, link):
    data = complete_data(survey, **{field_name(survey.q["pick_n"]): ["A", "B", "C"]})
    errors = save_all(link, data, submit=False)
    assert errors == {survey.q["pick_n"].pk: "Choose at most 2 options."}
    saved = stored(link)
    assert saved["Which area matters most?"] == "Raising funds"
    assert saved["Rank these"] == ["Z", "X", "Y"]
    assert "Pick two" not in saved
    assert Response.objects.get(recipient=link).submitted_at is None


def test_save_for_later_does_not_ask_for_required_answers(survey, link):
    assert save_all(link, {field_name(survey.q["short"]): "Director"}) == {}
    assert Response.objects.get(recipient=link).submitted_at is None


def test_submit_with_a_required_answer_missing_saves_the_rest_and_does_not_submit(survey, link):
    data = complete_data(survey, **{field_name(survey.q["long"]): ""})
    with mock.patch.object(answers.inventory, "fill_from_response") as fill:
        errors = save_all(link, data, submit=True)
    assert errors == {survey.q["long"].pk: "This question needs an answer."}
    assert stored(link)["Your role"] == "Board chair"
    assert Response.objects.get(recipient=link).submitted_at is None
    fill.assert_not_called()
    # Answered, it goes in.
    with mock.patch.object(answers.inventory, "fill_from_response") as fill:
        assert save_all(link, complete_data(survey), submit=True) == {}
    response = Response.objects.get(recipient=link)
    assert response.submitted_at is not None
    fill.assert_called_once_with(response)
    assert Activity.objects.filter(verb="submitted survey answers", cohort=survey.cohort).exists()


def test_submitting_twice_updates_the_one_response(survey, link):
    assert save_all(link, complete_data(survey), submit=True) == {}
    first = Response.objects.get(recipient=link).submitted_at
    changed = complete_data(survey, **{field_name(survey.q["single"]): "Staff"})
    assert save_all(link, changed, submit=True) == {}
    assert Response.objects.filter(recipient=link).count() == 1
    response = Response.objects.get(recipient=link)
    assert response.submitted_at >= first
    assert stored(link)["Which area matters most?"] == "Staff"
    assert response.answers.count() == 7
    assert Activity.objects.filter(verb="changed survey answers").count() == 1


def test_a_submitted_response_keeps_its_required_answers(survey, link):
    save_all(link, complete_data(survey), submit=True)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        save_answer(link, survey.q["long"], "")
    assert stored(link)["Anything else?"] == "We need help with grants."
    # Saving for later cannot empty it either, but the other changes are kept.
    data = complete_data(
        survey, **{field_name(survey.q["long"]): "", field_name(survey.q["short"]): "Treasurer"}
    )
    assert save_all(link, data) == {survey.q["long"].pk: "This question needs an answer."}
    assert stored(link)["Anything else?"] == "We need help with grants."
    assert stored(link)["Your role"] == "Treasurer"
    # An optional answer may be cleared.
    assert save_answer(link, survey.q["short"], "") is None


@pytest.mark.parametrize("state", ["draft", "closed", "past closing time"])
def test_a_survey_that_is_not_open_takes_no_answers(survey, link, state):
    if state == "past closing time":
        survey.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    else:
        survey.status = state
    survey.save()
    link.survey.refresh_from_db()
    with pytest.raises(SurveyClosed):
        save_answer(link, survey.q["short"], "Hello")
    with pytest.raises(SurveyClosed):
        save_all(link, complete_data(survey), submit=True)
    assert not Answer.objects.exists()


# -- the page --------------------------------------------------------------------------------


def answer_url(link):
    return reverse("survey-answer", kwargs={"token": link.token})


def save_url(link):
    return reverse("survey-answer-save", kwargs={"token": link.token})


def test_the_link_url_is_the_recipients(link):
    assert link.get_answer_url() == f"/s/{link.token}/"


def test_unknown_token_is_a_friendly_404(client, link):
    response = client.get(reverse("survey-answer", kwargs={"token": link.token + "x"}))
    assert response.status_code == 404
    assert "This survey link does not work" in response.content.decode()
    response = client.post(reverse("survey-answer-save", kwargs={"token": "nope"}), {"a": "b"})
    assert response.status_code == 404


def test_the_page_shows_every_question_with_its_inputs(client, survey, link):
    survey.intro = "Tell us where you need help."
    survey.save()
    html = client.get(answer_url(link)).content.decode()
    assert "<h1>Spring needs check</h1>" in html
    assert "Tell us where you need help." in html
    assert "Answering as <strong>Pat Participant</strong>" in html
    assert "Your answers are saved as you go." in html
    q = survey.q
    assert html.count('type="radio" name="' + field_name(q["single"])) == 3
    assert html.count('type="checkbox" name="' + field_name(q["multiple"])) == 3
    assert "Choose up to 2." in html
    assert html.count('class="btn-check" name="' + field_name(q["rating"])) == 5
    assert '<span class="visually-hidden"> (Not at all)</span>' in html
    assert (
        html.count(f'<select class="form-select ranking-place" id="{field_name(q["ranking"])}') == 3
    )
    assert ">3rd</option>" in html
    assert (
        f'<input type="text" class="form-control form-control-lg" id="{field_name(q["short"])}"'
        in html
    )
    assert f'<textarea class="form-control" id="{field_name(q["long"])}"' in html
    assert html.count("(required)") == 2
    assert f'hx-post="{save_url(link)}"' in html
    assert "Save and finish later" in html


def test_resume_shows_the_saved_answers(client, survey, link):
    save_all(link, complete_data(survey))
    html = client.get(answer_url(link)).content.decode()
    q = survey.q
    assert 'value="Raising funds" checked' in html
    assert html.count(f'name="{field_name(q["multiple"])}" id') == 3
    assert f'id="{field_name(q["multiple"])}-0" value="A" checked' in html
    assert f'id="{field_name(q["multiple"])}-1" value="B">' in html
    assert f'id="{field_name(q["rating"])}-4" value="4" checked' in html
    assert '<option value="2" selected>2nd</option>' in html  # X is 2nd
    assert 'value="Board chair"' in html
    assert ">We need help with grants.</textarea>" in html


def test_save_and_finish_later_without_js(client, survey, link):
    data = complete_data(survey, action="save", **{field_name(survey.q["long"]): ""})
    response = client.post(answer_url(link), data, follow=True)
    assert response.redirect_chain == [(answer_url(link), 302)]
    assert "Your answers are saved. Come back with the same link" in response.content.decode()
    assert stored(link)["Your role"] == "Board chair"
    assert Response.objects.get(recipient=link).submitted_at is None


def test_submit_with_an_answer_missing_shows_the_message_beside_it(client, survey, link):
    data = complete_data(survey, action="submit", **{field_name(survey.q["long"]): ""})
    response = client.post(answer_url(link), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your answers are not sent yet" in html
    name = field_name(survey.q["long"])
    link_html = f'<a class="alert-link" href="#{name}-group">Anything else?</a>'
    assert f"{link_html}: This question needs an answer." in html
    status = html.split(f'id="{name}-status"')[1].split("</div>")[0]
    assert "This question needs an answer." in status
    # What was typed comes back, and the valid answers were saved.
    assert 'value="Board chair"' in html
    assert stored(link)["Which area matters most?"] == "Raising funds"
    assert Response.objects.get(recipient=link).submitted_at is None


def test_submit_then_thanks_then_change(client, survey, link):
    response = client.post(answer_url(link), complete_data(survey, action="submit"))
    assert response.status_code == 302
    assert response.url == f"{answer_url(link)}?sent=1"
    html = client.get(response.url).content.decode()
    assert "Thank you, Pat Participant" in html
    assert "Your answers to “Spring needs check” are in." in html
    assert f'href="{answer_url(link)}">Change my answers' in html
    assert Response.objects.get(recipient=link).submitted_at is not None
    # The plain link shows the form again, filled in, and says it was sent.
    html = client.get(answer_url(link)).content.decode()
    assert "You sent your answers on" in html
    assert "Submit my changes" in html
    # ?sent=1 on a response not submitted shows the form, not thanks.
    other = factories.SurveyRecipientFactory(survey=survey)
    assert "Thank you" not in client.get(f"{answer_url(other)}?sent=1").content.decode()


def test_closed_survey_page_keeps_and_shows_the_answers(client, survey, link):
    save_all(link, complete_data(survey), submit=True)
    survey.status = Survey.Status.CLOSED
    survey.save()
    html = client.get(answer_url(link)).content.decode()
    assert "This survey is closed." in html
    assert "they are kept and count in the results" in html
    assert "<dd>Z; X; Y</dd>" in html
    assert "<form" not in html.split("<main")[1]
    # Posting to a closed survey changes nothing.
    data = complete_data(survey, action="submit", **{field_name(survey.q["short"]): "New"})
    assert "This survey is closed." in client.post(answer_url(link), data).content.decode()
    response = client.post(save_url(link), {"question": survey.q["short"].public_id, **data})
    assert "This survey is closed. This answer was not saved." in response.content.decode()
    assert stored(link)["Your role"] == "Board chair"


def test_draft_survey_says_it_is_not_open_yet(client, survey, link):
    survey.status = Survey.Status.DRAFT
    survey.save()
    html = client.get(answer_url(link)).content.decode()
    assert "This survey is not open yet." in html


def test_autosave_saves_one_question_and_says_so(client, survey, link):
    q = survey.q
    data = complete_data(survey, question=str(q["multiple"].public_id))
    response = client.post(save_url(link), data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Saved" in response.content.decode()
    assert stored(link) == {"Where could you help?": ["A", "C"]}  # only the question named
    assert Response.objects.get(recipient=link).submitted_at is None
    data = {"question": str(q["pick_n"].public_id), field_name(q["pick_n"]): ["A", "B", "C"]}
    html = client.post(save_url(link), data).content.decode()
    assert "Choose at most 2 options." in html
    assert "Saved" not in html
    data = {"question": str(q["multiple"].public_id)}
    assert "Answer cleared" in client.post(save_url(link), data).content.decode()
    assert stored(link) == {}


def test_autosave_with_nothing_posted_answers_200(client, link):
    response = client.post(save_url(link))
    assert response.status_code == 200
    assert not Response.objects.exists()


def test_a_token_only_touches_its_own_response(client, world, survey, link):
    other_survey = factories.SurveyFactory(cohort=world.cohort)
    foreign = factories.QuestionFactory(survey=other_survey, kind=Kind.SHORT_TEXT, choices=[])
    lee = factories.SurveyRecipientFactory(survey=survey, participant=world.leader_participant)
    save_all(lee, {field_name(survey.q["short"]): "Lee's role"})
    # Pat's token with a question of another survey: nothing saved anywhere.
    data = {"question": str(foreign.public_id), field_name(foreign): "sneaky"}
    assert "Nothing to save" in client.post(save_url(link), data).content.decode()
    assert not Answer.objects.filter(question=foreign).exists()
    # Pat's token writes Pat's response only; Lee's answer is untouched.
    data = {"question": str(survey.q["short"].public_id), field_name(survey.q["short"]): "Mine"}
    client.post(save_url(link), data)
    assert stored(link) == {"Your role": "Mine"}
    assert stored(lee) == {"Your role": "Lee's role"}
    client.post(answer_url(link), complete_data(survey, action="submit"))
    assert stored(lee) == {"Your role": "Lee's role"}
    assert Response.objects.get(recipient=lee).submitted_at is None
    # Pat's page never shows Lee's answer.
    assert "Lee&#x27;s role" not in client.get(answer_url(link)).content.decode()


def test_a_logged_in_person_sees_whose_link_it_is(client_for, world, link):
    html = client_for("leader").get(answer_url(link)).content.decode()
    assert "This personal link belongs to Pat Participant" in html
    html = client_for("participant").get(answer_url(link)).content.decode()
    assert "This personal link belongs to" not in html
    assert "Answering as <strong>Pat Participant</strong>" in html


def test_the_page_is_not_cached(client, link):
    assert "no-cache" in client.get(answer_url(link))["Cache-Control"]


# -- My surveys ------------------------------------------------------------------------------


def my_surveys_url(world):
    return reverse("planning:my-surveys", kwargs={"cohort_slug": world.cohort.slug})


def test_my_surveys_lists_my_links_with_their_state(client_for, world, survey, link):
    pat = world.participant_participant
    started = factories.SurveyFactory(cohort=world.cohort, title="Half done")
    q = factories.QuestionFactory(survey=started, kind=Kind.SHORT_TEXT, choices=[])
    started_link = factories.SurveyRecipientFactory(survey=started, participant=pat)
    save_answer(started_link, q, "hi")
    done = factories.SurveyFactory(
        cohort=world.cohort,
        title="All done",
        closes_at=timezone.now() + datetime.timedelta(days=3),
    )
    done_link = factories.SurveyRecipientFactory(survey=done, participant=pat)
    save_all(done_link, {}, submit=True)
    draft = factories.SurveyFactory(cohort=world.cohort, title="Not ready", status="draft")
    factories.SurveyRecipientFactory(survey=draft, participant=pat)
    factories.SurveyRecipientFactory(
        survey=factories.SurveyFactory(cohort=world.cohort, title="Lee's only"),
        participant=world.leader_participant,
    )
    html = client_for("participant").get(my_surveys_url(world)).content.decode()
    assert "Spring needs check" in html and "Half done" in html and "All done" in html
    assert "Not ready" not in html and "Lee's only" not in html
    assert html.count("Not started") == 1
    assert html.count("In progress") == 1
    assert html.count(">Submitted<") == 1
    assert f'href="{answer_url(link)}"' in html
    assert f'href="{answer_url(done_link)}"' in html
    assert "No closing date" in html
    assert "Change my answers" in html


def test_my_surveys_empty(client_for, world):
    html = client_for("participant").get(my_surveys_url(world)).content.decode()
    assert "No surveys for you yet." in html


def _my_surveys_queries(client, world, n):
    pat = world.participant_participant
    for i in range(n):
        survey = factories.SurveyFactory(cohort=world.cohort)
        question = factories.QuestionFactory(survey=survey, kind=Kind.SHORT_TEXT, choices=[])
        recipient = factories.SurveyRecipientFactory(survey=survey, participant=pat)
        if i % 2:
            save_answer(recipient, question, "something")
    queries, response = count_queries(client, my_surveys_url(world))
    return queries, response.content.decode()


def test_my_surveys_query_count_is_flat(client_for, world):
    client = client_for("participant")
    one, _html = _my_surveys_queries(client, world, 1)
    Survey.objects.all().delete()
    fifty, html = _my_surveys_queries(client, world, 50)
    assert html.count("Not started") == 25
    assert one == fifty
