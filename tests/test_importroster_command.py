"""`manage.py importroster COHORT_SLUG FILE [--dry-run]`: the same checks as the page."""

import csv
import io
import random
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cohorts.models import Activity, Organization, Participant

DATA = Path(__file__).parent / "data"
VALID = DATA / "roster_valid.csv"
ERRORS = DATA / "roster_errors.csv"


def run(*args):
    out = io.StringIO()
    call_command("importroster", *map(str, args), stdout=out)
    return out.getvalue()


def counts():
    return Participant.objects.count(), Organization.objects.count()


def test_imports_and_reports_each_row(world):
    before = Participant.objects.count()

    output = run(world.cohort.slug, VALID)

    assert "row 2: new Ana Ruiz <ana.ruiz@example.org>, Riverbend Food Pantry" in output
    assert (
        "row 3: new Marcus Lee <marcus@example.org>, Eastside Youth League (new organization)"
        in output
    )
    assert "3 rows: 3 new, 0 to update, 0 unchanged, 0 with problems" in output
    assert "3 created, 0 updated, 0 unchanged; 1 organizations created" in output
    assert Participant.objects.count() == before + 3
    marcus = world.cohort.participants.get(email="marcus@example.org")
    assert (marcus.zip_code, marcus.state) == ("02134", "MA")
    record = Activity.objects.get(verb="imported roster")
    assert record.actor is None

    # Running it again updates nothing and adds nobody.
    again = counts()
    output = run(world.cohort.slug, VALID)
    assert "row 2: unchanged" in output
    assert "0 created, 0 updated, 3 unchanged" in output
    assert counts() == again


def test_dry_run_saves_nothing(world):
    before = counts()

    output = run(world.cohort.slug, VALID, "--dry-run")

    assert "row 4: new Dana Kim <dana@example.org>" in output
    assert "Dry run: nothing was saved." in output
    assert counts() == before
    assert not Activity.objects.filter(verb="imported roster").exists()
    run(world.cohort.slug, VALID)  # without --dry-run, the same file is saved
    assert counts() == (before[0] + 3, before[1] + 1)


def test_rows_with_problems_refuse_the_file(world):
    before = counts()
    out = io.StringIO()

    with pytest.raises(CommandError, match="6 rows have problems; nothing was saved") as exc:
        call_command("importroster", world.cohort.slug, str(ERRORS), stdout=out)

    assert exc.value.returncode == 1
    assert "row 5: PROBLEM Dee Park <dee@example.org>: There is no US ZIP code 99999." in (
        out.getvalue()
    )
    assert "row 8: new Gus Hill" in out.getvalue()
    assert counts() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (random.Random(3).randbytes(5000), "does not look like a CSV"),
        (b"", "empty"),
        (b"Name,Email\r\nAna,ana@example.org\r\n", "no column for Organization, ZIP code"),
    ],
)
def test_a_refused_file_is_an_error(world, tmp_path, content, message):
    path = tmp_path / "roster.csv"
    path.write_bytes(content)
    before = counts()
    with pytest.raises(CommandError, match=message):
        run(world.cohort.slug, path)
    assert counts() == before


def test_too_big_file(world, tmp_path, settings):
    path = tmp_path / "roster.csv"
    shutil.copy(VALID, path)
    settings.ROSTER_MAX_BYTES = path.stat().st_size - 1
    with pytest.raises(CommandError, match="larger than"):
        run(world.cohort.slug, path)
    settings.ROSTER_MAX_BYTES = path.stat().st_size
    assert "3 created" in run(world.cohort.slug, path)


def test_unknown_cohort_or_missing_file(world, tmp_path):
    with pytest.raises(CommandError, match="No cohort with the slug 'no-such-cohort'") as exc:
        run("no-such-cohort", VALID)
    assert exc.value.returncode == 1  # manage.py exits with this status
    with pytest.raises(CommandError, match="No such file"):
        run(world.cohort.slug, tmp_path / "missing.csv")
    assert "3 created" in run(world.cohort.slug, VALID)


def test_skip_bad_rows_imports_the_others_and_writes_them_out(world, tmp_path):
    before = counts()
    skipped = tmp_path / "skipped.csv"

    output = run(world.cohort.slug, ERRORS, "--skip-bad-rows", "--skipped-file", skipped)

    assert "row 5: PROBLEM Dee Park <dee@example.org>: There is no US ZIP code 99999." in output
    assert "1 created, 0 updated, 0 unchanged" in output
    assert "6 rows with problems skipped" in output
    assert counts()[0] == before[0] + 1
    assert world.cohort.participants.filter(email="gus@example.org").exists()
    header, *rows = list(csv.reader(io.StringIO(skipped.read_text(encoding="utf-8-sig"))))
    assert header == ["Name", "Email", "Organization", "ZIP code", "Format preference", "problem"]
    assert [row[1] for row in rows][:2] == ["nobody@example.org", "not-an-email"]
    assert "no US ZIP code 99999" in rows[3][-1]


def test_skip_bad_rows_with_dry_run_or_no_good_row_saves_nothing(world, tmp_path):
    before = counts()
    output = run(world.cohort.slug, ERRORS, "--skip-bad-rows", "--dry-run")
    assert "Dry run: nothing was saved." in output
    assert counts() == before

    path = tmp_path / "bad.csv"
    path.write_text("Name,Email,Organization,ZIP\r\n,,Riverbend,22301\r\n")
    with pytest.raises(CommandError, match="nothing was saved: no row is without one"):
        run(world.cohort.slug, path, "--skip-bad-rows")
    assert counts() == before


def test_without_skip_the_refusal_names_the_option(world):
    with pytest.raises(CommandError, match="--skip-bad-rows"):
        run(world.cohort.slug, ERRORS)
