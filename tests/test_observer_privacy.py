"""An observer's walk: every page an observer may open, on a cohort whose people have
distinctive names and wrote distinctive answers.

The pages come from the permission matrix (tests/test_permissions.py): every GET URL that
answers 200 to the observer, except the links whose token is the key (they answer 200 to
anyone, and show the person the link belongs to their own things). A new page in the matrix is
walked without a change here. Each page is also walked for every survey and community of the
cohort it can name, and with every combination of the filters its GET forms offer.

The walk fails when a page shows
- a person's name or email, or a sentence a person wrote (survey answers, inventory entries,
  interview notes, the action plan, a need's description);
- a count of people under 5 ("3 members", "2 of 3 answered");
- any figure (a percentage, a bar, an average, a member count) about a group under 5: the
  community of 3 people, a filtered survey result.
"""

import io
import itertools
import re
import zipfile
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.urls import resolve, reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from cohorts.models import Membership
from copkit.privacy import MIN_GROUP
from planning.evaluations.services.goals import record_update
from planning.models import Answer, Attendance, Goal, InventoryEntry, Question, Response
from planning.surveys import results
from tests import factories
from tests import test_permissions as matrix

pytestmark = pytest.mark.django_db

Kind = Question.Kind

PEOPLE = [
    # name, organization type, community ("small": Board Builders; "big": Open Harbor)
    ("Zenobia Quillfeather", "Food pantry", "small"),
    ("Bartholomew Okonkwo-Lind", "Foundation", "big"),
    ("Philippa Drummond-Yates", "Foundation", "big"),
    ("Evander Maplethorpe", "Housing", "big"),
    ("Ximena Thistlewood", "Housing", "big"),
    ("Cornelius Vanderpool", "Foundation", "big"),
    ("Marisol Featherstonehaugh", "Housing", "big"),
]

# Phrases that are themselves a figure about people or carry one.
FIGURE = re.compile(
    r"\d\s*%|<meter|result-bar|bar-fill|Average|\d+ points?\b|\d+ first places?"
    r"|data-label=\"Members\"[^>]*>\s*\d"
    r"|\b\d+ (?:members?|participants?|people|persons?|responses?|submitted|answered"
    r"|written answers?|excused)\b",
)
# A count of people: it must be at least MIN_GROUP wherever it shows.
PEOPLE_COUNT = re.compile(
    r"\b(\d+) (?:members?|participants?|people|persons?|(?:submitted )?responses?"
    r"|written answers?)\b|\b\d+ of (\d+) answered\b"
)
# "Fewer than 5 ...", "at least 5 ...", "from 5 on": the wording of a hidden figure.
THRESHOLD_WORDS = re.compile(r"(?:[Ff]ewer than|at least|from) \d+")

WHOLE_SURVEY = r"\d+ people have a personal link"


def main(html):
    """The page's own content, without the navigation and footer."""
    return html.split("<main", 1)[-1].split("</main>", 1)[0]


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def without_thresholds(html):
    return THRESHOLD_WORDS.sub("", html)


@pytest.fixture
def cohort(world):
    """Riverbend, with nine participants: Board Builders has three members (Lee, Pat and
    Zenobia), Open Harbor six; everyone answered the needs survey with a sentence of their
    own, listed a need, and came to meetings; two anonymous live votes; Board Builders chose
    its top needs, one with a description a leader wrote."""
    c = world.cohort
    world.organization.kind = "Food pantry"
    world.organization.save()
    orgs = {"Food pantry": world.organization}
    for kind in ("Foundation", "Housing"):
        orgs[kind] = factories.OrganizationFactory(cohort=c, name=f"Riverbend {kind}", kind=kind)
    harbor = factories.CommunityFactory(cohort=c, name="Open Harbor", topic=world.topic)
    people = [world.leader_participant, world.participant_participant]
    small = [world.leader_participant, world.participant_participant]
    big = []
    for i, (name, kind, where) in enumerate(PEOPLE):
        person = factories.ParticipantFactory(
            cohort=c,
            organization=orgs[kind],
            name=name,
            email=f"{name.split()[0].lower()}@riverbend-{i}.example",
            user=factories.UserFactory(name=name, email=f"{name.split()[0].lower()}@acct.example"),
        )
        people.append(person)
        (small if where == "small" else big).append(person)
        community = world.community if where == "small" else harbor
        role = Membership.Role.LEADER if i == 1 else Membership.Role.MEMBER
        factories.MembershipFactory(community=community, participant=person, role=role)

    survey = factories.SurveyFactory(cohort=c, title="Spring needs")
    single = factories.QuestionFactory(
        survey=survey, kind=Kind.SINGLE, text="Most pressing?", choices=["Board", "Funds"]
    )
    rating = factories.QuestionFactory(
        survey=survey, kind=Kind.RATING, text="How ready?", choices=[], scale_min=1, scale_max=5
    )
    written = factories.QuestionFactory(
        survey=survey, kind=Kind.LONG_TEXT, text="Anything else?", choices=[]
    )
    world.secrets = []
    for i, person in enumerate(people):
        secret = f"Confidential remark {i}: our treasurer {person.name.split()[0]} left"
        world.secrets.append(secret)
        recipient = factories.SurveyRecipientFactory(survey=survey, participant=person)
        response = Response.objects.create(
            survey=survey, participant=person, recipient=recipient, submitted_at=timezone.now()
        )
        Answer.objects.bulk_create(
            [
                Answer(response=response, question=single, value=["Board", "Funds"][i % 2]),
                Answer(response=response, question=rating, value=1 + i % 5),
                Answer(response=response, question=written, value=secret),
            ]
        )
        entry = f"Private need {i}: payroll software keeps failing"
        world.secrets.append(entry)
        factories.InventoryEntryFactory(
            participant=person, topic=world.topic, kind=InventoryEntry.Kind.NEED, description=entry
        )
    session = factories.LiveSessionFactory(survey=survey, code="QWE789")
    for key in ("v1", "v2"):
        response = Response.objects.create(
            survey=survey, live_session=session, voter_key=key, submitted_at=timezone.now()
        )
        Answer.objects.create(response=response, question=single, value="Board")

    now = timezone.now()
    for community, members in ((world.community, small), (harbor, big)):
        for days in (5, 12):
            meeting = factories.MeetingFactory(
                community=community, starts_at=now - timedelta(days=days)
            )
            for j, person in enumerate(members):
                status = Attendance.Status.PRESENT if j % 3 else Attendance.Status.EXCUSED
                Attendance.objects.create(meeting=meeting, participant=person, status=status)
    note = "Interview notes: Pat worries about the executive director's health"
    world.secrets.append(note)
    rotation = factories.InterviewRotationFactory(community=world.community)
    rotation.pairs.create(
        round_number=1,
        first=world.leader_participant,
        second=world.participant_participant,
        notes_on_second=note,
    )
    told = "Zenobia told us her board chair resigned in anger"
    world.secrets.append(told)
    factories.CommonNeedFactory(
        community=world.community, title="Board recruitment", description=told, chosen_rank=1
    )
    factories.CommonNeedFactory(
        community=world.community,
        title="Payroll",
        description="2 members named this as a need.",
        chosen_rank=2,
    )
    # A goal and its note: a community's own words, which no observer page shows.
    goal_text, goal_note = "Rebuild trust after the director left", "Zenobia says it is tense"
    world.secrets += [goal_text, goal_note]
    goal = Goal.objects.create(
        community=world.community, position=0, text=goal_text, indicator="10 board members"
    )
    record_update(goal, status="at_risk", actor=world.leader, note=goal_note)
    world.small_communities = [world.community]
    world.survey = survey
    world.people = people
    return world


def forbidden(world):
    """Every name, email and written sentence the observer must never read."""
    words = []
    for person in world.people:
        words += [person.name, person.email]
        if person.user is not None:
            words += [person.user.email]
    words += [world.staff.name, world.staff.email]
    return words + world.secrets


def observer_pages():
    """The matrix's GET pages that answer 200 to the observer, less the token links."""
    return sorted(
        name
        for name, (method, expected) in matrix.MATRIX.items()
        if method == "get"
        and expected["observer"] == 200
        and not all(status == 200 for status in expected.values())
    )


def variants(url, world):
    """`url`, and the same page for every survey and community of the cohort it names."""
    match = resolve(url)
    urls = {url}
    choices = {
        "survey_id": [s.public_id for s in world.cohort.surveys.all()],
        "community_slug": [c.slug for c in world.cohort.communities.all()],
    }
    for key, values in choices.items():
        if key in match.kwargs:
            for value in values:
                urls.add(reverse(match.view_name, kwargs={**match.kwargs, key: value}))
    return sorted(urls)


def filter_queries(html):
    """Every combination of the options of the GET forms' selects (the empty one included)."""
    queries = []
    for form in re.findall(r"<form[^>]*method=\"get\"[^>]*>(.*?)</form>", html, re.S):
        selects = re.findall(r"<select[^>]*name=\"([^\"]+)\"[^>]*>(.*?)</select>", form, re.S)
        options = [
            [(name, value) for value in re.findall(r"<option value=\"([^\"]*)\"", body)]
            for name, body in selects
        ]
        for combination in itertools.product(*options):
            chosen = {name: value for name, value in combination if value}
            if chosen:
                queries.append(urlencode(chosen))
    return queries


def filtered_group(url, world):
    """For a survey's results with filters: how many responses pass them (else MIN_GROUP)."""
    path, _, query = url.partition("?")
    match = resolve(path)
    if not query or match.view_name != "planning:survey-results":
        return MIN_GROUP
    survey = world.cohort.surveys.get(public_id=match.kwargs["survey_id"])
    form = results.ResultsFilterForm(QueryDict(query), survey=survey)
    return results.submitted_responses(survey, form.filters()).count()


def check_page(url, html, world):
    content = main(html)
    words = text(content)
    for word in forbidden(world):
        assert word not in html, f"{url} shows {word!r}"
    bare = without_thresholds(words)
    for match in PEOPLE_COUNT.finditer(bare):
        count = int(match.group(1) or match.group(2))
        assert count >= MIN_GROUP, f"{url} shows a group of {count}: {match.group(0)!r}"
    small_names = [c.name for c in world.small_communities]
    small_slugs = [c.slug for c in world.small_communities]
    if filtered_group(url, world) < MIN_GROUP or any(
        f"/communities/{slug}/" in url for slug in small_slugs
    ):
        # A result filtered down to fewer than five, or the page of a community of three:
        # no figure at all.
        # (How many people the survey went to is about everyone, not the filtered group.)
        figure = FIGURE.search(re.sub(WHOLE_SURVEY, "", without_thresholds(content)))
        assert figure is None, f"{url} shows a figure of a small group: {figure.group(0)!r}"
    for match in re.finditer(r"<(tr|article)\b(.*?)</\1>", content, re.S):
        row = match.group(0)
        if any(name in row for name in small_names):
            figure = FIGURE.search(without_thresholds(row))
            assert figure is None, f"{url}: a row of a small community shows {figure.group(0)!r}"


def readable(response):
    """The response as text to check: a page's HTML; a PDF's text (pypdf); a workbook's
    cells, one row of a sheet per line; a ZIP's files."""
    kind = response["Content-Type"]
    if kind == "application/pdf":
        pages = PdfReader(io.BytesIO(response.content)).pages
        return "\n".join(page.extract_text() for page in pages)
    if "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(response.content))
        return "\n".join(
            " | ".join("" if cell is None else str(cell) for cell in row)
            for sheet in book
            for row in sheet.iter_rows(values_only=True)
        )
    if kind == "application/zip":  # the observer's own data: every file in it, as text
        zipped = zipfile.ZipFile(io.BytesIO(response.content))
        return "\n".join(zipped.read(name).decode(errors="replace") for name in zipped.namelist())
    return response.content.decode()


def test_an_observer_sees_no_name_no_written_answer_and_no_small_group(cohort, client_for):
    world = cohort
    client = client_for("observer")
    walked = []
    for name in observer_pages():
        for url in variants(matrix._url_for(name, world), world):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            html = readable(response)
            check_page(url, html, world)
            walked.append(url)
            for query in filter_queries(main(html)):
                filtered = f"{url}?{query}"
                response = client.get(filtered)
                assert response.status_code == 200, filtered
                check_page(filtered, response.content.decode(), world)
                walked.append(filtered)
    # The walk went where the figures are: the dashboard, both communities, the results.
    page = reverse("planning:survey-results", args=[world.cohort.slug, world.survey.public_id])
    assert page in walked and any(url.startswith(page + "?") for url in walked)
    assert reverse("cohorts:dashboard", args=[world.cohort.slug]) in walked
    assert len(walked) > 50


def test_the_walk_is_not_vacuous(cohort, client_for):
    """What the walk forbids is there for staff, and the observer still gets the figures of
    the big groups: the unfiltered results, Open Harbor's size and attendance."""
    world = cohort
    page = reverse("planning:survey-results", args=[world.cohort.slug, world.survey.public_id])
    staff = client_for("staff").get(page).content.decode()
    assert world.secrets[0] in staff
    observer = client_for("observer")
    html = main(observer.get(page).content.decode())
    assert "11 submitted responses" in text(html) and "result-bar" in html
    dashboard = reverse("cohorts:dashboard", args=[world.cohort.slug])
    rows = re.findall(r"<tr>.*?</tr>", main(observer.get(dashboard).content.decode()), re.S)
    harbor = [row for row in rows if "Open Harbor" in row]
    assert re.search(r'data-label="Members"[^>]*>\s*6\s*<', harbor[0])
    assert any(re.search(r"\d%", row) for row in harbor)  # its attendance
    communities = reverse("cohorts:community-list", args=[world.cohort.slug])
    assert "Bartholomew Okonkwo-Lind" in client_for("staff").get(communities).content.decode()
