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

import os
import random
import re
from contextlib import contextmanager
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from planning.models import Answer, InventoryEntry, Meeting, MeetingSettings, Question
from planning.surveys.services import live as live_services
from planning.surveys.services.answers import field_name
from tests import factories
from tests.test_permissions import MATRIX, PERSONAS, _url_for

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


# -- the fuzz walk -----------------------------------------------------------------------------

# Cases per URL and role: the form as the page offers it, then hostile values, then random
# ones. `make fuzz` runs more random cases (COPKIT_FUZZ_CASES).
RANDOM_CASES = int(os.environ.get("COPKIT_FUZZ_CASES", "3"))
SEED = 12

HOSTILE_TEXT = [
    NUL,
    f"Board{NUL}",
    "x" * 10_000,
    '=HYPERLINK("http://evil.example","Click")',
    "@SUM(1+1)",
    "<script>alert(1)</script>",
    "",
    " ",
    "é😀\u202e",
]
HOSTILE_DATES = ["9999-12-31", "0001-01-01", "1899-12-31", "2201-01-01", "2024-02-30", "0"]
HOSTILE_MOMENTS = ["9999-12-31T23:59", "0001-01-01T00:00", "2201-01-01T00:00", "T"]
HOSTILE_TIMES = ["24:00", "23:59:59.999999", "-1:00", "99:99"]
HOSTILE_NUMBERS = ["-1", "0", "-99999999999999999999", "99999999999999999999", "1e308", "NaN"]
HOSTILE_IDS = ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "1 OR 1=1"]
HOSTILE_NEXT = [
    "home",
    "x",
    "//evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "/\\evil.example",
    NUL,
    "/" + "a" * 5_000,
]
HOSTILE = {
    "text": HOSTILE_TEXT,
    "date": HOSTILE_DATES + HOSTILE_TEXT[:2],
    "datetime-local": HOSTILE_MOMENTS + HOSTILE_TEXT[:2],
    "time": HOSTILE_TIMES + HOSTILE_TEXT[:2],
    "number": HOSTILE_NUMBERS + HOSTILE_TEXT[:2],
    "choice": HOSTILE_IDS + HOSTILE_TEXT[:3],
}
PLAIN = {
    "date": "2030-05-07",
    "datetime-local": "2030-05-07T19:00",
    "time": "19:00",
    "number": "2",
    "email": "fuzz@example.org",
    "url": "https://example.org/",
    "text": "Fuzz value",
}


class Field:
    """One named control of a form: its kind ("text", "date", "choice", "check", ...), the
    value the page gives it, and for choices the values offered."""

    def __init__(self, name, kind, value="", options=(), multiple=False):
        self.name, self.kind, self.value = name, kind, value
        self.options, self.multiple = list(options), multiple

    def hostile_kind(self):
        if self.kind in HOSTILE:
            return self.kind
        if self.kind in {"check", "radio", "hidden"}:
            return "choice"
        return "text"


class FormParser(HTMLParser):
    """The POST forms of a page: [(action, {name: Field})]."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        if tag == "form":
            if attrs.get("method", "get").lower() == "post":
                self._form = (attrs.get("action", ""), {})
                self.forms.append(self._form)
            return
        if self._form is None or not attrs.get("name"):
            return
        fields, name = self._form[1], attrs["name"]
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                if kind == "submit" and attrs.get("value"):
                    fields.setdefault(name, Field(name, "choice")).options.append(attrs["value"])
                return
            if kind in {"checkbox", "radio"}:
                field = fields.setdefault(
                    name, Field(name, "radio" if kind == "radio" else "check")
                )
                field.options.append(attrs.get("value", "on"))
                if "checked" in attrs:
                    field.value = attrs.get("value", "on")
                return
            if kind in {"search", "tel", "password"}:
                kind = "text"
            fields[name] = Field(name, kind, attrs.get("value", ""))
        elif tag == "select":
            self._select = fields[name] = Field(name, "choice", multiple="multiple" in attrs)
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            self._select.options.append(value)
            if "selected" in attrs:
                self._select.value = value
        elif tag == "textarea":
            self._textarea = fields[name] = Field(name, "text")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def post_forms(html, page_path, target_path):
    """The fields of the page's POST forms that post to `target_path` (with the action's
    query string), the richest form first."""
    parser = FormParser()
    parser.feed(html)
    found = []
    for action, fields in parser.forms:
        parts = urlsplit(urljoin(page_path, action or page_path))
        if parts.path == target_path:
            found.append((parts.query, fields))
    return sorted(found, key=lambda form: -len(form[1]))


def plain_value(field):
    """What a person would send: the page's own value, or a plausible one."""
    if field.kind == "choice":
        offered = [option for option in field.options if option]
        return field.value or (offered[0] if offered else "")
    if field.kind == "radio":
        return field.value or (field.options[0] if field.options else "")
    if field.kind == "check":
        return field.value or None
    if field.value.strip():
        return field.value
    return PLAIN.get(field.kind, PLAIN["text"])


def baseline(fields):
    data = {}
    for name, field in fields.items():
        value = plain_value(field)
        if value is not None:
            data[name] = value
    return data


def cases(fields, rng):
    """The posts for one form: the form as offered; each hostile value in every field a
    person types into (the choices and hidden values as offered, so the post goes as deep as
    it can); hostile values in the choices and hidden fields; then random values. Each
    hostile post carries a `next` variant."""
    plain = baseline(fields)
    yield "as offered", plain
    names = sorted(fields)
    typed = [name for name in names if fields[name].hostile_kind() != "choice"]
    chosen = [name for name in names if fields[name].hostile_kind() == "choice"]
    rounds = max(len(HOSTILE[kind]) for kind in HOSTILE if kind != "choice")
    for index in range(rounds if typed else 0):
        data = dict(plain)
        for name in typed:
            values = HOSTILE[fields[name].hostile_kind()]
            data[name] = values[index % len(values)]
        data["next"] = HOSTILE_NEXT[index % len(HOSTILE_NEXT)]
        yield f"hostile typed #{index}", data
    for index, value in enumerate(HOSTILE["choice"] if chosen else []):
        data = dict(plain)
        for name in chosen:
            if name != "csrfmiddlewaretoken":
                data[name] = value
        data["next"] = HOSTILE_NEXT[-1 - index % len(HOSTILE_NEXT)]
        yield f"hostile choice #{index}", data
    for index in range(RANDOM_CASES):
        data = dict(plain)
        for name in names:
            data[name] = random_value(fields[name], rng)
        if rng.random() < 0.5:
            data["next"] = rng.choice(HOSTILE_NEXT)
        yield f"random #{index}", data


def random_value(field, rng):
    pick = rng.random()
    if pick < 0.3 and field.options:
        if field.multiple or field.kind == "check":
            return rng.sample(field.options, k=rng.randint(0, len(field.options)))
        return rng.choice(field.options)
    if pick < 0.55:
        return rng.choice(HOSTILE[field.hostile_kind()])
    if pick < 0.7:
        return str(rng.randint(-(2**70), 2**70))
    alphabet = "abcXYZ019 -_/:.,;'\"<>&=@+%\x00\t\néü😀"
    return "".join(rng.choice(alphabet) for _ in range(rng.choice([1, 5, 40, 400])))


def _may_post(expected):
    return expected in {200, 302}


def _parents(path):
    """`path`, then each shorter path above it (without the site root)."""
    parts = [part for part in path.strip("/").split("/") if part]
    for end in range(len(parts), 1, -1):
        yield "/" + "/".join(parts[:end]) + "/"


# Pages beside a URL that hold its forms (the formation board holds the moves, renames,
# locks and publishing).
SIBLING_PAGES = ("review/",)

# Field names for a POST URL whose form no page of the fuzz world shows.
FALLBACK_FIELDS = {
    "cohorts:roster-skipped": ["payload", "skip_bad_rows"],
}


def _find_forms(client, url, method):
    """The forms posting to `url`: on the page itself when it is a GET page, else on the
    pages above it (a delete button sits on the list or the edit page) or beside them."""
    target = urlsplit(url).path
    above = list(_parents(target))[1:]
    pages = [url] if method == "get" else above + [p + s for p in above for s in SIBLING_PAGES]
    for page in pages:
        response = client.get(page)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        forms = post_forms(response.content.decode(), page, target)
        if forms:
            return forms
    return []


MAX_FORMS = 3


def _distinct(forms):
    """One form for each set of field names (a list page repeats the same row form)."""
    seen, kept = set(), []
    for query, fields in forms:
        key = (query, frozenset(fields))
        if key not in seen:
            seen.add(key)
            kept.append((query, fields))
    return kept


def _describe(data):
    return {
        name: (
            f"{value[:40]!r}...({len(value)} chars)"
            if isinstance(value, str) and len(value) > 60
            else value
        )
        for name, value in data.items()
    }


POSTABLE = sorted(
    name
    for name, (method, expected) in MATRIX.items()
    if method == "post" or any(_may_post(status) for status in expected.values())
)


def _fill(world):
    """Rows that make the pages show their forms: Pat's need and Lee's matching expertise
    (the inventory's "can help" forms), a common need (the dot votes)."""
    topic = factories.TopicFactory(cohort=world.cohort, name="Fundraising")
    factories.InventoryEntryFactory(participant=world.participant_participant, topic=topic)
    factories.InventoryEntryFactory(
        participant=world.leader_participant, topic=topic, kind=InventoryEntry.Kind.EXPERTISE
    )
    factories.CommonNeedFactory(community=world.community)


@pytest.mark.parametrize("name", POSTABLE)
def test_no_post_gives_a_server_error(name, world):
    """Every POST form of the site, as each role that may post there: no 5xx, whatever is
    typed. A role that may not post gets one hostile post, which must be refused cleanly."""
    method, expected = MATRIX[name]
    _fill(world)
    url = _url_for(name, world)
    rng = random.Random(f"{SEED}-{name}")
    failures, posted = [], 0
    clients = {persona: Client() for persona in PERSONAS}
    for persona, client in clients.items():
        if persona != "anonymous":
            client.force_login(world.users[persona])
    # Every role's forms are read before anyone posts: a post may take a form off a page.
    found = {
        persona: _find_forms(client, url, method) if _may_post(expected[persona]) else []
        for persona, client in clients.items()
    }
    for persona, client in clients.items():
        forms = _distinct(found[persona])
        if method == "get" and not forms:
            continue  # a page without a form of its own takes no POST
        fallback = {field: Field(field, "text") for field in FALLBACK_FIELDS.get(name, ["name"])}
        form_list = forms[:MAX_FORMS] or [("", fallback)]
        for query, fields in form_list:
            target = f"{url}?{query}" if query else url
            runs = list(cases(fields, rng))
            if not _may_post(expected[persona]):
                runs = runs[1:2]
            for label, data in runs:
                posted += 1
                try:
                    with refuse_nul_like_postgres():
                        status = client.post(target, data).status_code
                except Exception as error:  # the test client re-raises what the view raised
                    status = f"{type(error).__name__}: {str(error)[:300]}"
                if not isinstance(status, int) or status >= 500:
                    failures.append(
                        f"{target} as {persona}, {label}: {status}\n    {_describe(data)}"
                    )
    assert not failures, f"{len(failures)} of {posted} posts failed:\n" + "\n".join(failures)
