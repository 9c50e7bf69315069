"""Live-poll codes: guessing them is throttled per client address, and a closed session's
code only says that the poll has ended."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from planning.models import Answer
from planning.surveys.services import live as services
from planning.surveys.views import live_codes
from tests import factories

pytestmark = pytest.mark.django_db

GUESSER = "203.0.113.7"
NEIGHBOUR = "198.51.100.20"
TOO_MANY = "Too many tries, wait a minute."
# Counts run per minute of the clock: every test here starts at the top of a minute with the
# clock stopped, so no count is cut by a minute ending halfway through a test.
START = datetime(2026, 12, 4, 15, 0, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock_at_the_top_of_a_minute():
    with time_machine.travel(START, tick=False):
        yield


@pytest.fixture
def session(world):
    survey = factories.SurveyFactory(cohort=world.cohort, kind="poll", title="Secret launch poll")
    first = factories.QuestionFactory(
        survey=survey, position=1, text="Which need presses hardest?", choices=["A", "B"]
    )
    live = services.start_session(survey, world.staff)
    live.first = first
    return live


def wrong_code(n, letter="Z"):
    """A code no session can have: codes never hold a 0, and this one starts "ZZ0"."""
    return f"{letter * 2}{n:04d}"


def join(client, code):
    return client.get(reverse("live-join"), {"code": code})


def vote_page(client, code):
    return client.get(reverse("live-vote", kwargs={"code": code}))


def test_the_eleventh_wrong_code_in_a_minute_is_refused_and_so_is_any_code(session):
    guesser = Client(REMOTE_ADDR=GUESSER)
    for n in range(live_codes.LIMIT):
        response = join(guesser, wrong_code(n))
        assert response.status_code == 200, f"try {n + 1}"
        assert "No live poll has this code" in response.content.decode()

    # Over the limit: even the right code is refused, on every way of naming a code.
    response = join(guesser, session.code)
    assert response.status_code == 429
    assert TOO_MANY in response.content.decode()
    assert vote_page(guesser, session.code).status_code == 429
    state = guesser.get(reverse("live-vote-state", kwargs={"code": session.code}))
    assert state.status_code == 429

    # The refusal came from this address's count: a neighbour joins with the same code.
    response = join(Client(REMOTE_ADDR=NEIGHBOUR), session.code)
    assert response.status_code == 302
    assert response.url == reverse("live-vote", kwargs={"code": session.code})

    # A minute later the guesser may try again.
    with time_machine.travel(timezone.now() + timedelta(seconds=live_codes.WINDOW + 1)):
        assert join(guesser, session.code).status_code == 302


def test_wrong_codes_count_on_the_vote_page_and_the_state_too(session):
    guesser = Client(REMOTE_ADDR=GUESSER)
    for n in range(live_codes.LIMIT // 2):
        assert vote_page(guesser, wrong_code(n, "X")).status_code == 404
    for n in range(live_codes.LIMIT - live_codes.LIMIT // 2):
        url = reverse("live-vote-state", kwargs={"code": wrong_code(n, "Y")})
        assert guesser.get(url).status_code == 404
    response = vote_page(guesser, session.code)
    assert response.status_code == 429
    assert TOO_MANY in response.content.decode()


def test_right_codes_never_count(world, session):
    phone = Client(REMOTE_ADDR=GUESSER)
    for _ in range(live_codes.LIMIT + 5):
        assert join(phone, session.code).status_code == 302
    assert vote_page(phone, session.code).status_code == 200


def test_behind_a_trusted_proxy_each_phone_has_its_own_count(session, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    guesser = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=GUESSER)
    for n in range(live_codes.LIMIT):
        join(guesser, wrong_code(n, "W"))
    assert join(guesser, session.code).status_code == 429
    room = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=NEIGHBOUR)
    assert join(room, session.code).status_code == 302


def test_a_closed_sessions_code_says_the_poll_has_ended_and_takes_no_vote(world, session):
    phone = Client(REMOTE_ADDR=NEIGHBOUR)
    assert "Secret launch poll" in vote_page(phone, session.code).content.decode()
    services.control(session, "close", world.staff)

    response = vote_page(phone, session.code)
    page = response.content.decode()
    assert response.status_code == 410
    assert "This poll has ended" in page
    assert "Secret launch poll" not in page and "Which need presses hardest?" not in page

    response = phone.post(
        reverse("live-vote", kwargs={"code": session.code}),
        {"question": session.first.public_id, "answer": "A"},
        follow=True,
    )
    page = response.content.decode()
    assert "Your answer was not saved." in page and page.count("This poll has ended") == 1
    assert not Answer.objects.filter(response__live_session=session).exists()

    joined = join(phone, session.code)
    assert joined.status_code == 200 and "This poll has ended" in joined.content.decode()

    # Its state answers the end, so a phone still on the page stops polling.
    state = phone.get(reverse("live-vote-state", kwargs={"code": session.code}))
    assert "This poll has ended" in state.content.decode()
    assert "every 2s" not in state.content.decode()
