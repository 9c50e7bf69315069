"""`manage.py outboxbench` (part of `make bench`): due emails through two worker processes
into a local sink, and one line saying how many arrived, twice, or never."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_outbox_bench_prints_one_line_with_no_duplicate_and_nothing_lost(capfd):
    call_command("outboxbench", messages=40, workers=2, timeout=120)
    out = capfd.readouterr().out
    line = re.search(
        r"^outbox: (\d+) sent, (\d+) duplicates, (\d+) lost, (\d+) per second$", out, re.M
    )
    assert line, out
    assert line.group(1, 2, 3) == ("40", "0", "0")


def test_make_bench_runs_it():
    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text()
    bench = makefile.split("\nbench:", 1)[1].split("\n\n", 1)[0]
    assert "manage.py outboxbench" in bench
