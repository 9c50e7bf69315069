"""No server error from anything typed or posted.

First the inputs that once gave a 500 (a bare word as `next`, dates at the ends of the
calendar, a NUL character, which PostgreSQL cannot store in a text column), then a fuzz walk:
every URL of the permission matrix that takes a POST, as each role that may post there, with
the page's own form fields filled with hostile values and with seeded random ones. A 5xx fails
the test with the URL, the role and what was posted.

SQLite stores a NUL happily, so here the database refuses, as PostgreSQL does, any statement
whose parameters carry one (`refuse_nul_like_postgres`): a value that would fail in production
fails here too.
"""

import re
from contextlib import contextmanager

import pytest
from django.db import connection
from django.urls import reverse

from planning.models import Answer, Meeting, MeetingSettings, Question
from planning.surveys.services import live as live_services
from planning.surveys.services.answers import field_name
from tests import factories

pytestmark = pytest.mark.django_db

NUL = "\x00"


class NulReachedTheDatabase(AssertionError):
    pass


# A NUL in a JSON document is the escape \u0000 (jsonb refuses it); an escaped backslash
# before "u0000" is text, not a NUL.
JSON_NUL = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")


def _carries_nul(value):
    if isinstance(value, str):
        return NUL in value or JSON_NUL.search(value) is not None
    if isinstance(value, bytes):
        return b"\x00" in value and not value.startswith((b"PK", b"\x89PNG"))
    if isinstance(value, list | tuple):
        return any(_carries_nul(item) for item in value)
    if isinstance(value, dict):
        return any(_carries_nul(item) for item in value.values())
    return False


def _refuse_nul(execute, sql, params, many, context):
    rows = params if many else [params]
    for row in rows or ():
        if _carries_nul(row if isinstance(row, list | tuple | dict) else [row]):
            raise NulReachedTheDatabase(f"a NUL character reached the database: {sql[:200]}")
    return execute(sql, params, many, context)


@contextmanager
def refuse_nul_like_postgres():
    """The database refuses a NUL in any parameter, as PostgreSQL's text and jsonb do."""
    with connection.execute_wrapper(_refuse_nul):
        yield


# -- the inputs of issue 12 --------------------------------------------------------------------


def _community_url(world, name):
    return reverse(name, args=[world.cohort.slug, world.community.slug])


@pytest.mark.parametrize("bare", ["home", "dashboard", "x", "planning:meetings"])
def test_reminder_switch_with_a_bare_word_as_next_goes_back_to_the_meetings(
    world, client_for, bare
):
    client = client_for("participant")
    url = _community_url(world, "planning:meeting-reminders")
    response = client.post(url, {"action": "off", "next": bare})
    assert response.status_code == 302
    assert response.url == _community_url(world, "planning:meetings")
    # A path of this site is still followed.
    mine = reverse("planning:my-calendar", args=[world.cohort.slug])
    assert client.post(url, {"action": "on", "next": mine}).url == mine


def _meeting_data(day, start="19:00"):
    return {
        "title": "Far off",
        "date": day,
        "start_time": start,
        "duration_minutes": "60",
        "mode": Meeting.Mode.VIRTUAL,
    }


@pytest.mark.parametrize(
    ("zone", "day", "start"),
    [
        ("America/New_York", "9999-12-31", "23:00"),
        ("Asia/Tokyo", "0001-01-01", "01:00"),
        ("UTC", "2201-01-01", "10:00"),
        ("UTC", "1899-12-31", "10:00"),
    ],
)
def test_a_meeting_date_at_the_ends_of_the_calendar_is_a_form_error(
    world, client_for, zone, day, start
):
    MeetingSettings.objects.update_or_create(
        community=world.community, defaults={"time_zone": zone}
    )
    client = client_for("leader")
    url = _community_url(world, "planning:meeting-create")
    response = client.post(url, _meeting_data(day, start))
    assert response.status_code == 200
    assert "between the years 1900 and 2200" in response.content.decode()
    assert not Meeting.objects.filter(community=world.community).exists()
    response = client.post(url, _meeting_data("2030-05-07", start))
    assert response.status_code == 302
    assert Meeting.objects.filter(community=world.community).count() == 1


@pytest.mark.parametrize(
    ("first", "until"), [("9999-12-01", "9999-12-31"), ("0001-01-01", "0001-02-01")]
)
def test_a_schedule_at_the_ends_of_the_calendar_is_a_form_error(world, client_for, first, until):
    MeetingSettings.objects.update_or_create(
        community=world.community, defaults={"time_zone": "Asia/Tokyo"}
    )
    data = {
        "first_date": first,
        "until": until,
        "frequency": "weekly",
        "weekday": "1",
        "start_time": "00:30",
        "length_minutes": "60",
        "mode": Meeting.Mode.VIRTUAL,
        "action": "create",
    }
    response = client_for("leader").post(_community_url(world, "planning:meeting-schedule"), data)
    assert response.status_code == 200
    assert "between the years 1900 and 2200" in response.content.decode()
    assert not Meeting.objects.filter(community=world.community).exists()


def test_dates_of_the_other_forms_refuse_far_years(world, client_for):
    client = client_for("staff")
    cohort_edit = reverse("cohorts:cohort-edit", args=[world.cohort.slug])
    data = {"name": world.cohort.name, "starts_on": "0001-01-01", "ends_on": "9999-12-31"}
    assert "between the years 1900 and 2200" in client.post(cohort_edit, data).content.decode()
    survey = factories.SurveyFactory(cohort=world.cohort)
    survey_edit = reverse("planning:survey-edit", args=[world.cohort.slug, survey.public_id])
    data = {
        "title": "Needs",
        "kind": survey.kind,
        "closes_at": "9999-12-31T23:59",
        "reminder_limit": "1",
        "reminder_interval_days": "3",
    }
    response = client.post(survey_edit, data)
    assert response.status_code == 200
    assert "between the years 1900 and 2200" in response.content.decode()
    formation_create = reverse("cohorts:formation-create", args=[world.cohort.slug])
    data = {
        "name": "Far",
        "method": "topic",
        "scope": "all",
        "size_mode": "range",
        "size_min": "3",
        "size_max": "6",
        "deadline": "9999-12-31T23:59",
    }
    response = client.post(formation_create, data)
    assert response.status_code == 200
    assert "between the years 1900 and 2200" in response.content.decode()


def test_a_nul_in_a_survey_answer_never_reaches_the_database(world, client):
    survey = factories.SurveyFactory(cohort=world.cohort)
    short = factories.QuestionFactory(survey=survey, kind=Question.Kind.SHORT_TEXT, choices=[])
    long = factories.QuestionFactory(survey=survey, kind=Question.Kind.LONG_TEXT, choices=[])
    link = factories.SurveyRecipientFactory(
        survey=survey, participant=world.participant_participant
    )
    page = reverse("survey-answer", kwargs={"token": link.token})
    save = reverse("survey-answer-save", kwargs={"token": link.token})
    data = {field_name(short): f"Board{NUL}chair", field_name(long): f"{NUL}grants"}
    with refuse_nul_like_postgres():
        response = client.post(page, {**data, "action": "save"})
        assert response.status_code in {200, 302}
        response = client.post(save, {**data, "question": str(short.public_id)})
        assert response.status_code == 200
    values = list(Answer.objects.values_list("value", flat=True))
    assert not any(NUL in str(value) for value in values)
    # The same answers without the NUL are saved.
    client.post(page, {field_name(short): "Board chair", field_name(long): "grants"})
    assert sorted(Answer.objects.values_list("value", flat=True)) == ["Board chair", "grants"]


def test_a_nul_in_a_live_poll_text_vote_never_reaches_the_database(world, client):
    question = factories.QuestionFactory(
        survey__cohort=world.cohort, kind=Question.Kind.SHORT_TEXT, choices=[]
    )
    session = live_services.start_session(question.survey, world.staff)
    url = reverse("live-vote", kwargs={"code": session.code})
    with refuse_nul_like_postgres():
        response = client.post(url, {"question": question.public_id, "answer": f"Grants{NUL}"})
        assert response.status_code in {200, 302}
    assert not any(NUL in str(v) for v in Answer.objects.values_list("value", flat=True))
    client.post(url, {"question": question.public_id, "answer": "Grants"})
    assert list(Answer.objects.values_list("value", flat=True)) == ["Grants"]


def test_the_nul_check_itself_catches_a_nul(world):
    with refuse_nul_like_postgres(), pytest.raises(NulReachedTheDatabase):
        factories.TopicFactory(cohort=world.cohort, name=f"Bad{NUL}name")
