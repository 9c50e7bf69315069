"""The map in the benchmark: total distance against the exact capacitated p-median (up to 60
organizations), and the largest within-group distance against size-constrained k-means."""

from time import perf_counter

from . import baselines, exact
from . import instances as gen
from .measure import (
    LARGE_TIME_S,
    SMALL_TIME_S,
    Target,
    map_eval,
    pct,
    run_engine,
    table,
)


def map_part(report, exact_sizes, large, exact_s, out):
    rows, cost_miss, spread_miss, unproven = [], [], [], []
    for n in [*exact_sizes, *large]:
        inst = gen.map_instance(n, metros=4 if n <= 60 else 6, seed=n)
        report.problems[inst.name] = inst.problem
        limit = LARGE_TIME_S if n >= 1000 else SMALL_TIME_S
        sol, groups, wall, fault = run_engine(inst.problem, limit)
        cost, spread = map_eval(inst.problem, groups)
        t0 = perf_counter()
        km = baselines.kmeans_map(inst.problem, k=len(groups), seed=1)
        km_s = perf_counter() - t0
        km_cost, km_spread = map_eval(inst.problem, km)
        row = {
            "part": "map",
            "instance": inst.name,
            "groups": len(groups),
            "engine_km": cost,
            "engine_spread_km": spread,
            "kmeans_km": km_cost,
            "kmeans_spread_km": km_spread,
            "engine_s": round(wall, 2),
            "kmeans_s": round(km_s, 2),
            "faults": fault,
        }
        opt_text = "-"
        if n <= 60:
            opt = exact.pmedian_optimum(
                inst.problem, len(groups), exact_s * 3, start=[g["members"] for g in sol["groups"]]
            )
            best = min(opt.value, cost)
            bound = opt.bound if not opt.optimal else best
            row.update(optimum_km=round(best, 3), bound_km=round(bound, 3), proven=opt.optimal)
            over = pct(cost - bound, bound)
            row["engine_over_opt_pct"] = round(over, 3)
            if pct(cost - best, best) > 1.0:
                cost_miss.append(inst.name)
            elif over > 1.0:
                unproven.append(inst.name)
            opt_text = f"{best:.1f}" + ("" if opt.optimal else f" (bound {bound:.1f})")
        if spread > km_spread + 1e-6 or fault:
            spread_miss.append(inst.name)
        report.rows.append(row)
        rows.append(
            [
                inst.name,
                len(groups),
                f"{cost:.1f}",
                opt_text,
                f"{km_cost:.1f}",
                f"{spread:.0f}",
                f"{km_spread:.0f}",
                f"{wall:.2f}",
                "; ".join(fault) or "ok",
            ]
        )
        out(f"  {inst.name}: engine {cost:.1f} km, k-means {km_cost:.1f} km")
    table(
        out,
        "Map: total km to each group's median organization, and the largest within-group distance",
        [
            "instance",
            "groups",
            "engine km",
            "p-median optimum",
            "k-means km",
            "engine spread",
            "k-means spread",
            "engine s",
            "rules",
        ],
        rows,
    )
    exact_rows = [r for r in report.rows if r["part"] == "map" and "optimum_km" in r]
    worst = max((r["engine_over_opt_pct"] for r in exact_rows), default=0.0)
    exact_targets = report.targets if exact_rows else []  # no exact sizes asked: no target
    exact_targets.append(
        Target(
            "map: within 1% of the exact capacitated p-median (<=60 organizations)",
            "FAIL" if cost_miss else ("OPEN" if unproven else "PASS"),
            f"engine at most {worst:.2f}% above the optimum (or proven bound) on "
            f"{len(exact_rows)} instances"
            + (f"; missed: {', '.join(cost_miss)}" if cost_miss else ""),
        )
    )
    report.targets.append(
        Target(
            "map: largest within-group distance no worse than size-constrained k-means",
            "FAIL" if spread_miss else "PASS",
            ", ".join(
                f"{r['instance']}: {r['engine_spread_km']:.0f} vs {r['kmeans_spread_km']:.0f} km"
                for r in report.rows
                if r["part"] == "map"
            ),
        )
    )
