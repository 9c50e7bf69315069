"""The cohort report's files, opened with a PDF reader and a spreadsheet reader: what they
hold for staff and for an observer, and formula escaping."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from tests import evidence_rows as rows
from tests import factories


@pytest.fixture(autouse=True)
def _program_around_today(world):
    rows.long_program(world.cohort)


@pytest.fixture
def filled(world):
    people = rows.fill(world.community, 6, name="Bigname")
    rows.success(world.community, funder="Funder sees fewer hungry families")
    rows.needs_survey(world.cohort, people)
    rows.inventory(people, world.topic)
    small = factories.CommunityFactory(cohort=world.cohort, name='=HYPERLINK("x")')
    rows.fill(small, 3, name="Smallname")
    return people


def _pdf_text(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_has_a_title_a_summary_and_a_page_per_community(world, client_for, filled):
    url = reverse("planning:report-pdf", args=[world.cohort.slug])
    reader, text = _pdf_text(client_for("staff").get(url))
    starts = [page.extract_text().split("\n", 1)[0] for page in reader.pages]
    for name in ("Board Builders", '=HYPERLINK("x")'):  # each community starts a page
        assert name in starts
    first = reader.pages[0].extract_text()
    assert "Riverbend Capacity Cohort" in first and "evidence report" in first
    assert "All communities" in text and "Board Builders" in text
    assert "Attendance rate by month" in text and "Goals by status" in text
    assert "Funder sees fewer hungry families" in text  # staff read the plan's words
    assert "Mid-way" in text


def test_observer_pdf_has_no_names_and_no_words(world, client_for, filled):
    url = reverse("planning:report-pdf", args=[world.cohort.slug])
    _reader, text = _pdf_text(client_for("observer").get(url))
    assert "Board Builders" in text
    for words in ("Bigname", "Smallname", "Funder sees", "We now", "Twenty pantries"):
        assert words not in text
    assert "fewer than 5" in text.replace("\n", " ")
    # The small community has no page of its own, only its name in one closing line.
    assert "Communities not shown one by one" in text
    assert '=HYPERLINK("x")' in text.split("Communities not shown one by one")[1]


def test_xlsx_has_a_sheet_per_kind_and_escapes_formulas(world, client_for, filled):
    url = reverse("planning:report-xlsx", args=[world.cohort.slug])
    response = client_for("staff").get(url)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Baseline",
        "Participation by month",
        "Outcomes, goals",
        "Evaluations",
    ]
    participation = list(book["Participation by month"].iter_rows(values_only=True))
    assert participation[0][:3] == ("Community", "Month", "Meetings held")
    board = [row for row in participation if row[0] == "Board Builders"]
    assert len(board) == 12 and board[-1][2] == 1 and board[-1][4] == 6
    cells = [c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]
    assert '\'=HYPERLINK("x")' in cells
    assert not any(isinstance(c, str) and c.startswith("=") for c in cells)
    evaluations = list(book["Evaluations"].iter_rows(values_only=True))
    assert ("Board Builders", "Mid-way", 6) in [row[:3] for row in evaluations]


def test_observer_xlsx_says_fewer_than_five(world, client_for, filled):
    url = reverse("planning:report-xlsx", args=[world.cohort.slug])
    book = load_workbook(io.BytesIO(client_for("observer").get(url).content))
    small = [
        row
        for row in book["Participation by month"].iter_rows(values_only=True)
        if row[0] == '\'=HYPERLINK("x")'
    ]
    assert small and all("fewer than 5" in row for row in small)
    cells = [c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]
    assert not any(isinstance(c, str) and ("Bigname" in c or "Smallname" in c) for c in cells)


@pytest.mark.parametrize("kind", ["baseline", "participation", "goals", "evaluations"])
def test_csv_per_kind(world, client_for, filled, kind):
    url = reverse("planning:report-csv", args=[world.cohort.slug, kind])
    response = client_for("staff").get(url)
    assert response.status_code == 200
    assert f"-{kind}.csv" in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0][0] == "Community"
    names = {line[0] for line in lines[1:] if line}
    assert "Board Builders" in names
    assert '\'=HYPERLINK("x")' in names or kind == "baseline"
