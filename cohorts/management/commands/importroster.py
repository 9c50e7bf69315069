"""manage.py importroster COHORT_SLUG FILE [--dry-run] [--skip-bad-rows] [--skipped-file OUT]:
the roster import page's checks and save, from the command line. Exits with status 1, saving
nothing, when the file is refused, or when any row has a problem unless --skip-bad-rows
(then the good rows are saved, all in one transaction, and the others are listed; with
--skipped-file they are also written to a CSV file with a `problem` column)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cohorts.models import Cohort
from cohorts.services.roster import (
    RosterConflict,
    RosterFileError,
    import_roster,
    plan_import,
    read_roster,
    too_big_message,
    write_skipped_rows,
)


class Command(BaseCommand):
    help = "Import a participant roster (CSV or XLSX) into a cohort."

    def add_arguments(self, parser):
        parser.add_argument("cohort_slug", help="The cohort's slug, as in its URL.")
        parser.add_argument("file", help="A .csv or .xlsx file, header row first.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would change, saving nothing.",
        )
        parser.add_argument(
            "--skip-bad-rows",
            action="store_true",
            help="Import the rows without a problem and skip the others (listed).",
        )
        parser.add_argument(
            "--skipped-file",
            metavar="OUT",
            help="Write the rows with problems to this CSV file, with a `problem` column.",
        )

    def handle(self, *args, cohort_slug, file, dry_run, skip_bad_rows, skipped_file, **options):
        cohort = Cohort.objects.filter(slug=cohort_slug).first()
        if cohort is None:
            raise CommandError(f"No cohort with the slug {cohort_slug!r}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        if path.stat().st_size > settings.ROSTER_MAX_BYTES:
            raise CommandError(f"{file}: {too_big_message(settings.ROSTER_MAX_BYTES)}")
        try:
            roster = read_roster(path.name, path.read_bytes())
        except RosterFileError as exc:
            raise CommandError(f"{file}: {exc}") from exc
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror or exc}") from exc

        plan = plan_import(cohort, roster.rows)
        for row in roster.rows:
            self.stdout.write(self._describe(row))
        counts = plan.counts
        self.stdout.write(
            f"{counts['rows']} rows: {counts['new']} new, {counts['update']} to update, "
            f"{counts['unchanged']} unchanged, {counts['errors']} with problems; "
            f"{counts['new_organizations']} new organizations."
        )
        if counts["errors"] and skipped_file:
            self._write_skipped(skipped_file, roster)
        if counts["errors"] and not (skip_bad_rows and counts["errors"] < counts["rows"]):
            hint = (
                "no row is without one"
                if skip_bad_rows
                else "fix them in the file and run the command again, or pass --skip-bad-rows "
                "to import the others"
            )
            raise CommandError(f"{counts['errors']} rows have problems; nothing was saved: {hint}.")
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")
            return
        try:
            result = import_roster(cohort, roster.rows, actor=None, skip_bad_rows=skip_bad_rows)
        except RosterConflict as exc:
            raise CommandError(
                "Another import changed the same participants at the same moment; nothing "
                "was saved. Run the command again."
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported into {cohort.name}: {result.created} created, {result.updated} "
                f"updated, {result.unchanged} unchanged; {result.organizations_created} "
                "organizations created."
            )
        )
        if result.skipped:
            self.stdout.write(
                self.style.WARNING(
                    f"{result.skipped} rows with problems skipped (listed above as PROBLEM)."
                )
            )

    def _write_skipped(self, out, roster):
        try:
            with open(out, "w", encoding="utf-8-sig", newline="") as stream:
                write_skipped_rows(stream, roster.header, roster.bad_rows)
        except OSError as exc:
            raise CommandError(f"{out}: {exc.strerror or exc}") from exc
        self.stdout.write(f"Rows with problems written to {out}.")

    def _describe(self, row):
        who = f"{row.name or '?'} <{row.email or '?'}>"
        if row.errors:
            return self.style.ERROR(f"row {row.number}: PROBLEM {who}: {' '.join(row.errors)}")
        detail = f"{who}, {row.organization}"
        if row.organization_is_new:
            detail += " (new organization)"
        if row.status == row.UPDATE:
            detail += f"; changes {', '.join(row.change_labels)}"
        return f"row {row.number}: {row.status} {detail}"
