"""The live poll's full-screen presenter view: no site navigation, the join address, code and
a QR code of the phone link, the controls coming back to the view, Close session apart from
the results on both presenter pages."""

import re

import pytest
from django.urls import reverse

from planning.models import LiveSession, Question
from planning.surveys.services import live as services
from planning.surveys.views.live_screen import qr_svg
from tests import factories
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

OPTIONS = ["Board development", "Raising funds", "Staff"]


@pytest.fixture
def poll(world):
    survey = factories.SurveyFactory(cohort=world.cohort, kind="poll", title="Launch poll")
    factories.QuestionFactory(
        survey=survey, position=1, text="Which need presses hardest?", choices=OPTIONS
    )
    factories.QuestionFactory(
        survey=survey, position=2, kind=Question.Kind.SHORT_TEXT, text="One word for today?"
    )
    return services.start_session(survey, world.staff)


def url(world, session, name="planning:live-screen"):
    return reverse(name, kwargs={"cohort_slug": world.cohort.slug, "session_id": session.public_id})


def fresh(session):
    return LiveSession.objects.select_related("current_question").get(pk=session.pk)


def test_the_screen_has_no_site_navigation_and_shows_code_address_and_qr(world, poll, client_for):
    page = client_for("staff").get(url(world, poll)).content.decode()
    assert "navbar" not in page
    assert world.cohort.name not in page  # not even the cohort bar
    assert 'class="live-code live-screen-code"' in page
    assert poll.code in page
    join = f"http://testserver{reverse('live-join')}"
    direct = f"http://testserver{reverse('live-vote', kwargs={'code': poll.code})}"
    assert join in page and direct in page
    assert re.search(r'<svg role="img" aria-label="QR code of [^"]+" viewBox=', page)
    assert f'aria-label="QR code of {direct}"' in page
    assert "Which need presses hardest?" in page
    assert "Question 1 of 2" in page
    assert "<style" not in page and " style=" not in page  # the CSP allows no inline style
    assert "<script>" not in page
    # The way back to the normal presenter page.
    assert f'href="{url(world, poll, "planning:live-present")}"' in page


def test_the_qr_svg_is_drawn_offline_for_the_link():
    svg = qr_svg("http://example.org/p/ABC123/")
    assert svg.startswith('<svg role="img" aria-label="QR code of http://example.org/p/ABC123/"')
    assert "<path" in svg and "http" not in svg.split('viewBox="', 1)[1]  # no outside image
    # A different link draws a different code.
    assert qr_svg("http://example.org/p/XYZ789/") != svg


def test_the_normal_presenter_page_links_to_the_screen(world, poll, client_for):
    page = client_for("staff").get(url(world, poll, "planning:live-present")).content.decode()
    assert f'href="{url(world, poll)}"' in page
    assert "Full screen for the shared screen" in page


@pytest.mark.parametrize("name", ["planning:live-screen", "planning:live-present"])
def test_close_session_asks_first_and_stands_apart_from_the_results(world, poll, client_for, name):
    page = client_for("staff").get(url(world, poll, name)).content.decode()
    close = re.search(
        r"<form[^>]*>(?:(?!</form>).)*value=\"close\"(?:(?!</form>).)*</form>", page, re.S
    )
    assert close, "a Close session button in a form"
    assert "data-confirm=" in close.group(0)
    # Its form holds no other control: not beside Reveal, Next or Previous.
    for other in ("reveal", "next", "previous"):
        assert f'value="{other}"' not in close.group(0)
    assert page.index('id="live-results"') < page.index(close.group(0))


@pytest.mark.parametrize(
    ("action", "check"),
    [
        ("next", lambda s: s.current_question.position == 2),
        ("reveal", lambda s: s.results_visible),
        ("close", lambda s: not s.is_open),
    ],
)
def test_the_controls_come_back_to_the_screen(world, poll, client_for, action, check):
    client = client_for("staff")
    response = client.post(
        url(world, poll, "planning:live-control"), {"action": action, "view": "screen"}
    )
    assert response.status_code == 302
    assert response["Location"] == url(world, poll)
    assert check(fresh(poll))
    # Without view=screen they come back to the normal presenter page, as before.
    if action != "close":
        response = client.post(url(world, poll, "planning:live-control"), {"action": "previous"})
        assert response["Location"] == url(world, poll, "planning:live-present")


def test_a_closed_session_on_the_screen_shows_what_people_said(world, poll, client_for):
    services.vote(poll, poll.current_question, "Raising funds", "a1")
    services.control(fresh(poll), "close", world.staff)
    page = client_for("staff").get(url(world, poll)).content.decode()
    assert "This poll has ended." in page
    assert "What people said" in page
    assert "Raising funds" in page
    assert "live-qr" not in page  # nothing to join any more
    assert 'value="next"' not in page


def test_screen_query_count_is_flat(world, poll, client_for):
    client = client_for("staff")
    services.control(poll, "reveal", world.staff)
    address = url(world, poll)
    for i in range(1):
        services.vote(poll, poll.current_question, OPTIONS[i % 3], f"a{i}")
    client.get(address)
    one, _ = count_queries(client, address)
    for i in range(1, 50):
        services.vote(poll, poll.current_question, OPTIONS[i % 3], f"a{i}")
    fifty, response = count_queries(client, address)
    assert one == fifty
    assert '<span class="stat">50</span>' in response.content.decode()


# --- a survey run as a live poll: no reminders, a status that says it ran live ---------------


def test_a_live_poll_survey_reminds_no_one(world, client_for):
    from planning.surveys.services import surveys as survey_services

    survey = survey_services.create_survey(
        cohort=world.cohort, actor=world.staff, starting_point="poll", reminder_limit=2
    )
    assert survey.kind == "poll"
    assert survey.reminder_limit == 0
    client = client_for("staff")
    detail = client.get(survey.get_absolute_url()).content.decode()
    assert "Up to 2 reminders" not in detail
    assert "None: a live poll is answered in the room" in detail
    edit = reverse(
        "planning:survey-edit",
        kwargs={"cohort_slug": world.cohort.slug, "survey_id": survey.public_id},
    )
    form = client.get(edit).content.decode()
    assert 'type="number" name="reminder_limit"' not in form
    assert "no one is reminded by email" in form
    # Another kind still offers the setting.
    other = factories.SurveyFactory(cohort=world.cohort, kind="needs", reminder_limit=2)
    other_edit = reverse(
        "planning:survey-edit",
        kwargs={"cohort_slug": world.cohort.slug, "survey_id": other.public_id},
    )
    assert 'name="reminder_limit"' in client.get(other_edit).content.decode()
    assert other.reminder_limit == 2


def test_a_draft_run_live_opens_then_closes_and_says_it_ran_live(world, client_for):
    survey = factories.SurveyFactory(
        cohort=world.cohort, kind="poll", status="draft", title="Room poll"
    )
    factories.QuestionFactory(survey=survey, text="Which need?", choices=OPTIONS)
    session = services.start_session(survey, world.staff)
    survey.refresh_from_db()
    assert survey.status == "open"
    client = client_for("staff")
    detail = client.get(survey.get_absolute_url()).content.decode()
    assert ">Draft<" not in detail
    assert "Running now, since" in detail
    services.control(fresh(session), "close", world.staff)
    survey.refresh_from_db()
    assert survey.status == "closed"
    detail = client.get(survey.get_absolute_url()).content.decode()
    assert "Closed: ran as a live poll" in detail
    assert "Ran as a live poll on" in detail
    assert f'href="{url(world, session, "planning:live-present")}"' in detail
    listing = client.get(
        reverse("planning:survey-list", kwargs={"cohort_slug": world.cohort.slug})
    ).content.decode()
    assert "Closed: ran as a live poll" in listing
    assert ">Draft<" not in listing


def test_a_survey_sent_by_email_stays_open_after_its_live_poll(world):
    survey = factories.SurveyFactory(cohort=world.cohort, kind="needs", reminder_limit=2)
    factories.QuestionFactory(survey=survey, text="Which need?", choices=OPTIONS)
    factories.SurveyRecipientFactory(survey=survey, participant=world.participant_participant)
    session = services.start_session(survey, world.staff)
    services.control(fresh(session), "close", world.staff)
    survey.refresh_from_db()
    assert survey.status == "open"
    assert survey.reminder_limit == 2  # its recipients are still reminded
