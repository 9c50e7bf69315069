"""Survey results: the numbers for a known set of answers, the filters, what observers may
see, the CSV, and the query counts."""

import csv
import io
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Activity
from planning.models import Answer, Question, Response
from planning.surveys import results as aggregate
from planning.surveys.results import Filters, write_csv
from tests import factories
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

Kind = Question.Kind


def respond(survey, participant, answers, *, submitted=True, session=None, voter_key=""):
    """A response with {question: value} answers, through a personal link unless `session`."""
    recipient = None
    if session is None and participant is not None:
        recipient = factories.SurveyRecipientFactory(survey=survey, participant=participant)
    response = Response.objects.create(
        survey=survey,
        participant=participant,
        recipient=recipient,
        live_session=session,
        voter_key=voter_key,
        submitted_at=timezone.now() if submitted else None,
    )
    Answer.objects.bulk_create(
        Answer(response=response, question=question, value=value)
        for question, value in answers.items()
    )
    return response


@pytest.fixture
def data(world):
    """Five people answer a survey: four through their links (Pat and Lee of Board Builders
    at a food pantry; Fay and Gus of a foundation, in no community), one anonymous live
    vote; one more person started but never submitted."""
    world.organization.kind = "Food pantry"
    world.organization.save()
    survey = factories.SurveyFactory(cohort=world.cohort, title="Needs: spring =1+1")
    single = factories.QuestionFactory(
        survey=survey, kind=Kind.SINGLE, text="Most pressing?", choices=["Board", "Funds", "Staff"]
    )
    multiple = factories.QuestionFactory(
        survey=survey, kind=Kind.MULTIPLE, text="Where could you help?", choices=["A", "B", "C"]
    )
    rating = factories.QuestionFactory(
        survey=survey,
        kind=Kind.RATING,
        text="How ready?",
        choices=[],
        scale_min=1,
        scale_max=5,
        scale_max_label="Fully",
    )
    ranking = factories.QuestionFactory(
        survey=survey, kind=Kind.RANKING, text="Rank these", choices=["X", "Y", "Z"]
    )
    text = factories.QuestionFactory(
        survey=survey, kind=Kind.LONG_TEXT, text="Anything else?", choices=[]
    )
    foundation = factories.OrganizationFactory(
        cohort=world.cohort, name="Hill Foundation", kind="Foundation"
    )
    fay = factories.ParticipantFactory(
        cohort=world.cohort, organization=foundation, name="Fay Field", email="fay@hill.example"
    )
    gus = factories.ParticipantFactory(cohort=world.cohort, organization=foundation, name="Gus")
    session = factories.LiveSessionFactory(survey=survey, code="ABC234")
    pat = world.participant_participant
    lee = world.leader_participant
    respond(
        survey,
        pat,
        {
            single: "Board",
            multiple: ["A", "C"],
            rating: 5,
            ranking: ["X", "Y", "Z"],
            text: "=HYPERLINK(1)",
        },
    )
    respond(
        survey,
        lee,
        {single: "Board", multiple: ["A"], rating: 3, ranking: ["Y", "X", "Z"], text: "Grants"},
    )
    respond(
        survey, fay, {single: "Funds", multiple: ["B", "C"], rating: 4, ranking: ["X", "Z", "Y"]}
    )
    respond(survey, gus, {multiple: []})  # submitted with (almost) nothing answered
    respond(survey, None, {single: "Staff"}, session=session, voter_key="a123")
    unsent = factories.ParticipantFactory(cohort=world.cohort, name="Uma Unsent")
    respond(survey, unsent, {single: "Staff", text: "not submitted"}, submitted=False)
    world.survey = survey
    world.q = {"single": single, "multiple": multiple, "rating": rating}
    world.q.update(ranking=ranking, text=text)
    world.session = session
    world.foundation = foundation
    return world


def rows_of(tally):
    return [(row.label, row.count, row.percent, row.extra) for row in tally.rows]


def test_the_numbers_for_a_known_set_of_answers(data):
    results = aggregate.survey_results(data.survey)
    assert results.responses == 5  # Uma never submitted
    single, multiple, rating, ranking, text = results.tallies
    assert single.answered == 4
    assert rows_of(single) == [("Board", 2, 50, ""), ("Funds", 1, 25, ""), ("Staff", 1, 25, "")]
    assert multiple.answered == 3  # Gus's empty list is no answer
    assert rows_of(multiple) == [("A", 2, 67, ""), ("B", 1, 33, ""), ("C", 2, 67, "")]
    assert rating.answered == 3
    assert rating.average == 4.0
    assert rows_of(rating)[-1] == ("5 (Fully)", 1, 33, "")
    # Borda: X 3+2+3 = 8, Y 2+3+1 = 6, Z 1+1+2 = 4; first places X 2, Y 1.
    assert rows_of(ranking) == [
        ("X", 2, 100, "8 points"),
        ("Y", 1, 75, "6 points"),
        ("Z", 0, 50, "4 points"),
    ]
    assert sorted(text.texts) == ["=HYPERLINK(1)", "Grants"]


def test_filters_by_community_type_and_source(data):
    by = aggregate.survey_results
    board = by(data.survey, Filters(community=data.community))
    assert board.responses == 2
    assert rows_of(board.tallies[0])[0] == ("Board", 2, 100, "")
    foundations = by(data.survey, Filters(kind="Foundation"))
    assert foundations.responses == 2
    assert foundations.tallies[0].answered == 1
    assert by(data.survey, Filters(links_only=True)).responses == 4
    live = by(data.survey, Filters(session=data.session))
    assert live.responses == 1
    assert rows_of(live.tallies[0])[2] == ("Staff", 1, 100, "")
    both = by(data.survey, Filters(community=data.community, kind="Foundation"))
    assert both.responses == 0


def results_url(world, **params):
    url = reverse(
        "planning:survey-results",
        kwargs={"cohort_slug": world.cohort.slug, "survey_id": world.survey.public_id},
    )
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def export_url(world, **params):
    return results_url(world, **params).replace("/results/", "/results.csv")


def test_results_page_for_staff(client_for, data):
    html = client_for("staff").get(results_url(data)).content.decode()
    assert "5 submitted responses" in html
    assert "4 answered of 5 responses" in html
    assert "Board</span>" in html and "2 (50%)" in html
    assert 'class="bar-fill" x="0" y="0" width="50"' in html
    assert "Average: <strong>4.0</strong> on a scale from 1 to 5" in html
    assert "8 points · 2 first places" in html
    assert "=HYPERLINK(1)" in html and "Grants" in html
    assert "not submitted" not in html
    assert "Download CSV" in html
    assert 'style="' not in html.split("<main")[1]  # the CSP allows no inline styles


def test_observers_see_counts_but_never_written_answers(client_for, data):
    grow(data, 6)  # 17 responses: 10 single choices, 8 written answers
    response = client_for("observer").get(results_url(data))
    assert response.status_code == 200
    html = response.content.decode()
    assert "17 submitted responses" in html
    assert "Funds</span>" in html and "7 (44%)" in html
    assert "8 written answers." in html
    assert "Grants" not in html and "HYPERLINK" not in html and "Note 1" not in html
    assert "Download CSV" not in html
    assert client_for("observer").get(export_url(data)).status_code == 403


def test_observers_see_fewer_than_five_instead_of_one_persons_answers(client_for, data):
    """Filtered to the food pantry of Board Builders, the results are Pat's and Lee's
    answers: an observer sees no count, bar, average or percentage of them."""
    url = results_url(data, community=data.community.slug, kind="Food pantry")
    html = client_for("observer").get(url).content.decode()
    assert "Fewer than 5 submitted responses match the filters" in html
    assert "2 submitted responses" not in html
    assert "result-bar" not in html and "Average" not in html and "%)" not in html
    assert "answered of" not in html and "written answer" not in html
    # The filters stay, so the observer can widen them again.
    assert f'<option value="{data.community.slug}" selected>' in html
    # Staff see the two responses.
    html = client_for("staff").get(url).content.decode()
    assert "2 submitted responses match the filters" in html
    assert "Average: <strong>4.0</strong>" in html


def test_observers_see_fewer_than_five_for_a_question_few_answered(client_for, data):
    """Five responses, but the ranking was answered by two of them: its points are hidden,
    the response count is shown."""
    html = client_for("observer").get(results_url(data)).content.decode()
    assert "5 submitted responses" in html
    ranking = html.split("Rank these", 1)[1].split("</section>", 1)[0]
    assert "Fewer than 5 answered this question" in ranking
    assert "points" not in ranking and "first place" not in ranking
    assert "8 points" in client_for("staff").get(results_url(data)).content.decode()


def test_observers_cannot_subtract_a_filtered_page_from_a_wider_one(client_for, data):
    """Everyone minus one community must not leave fewer than five people: the difference of
    the two pages would be their answers."""
    for _ in range(3):
        person = factories.ParticipantFactory(cohort=data.cohort, organization=data.organization)
        factories.MembershipFactory(community=data.community, participant=person)
        respond(data.survey, person, {data.q["single"]: "Staff"})
    # 8 responses, 5 of them from Board Builders: the other 3 would show by subtraction.
    client = client_for("observer")
    assert "8 submitted responses" in client.get(results_url(data)).content.decode()
    html = client.get(results_url(data, community=data.community.slug)).content.decode()
    assert "Fewer than 5 submitted responses match the filters" in html
    assert not re.search(r"(?<!than )5 submitted responses", html)
    assert "result-bar" not in html
    html = client_for("staff").get(results_url(data, community=data.community.slug))
    assert "5 submitted responses match the filters" in html.content.decode()


def test_results_page_filters_from_the_query_string(client_for, data):
    client = client_for("staff")
    html = client.get(results_url(data, community=data.community.slug)).content.decode()
    assert "2 submitted responses match the filters" in html
    assert f'<option value="{data.community.slug}" selected>' in html
    assert "Clear filters" in html
    html = client.get(results_url(data, kind="Foundation")).content.decode()
    assert "2 submitted responses match the filters" in html
    assert '<option value="Foundation" selected>' in html
    assert '<option value="Food pantry">' in html
    html = client.get(results_url(data, source=f"live-{data.session.public_id}")).content.decode()
    assert "1 submitted response matches the filters" in html
    assert "Live poll ABC234" in html
    # A value not on the lists is ignored, not an error.
    html = client.get(results_url(data, community="nowhere", source="bogus")).content.decode()
    assert "5 submitted responses" in html
    html = client.get(results_url(data, community=data.community.slug, kind="Foundation"))
    assert "No submitted responses match these filters." in html.content.decode()


def test_no_responses_yet(client_for, world):
    world.survey = factories.QuestionFactory(survey__cohort=world.cohort).survey
    html = client_for("staff").get(results_url(world)).content.decode()
    assert "No responses yet." in html
    assert "0 submitted responses" in html


def test_another_cohorts_survey_is_a_404(client_for, world):
    world.survey = factories.SurveyFactory(cohort=world.other_cohort)
    assert client_for("staff").get(results_url(world)).status_code == 404
    assert client_for("staff").get(export_url(world)).status_code == 404


def read_csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_export(client_for, data):
    response = client_for("staff").get(export_url(data))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="needs-spring-11-results.csv"'
    rows = read_csv(response)
    assert rows[0] == [
        "Name",
        "Email",
        "Organization",
        "Type of organization",
        "Source",
        "Submitted at",
        "Most pressing?",
        "Where could you help?",
        "How ready?",
        "Rank these",
        "Anything else?",
    ]
    assert len(rows) == 6  # five submitted responses; Uma's is not submitted
    pat = rows[1]
    assert pat[:5] == [
        "Pat Participant",
        "pat@pantry.example",
        "Riverbend Food Pantry",
        "Food pantry",
        "link",
    ]
    assert pat[6:] == ["Board", "A; C", "5", "X; Y; Z", "'=HYPERLINK(1)"]
    fay = rows[3]
    assert fay[0:4] == ["Fay Field", "fay@hill.example", "Hill Foundation", "Foundation"]
    assert fay[9:] == ["X; Z; Y", ""]
    assert rows[5][:5] == ["", "", "", "", "anonymous, live ABC234"]
    assert rows[5][6] == "Staff"
    assert Activity.objects.filter(verb="exported survey answers", data__responses=5).exists()


def test_csv_respects_the_filters(client_for, data):
    client = client_for("staff")
    rows = read_csv(client.get(export_url(data, kind="Foundation")))
    assert [row[0] for row in rows[1:]] == ["Fay Field", "Gus"]
    rows = read_csv(client.get(export_url(data, source="links")))
    assert len(rows) == 5
    rows = read_csv(client.get(export_url(data, source=f"live-{data.session.public_id}")))
    assert len(rows) == 2


def test_csv_header_and_names_are_guarded_too(client_for, data):
    data.survey.questions.filter(text="How ready?").update(text="+ready?")
    data.participant_participant.name = "@Pat"
    data.participant_participant.save()
    rows = read_csv(client_for("staff").get(export_url(data)))
    assert "'+ready?" in rows[0]
    assert rows[1][0] == "'@Pat"


def test_a_short_text_answer_that_looks_like_a_formula_is_written_as_text(world):
    survey = factories.SurveyFactory(cohort=world.cohort)
    short = factories.QuestionFactory(
        survey=survey, kind=Kind.SHORT_TEXT, text="=2+2 ways?", choices=[]
    )
    respond(survey, world.participant_participant, {short: "=1+1"})
    out = io.StringIO()
    assert write_csv(survey, out) == 1
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0][-1] == "'=2+2 ways?"
    assert rows[1][-1] == "'=1+1"


def grow(world, n):
    """n more submitted responses of every kind: links in and out of the community, live."""
    survey = world.survey
    q = world.q
    for i in range(n):
        person = factories.ParticipantFactory(
            cohort=world.cohort, organization=world.foundation if i % 2 else world.organization
        )
        if i % 3 == 0:
            factories.MembershipFactory(community=world.community, participant=person)
        respond(
            survey,
            person,
            {
                q["single"]: "Funds",
                q["multiple"]: ["A", "B"],
                q["rating"]: 2,
                q["ranking"]: ["Z", "Y", "X"],
                q["text"]: f"Note {i}",
            },
        )
        respond(
            survey,
            None,
            {q["single"]: "Board"},
            session=world.session,
            voter_key=f"a{uuid.uuid4().hex[:12]}",
        )


@pytest.mark.parametrize("persona", ["staff", "observer"])
@pytest.mark.parametrize(
    "params", [{}, {"community": "board-builders", "kind": "Foundation"}, {"source": "links"}]
)
def test_results_query_count_is_flat(client_for, data, persona, params):
    client = client_for(persona)
    assert data.community.slug == "board-builders"
    url = results_url(data, **params)
    small, _ = count_queries(client, url)
    grow(data, 50)
    assert count_queries(client, url)[0] == small
    if persona == "staff":
        export = export_url(data, **params)
        before, _ = count_queries(client, export)
        grow(data, 5)
        assert count_queries(client, export)[0] == before
