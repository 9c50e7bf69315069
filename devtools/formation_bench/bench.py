"""The formation benchmark: the engine against exact optima and baselines (`manage.py formbench`).

`run(...)` builds the seeded instances (instances), runs the engine (cohorts.formation
.solve) on each, checks the hard rules of every answer, computes the exact optimum with HiGHS
where the size allows (exact), runs the baselines with the same time budget as the
engine (baselines), prints one table per part and checks the targets of issue 5:

- matching, up to 40 people: engine kept choices >= 99% of the optimum, within 2 s;
- matching, 2,000 people, within 10 s: >= 97% of mutual pairs kept, no size violation, >= 25%
  more kept choices than swap hill climbing;
- criteria, equal run time: better worst-group score than hill climbing, fewer unmet rules
  than rule-by-rule repair;
- map: within 1% of the exact capacitated p-median (up to 60 organizations, p = the engine's
  number of groups), largest within-group distance no worse than size-constrained k-means;
- every method under 10 s at 2,000 people;
- at the largest size, the checks of scale.py (planted matching, the map's rendering).

When HiGHS cannot prove an optimum within its time limit, the engine is compared with the proven
bound: at least 99% of the bound passes, below 99% of the best answer HiGHS found fails, and in
between HiGHS gets six times as long once more; still undecided, the target is "open"
(reported, not counted as a failure).

Returns a `Report` with `rows` (one dict per measurement), `problems` (name -> problem dict) and
`targets` (name, status, figures).
"""

from dataclasses import dataclass, field
from time import perf_counter

from . import baselines, exact, scale
from . import instances as gen

SMALL_TIME_S = 1.8  # engine time limit for up to 40 people (target: 2 s)
LARGE_TIME_S = 9.0  # engine time limit at 2,000 people (target: 10 s)
SMALL_LIMIT_S = 2.0
LARGE_LIMIT_S = 10.0


@dataclass
class Target:
    name: str
    status: str  # PASS, FAIL or OPEN
    figures: str


@dataclass
class Report:
    rows: list = field(default_factory=list)
    problems: dict = field(default_factory=dict)
    targets: list = field(default_factory=list)

    @property
    def failed(self):
        return [t for t in self.targets if t.status == "FAIL"]


def run_engine(problem, time_limit_s):
    from cohorts.formation.engine import solve

    problem = dict(problem, time_limit_s=time_limit_s)
    started = perf_counter()
    solution = solve(problem)
    wall = perf_counter() - started
    ids = [p["id"] for p in problem["participants"]]
    pos = {p: i for i, p in enumerate(ids)}
    groups = [[pos[m] for m in g["members"]] for g in solution["groups"]]
    return solution, groups, wall, hard_rule_faults(problem, solution)


def hard_rule_faults(problem, solution):
    """Everyone exactly once, sizes within limits, locks and topic caps respected."""
    faults = []
    ids = [p["id"] for p in problem["participants"]]
    seen = [m for g in solution["groups"] for m in g["members"]]
    if sorted(seen) != sorted(ids):
        faults.append("not everyone exactly once")
    size = problem.get("group_size") or {}
    if "min" in size:
        bad = [len(g["members"]) for g in solution["groups"]]
        bad = [s for s in bad if not size["min"] <= s <= size["max"]]
        if bad:
            faults.append(f"{len(bad)} groups outside {size['min']}-{size['max']}")
    where = {m: g["id"] for g in solution["groups"] for m in g["members"]}
    if any(where.get(a) != where.get(b) for a, b in problem.get("together", [])):
        faults.append("a together-lock broken")
    if any(where.get(a) == where.get(b) for a, b in problem.get("apart", [])):
        faults.append("an apart-lock broken")
    for topic in problem.get("topics", []):
        if topic.get("cap") is not None:
            taken = sum(
                len(g["members"]) for g in solution["groups"] if g.get("topic") == topic["id"]
            )
            if taken > topic["cap"]:
                faults.append(f"topic {topic['id']} over its cap")
    for person, group in (problem.get("preassigned") or {}).items():
        if where.get(person) != group:
            faults.append(f"{person} not in preassigned group {group}")
            break
    return faults


def kept(problem, groups):
    """(choices kept, mutual pairs kept) for groups of person indexes."""
    ids = [p["id"] for p in problem["participants"]]
    where = {}
    for g, members in enumerate(groups):
        for i in members:
            where[ids[i]] = g
    marks, mutual = gen.choice_pairs(problem)
    return (
        sum(where[a] == where[b] for a, b in marks),
        sum(where[a] == where[b] for a, b in mutual),
    )


def criteria_eval(problem, groups):
    from cohorts.formation.engine.criteria import criteria_scores
    from cohorts.formation.engine.problem import parse

    scores, _ = criteria_scores(parse(problem), groups)
    return scores["worst_group_score"], scores["unmet_rules"]


def map_eval(problem, groups):
    from cohorts.formation.engine.geo import map_scores
    from cohorts.formation.engine.problem import parse

    scores, _ = map_scores(parse(problem), groups)
    return scores["total_km_to_medoid"], scores["max_within_group_km"]


def pct(a, b):
    return 100.0 * a / b if b else 100.0


def table(out, title, header, rows):
    out("")
    out(title)
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    out("  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True)))
    for row in rows:
        out("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))


def run(quick=False, sizes=None, exact_s=10.0, out=print, retry_factor=6):
    report = Report()
    """sizes: None for the default (20, 30, 40 solved exactly; 200 and 2,000 at scale), or
    (small, large) lists."""
    small, large = (
        ([20, 30, 40], [200, 2000]) if sizes is None else (list(sizes[0]), list(sizes[1]))
    )
    if quick:
        small, large = [s for s in small if s <= 20] or [20], []
    biggest = max(large) if large else None
    names = (3,) if quick else (3, 5, 8)
    prefs = ("clear", "random") if quick else ("clear", "noisy", "random")
    started = perf_counter()

    if small:
        _matching_small(report, small, names, prefs, exact_s, out, retry_factor)
    if large:
        _matching_large(report, large, names, prefs, out)
    _criteria(report, ([30] if small else []) + large if not quick else [20], quick, out)
    _map(report, ([20, 40, 60] if small else []) if not quick else [20], large, exact_s, out)
    if biggest:
        _other_methods(report, biggest, out)
        _speed_target(report, biggest)
        scale.planted_matching_target(report, biggest, out, Target)
        scale.map_render_target(report, biggest, out, Target)

    out("")
    out("Targets")
    for t in report.targets:
        out(f"  {t.status:4}  {t.name}: {t.figures}")
    passed = sum(t.status == "PASS" for t in report.targets)
    opened = sum(t.status == "OPEN" for t in report.targets)
    out(
        f"{passed} of {len(report.targets)} targets pass, {len(report.failed)} fail, "
        f"{opened} open; benchmark took {perf_counter() - started:.0f} s."
    )
    return report


def _matching_small(report, small, names, prefs, exact_s, out, retry_factor):
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


def _matching_large(report, large, names, prefs, out):
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


def _criteria(report, sizes, quick, out):
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


def _map(report, exact_sizes, large, exact_s, out):
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


def _other_methods(report, n, out):
    rows = []
    for inst in (gen.topic_instance(n, topics=8, seed=n), gen.preassign_instance(n, seed=n)):
        report.problems[inst.name] = inst.problem
        try:
            sol, _groups, wall, fault = run_engine(inst.problem, LARGE_TIME_S)
            scores = sol["scores"]
        except Exception as exc:  # a crash is a finding to report, not a reason to stop
            wall, fault, scores = float("nan"), [f"{type(exc).__name__}: {exc}"], {}
        report.rows.append(
            {
                "part": inst.method,
                "instance": inst.name,
                "engine_s": round(wall, 2),
                "scores": scores,
                "faults": fault,
            }
        )
        shown = ", ".join(f"{k} {v}" for k, v in scores.items() if not isinstance(v, list | dict))
        rows.append([inst.name, f"{wall:.2f}", shown[:90], "; ".join(fault) or "ok"])
    table(
        out,
        "Topic choice and pre-assign at scale",
        ["instance", "engine s", "scores", "rules"],
        rows,
    )


def _speed_target(report, n):
    times = {}
    for r in report.rows:
        if f"n={n} " in r["instance"] + " " or r["instance"].endswith(f"n={n}"):
            method = r["part"].replace("matching-large", "matching")
            times[method] = max(times.get(method, 0.0), r.get("engine_s", 0.0))
    slow = {m: t for m, t in times.items() if not t < LARGE_LIMIT_S}
    report.targets.append(
        Target(
            f"every method under 10 s at {n} people",
            "FAIL" if slow or not times else "PASS",
            ", ".join(f"{m} {t:.2f} s" for m, t in sorted(times.items())),
        )
    )
