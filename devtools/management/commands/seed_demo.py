"""`manage.py seed_demo`: a realistic demo cohort and one login per role.

Safe to run again: a second run creates nothing and prints the logins again.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from cohorts.models import Cohort
from devtools import demo
from devtools.demo.evaluating import add_evaluation_data
from devtools.demo.formation import add_formation_data
from devtools.demo.goals import add_goals_data
from devtools.demo.knowledge import add_knowledge_data
from devtools.demo.managing import add_managing_data
from devtools.demo.planning import add_planning_data
from devtools.demo.requests import add_tta_requests
from devtools.demo.workspace import add_workspace_data


class Command(BaseCommand):
    help = "Create the demo cohort and its logins (staff, observer, leader, participant, admin)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Set the demo logins' password back to the printed one.",
        )

    def handle(self, *args, reset_passwords=False, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "seed_demo creates accounts, a superuser among them, with a published "
                "password; it does not run with COPKIT_PRODUCTION=true."
            )
        with transaction.atomic():
            users, new_logins = demo.ensure_demo_users(demo.DEMO_PASSWORD, reset_passwords)
            cohort = Cohort.objects.filter(slug=demo.DEMO_COHORT_SLUG).first()
            summary = None
            if cohort is None:
                summary = demo.build_demo_cohort(users)
                cohort = summary.cohort
                planning = add_planning_data(cohort, staff=users["staff"])
                summary.counts.update(planning.counts)
                managing = add_managing_data(cohort, staff=users["staff"])
                summary.counts.update(managing.counts)
                summary.counts.update(add_goals_data(cohort, staff=users["staff"]))
                formation = add_formation_data(cohort, staff=users["staff"])
                summary.counts.update(formation.counts)
                summary.counts.update(add_evaluation_data(cohort, staff=users["staff"]).counts)
                summary.counts.update(add_knowledge_data(cohort, staff=users["staff"]))
                summary.counts.update(add_workspace_data(cohort, staff=users["staff"]))
                summary.counts.update(add_tta_requests(cohort, staff=users["staff"]).counts)

        if summary is not None:
            self.stdout.write(self.style.SUCCESS(f"Created the demo cohort “{cohort.name}”:"))
            for what, count in summary.counts.items():
                self.stdout.write(f"  {count:>4} {what}")
        elif new_logins:
            self.stdout.write(
                f"The demo cohort “{cohort.name}” is already there; "
                f"re-created missing logins: {', '.join(new_logins)}."
            )
        else:
            self.stdout.write(
                f"The demo cohort “{cohort.name}” and its logins are already there: "
                "nothing created."
            )
        if reset_passwords:
            self.stdout.write("The demo logins' password is back to the one below.")
        self.print_logins()

    def print_logins(self):
        rows = [
            (login.email, demo.DEMO_PASSWORD, login.role) for login in demo.DEMO_LOGINS.values()
        ]
        headers = ("email", "password", "role")
        widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(3)]
        self.stdout.write("")
        self.stdout.write(f"Log in at {settings.SITE_URL}{reverse('account_login')} as:")
        for row in [headers, ["-" * w for w in widths], *rows]:
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write("  ".join(cells).rstrip())
