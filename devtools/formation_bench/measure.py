"""What every part of the formation benchmark shares: the engine's time limits, the report
and its targets, running the engine with its hard rules checked, the figures the parts compare
(kept choices, criteria and map scores) and the plain-text tables."""

from dataclasses import dataclass, field
from time import perf_counter

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
