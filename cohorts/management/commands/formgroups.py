"""manage.py formgroups PROBLEM.json: form groups with the formation engine and print the
solution as JSON on stdout ("-" reads the problem from stdin). A problem that cannot be
solved prints {"error": ..., "details": [...]} and exits with status 2. Both formats are
described in docs/formation-format.md."""

import json
import sys

from django.core.management.base import BaseCommand

from cohorts.formation.engine import FormationError, solve


class Command(BaseCommand):
    help = "Form groups from a JSON problem (see docs/formation-format.md) and print the solution."

    def add_arguments(self, parser):
        parser.add_argument("problem", help="Path to the problem JSON file, or - for stdin.")
        parser.add_argument("--indent", type=int, default=None, help="Pretty-print the JSON.")

    def handle(self, *args, problem, indent, **options):
        try:
            if problem == "-":
                text = sys.stdin.read()
            else:
                with open(problem, encoding="utf-8") as handle:
                    text = handle.read()
        except OSError as exc:
            self._fail(FormationError("Cannot read the problem file.", [str(exc)]), indent)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            self._fail(FormationError("The problem is not valid JSON.", [str(exc)]), indent)
        try:
            solution = solve(data)
        except FormationError as exc:
            self._fail(exc, indent)
        self.stdout.write(json.dumps(solution, indent=indent))

    def _fail(self, exc, indent):
        self.stdout.write(json.dumps(exc.as_dict(), indent=indent))
        sys.exit(2)
