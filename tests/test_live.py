"""Live polls: starting and steering a session, voting from phones, the presenter's
results, joining by code, the state phones poll, and the load test's machinery."""

import threading
from collections import Counter
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts.models import Activity
from devtools import loadtest
from planning.models import Answer, LiveSession, Question, Response
from planning.surveys.models import CODE_ALPHABET
from planning.surveys.services import live as services
from tests import factories
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

OPTIONS = ["Board development", "Raising funds", "Staff"]


@pytest.fixture
def poll(world):
    """A poll survey of Riverbend with two questions, and a live session on its first."""
    survey = factories.SurveyFactory(cohort=world.cohort, kind="poll", title="Launch poll")
    first = factories.QuestionFactory(
        survey=survey, position=1, text="Which need presses hardest?", choices=OPTIONS
    )
    second = factories.QuestionFactory(
        survey=survey, position=2, kind=Question.Kind.SHORT_TEXT, text="One word for today?"
    )
    session = services.start_session(survey, world.staff)
    session.first, session.second = first, second
    return session


def refresh(session):
    fresh = LiveSession.objects.select_related("survey", "current_question").get(pk=session.pk)
    fresh.first = getattr(session, "first", None)
    fresh.second = getattr(session, "second", None)
    return fresh


def present_url(world, session, name="planning:live-present"):
    return reverse(name, kwargs={"cohort_slug": world.cohort.slug, "session_id": session.public_id})


def vote_url(session):
    return reverse("live-vote", kwargs={"code": session.code})


def state_url(session):
    return reverse("live-vote-state", kwargs={"code": session.code})


def stored(session, question=None):
    question = question or session.first
    return list(
        Answer.objects.filter(response__live_session=session, question=question).values_list(
            "value", flat=True
        )
    )


# --- starting ------------------------------------------------------------------------------


def test_start_opens_a_session_on_the_first_question_with_a_readable_code(world, poll):
    assert poll.is_open
    assert poll.current_question == poll.first
    assert not poll.results_visible
    assert len(poll.code) == 6 and set(poll.code) <= set(CODE_ALPHABET)
    assert poll.started_by == world.staff
    assert Activity.objects.filter(cohort=world.cohort, verb="started live poll").exists()


def test_start_refuses_a_survey_without_questions(world):
    survey = factories.SurveyFactory(cohort=world.cohort)
    with pytest.raises(services.LiveError, match="Add a question"):
        services.start_session(survey, world.staff)
    assert not LiveSession.objects.exists()


def test_start_draws_again_when_the_code_is_taken_by_an_open_session(world, poll):
    survey = poll.survey
    codes = iter([poll.code, poll.code, "ZZZ999"])
    with mock.patch.object(services, "new_code", lambda: next(codes)):
        again = services.start_session(survey, world.staff)
    assert again.code == "ZZZ999"
    # A closed session's code may come back: only open sessions must differ.
    services.control(poll, "close", world.staff)
    with mock.patch.object(services, "new_code", lambda: poll.code):
        reused = services.start_session(survey, world.staff)
    assert reused.code == poll.code
    assert services.find_session(poll.code.lower()) == reused


def test_start_view_redirects_to_the_presenter(world, client_for):
    survey = factories.QuestionFactory(survey__cohort=world.cohort).survey
    url = reverse(
        "planning:live-start",
        kwargs={"cohort_slug": world.cohort.slug, "survey_id": survey.public_id},
    )
    response = client_for("staff").post(url)
    session = LiveSession.objects.get(survey=survey)
    assert response.status_code == 302
    assert response.url == present_url(world, session)


def test_start_view_without_questions_says_why(world, client_for):
    survey = factories.SurveyFactory(cohort=world.cohort)
    url = reverse(
        "planning:live-start",
        kwargs={"cohort_slug": world.cohort.slug, "survey_id": survey.public_id},
    )
    response = client_for("staff").post(url, follow=True)
    assert "Add a question to this survey" in response.content.decode()
    assert not LiveSession.objects.exists()


# --- the presenter's controls --------------------------------------------------------------


def test_reveal_hide_next_previous_goto_close(world, poll):
    session = services.control(poll, "reveal", world.staff)
    assert session.results_visible
    session = services.control(session, "hide", world.staff)
    assert not session.results_visible
    services.control(session, "reveal", world.staff)
    session = services.control(session, "next", world.staff)
    assert session.current_question == poll.second
    assert not session.results_visible, "a new question starts with its results hidden"
    with pytest.raises(services.LiveError, match="last question"):
        services.control(session, "next", world.staff)
    session = services.control(session, "previous", world.staff)
    assert session.current_question == poll.first
    with pytest.raises(services.LiveError, match="first question"):
        services.control(session, "previous", world.staff)
    session = services.control(session, "goto", world.staff, question=poll.second)
    assert session.current_question == poll.second
    session = services.control(session, "close", world.staff)
    assert not session.is_open and session.closed_at is not None
    with pytest.raises(services.LiveError, match="ended"):
        services.control(session, "reveal", world.staff)
    verbs = set(Activity.objects.values_list("verb", flat=True))
    assert {"live poll: next", "live poll: close"} <= verbs


def test_goto_refuses_another_surveys_question_and_unknown_actions(world, poll):
    elsewhere = factories.QuestionFactory(survey__cohort=world.cohort)
    with pytest.raises(services.LiveError, match="question of this survey"):
        services.control(poll, "goto", world.staff, question=elsewhere)
    with pytest.raises(services.LiveError, match="presenter's actions"):
        services.control(poll, "dance", world.staff)
    assert refresh(poll).current_question == poll.first
    # The same request with a question of this survey goes through.
    assert services.control(poll, "goto", world.staff, question=poll.second).current_question == (
        poll.second
    )


def test_control_view(world, poll, client_for):
    client = client_for("staff")
    url = present_url(world, poll, "planning:live-control")
    response = client.post(url, {"action": "next"})
    assert response.status_code == 302 and response.url == present_url(world, poll)
    assert refresh(poll).current_question == poll.second
    response = client.post(url, {"action": "goto", "question": "not-a-uuid"}, follow=True)
    assert "Choose a question of this survey." in response.content.decode()
    assert refresh(poll).current_question == poll.second
    client.post(url, {"action": "goto", "question": str(poll.first.public_id)})
    assert refresh(poll).current_question == poll.first
    response = client.post(url, {}, follow=True)
    assert "Choose one of the presenter" in response.content.decode()
    response = client.post(url, {"action": "close"}, follow=True)
    assert not refresh(poll).is_open
    assert "What people said" in response.content.decode()


# --- voting --------------------------------------------------------------------------------


def test_a_second_vote_replaces_the_first(world, poll):
    first = services.vote(poll, poll.first, "Staff", "akey")
    assert first.submitted_at is not None and first.survey == poll.survey
    services.vote(poll, poll.first, "Raising funds", "akey")
    assert Response.objects.filter(live_session=poll).count() == 1
    assert stored(poll) == ["Raising funds"]
    services.vote(poll, poll.first, "Staff", "another")
    assert sorted(stored(poll)) == ["Raising funds", "Staff"]


def test_a_vote_for_a_question_the_presenter_left_is_refused(world, poll):
    session = services.control(poll, "next", world.staff)
    with pytest.raises(services.MovedOn, match="moved on"):
        services.vote(session, poll.first, "Staff", "akey")
    assert not Answer.objects.exists()
    services.vote(session, poll.second, "Hopeful", "akey")
    assert stored(session, poll.second) == ["Hopeful"]


def test_a_closed_session_takes_no_votes(world, poll):
    session = services.control(poll, "close", world.staff)
    with pytest.raises(services.LiveError, match="ended"):
        services.vote(session, poll.first, "Staff", "akey")
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("raw", "message"),
    [("Knitting", "Choose from the options listed."), ("", "Choose an answer first.")],
)
def test_an_answer_outside_the_options_is_refused_with_a_message(world, poll, raw, message):
    with pytest.raises(services.LiveError, match=message):
        services.vote(poll, poll.first, raw, "akey")
    assert not Response.objects.exists(), "nothing half-saved"


def test_a_known_participant_fills_the_inventory_an_anonymous_phone_does_not(world, poll):
    with mock.patch.object(services.inventory, "fill_from_response") as fill:
        services.vote(poll, poll.first, "Staff", "a-anon")
        fill.assert_not_called()
        pat = world.participant_participant
        response = services.vote(poll, poll.first, "Staff", f"p{pat.pk}", participant=pat)
        fill.assert_called_once_with(response)
    assert response.participant == pat


def test_voter_keys_anonymous_participant_and_staff(world, poll, client):
    def vote_as(user, answer):
        phone = Client()
        if user is not None:
            phone.force_login(user)
        phone.post(vote_url(poll), {"question": poll.first.public_id, "answer": answer})
        return phone

    # Anonymous: a random key kept in the browser session, the same for both votes.
    client.post(vote_url(poll), {"question": poll.first.public_id, "answer": "Staff"})
    client.post(vote_url(poll), {"question": poll.first.public_id, "answer": "Raising funds"})
    anonymous = Response.objects.get(live_session=poll)
    assert anonymous.voter_key.startswith("a") and anonymous.participant is None
    assert client.session["live_voter_key"] == anonymous.voter_key
    assert stored(poll) == ["Raising funds"]
    # A logged-in participant of the cohort votes by name, from any device.
    vote_as(world.participant, "Staff")
    vote_as(world.participant, "Board development")
    pat = Response.objects.get(live_session=poll, participant=world.participant_participant)
    assert pat.voter_key == f"p{world.participant_participant.pk}"
    # Staff and people of other cohorts are not participants here: they vote anonymously.
    vote_as(world.staff, "Staff")
    vote_as(world.outsider, "Staff")
    keys = list(Response.objects.filter(live_session=poll).values_list("voter_key", flat=True))
    assert len(keys) == 4 and sum(key.startswith("a") for key in keys) == 3
    assert sorted(stored(poll)) == ["Board development", "Raising funds", "Staff", "Staff"]


def test_every_kind_of_question_can_be_answered_from_the_phone(world, client):
    survey = factories.SurveyFactory(cohort=world.cohort)
    kinds = [
        (Question.Kind.MULTIPLE, {"answer": ["Staff", "Board development"]}),
        (Question.Kind.PICK_N, {"answer": ["Staff"]}),
        (Question.Kind.RATING, {"answer": "4"}),
        (Question.Kind.RANKING, {"rank_0": "2", "rank_1": "3", "rank_2": "1"}),
        (Question.Kind.SHORT_TEXT, {"answer": "  Grants  "}),
        (Question.Kind.LONG_TEXT, {"answer": "We need a board that meets."}),
    ]
    for position, (kind, _data) in enumerate(kinds):
        factories.QuestionFactory(
            survey=survey, position=position, kind=kind, choices=OPTIONS, max_picks=2
        )
    session = services.start_session(survey, world.staff)
    for kind, data in kinds:
        session = refresh(session)
        page = client.get(vote_url(session)).content.decode()
        assert session.current_question.text in page
        client.post(vote_url(session), {"question": session.current_question.public_id, **data})
        if kind != Question.Kind.LONG_TEXT:
            services.control(session, "next", world.staff)
    values = dict(Answer.objects.values_list("question__kind", "value"))
    assert values == {
        "multiple": ["Staff", "Board development"],
        "pick_n": ["Staff"],
        "rating": 4,
        "ranking": ["Staff", "Board development", "Raising funds"],
        "short_text": "Grants",
        "long_text": "We need a board that meets.",
    }


def test_a_ranking_with_a_place_twice_is_refused(world, client):
    question = factories.QuestionFactory(survey__cohort=world.cohort, kind=Question.Kind.RANKING)
    session = services.start_session(question.survey, world.staff)
    data = {"question": question.public_id, "rank_0": "1", "rank_1": "1", "rank_2": "2"}
    response = client.post(vote_url(session), data)
    assert response.status_code == 200
    assert "Give every option a different place in the ranking." in response.content.decode()
    assert not Answer.objects.exists()


# --- the phone page ------------------------------------------------------------------------


def test_phone_page_shows_the_question_then_confirms_the_vote(world, poll, client):
    page = client.get(vote_url(poll)).content.decode()
    assert "Which need presses hardest?" in page
    for option in OPTIONS:
        assert f'value="{option}"' in page
    assert "Your answer is in" not in page
    assert 'hx-trigger="every 2s"' in page
    response = client.post(
        vote_url(poll), {"question": poll.first.public_id, "answer": "Raising funds"}
    )
    assert response.status_code == 302 and response.url == vote_url(poll)
    page = client.get(vote_url(poll)).content.decode()
    assert "Your answer is in — you can change it until the presenter moves on." in page
    assert 'value="Raising funds" checked' in page
    assert "Change my answer" in page


def test_phone_page_says_when_the_presenter_moved_on(world, poll, client):
    page_question = poll.first.public_id
    services.control(poll, "next", world.staff)
    response = client.post(
        vote_url(poll), {"question": page_question, "answer": "Staff"}, follow=True
    )
    page = response.content.decode()
    assert "The presenter moved on" in page
    assert "One word for today?" in page
    assert not Answer.objects.exists()


def test_phone_page_shows_an_invalid_answer_next_to_the_question(world, poll, client):
    response = client.post(vote_url(poll), {"question": poll.first.public_id, "answer": "Nope"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="answer-error"' in page and "Choose from the options listed." in page
    # The valid vote afterwards goes in.
    client.post(vote_url(poll), {"question": poll.first.public_id, "answer": "Staff"})
    assert stored(poll) == ["Staff"]


def test_phone_page_shows_results_once_revealed_and_the_end(world, poll, client):
    services.vote(poll, poll.first, "Staff", "a1")
    page = client.get(vote_url(poll)).content.decode()
    assert "Results so far" not in page
    services.control(poll, "reveal", world.staff)
    page = client.get(vote_url(poll)).content.decode()
    assert "Results so far" in page and "100%" in page
    services.control(poll, "close", world.staff)
    page = client.get(vote_url(poll)).content.decode()
    assert "This poll has ended. Thank you" in page
    assert "Send my answer" not in page and "every 2s" not in page
    response = client.post(vote_url(poll), {"question": poll.first.public_id, "answer": "Staff"})
    assert response.status_code == 302
    assert stored(poll) == ["Staff"]


def test_state_is_204_until_something_changes(world, poll, client):
    page = client.get(vote_url(poll)).content.decode()
    poll_url = page.split('hx-get="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert poll_url.startswith(state_url(poll))
    assert client.get(poll_url).status_code == 204
    # A vote while results are hidden changes nothing on the phones.
    services.vote(poll, poll.first, "Staff", "a1")
    assert client.get(poll_url).status_code == 204
    # Revealed: the results come, out of band; the question stays as it is.
    services.control(poll, "reveal", world.staff)
    response = client.get(poll_url, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="live-phone-results" class="mt-4" hx-swap-oob="true"' in body
    assert "100%" in body and 'id="live-question"' not in body
    # The presenter moves on: the new question swaps in and is announced.
    services.control(poll, "next", world.staff)
    body = client.get(poll_url).content.decode()
    assert 'id="live-question" hx-swap-oob="true"' in body
    assert "One word for today?" in body and "New question: One word for today?" in body
    # Closed: the phone says so and stops polling.
    services.control(refresh(poll), "close", world.staff)
    body = client.get(poll_url).content.decode()
    assert "This poll has ended. Thank you" in body and "every 2s" not in body


def test_a_changed_vote_reaches_phones_showing_results(world, poll, client):
    """The number of votes stays the same when someone changes their answer; the phones'
    results must follow all the same."""
    services.vote(poll, poll.first, "Staff", "a1")
    services.vote(poll, poll.first, "Staff", "a2")
    services.control(poll, "reveal", world.staff)
    page = client.get(vote_url(poll)).content.decode()
    poll_url = page.split('hx-get="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert client.get(poll_url).status_code == 204
    services.vote(refresh(poll), poll.first, "Board development", "a2")
    response = client.get(poll_url)
    assert response.status_code == 200
    assert "50%" in response.content.decode()


def test_state_of_an_unknown_code_is_404(client, db):
    assert client.get(reverse("live-vote-state", kwargs={"code": "NOPE42"})).status_code == 404


# --- joining -------------------------------------------------------------------------------


def test_join_with_the_code_in_any_case(world, poll, client):
    assert "Join a live poll" in client.get(reverse("live-join")).content.decode()
    for response in (
        client.get(reverse("live-join"), {"code": f" {poll.code.lower()} "}),
        client.post(reverse("live-join"), {"code": poll.code.lower()}),
    ):
        assert response.status_code == 302 and response.url == vote_url(poll)
    lower = reverse("live-vote", kwargs={"code": poll.code.lower()})
    assert client.get(lower).url == vote_url(poll)


def test_join_refuses_an_unknown_or_closed_code_next_to_the_field(world, poll, client):
    response = client.get(reverse("live-join"), {"code": "QQQQQQ"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "No live poll has this code" in page and "is-invalid" in page
    response = client.get(reverse("live-vote", kwargs={"code": "QQQQQQ"}))
    assert response.status_code == 404 and "No live poll has this code" in response.content.decode()
    services.control(poll, "close", world.staff)
    page = client.get(reverse("live-join"), {"code": poll.code}).content.decode()
    assert "This poll has ended" in page and "is-invalid" in page


# --- the presenter's page and its results ----------------------------------------------------


def test_presenter_page_shows_how_to_join_and_hides_results_until_revealed(world, poll, client_for):
    services.vote(poll, poll.first, "Staff", "a1")
    services.vote(poll, poll.first, "Staff", "a2")
    services.vote(poll, poll.first, "Raising funds", "a3")
    client = client_for("staff")
    page = client.get(present_url(world, poll)).content.decode()
    assert "http://testserver/p/" in page and poll.code in page
    assert f"http://testserver/p/{poll.code}/" in page
    assert "Question 1 of 2" in page and "Which need presses hardest?" in page
    assert 'hx-trigger="every 1s"' in page
    assert "Results hidden" in page and "67%" not in page
    assert '<span class="stat">3</span>' in page
    services.control(poll, "reveal", world.staff)
    fragment = client.get(present_url(world, poll, "planning:live-results")).content.decode()
    assert "Results hidden" not in fragment
    assert "67%" in fragment and "33%" in fragment and 'width="67%"' in fragment
    assert "style=" not in fragment


def test_presenter_results_list_text_answers(world, poll, client_for):
    session = services.control(poll, "next", world.staff)
    services.vote(session, poll.second, "Hopeful", "a1")
    services.control(session, "reveal", world.staff)
    fragment = client_for("staff").get(present_url(world, poll, "planning:live-results"))
    assert "Hopeful" in fragment.content.decode()


def test_presenter_results_ask_for_a_reload_when_the_question_changed(world, poll, client_for):
    client = client_for("staff")
    url = present_url(world, poll, "planning:live-results")
    shown = {"q": str(poll.first.public_id)}
    htmx = {"HX-Request": "true"}
    assert "HX-Refresh" not in client.get(url, shown, headers=htmx).headers
    services.control(poll, "next", world.staff)
    assert client.get(url, shown, headers=htmx).headers["HX-Refresh"] == "true"


def test_closed_session_page_sums_up_every_question(world, poll, client_for):
    services.vote(poll, poll.first, "Staff", "a1")
    session = services.control(poll, "next", world.staff)
    services.vote(session, poll.second, "Curious", "a1")
    services.control(session, "close", world.staff)
    page = client_for("staff").get(present_url(world, poll)).content.decode()
    assert "What people said" in page
    assert "100%" in page and "Curious" in page


def test_another_cohorts_session_is_not_found(world, client_for):
    question = factories.QuestionFactory(survey__cohort=world.other_cohort)
    session = services.start_session(question.survey, None)
    url = reverse(
        "planning:live-present",
        kwargs={"cohort_slug": world.cohort.slug, "session_id": session.public_id},
    )
    assert client_for("staff").get(url).status_code == 404


def _vote_many(session, n):
    for i in range(n):
        services.vote(session, session.current_question, OPTIONS[i % 3], f"a{i}")


@pytest.mark.parametrize("revealed", [False, True])
def test_live_results_query_count_is_flat(world, poll, client_for, revealed):
    client = client_for("staff")
    url = present_url(world, poll, "planning:live-results")
    if revealed:
        services.control(poll, "reveal", world.staff)
    _vote_many(poll, 1)
    client.get(url)
    one, _ = count_queries(client, url)
    _vote_many(poll, 50)
    fifty, response = count_queries(client, url)
    assert one == fifty
    assert '<span class="stat">50</span>' in response.content.decode()


def test_phone_pages_query_count_is_flat(world, poll, client):
    services.control(poll, "reveal", world.staff)
    _vote_many(poll, 1)
    client.get(vote_url(poll))
    with CaptureQueriesContext(connection) as one:
        client.get(vote_url(poll))
        client.get(state_url(poll))
    _vote_many(poll, 50)
    with CaptureQueriesContext(connection) as fifty:
        client.get(vote_url(poll))
        client.get(state_url(poll))
    assert len(one) == len(fifty)


# --- real concurrency ----------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_forty_phones_voting_at_once_all_count(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so nothing would race")
    question = factories.QuestionFactory(survey__cohort=world.cohort, choices=OPTIONS)
    session = services.start_session(question.survey, world.staff)
    voters = 40
    # Every fifth phone taps twice at once: two requests for the same voter race too.
    runs = list(range(voters)) + list(range(0, voters, 5))
    start = threading.Barrier(len(runs))
    errors = []

    def phone(n):
        try:
            start.wait(timeout=10)
            services.vote(session, question, OPTIONS[n % 3], f"a{n}")
        except Exception as exc:  # surfaced below; a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=phone, args=(n,)) for n in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert Response.objects.filter(live_session=session, submitted_at__isnull=False).count() == 40
    values = stored(session, question)
    assert len(values) == 40
    expected = [OPTIONS[n % 3] for n in range(voters)]
    assert sorted(values) == sorted(expected)


# --- the load test's machinery (the full run is `make bench`) -------------------------------


@pytest.mark.django_db(transaction=True)
def test_load_test_counts_every_phones_vote(world, live_server):
    session = loadtest.prepare(world.cohort, world.staff)
    result = loadtest.run_against(
        live_server.url, session, voters=8, changers=3, concurrency=1, server="test server"
    )
    assert result.problems == []
    assert [wave.ok for wave in result.rounds] == [8, 8, 3]
    assert [check.answers for check in result.checks] == [8, 8]
    assert result.checks[1].stored != result.checks[0].stored, "the changes were stored"
    text = "\n".join(result.lines())
    assert "lost 0" in text and "p95 ms" in text


def test_load_test_reports_a_lost_vote():
    check = loadtest.Check("after voting", 200, 199, 199, Counter(a=200), Counter(a=199))
    result = loadtest.LoadResult(200, 50, "x", checks=[check])
    assert check.lost == 1
    assert any("199 answers stored for 200 voters" in p for p in result.problems)
    assert "lost 1" in "\n".join(result.lines())


def test_an_unchanged_state_costs_at_most_two_queries(world, poll, client):
    services.control(poll, "reveal", world.staff)
    _vote_many(poll, 5)
    page = client.get(vote_url(poll)).content.decode()
    poll_url = page.split('hx-get="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(poll_url).status_code == 204
    assert len(queries) <= 2  # the session by its code, the answers to count
