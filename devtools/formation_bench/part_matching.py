"""Speed matching in the benchmark: up to 40 people against the exact optimum (HiGHS), with
an undecided instance given more HiGHS time once; at scale against swap hill climbing given the
engine's time."""

from . import baselines, exact
from . import instances as gen
from .measure import (
    LARGE_LIMIT_S,
    LARGE_TIME_S,
    SMALL_LIMIT_S,
    SMALL_TIME_S,
    Target,
    kept,
    pct,
    run_engine,
    table,
)


def matching_small(report, small, names, prefs, exact_s, out, retry_factor):
    rows, ratios, slow, proven_miss, faults = [], [], [], [], []
    for inst in gen.matching_grid(small, names, prefs):
        report.problems[inst.name] = inst.problem
        sol, groups, wall, fault = run_engine(inst.problem, SMALL_TIME_S)
        got, _mutual = kept(inst.problem, groups)
        opt = exact.matching_optimum(
            inst.problem, exact_s, start=[g["members"] for g in sol["groups"]]
        )
        undecided = got >= 0.99 * max(opt.value, got) and got < 0.99 * opt.bound
        if not opt.optimal and undecided and retry_factor > 1:
            # Undecided: the engine matches the best answer found but not 99% of the bound.
            # Give HiGHS six times as long before calling it open.
            opt = exact.matching_optimum(
                inst.problem, retry_factor * exact_s, start=[g["members"] for g in sol["groups"]]
            )
        marks, _ = gen.choice_pairs(inst.problem)
        best = max(opt.value, got)
        bound = opt.bound if not opt.optimal else best
        ratio_bound = pct(got, bound)
        ratio_best = pct(got, best)
        ratios.append(ratio_bound)
        if ratio_best < 99.0 - 1e-9:
            proven_miss.append(inst.name)
        if wall > SMALL_LIMIT_S:
            slow.append(inst.name)
        faults += [f"{inst.name}: {f}" for f in fault + ([opt.note] if not opt.valid else [])]
        row = {
            "part": "matching-small",
            "instance": inst.name,
            "choices": len(marks),
            "engine_kept": got,
            "optimum": best if opt.optimal else None,
            "bound": bound,
            "proven": opt.optimal,
            "engine_pct_of_bound": round(ratio_bound, 2),
            "engine_s": round(wall, 2),
            "exact_s": round(opt.elapsed_s, 1),
        }
        report.rows.append(row)
        rows.append(
            [
                inst.name,
                len(marks),
                got,
                best if opt.optimal else f"{best}..{int(bound)}",
                "yes" if opt.optimal else "no",
                f"{ratio_bound:.1f}%",
                f"{wall:.2f}",
                f"{opt.elapsed_s:.1f}",
            ]
        )
        out(f"  {inst.name}: engine {got}, optimum {row['optimum'] or rows[-1][3]}")
    table(
        out,
        "Speed matching up to 40 people: engine against the exact optimum (HiGHS)",
        ["instance", "choices", "engine", "optimum", "proven", "engine/opt", "engine s", "exact s"],
        rows,
    )
    worst = min(ratios) if ratios else 100.0
    slowest = max((r["engine_s"] for r in report.rows if r["part"] == "matching-small"), default=0)
    unproven = [r for r in report.rows if r["part"] == "matching-small" and not r["proven"]]
    if faults or slow or proven_miss:
        status = "FAIL"
    elif worst >= 99.0 - 1e-9:
        status = "PASS"
    else:
        status = "OPEN"
    report.targets.append(
        Target(
            "matching <=40: >=99% of optimum within 2 s",
            status,
            f"worst {worst:.1f}% of the optimum or proven bound over {len(ratios)} instances "
            f"({len(unproven)} not proven optimal in {exact_s:.0f} s, or "
            f"{retry_factor * exact_s:.0f} s when "
            "the engine matched HiGHS's best); slowest engine run "
            f"{slowest:.2f} s"
            + (f"; below 99% of a found answer: {', '.join(proven_miss)}" if proven_miss else "")
            + (f"; over 2 s: {', '.join(slow)}" if slow else "")
            + (f"; faults: {'; '.join(faults)}" if faults else ""),
        )
    )


def matching_large(report, large, names, prefs, out):
    rows = []
    for n in large:
        checks = []
        for pref in prefs:
            for k in names:
                inst = gen.matching_instance(n, k, pref, seed=n * 10 + k)
                report.problems[inst.name] = inst.problem
                _sol, groups, wall, fault = run_engine(inst.problem, LARGE_TIME_S)
                got, mutual = kept(inst.problem, groups)
                hc = baselines.hill_climb_matching(inst.problem, seed=1, budget_s=max(wall, 0.5))
                hc_got, hc_mutual = kept(inst.problem, hc)
                marks, mutual_all = gen.choice_pairs(inst.problem)
                mutual_pct = pct(mutual, len(mutual_all))
                gain = pct(got - hc_got, hc_got)
                row = {
                    "part": "matching-large",
                    "instance": inst.name,
                    "choices": len(marks),
                    "engine_kept": got,
                    "hill_climb_kept": hc_got,
                    "gain_pct": round(gain, 1),
                    "mutual_total": len(mutual_all),
                    "engine_mutual_pct": round(mutual_pct, 2),
                    "hill_climb_mutual_pct": round(pct(hc_mutual, len(mutual_all)), 2),
                    "engine_s": round(wall, 2),
                    "faults": fault,
                }
                report.rows.append(row)
                checks.append(row)
                rows.append(
                    [
                        inst.name,
                        len(marks),
                        got,
                        hc_got,
                        f"{gain:+.0f}%",
                        f"{mutual}/{len(mutual_all)} ({mutual_pct:.1f}%)",
                        f"{wall:.2f}",
                        "; ".join(fault) or "ok",
                    ]
                )
                out(f"  {inst.name}: engine {got}, hill climbing {hc_got}")
        if n == max(large) and n >= 2000:
            low_mutual = [r for r in checks if r["engine_mutual_pct"] < 97.0 and r["mutual_total"]]
            low_gain = [r for r in checks if r["gain_pct"] < 25.0]
            slow = [r for r in checks if r["engine_s"] > LARGE_LIMIT_S]
            bad = [r for r in checks if r["faults"]]
            with_mutual = [r for r in checks if r["mutual_total"]]
            report.targets.append(
                Target(
                    f"matching {n}: >=97% mutual pairs, no size violation, >=25% over hill "
                    "climbing, within 10 s",
                    "FAIL" if low_mutual or low_gain or slow or bad else "PASS",
                    f"mutual kept {min(r['engine_mutual_pct'] for r in with_mutual):.1f}% at "
                    f"worst; gain over hill climbing {min(r['gain_pct'] for r in checks):+.0f}% "
                    f"at worst; slowest {max(r['engine_s'] for r in checks):.2f} s; "
                    f"{len(bad)} with rule faults"
                    + (
                        "; below 97% mutual: "
                        + (", ".join(r["instance"] for r in low_mutual) or "none")
                        + "; below +25%: "
                        + (", ".join(r["instance"] for r in low_gain) or "none")
                        if low_mutual or low_gain
                        else ""
                    ),
                )
            )
    table(
        out,
        "Speed matching at scale: engine against swap hill climbing (same time)",
        ["instance", "choices", "engine", "hill climb", "gain", "mutual kept", "engine s", "rules"],
        rows,
    )
