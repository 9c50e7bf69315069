"""The participant roster import: reading files, checking rows, the preview, the
confirmation, re-imports, ZIP code places, and who may use the page."""

import csv
import io
import random
import re
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl.utils import get_column_letter

from cohorts import geo
from cohorts.models import Activity, FormatPreference, Organization, Participant
from cohorts.services.roster import (
    EMAIL,
    NAME,
    ORGANIZATION,
    ZIP_CODE,
    RosterFileError,
    RosterHasErrors,
    field_for_header,
    import_roster,
    plan_import,
    read_roster,
    sign_rows,
    unsign_rows,
    write_skipped_rows,
)
from tests import factories

DATA = Path(__file__).parent / "data"
HEADER = ["Name", "Email", "Organization", "ZIP code"]


def csv_bytes(rows, delimiter=",", encoding="utf-8"):
    lines = []
    for row in rows:
        cells = [f'"{cell}"' if (delimiter in cell or '"' in cell) else cell for cell in row]
        lines.append(delimiter.join(cells))
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def people(count, start=0, org="Harbor Housing Coalition", zip_code="22301"):
    return [
        [f"Person {n}", f"person{n}@example.org", org, zip_code]
        for n in range(start, start + count)
    ]


def url(world):
    return reverse("cohorts:roster-import", kwargs={"cohort_slug": world.cohort.slug})


def upload(client, world, content, name="roster.csv"):
    return client.post(url(world), {"file": SimpleUploadedFile(name, content)})


def payload_of(response):
    return response.context["confirm_form"].initial["payload"]


def confirm(client, world, payload):
    return client.post(url(world), {"payload": payload})


# ---------------------------------------------------------------------------------------
# Reading files


def test_reads_utf8_csv_with_bom_header_aliases_and_extra_columns():
    roster = read_roster("roster_valid.csv", (DATA / "roster_valid.csv").read_bytes())

    assert roster.columns["email"] == "E-mail"
    assert roster.columns["organization"] == "Organisation"
    assert roster.columns["zip_code"] == "Zip"
    assert not roster.has_errors
    ana, marcus, dana = roster.rows
    assert ana.number == 2
    assert ana.clean == {
        NAME: "Ana Ruiz",
        EMAIL: "ana.ruiz@example.org",
        ORGANIZATION: "Riverbend Food Pantry",
        ZIP_CODE: "22301",
        "job_title": "Program director",
        "expertise": "volunteer recruitment, grant writing",
        "format_preference": FormatPreference.IN_PERSON,
        "organization_kind": "Food bank",
        "state": "VA",
    }
    assert ana.extra == {"Preferred pronouns": "she/her"}
    assert marcus.clean[ZIP_CODE] == "02134"  # Excel dropped the leading zero
    assert marcus.clean["format_preference"] == FormatPreference.VIRTUAL
    assert dana.clean[ZIP_CODE] == "02134"  # ZIP+4
    assert dana.clean["format_preference"] == FormatPreference.EITHER
    assert dana.extra == {}


def test_reads_semicolon_csv_in_windows_1252():
    data = (DATA / "roster_semicolon_cp1252.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")

    roster = read_roster("roster.csv", data)

    assert [row.clean[NAME] for row in roster.rows] == ["Zoë Müller", "José Peña"]
    assert roster.rows[0].clean[ORGANIZATION] == "Café Comunitario"
    assert roster.rows[0].clean["expertise"] == "fundraising, outreach"


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_sniffs_the_separator(delimiter):
    rows = [HEADER, ["Ana Ruiz", "ana@example.org", "Riverbend, Inc.", "22301"]]
    roster = read_roster("roster.csv", csv_bytes(rows, delimiter=delimiter))
    assert roster.rows[0].clean[ORGANIZATION] == "Riverbend, Inc."
    assert roster.rows[0].clean[ZIP_CODE] == "22301"


def test_reads_utf16_text_and_excel_sep_hint():
    rows = [HEADER, ["Zoë Müller", "zoe@example.org", "Café", "22301"]]
    assert read_roster("r.csv", csv_bytes(rows, "\t", "utf-16")).rows[0].clean[NAME] == "Zoë Müller"
    hinted = b"sep=;\r\n" + csv_bytes(rows, ";")
    assert read_roster("r.csv", hinted).rows[0].clean[EMAIL] == "zoe@example.org"


def test_reads_xlsx_with_numbers_for_zip_codes_and_a_title_row():
    data = xlsx_bytes(
        [
            ["Riverbend cohort roster, spring"],
            [],
            ["Full name", "Email Address", "ORGANISATION", "Zip", "Job title", "Notes"],
            ["Ana Ruiz", "ana@example.org", "Riverbend Food Pantry", 22301, "Director", None],
            ["Marcus Lee", "marcus@example.org", "Eastside Youth League", 2134, None, 42],
            [None, None, None, None, None, None],
        ]
    )

    roster = read_roster("roster.xlsx", data)

    assert [row.number for row in roster.rows] == [4, 5]
    assert [row.clean[ZIP_CODE] for row in roster.rows] == ["22301", "02134"]
    assert roster.rows[0].clean["job_title"] == "Director"
    assert roster.rows[1].extra == {"Notes": "42"}
    assert not roster.has_errors


@pytest.mark.parametrize(
    ("heading", "field"),
    [
        ("E-mail", "email"),
        ("Email address", "email"),
        ("EMAIL", "email"),
        ("Zip", "zip_code"),
        ("ZIP code", "zip_code"),
        ("Zip+4", "zip_code"),
        ("Postal code", "zip_code"),
        ("Organisation", "organization"),
        ("Organization name", "organization"),
        ("Org. type", "organization_kind"),
        ("Type of organization", "organization_kind"),
        ("Job title", "job_title"),
        ("Role", "job_title"),
        ("Meeting format", "format_preference"),
        ("Areas of expertise", "expertise"),
        ("Full Name", "name"),
        ("Favourite colour", None),
    ],
)
def test_header_aliases(heading, field):
    assert field_for_header(heading) == field


def test_first_and_last_name_columns_make_the_name():
    rows = [
        ["First name", "Last name", "Email", "Organization", "ZIP"],
        ["Ana", "Ruiz", "ana@example.org", "Riverbend", "22301"],
    ]
    assert read_roster("r.csv", csv_bytes(rows)).rows[0].clean[NAME] == "Ana Ruiz"


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("In-person", FormatPreference.IN_PERSON),
        ("in person", FormatPreference.IN_PERSON),
        ("Face to face", FormatPreference.IN_PERSON),
        ("Virtual", FormatPreference.VIRTUAL),
        ("online", FormatPreference.VIRTUAL),
        ("No preference", FormatPreference.EITHER),
        ("either", FormatPreference.EITHER),
        ("Both", FormatPreference.EITHER),
        ("", None),
        ("N/A", None),
    ],
)
def test_format_preference_spellings(written, value):
    rows = [[*HEADER, "Format"], ["Ana", "ana@example.org", "Riverbend", "22301", written]]
    row = read_roster("r.csv", csv_bytes(rows)).rows[0]
    assert not row.errors
    assert row.clean.get("format_preference") == value


# ---------------------------------------------------------------------------------------
# Row problems


def row_errors(cells, header=(*HEADER, "Format preference", "State")):
    rows = [list(header), list(cells)]
    return read_roster("r.csv", csv_bytes(rows)).rows[0].errors


GOOD = ["Ana Ruiz", "ana@example.org", "Riverbend", "22301", "virtual", "VA"]


@pytest.mark.parametrize(
    ("index", "value", "problem"),
    [
        (0, "", "name is missing"),
        (0, "x" * 201, "longer than 200"),
        (1, "", "email address is missing"),
        (1, "ana@", "not a valid email"),
        (1, "ana at example.org", "not a valid email"),
        (2, "", "organization is missing"),
        (3, "", "ZIP code is missing"),
        (3, "2230", "no US ZIP code 02230"),
        (3, "99999", "no US ZIP code 99999"),
        (3, "ABCDE", "is not a ZIP code"),
        (3, "223011", "is not a ZIP code"),
        (4, "sometimes", "not a format preference"),
        (5, "Narnia", "not a US state"),
    ],
)
def test_each_row_problem_is_named(index, value, problem):
    assert row_errors(GOOD) == []  # the same row, unspoiled, is fine
    cells = list(GOOD)
    cells[index] = value
    errors = row_errors(cells)
    assert len(errors) == 1
    assert problem in errors[0]


def test_email_repeated_in_the_file_flags_every_copy():
    rows = [
        HEADER,
        ["Ana Ruiz", "ana@example.org", "Riverbend", "22301"],
        ["Bo Diaz", "bo@example.org", "Riverbend", "22301"],
        ["Ana R.", "ANA@example.org", "Riverbend", "22301"],
    ]
    ana, bo, again = read_roster("r.csv", csv_bytes(rows)).rows
    assert bo.errors == []
    assert "also on row 4" in ana.errors[0]
    assert "also on row 2" in again.errors[0]


def test_the_errors_file_lists_a_reason_on_each_bad_row():
    roster = read_roster("r.csv", (DATA / "roster_errors.csv").read_bytes())
    reasons = {row.number: " ".join(row.errors) for row in roster.rows}
    assert "name is missing" in reasons[2]
    assert "not a valid email" in reasons[3]
    assert "not a ZIP code" in reasons[4]
    assert "no US ZIP code 99999" in reasons[5]
    assert "not a format preference" in reasons[6]
    assert "also on row 7" in reasons[4] and "also on row 4" in reasons[7]
    assert reasons[8] == ""


# ---------------------------------------------------------------------------------------
# File problems


def junk():
    return random.Random(7).randbytes(20_000)


def damaged_xlsx():
    good = xlsx_bytes([HEADER, ["Ana", "ana@example.org", "Riverbend", 22301]])
    return good[: len(good) // 2]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("r.csv", b"", "empty"),
        ("r.csv", b"\r\n  \r\n", "empty"),
        ("r.csv", b"\xef\xbb\xbf\r\n,,,\r\n", "empty"),
        ("r.csv", b"Ana Ruiz,ana@example.org,Riverbend,22301\r\n", "No header row"),
        ("r.csv", b"Name,Email\r\nAna,ana@example.org\r\n", "no column for Organization, ZIP"),
        ("r.csv", b"Name,Phone,Company,Postal code\r\n", "no column for Email. Required"),
        ("r.csv", b"Name,Phone,Company,Postal\r\n", "Columns found: Name, Phone, Company"),
        ("r.csv", b"Name,Email,E-mail,Organization,ZIP\r\n", "both read as Email"),
        ("r.csv", b"Name,Email,Organization,ZIP\r\n", "no participants"),
        ("r.csv", junk(), "does not look like a CSV"),
        ("r.bin", junk(), "not a .bin file"),
        ("r.pdf", b"%PDF-1.4 ...", "not a .pdf file"),
        ("r.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "older Excel file"),
        ("r.xlsx", damaged_xlsx(), "could not be read"),
        ("r.xlsx", b"Name,Email,Organization,ZIP\r\n", "could not be read"),
        ("r.csv", b"PK\x03\x04" + b"\0" * 100, "could not be read"),
    ],
)
def test_file_problems_refuse_the_whole_file(name, data, message):
    with pytest.raises(RosterFileError, match=re.escape(message)):
        read_roster(name, data)


def test_too_big_and_too_many_rows(settings):
    data = csv_bytes([HEADER, *people(5)])
    assert len(read_roster("r.csv", data).rows) == 5

    settings.ROSTER_MAX_ROWS = 4
    with pytest.raises(RosterFileError, match="more than 4 participant rows"):
        read_roster("r.csv", data)
    with pytest.raises(RosterFileError, match="more than 4 participant rows"):
        read_roster("r.xlsx", xlsx_bytes([HEADER, *people(5)]))

    settings.ROSTER_MAX_ROWS = 5
    settings.ROSTER_MAX_BYTES = len(data) - 1
    with pytest.raises(RosterFileError, match="larger than"):
        read_roster("r.csv", data)


# ---------------------------------------------------------------------------------------
# ZIP codes


@pytest.mark.parametrize(
    ("written", "zip_code"),
    [("22301", "22301"), ("22301-1234", "22301"), ("2134", "02134"), (" 02134 ", "02134")],
)
def test_clean_zip(written, zip_code):
    assert geo.clean_zip(written) == zip_code


def test_lookup_zip_gives_a_place_or_none():
    place = geo.lookup_zip("22301")
    assert (place.city, place.state) == ("Alexandria", "VA")
    assert place.latitude == pytest.approx(38.82, abs=0.1)
    assert place.longitude == pytest.approx(-77.06, abs=0.1)
    assert geo.lookup_zip("02134").state == "MA"
    assert geo.lookup_zip("99999") is None
    assert geo.lookup_zip("abc") is None


@pytest.mark.parametrize(("written", "code"), [("VA", "VA"), ("va", "VA"), ("Virginia", "VA")])
def test_clean_state(written, code):
    assert geo.clean_state(written) == code


# ---------------------------------------------------------------------------------------
# Saving


def read(rows):
    roster = read_roster("r.csv", csv_bytes(rows))
    assert not roster.has_errors, [row.errors for row in roster.rows]
    return roster.rows


def test_import_creates_participants_and_organizations_with_places(world):
    world.organization.zip_code = ""
    world.organization.save()
    rows = read_roster("r.csv", (DATA / "roster_valid.csv").read_bytes()).rows

    result = import_roster(world.cohort, rows, world.staff)

    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert result.organizations_created == 1  # Eastside; Riverbend already existed
    ana = world.cohort.participants.get(email="ana.ruiz@example.org")
    assert ana.organization == world.organization
    assert (ana.zip_code, ana.state, ana.job_title) == ("22301", "VA", "Program director")
    assert ana.latitude == pytest.approx(38.82, abs=0.1)
    assert ana.format_preference == FormatPreference.IN_PERSON
    assert ana.expertise_list == ["volunteer recruitment", "grant writing"]
    assert ana.extra == {"Preferred pronouns": "she/her"}
    world.organization.refresh_from_db()
    assert (world.organization.zip_code, world.organization.city) == ("22301", "Alexandria")
    assert world.organization.kind == "Food bank"

    eastside = world.cohort.organizations.get(name_key="eastside youth league")
    assert eastside.participants.count() == 2  # "eastside  youth league" is the same one
    assert (eastside.zip_code, eastside.city, eastside.state) == ("02134", "Allston", "MA")
    assert eastside.kind == "Youth services"
    dana = world.cohort.participants.get(email="dana@example.org")
    assert (dana.state, dana.latitude) == ("MA", pytest.approx(42.35, abs=0.1))

    activity = Activity.objects.get(cohort=world.cohort, verb="imported roster")
    assert activity.actor == world.staff
    assert activity.data["created"] == 3


def test_an_organization_that_has_a_place_keeps_it(world):
    world.organization.zip_code, world.organization.city = "24011", "Roanoke"
    world.organization.save()
    import_roster(world.cohort, read([HEADER, people(1, org="RIVERBEND food pantry")[0]]), None)
    world.organization.refresh_from_db()
    assert (world.organization.zip_code, world.organization.city) == ("24011", "Roanoke")
    assert world.cohort.organizations.count() == 1


def test_reimport_updates_and_never_duplicates(world):
    rows = [[*HEADER, "Role", "Notes"], *[[*p, "Director", "first"] for p in people(3)]]
    import_roster(world.cohort, read(rows), world.staff)
    before = Participant.objects.count(), Organization.objects.count()

    result = import_roster(world.cohort, read(rows), world.staff)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert (Participant.objects.count(), Organization.objects.count()) == before

    changed = [rows[0], ["Person Zero", "PERSON0@example.org", rows[1][2], "22301", "", "second"]]
    plan = plan_import(world.cohort, read(changed))
    assert plan.rows[0].status == "update"
    assert set(plan.rows[0].changes) == {"name", "extra"}
    result = import_roster(world.cohort, read(changed), world.staff)
    assert (result.created, result.updated) == (0, 1)
    assert (Participant.objects.count(), Organization.objects.count()) == before
    person = world.cohort.participants.get(email="person0@example.org")
    assert person.name == "Person Zero"
    assert person.job_title == "Director"  # an empty cell does not erase
    assert person.extra == {"Notes": "second"}


def test_matches_existing_participants_by_email_without_case(world):
    pat = world.participant_participant
    rows = read([HEADER, ["Pat Participant", pat.email.upper(), "Riverbend Food Pantry", "22301"]])
    plan = plan_import(world.cohort, rows)
    assert rows[0].status == "update"
    assert plan.counts["new_organizations"] == 0

    import_roster(world.cohort, rows, world.staff)
    pat.refresh_from_db()
    assert pat.zip_code == "22301"
    assert pat.user == world.participant
    assert world.cohort.participants.filter(email__iexact=pat.email).count() == 1


def test_another_cohorts_people_are_not_touched(world):
    other = factories.ParticipantFactory(cohort=world.other_cohort, email="person0@example.org")
    import_roster(world.cohort, read([HEADER, *people(1)]), world.staff)
    other.refresh_from_db()
    assert other.zip_code == ""
    assert Participant.objects.filter(email="person0@example.org").count() == 2


def test_import_refuses_rows_with_problems(world):
    roster = read_roster("r.csv", (DATA / "roster_errors.csv").read_bytes())
    before = Participant.objects.count()
    with pytest.raises(RosterHasErrors):
        import_roster(world.cohort, roster.rows, world.staff)
    assert Participant.objects.count() == before
    good = [row for row in roster.rows if not row.errors]
    assert import_roster(world.cohort, good, world.staff).created == 1


def test_query_count_does_not_grow_with_rows(world):
    def queries(rows):
        with CaptureQueriesContext(connection) as captured:
            import_roster(world.cohort, read(rows), world.staff)
        return len(captured)

    small = queries([HEADER, *people(2, org="Small Org")])
    assert small <= 8
    assert queries([HEADER, *people(40, start=100, org="Large Org")]) == small
    # Past one batch of inserts, a query per few dozen rows, not per row.
    assert queries([HEADER, *people(200, start=1000, org="Huge Org")]) <= small + 5
    # Updating many (each moves to another organization) costs no more than updating a few.
    few = queries([HEADER, *people(2, org="Huge Org")])
    assert few <= small
    assert queries([HEADER, *people(40, start=100, org="Small Org")]) == few
    assert world.cohort.organizations.get(name="Small Org").participants.count() == 40


# ---------------------------------------------------------------------------------------
# Carrying rows from preview to confirm


def test_signed_rows_come_back_checked_and_refuse_tampering(world):
    rows = read([HEADER, *people(2)])
    token = sign_rows(rows, cohort=world.cohort, user=world.staff)

    back = unsign_rows(token, cohort=world.cohort, user=world.staff)
    assert [row.clean for row in back] == [row.clean for row in rows]

    with pytest.raises(RosterFileError, match="could not be confirmed"):
        unsign_rows(token[:-3] + "abc", cohort=world.cohort, user=world.staff)
    with pytest.raises(RosterFileError, match="could not be confirmed"):
        unsign_rows(token, cohort=world.other_cohort, user=world.staff)
    with pytest.raises(RosterFileError, match="could not be confirmed"):
        unsign_rows(token, cohort=world.cohort, user=world.observer)
    with pytest.raises(RosterFileError, match="too old"):
        unsign_rows(token, cohort=world.cohort, user=world.staff, max_age=-1)


# ---------------------------------------------------------------------------------------
# The page


def test_upload_page(client_for, world):
    response = client_for("staff").get(url(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Import participants</h1>" in html
    assert re.search(r'<label\s+for="id_file"', html)
    assert 'type="file" name="file"' in html
    assert 'enctype="multipart/form-data"' in html
    assert reverse("cohorts:participant-list", args=[world.cohort.slug]) in html
    assert 'name="payload"' not in html


def test_sample_file_is_a_valid_roster(client_for, world):
    response = client_for("staff").get(url(world), {"download": "sample"})
    assert response["Content-Type"].startswith("text/csv")
    roster = read_roster("sample.csv", response.content)
    assert len(roster.rows) == 2
    assert not roster.has_errors


def test_preview_shows_each_row_and_saves_nothing(client_for, world):
    client = client_for("staff")
    rows = [
        HEADER,
        ["Pat P.", world.participant_participant.email, "Riverbend Food Pantry", "22301"],
    ]
    rows += people(2)
    before = Participant.objects.count(), Organization.objects.count()

    response = upload(client, world, csv_bytes(rows))

    assert response.status_code == 200
    assert (Participant.objects.count(), Organization.objects.count()) == before
    html = response.content.decode()
    assert "3 rows" in html and "2 new" in html and "1 update" in html
    assert "0 with problems" in html and "1 new organization" in html
    assert 'id="row-3"' in html and "person1@example.org" in html
    assert "row-error" not in html
    assert 'name="payload"' in html
    assert [row.status for row in response.context["rows"]] == ["update", "new", "new"]


def test_preview_with_problems_lists_them_and_offers_to_skip_them(client_for, world):
    client = client_for("staff")
    before = Participant.objects.count()

    response = upload(client, world, (DATA / "roster_errors.csv").read_bytes())

    assert response.status_code == 200
    html = response.content.decode()
    assert "nothing has been saved" in html
    assert "upload it again" in html
    assert "Import the 1 good row and skip the 6" in html
    assert "6 with problems" in html
    bad_rows = re.findall(r'<tr id="row-(\d+)" class="row-error">', html)
    assert bad_rows == ["2", "3", "4", "5", "6", "7"]
    assert '<tr id="row-8">' in html
    assert "There is no US ZIP code 99999." in html
    assert Participant.objects.count() == before


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("junk.csv", junk(), "does not look like a CSV"),
        ("roster.xlsx", damaged_xlsx(), "could not be read"),
        ("roster.csv", b"Name,Email\r\nAna,ana@example.org\r\n", "no column for"),
        ("notes.txt", b"\xef\xbb\xbf", "empty"),
    ],
    # Named ids: the generated .xlsx bytes carry a timestamp, and xdist needs the same ids in
    # every worker.
    ids=["junk-csv", "damaged-xlsx", "no-name-column", "bom-only"],
)
def test_file_problems_are_form_errors(client_for, world, name, data, message):
    client = client_for("staff")
    response = upload(client, world, data, name)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert 'name="payload"' not in response.content.decode()

    # The same request with a good file goes through.
    response = upload(client, world, csv_bytes([HEADER, *people(1)]))
    assert 'name="payload"' in response.content.decode()


def test_empty_upload_and_too_big_file(client_for, world, settings):
    client = client_for("staff")
    assert "file" in client.post(url(world), {}).context["form"].errors
    data = csv_bytes([HEADER, *people(3)])
    settings.ROSTER_MAX_BYTES = len(data) - 1
    response = upload(client, world, data)
    assert "larger than" in response.context["form"].errors["file"][0]
    settings.ROSTER_MAX_BYTES = len(data)
    assert 'name="payload"' in upload(client, world, data).content.decode()


def test_huge_file_and_too_many_rows_are_form_errors(client_for, world, settings):
    client = client_for("staff")
    huge = csv_bytes([HEADER]) + b"Ana,ana@example.org,Riverbend,22301\r\n" * 80_000
    assert len(huge) > settings.ROSTER_MAX_BYTES
    response = upload(client, world, huge)
    assert response.status_code == 200
    assert "larger than 2 MB" in response.context["form"].errors["file"][0]

    settings.ROSTER_MAX_ROWS = 2
    response = upload(client, world, csv_bytes([HEADER, *people(3)]))
    assert "more than 2 participant rows" in response.context["form"].errors["file"][0]
    response = upload(client, world, csv_bytes([HEADER, *people(2)]))
    assert 'name="payload"' in response.content.decode()


def test_xlsx_upload_previews(client_for, world):
    data = xlsx_bytes([HEADER, ["Ana Ruiz", "ana@example.org", "Riverbend Food Pantry", 2134]])
    response = upload(client_for("staff"), world, data, "roster.xlsx")
    assert [row.clean[ZIP_CODE] for row in response.context["rows"]] == ["02134"]


def test_confirm_saves_and_redirects_with_counts(client_for, world):
    client = client_for("staff")
    preview = upload(client, world, (DATA / "roster_valid.csv").read_bytes())
    before = Participant.objects.count()

    response = confirm(client, world, payload_of(preview))

    assert response.status_code == 302
    assert response["Location"] == reverse("cohorts:participant-list", args=[world.cohort.slug])
    assert Participant.objects.count() == before + 3
    message = " ".join(map(str, get_messages(response.wsgi_request)))
    assert (
        "Roster imported: 3 new participants, 0 updated, 0 unchanged, 1 new organization."
        in message
    )


def test_reimport_through_the_page_does_not_duplicate(client_for, world):
    client = client_for("staff")
    data = (DATA / "roster_valid.csv").read_bytes()
    confirm(client, world, payload_of(upload(client, world, data)))
    before = Participant.objects.count(), Organization.objects.count()

    preview = upload(client, world, data)
    assert "3 unchanged" in preview.content.decode()
    response = confirm(client, world, payload_of(preview))

    assert response.status_code == 302
    assert (Participant.objects.count(), Organization.objects.count()) == before
    message = " ".join(map(str, get_messages(response.wsgi_request)))
    assert "0 new participants, 0 updated, 3 unchanged, 0 new organizations" in message


def test_tampered_payload_is_refused(client_for, world):
    client = client_for("staff")
    payload = payload_of(upload(client, world, csv_bytes([HEADER, *people(2)])))
    before = Participant.objects.count()

    forged = payload.replace(payload[5], "A" if payload[5] != "A" else "B", 1)
    response = confirm(client, world, forged)
    assert response.status_code == 400
    assert "could not be confirmed" in response.content.decode()
    assert confirm(client, world, "").status_code == 400
    # Rows signed for someone else, or for another cohort, do not pass either.
    other = sign_rows(read([HEADER, *people(2)]), cohort=world.other_cohort, user=world.staff)
    assert confirm(client, world, other).status_code == 400
    assert Participant.objects.count() == before

    assert confirm(client, world, payload).status_code == 302
    assert Participant.objects.count() == before + 2


def test_confirm_checks_the_rows_again(client_for, world):
    client = client_for("staff")
    roster = read_roster("r.csv", (DATA / "roster_errors.csv").read_bytes())
    # A payload signed by the server but holding bad rows (say, from an older version).
    token = sign_rows(roster.rows, cohort=world.cohort, user=world.staff)
    before = Participant.objects.count()

    response = confirm(client, world, token)

    assert response.status_code == 200
    assert "row-error" in response.content.decode()
    assert Participant.objects.count() == before


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("staff", 200),
        ("observer", 403),
        ("leader", 403),
        ("participant", 403),
        ("outsider", 404),
    ],
)
def test_who_may_import(client_for, world, persona, status):
    client = client_for(persona)
    assert client.get(url(world)).status_code == status
    before = Participant.objects.count()
    response = upload(client, world, csv_bytes([HEADER, *people(1)]))
    assert response.status_code == status
    token = sign_rows(read([HEADER, *people(1)]), cohort=world.cohort, user=world.users[persona])
    response = confirm(client, world, token)
    assert response.status_code == (302 if persona == "staff" else status)
    assert Participant.objects.count() == before + (1 if persona == "staff" else 0)


def test_anonymous_is_sent_to_log_in(client, world):
    response = client.get(url(world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    response = upload(client, world, csv_bytes([HEADER, *people(1)]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# ---------------------------------------------------------------------------------------
# Importing the good rows and skipping the others


def roster_with_two_bad_rows():
    """25 people, of whom row 5 has no email and row 9 a ZIP code that does not exist."""
    rows = [[*HEADER, "Pronouns"], *[[*p, "they/them"] for p in people(25)]]
    rows[4][1] = ""
    rows[8][3] = "99999"
    return rows


def test_skip_bad_rows_imports_the_good_ones(world):
    roster = read_roster("r.csv", csv_bytes(roster_with_two_bad_rows()))
    assert [row.number for row in roster.bad_rows] == [5, 9]
    before = Participant.objects.count()

    with pytest.raises(RosterHasErrors):
        import_roster(world.cohort, roster.rows, world.staff)
    assert Participant.objects.count() == before

    result = import_roster(world.cohort, roster.rows, world.staff, skip_bad_rows=True)

    assert (result.created, result.skipped) == (23, 2)
    assert Participant.objects.count() == before + 23
    assert not world.cohort.participants.filter(email="person7@example.org").exists()  # row 9
    activity = Activity.objects.get(cohort=world.cohort, verb="imported roster")
    assert (activity.data["created"], activity.data["skipped"]) == (23, 2)


def test_skip_bad_rows_with_no_good_row_saves_nothing(world):
    roster = read_roster("r.csv", csv_bytes([HEADER, ["", "", "Riverbend", "22301"]]))
    with pytest.raises(RosterHasErrors, match="every row has a problem"):
        import_roster(world.cohort, roster.rows, world.staff, skip_bad_rows=True)
    assert not Activity.objects.filter(verb="imported roster").exists()


def test_skipping_saves_the_good_rows_all_or_none(world, monkeypatch):
    roster = read_roster("r.csv", csv_bytes(roster_with_two_bad_rows()))
    before = Participant.objects.count(), Organization.objects.count()

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    # The last write of the import fails: the participants and the organization written
    # before it are rolled back with it.
    monkeypatch.setattr("cohorts.services.roster.saving.record", fail)
    with pytest.raises(RuntimeError):
        import_roster(world.cohort, roster.rows, world.staff, skip_bad_rows=True)
    assert (Participant.objects.count(), Organization.objects.count()) == before

    monkeypatch.undo()
    assert import_roster(world.cohort, roster.rows, world.staff, skip_bad_rows=True).created == 23


def read_csv(text):
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_skipped_rows_file_has_the_cells_as_read_and_the_problem():
    rows = [
        ["Notes", "Name", "Email", "Organization", "ZIP code"],
        ["call first", "Ana Ruiz", "ana@", "Riverbend", "22301"],
        ["", "Bo Diaz", "bo@example.org", "Riverbend", "22301"],
        ["=HYPERLINK(1)", "@SUM(1+1)", "cy@example.org", "Riverbend", "ABCDE", "spill"],
    ]
    roster = read_roster("r.csv", csv_bytes(rows))
    stream = io.StringIO()

    write_skipped_rows(stream, roster.header, roster.bad_rows)

    header, ana, cy = read_csv(stream.getvalue())
    assert header == ["Notes", "Name", "Email", "Organization", "ZIP code", "column 6", "problem"]
    assert ana == ["call first", "Ana Ruiz", "ana@", "Riverbend", "22301", "", ana[-1]]
    assert "not a valid email" in ana[-1]
    # Written through copkit's CSV writer: formula-looking cells are inert.
    assert cy[:2] == ["'=HYPERLINK(1)", "'@SUM(1+1)"]
    assert cy[5] == "spill" and "not a ZIP code" in cy[-1]


def test_a_fixed_skipped_rows_file_imports_without_its_problem_column(world):
    roster = read_roster("r.csv", csv_bytes(roster_with_two_bad_rows()))
    stream = io.StringIO()
    write_skipped_rows(stream, roster.header, roster.bad_rows)
    fixed = stream.getvalue().replace(",,Harbor", ",person3@example.org,Harbor")
    fixed = fixed.replace("99999", "22301")

    again = read_roster("skipped.csv", fixed.encode())

    assert not again.has_errors
    assert [row.clean[EMAIL] for row in again.rows] == [
        "person3@example.org",
        "person7@example.org",
    ]
    assert again.rows[0].extra == {"Pronouns": "they/them"}  # and no "problem"


def test_preview_offers_to_skip_the_bad_rows_then_lists_them(client_for, world):
    client = client_for("staff")
    before = Participant.objects.count()

    preview = upload(client, world, csv_bytes(roster_with_two_bad_rows()))

    html = preview.content.decode()
    assert "Import the 23 good rows and skip the 2" in html
    assert "Upload a corrected or different file" in html  # fixing stays on offer
    assert Participant.objects.count() == before
    payload = payload_of(preview)
    assert preview.context["confirm_form"].initial["skip_bad_rows"] is True

    # Without asking to skip, the same payload saves nothing and shows the problems again.
    response = client.post(url(world), {"payload": payload})
    assert response.status_code == 200
    assert "row-error" in response.content.decode()
    assert Participant.objects.count() == before

    response = client.post(url(world), {"payload": payload, "skip_bad_rows": "True"})

    assert response.status_code == 200
    assert Participant.objects.count() == before + 23
    html = response.content.decode()
    assert "<h1>Roster imported</h1>" in html
    assert "23 new participants" in html and "2 rows with problems skipped" in html
    assert re.findall(r'<tr id="row-(\d+)" class="row-error">', html) == ["5", "9"]
    assert "The email address is missing." in html
    assert "There is no US ZIP code 99999." in html
    assert reverse("cohorts:roster-skipped", args=[world.cohort.slug]) in html

    download = client.post(
        reverse("cohorts:roster-skipped", args=[world.cohort.slug]),
        {"payload": response.context["skipped_payload"]},
    )
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/csv")
    assert "attachment" in download["Content-Disposition"]
    header, *skipped = read_csv(download.content.decode("utf-8"))
    assert header == [*HEADER, "Pronouns", "problem"]
    assert [row[0] for row in skipped] == ["Person 3", "Person 7"]
    assert "email address is missing" in skipped[0][-1]


def test_the_preview_can_download_the_rows_with_problems(client_for, world):
    client = client_for("staff")
    preview = upload(client, world, (DATA / "roster_errors.csv").read_bytes())
    download = client.post(
        reverse("cohorts:roster-skipped", args=[world.cohort.slug]),
        {"payload": payload_of(preview)},
    )
    header, *rows = read_csv(download.content.decode("utf-8"))
    assert header[-1] == "problem"
    assert [row[1] for row in rows] == [
        "nobody@example.org",
        "not-an-email",
        "cal@example.org",
        "dee@example.org",
        "eli@example.org",
        "CAL@example.org",
    ]


def test_every_row_bad_offers_no_import(client_for, world):
    response = upload(client_for("staff"), world, csv_bytes([HEADER, ["", "", "X", "22301"]]))
    html = response.content.decode()
    assert "No row can be imported as it is." in html
    assert "good row" not in html
    assert "Download the rows with problems" in html


def test_skipped_rows_download_refuses_a_forged_payload(client_for, world):
    client = client_for("staff")
    address = reverse("cohorts:roster-skipped", args=[world.cohort.slug])
    response = client.post(address, {"payload": "forged"})
    assert response.status_code == 302
    assert response["Location"] == url(world)
    message = " ".join(map(str, get_messages(response.wsgi_request)))
    assert "could not be confirmed" in message
    assert client.get(address).status_code == 405

    token = sign_rows(
        read_roster("r.csv", csv_bytes(roster_with_two_bad_rows())).rows,
        cohort=world.cohort,
        user=world.staff,
    )
    assert client.post(address, {"payload": token}).status_code == 200


# ---------------------------------------------------------------------------------------
# Hostile files: refused at once, before the work they would cost (no timing here: the
# checks are on sizes counted before the costly step)

PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Roster" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    ),
}
SST = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{}</sst>'


def hand_made_xlsx(rows_xml, dimension="A1:D2", shared=""):
    """A workbook written part by part, so it can say what a spreadsheet program would not."""
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows_xml}</sheetData></worksheet>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        archive.writestr("xl/sharedStrings.xml", SST.format(shared))
    return buffer.getvalue()


def cells_row(number, values):
    cells = "".join(
        f'<c r="{"ABCD"[index]}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
        for index, value in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'


GOOD_ROWS_XML = cells_row(1, HEADER) + cells_row(2, ["Ana", "ana@example.org", "Riverbend", 22301])


def test_a_header_with_40000_empty_columns_is_refused():
    data = csv_bytes([HEADER + [""] * 40_000, ["Ana", "ana@example.org", "Riverbend", "22301"]])
    with pytest.raises(RosterFileError, match=r"Row 1 has 40,004 cells; .* at most 1,000"):
        read_roster("r.csv", data)


def test_empty_columns_on_the_right_are_dropped_and_many_headings_read_in_linear_time():
    # 300 empty cells on the right of each row, as a spreadsheet program may write them.
    rows = [HEADER + [""] * 300, ["Ana", "ana@example.org", "Riverbend", "22301"] + [""] * 300]
    assert read_roster("r.csv", csv_bytes(rows)).rows[0].extra == {}
    # 196 columns of our own, most of them unnamed: each gets its own label.
    header = HEADER + ["Notes"] * 98 + [""] * 98
    row = ["Ana", "ana@example.org", "Riverbend", "22301"] + ["x"] * 196
    roster = read_roster("r.csv", csv_bytes([header, row]))
    assert len(roster.rows[0].extra) == 196
    assert "Notes (98)" in roster.rows[0].extra and "column 200" in roster.rows[0].extra


def test_a_cell_past_column_200_is_refused():
    row = ["Ana", "ana@example.org", "Riverbend", "22301"] + [""] * 196 + ["spill"]
    with pytest.raises(RosterFileError, match=r"Row 2 has something in column 201; .* 200"):
        read_roster("r.csv", csv_bytes([HEADER, row]))


def test_an_xlsx_with_16384_cell_rows_is_refused():
    wide = "".join(f'<c r="{get_column_letter(n)}2" s="0"/>' for n in range(1, 16_385))
    data = hand_made_xlsx(cells_row(1, HEADER) + f'<row r="2">{wide}</row>', "A1:XFD2")
    with pytest.raises(RosterFileError, match="Row 2 has 16,384 cells"):
        read_roster("r.xlsx", data)


def test_an_xlsx_that_claims_16384_columns_but_has_four_is_read():
    roster = read_roster("r.xlsx", hand_made_xlsx(GOOD_ROWS_XML, "A1:XFD2"))
    assert [row.clean[EMAIL] for row in roster.rows] == ["ana@example.org"]


def test_an_xlsx_that_unpacks_to_too_much_is_refused_before_reading(monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("openpyxl was asked to read it")

    # 21 MB of shared strings (the reported file had 200 MB in 452 KB).
    shared = "<si><t>" + "x" * 1000 + "</t></si>"
    data = hand_made_xlsx(GOOD_ROWS_XML, shared=shared * 21_000)
    assert len(data) < 200_000
    monkeypatch.setattr("openpyxl.load_workbook", never)
    with pytest.raises(RosterFileError, match="unpacks to far more than a roster needs"):
        read_roster("r.xlsx", data)
    # Packed more than 100 times tighter, even under 20 MB in all.
    with pytest.raises(RosterFileError, match="unpacks to far more"):
        read_roster("r.xlsx", hand_made_xlsx(GOOD_ROWS_XML, shared=shared * 2_000))
    monkeypatch.undo()
    assert read_roster("r.xlsx", hand_made_xlsx(GOOD_ROWS_XML, shared=shared * 20)).rows


def test_an_xlsx_that_understates_a_parts_size_cannot_be_read():
    shared = "<si><t>" + "x" * 1000 + "</t></si>"
    data = bytearray(hand_made_xlsx(GOOD_ROWS_XML, shared=shared * 21_000))
    # Say sharedStrings.xml unpacks to 100 bytes, in its local and its central header (the
    # name follows the first at 30 bytes from its start, the second at 46).
    name = b"xl/sharedStrings.xml"
    at = data.find(name)
    while at >= 0:
        if data[at - 30 : at - 26] == b"PK\x03\x04":
            struct.pack_into("<I", data, at - 30 + 22, 100)
        elif data[at - 46 : at - 42] == b"PK\x01\x02":
            struct.pack_into("<I", data, at - 46 + 24, 100)
        at = data.find(name, at + 1)
    assert zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(name.decode()).file_size == 100
    with pytest.raises(RosterFileError, match="could not be read"):
        read_roster("r.xlsx", bytes(data))


def test_the_sample_file_and_a_re_upload_keep_formula_looking_names_as_text():
    """A name that looks like a formula is a name: it comes back from a file copkit wrote
    (with the apostrophe copkit adds) without the apostrophe."""
    rows = [HEADER, ["'@SUM(1+1)", "sum@example.org", "Riverbend", "22301"]]
    roster = read_roster("skipped.csv", csv_bytes(rows))
    assert roster.rows[0].clean[NAME] == "@SUM(1+1)"


def test_an_internationalised_domain_is_accepted_as_django_accepts_it():
    rows = [HEADER, ["Jürgen Bücher", "juergen@bücher.example", "Riverbend", "22301"]]
    roster = read_roster("r.csv", csv_bytes(rows))
    assert not roster.has_errors
    assert roster.rows[0].clean["email"] == "juergen@bücher.example"


def test_the_sample_file_reads_back_clean(client_for, world):
    response = client_for("staff").get(url(world), {"download": "sample"})
    assert response.status_code == 200
    roster = read_roster("roster-sample.csv", response.content)
    assert roster.rows
    assert not roster.has_errors
