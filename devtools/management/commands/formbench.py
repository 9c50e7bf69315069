"""manage.py formbench [--quick] [--sizes N ...] [--exact-seconds S] [--report-only]: the
formation engine against exact optima (HiGHS) and baselines on seeded instances, with the
targets of issue 5 as PASS/FAIL lines (see devtools/formation_bench/bench.py). Exits with status 1
when a target fails, unless --report-only."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Benchmark the group-formation engine against exact optima and baselines."

    def add_arguments(self, parser):
        parser.add_argument(
            "--quick", action="store_true", help="A reduced set of small instances (seconds)."
        )
        parser.add_argument(
            "--sizes",
            nargs="+",
            type=int,
            help="Numbers of people (default 20 30 40 200 2000; up to 40 are solved exactly).",
        )
        parser.add_argument(
            "--exact-seconds",
            type=float,
            default=10.0,
            help="HiGHS time limit per matching instance (three times this for the map).",
        )
        parser.add_argument(
            "--report-only", action="store_true", help="Print the figures; never fail."
        )

    def handle(self, *args, quick, sizes, exact_seconds, report_only, **options):
        from devtools.formation_bench.bench import run

        try:
            import highspy  # noqa: F401
        except ImportError as exc:
            raise CommandError("formbench needs highspy: pip install -e '.[dev]'") from exc
        if sizes and min(sizes) < 8:
            raise CommandError("Sizes must be at least 8 people.")
        small = sorted(s for s in sizes or () if s <= 40) or None
        large = sorted(s for s in sizes or () if s > 40) or None
        if sizes and small is None:
            small = []
        if sizes and large is None:
            large = []
        report = run(
            quick=quick,
            sizes=None if sizes is None else (small, large),
            exact_s=exact_seconds,
            out=self.stdout.write,
        )
        if report.failed and not report_only:
            raise CommandError(
                f"{len(report.failed)} formation targets failed: "
                + "; ".join(t.name for t in report.failed)
            )
