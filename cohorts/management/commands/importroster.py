"""manage.py importroster COHORT_SLUG FILE [--dry-run]: the roster import page's checks and
save, from the command line. Exits with status 1, saving nothing, when the file is refused or
any row has a problem."""

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

    def handle(self, *args, cohort_slug, file, dry_run, **options):
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
        if counts["errors"]:
            raise CommandError(
                f"{counts['errors']} rows have problems; nothing was saved. "
                "Fix them in the file and run the command again."
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")
            return
        try:
            result = import_roster(cohort, roster.rows, actor=None)
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
