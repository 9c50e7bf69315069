"""Criteria in the benchmark: the engine's worst-group score and unmet rules against hill
climbing and rule-by-rule repair given the same time."""

from time import perf_counter

from . import baselines
from . import instances as gen
from .measure import (
    LARGE_TIME_S,
    SMALL_TIME_S,
    Target,
    criteria_eval,
    run_engine,
    table,
)


def criteria_part(report, sizes, quick, out):
    rows, misses = [], []
    cases = (
        [("noisy", "mix")] if quick else [("clear", "similar"), ("noisy", "mix"), ("random", "mix")]
    )
    for n in sizes:
        for pref, kind in cases:
            inst = gen.criteria_instance(n, pref, kind, seed=n)
            report.problems[inst.name] = inst.problem
            limit = LARGE_TIME_S if n >= 1000 else SMALL_TIME_S
            _sol, groups, wall, fault = run_engine(inst.problem, limit)
            worst, unmet = criteria_eval(inst.problem, groups)
            budget = max(wall, 0.2)
            t0 = perf_counter()
            hc = baselines.hill_climb_criteria(inst.problem, seed=1, budget_s=budget)
            hc_s = perf_counter() - t0
            t0 = perf_counter()
            rr = baselines.rule_repair_criteria(inst.problem, seed=1, budget_s=budget)
            rr_s = perf_counter() - t0
            hc_worst, hc_unmet = criteria_eval(inst.problem, hc)
            rr_worst, rr_unmet = criteria_eval(inst.problem, rr)
            ok = worst > hc_worst and unmet < rr_unmet and not fault
            if not ok:
                misses.append(inst.name)
            report.rows.append(
                {
                    "part": "criteria",
                    "instance": inst.name,
                    "engine_worst": worst,
                    "engine_unmet": unmet,
                    "hill_climb_worst": hc_worst,
                    "hill_climb_unmet": hc_unmet,
                    "repair_worst": rr_worst,
                    "repair_unmet": rr_unmet,
                    "engine_s": round(wall, 2),
                    "hill_climb_s": round(hc_s, 2),
                    "repair_s": round(rr_s, 2),
                    "faults": fault,
                }
            )
            rows.append(
                [
                    inst.name,
                    f"{worst:.3f}",
                    unmet,
                    f"{hc_worst:.3f}",
                    hc_unmet,
                    f"{rr_worst:.3f}",
                    rr_unmet,
                    f"{wall:.2f}",
                    "; ".join(fault) or "ok",
                ]
            )
            out(f"  {inst.name}: engine worst {worst:.3f}, unmet {unmet}")
    table(
        out,
        "Criteria: worst-group score and unmet (group, rule) pairs at equal run time",
        [
            "instance",
            "engine worst",
            "unmet",
            "hill worst",
            "unmet",
            "repair worst",
            "unmet",
            "engine s",
            "rules",
        ],
        rows,
    )
    report.targets.append(
        Target(
            "criteria: worst group better than hill climbing, fewer unmet rules than repair",
            "FAIL" if misses else "PASS",
            f"{len(rows) - len(misses)} of {len(rows)} instances"
            + (f"; missed on {', '.join(misses)}" if misses else ""),
        )
    )
