"""Checks at scale that used to run in the test suite and took seconds each (`formbench`).

- matching at 2,000 people with planted groups of five (three mates chosen each, plus one
  random choice): every hard rule holds, at least 95% of the mutual pairs are kept, under 10 s;
- the review board's map of 2,000 pins renders in under a second.

Each adds one target to the report; the timings are the reason these live in the benchmark
and not in `make test`, whose results must not depend on the machine's load.
"""

import random
from time import perf_counter

PLANTED_MUTUAL_SHARE = 0.95
ENGINE_LIMIT_S = 10.0
MAP_LIMIT_S = 1.0


def planted_matching(n=2000, seed=11):
    """The planted instance of the former engine test, as a problem dict (seed 3)."""
    rng = random.Random(seed)
    ids = [f"q{i}" for i in range(n)]
    order = ids[:]
    rng.shuffle(order)
    group = {pid: pos // 5 for pos, pid in enumerate(order)}
    members = {}
    for pid, g in group.items():
        members.setdefault(g, []).append(pid)
    people = []
    for pid in ids:
        mates = [q for q in members[group[pid]] if q != pid]
        chosen = [*rng.sample(mates, 3), rng.choice(ids)]
        people.append({"id": pid, "choices": [c for c in dict.fromkeys(chosen) if c != pid]})
    return {
        "method": "matching",
        "group_size": {"min": 4, "max": 6},
        "seed": 3,
        "participants": people,
    }


def planted_matching_target(report, n, out, target_cls):
    from .bench import run_engine

    problem = planted_matching(n)
    report.problems[f"matching planted n={n}"] = problem
    solution, _groups, wall, faults = run_engine(problem, ENGINE_LIMIT_S)
    scores = solution["scores"]
    kept, total = scores["mutual_pairs_kept"], scores["mutual_pairs_total"]
    ok = not faults and kept >= PLANTED_MUTUAL_SHARE * total and wall < ENGINE_LIMIT_S
    figures = f"{kept} of {total} mutual pairs kept, {wall:.2f} s, {'; '.join(faults) or 'ok'}"
    out(f"\nPlanted matching at {n} people: {figures}")
    report.targets.append(
        target_cls(
            f"matching planted n={n}: >= 95% mutual pairs, hard rules, under 10 s",
            "PASS" if ok else "FAIL",
            figures,
        )
    )


def map_render_target(report, n, out, target_cls):
    from cohorts.formation.mapsvg import render_map_svg

    rng = random.Random(5)
    points = [
        {
            "id": i,
            "label": f"Organization {i}",
            "lat": rng.uniform(25, 48),
            "lon": rng.uniform(-123, -70),
            "group": i // 10,
        }
        for i in range(n)
    ]
    started = perf_counter()
    render_map_svg(points, title="Nationwide")
    wall = perf_counter() - started
    out(f"Map of {n} pins: {wall:.2f} s")
    report.targets.append(
        target_cls(
            f"map of {n} pins under 1 s",
            "PASS" if wall < MAP_LIMIT_S else "FAIL",
            f"{wall:.2f} s",
        )
    )
