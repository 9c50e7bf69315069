"""`solve(problem_dict) -> solution_dict`: the one entry point for the web app, Celery and the
`formgroups` command. See docs/formation-format.md for both formats.

Number of groups: with "group_size" {min, max} the engine uses the count whose average size is
nearest the middle of the range, k = round(n / ((min + max) / 2)), moved into the feasible range
ceil(n / max)..floor(n / min) and raised to the number of preassigned groups if needed; the
search then lets each group's size vary within min..max. The greedy start uses even sizes.
For matching the count itself is free: the search may also empty groups or open new ones
(up to n // min), paying a flat cost while a group is below the minimum, and keeps only
groupings where every group is within min..max.
With "groups": N, exactly N groups whose sizes differ by at most one.

Search budget: ITERATIONS_PER_UNIT x the number of units (people after together-locks are
merged), between MIN_ITERATIONS and MAX_ITERATIONS, split over a few restarts (more for small
rounds). The default budget ends well inside the default 10 s at 2,000 people, so results
are repeatable; `time_limit_s` stops the search early only when the budget would not fit,
and then the result depends on the machine's speed.
"""

from __future__ import annotations

import random
import time

from .criteria import CriteriaObjective, criteria_scores
from .geo import GeoObjective, map_scores, shrink_widest
from .matching import (
    MatchingObjective,
    agglomerate,
    chain_polish,
    matching_scores,
    mutual_repair,
)
from .problem import FormationError, Problem, group_count, parse
from .search import Even, FormationStuck, State, construct, optimise

ITERATIONS_PER_UNIT = {"matching": 300, "criteria": 400, "map": 150, "preassign": 200}
# The map needs 80,000 steps even in a small round: with 30,000 (under 4,000 per restart at
# 60 organizations) one seed in three ended 1-45% above the exact p-median.
MIN_ITERATIONS = {"matching": 150_000, "criteria": 80_000, "map": 80_000, "preassign": 60_000}
MAX_ITERATIONS = {"matching": 400_000, "criteria": 200_000, "map": 150_000, "preassign": 300_000}
SEARCH_SHARE_OF_TIME_LIMIT = 0.85
MUTUAL_REPAIR_SHARE = 0.08
POLISH_UP_TO = 30  # units: matching rounds this small end each restart with chains of moves


def solve(problem: dict, progress=None) -> dict:
    """Check the problem, form the groups, and return the solution (raises FormationError).
    `progress`, if given, is called now and then with the share of the search done (0..1);
    it does not change the result."""
    started = time.perf_counter()
    parsed = parse(problem)
    return solve_problem(parsed, started=started, progress=progress)


def restarts_for(n_units, method="matching"):
    if method == "criteria":
        return 1 if n_units > 60 else 2
    if n_units <= 60:
        return 8
    if n_units <= 300:
        return 4
    if n_units <= 1000:
        return 2
    return 1


def objective_for(problem: Problem, method=None):
    method = method or problem.method
    if method == "preassign":
        if any(problem.choices):
            method = "matching"
        elif problem.criteria:
            method = "criteria"
        elif all(loc is not None for loc in problem.locations):
            method = "map"
        else:
            return Even(), "even"
    if method == "matching":
        return MatchingObjective(problem), method
    if method == "criteria":
        return CriteriaObjective(problem), method
    if method == "map":
        return GeoObjective(problem), method
    return Even(), "even"


def form_groups(problem: Problem, rng, deadline, progress=None):
    """Groups of person indexes for every method but topic."""
    k = problem.groups or group_count(
        problem.n, problem.size_min, problem.size_max, at_least=len(problem.fixed_names)
    )
    obj, kind = objective_for(problem)
    if kind == "matching" and not problem.groups:
        # Kept choices decide how many groups there are: start from k groups and let the
        # search open or empty groups, up to n // min of them.
        st = State(problem, max(k, problem.n // problem.size_min))
        st.active = k
        st.soft_min = True
    else:
        st = State(problem, k)
    st.on_progress = progress
    obj.st = st
    n_units = len(problem.units)
    method = problem.method
    iterations = min(
        MAX_ITERATIONS[method], max(MIN_ITERATIONS[method], ITERATIONS_PER_UNIT[method] * n_units)
    )
    if kind == "even":
        iterations = 0
    # A start that satisfies the locks; try a few orders before giving up.
    for _attempt in range(30):
        try:
            first = construct(st, obj.order(rng))
            break
        except FormationStuck:
            continue
    else:
        raise FormationError(
            "No grouping satisfies all the locks within the group sizes.",
            [
                "The 'apart' locks, together with the sizes and the preassigned people, leave "
                "no way to place everyone. Remove some locks or widen the sizes."
            ],
        )
    if kind == "matching" and st.soft_min:
        start = agglomerate(problem, st, rng)
        if start is not None:
            first = start
            if n_units > 300:
                # A large round's start from the choices is already good: anneal cooler.
                obj.t0_scale = 0.05
    if kind == "matching" and n_units <= POLISH_UP_TO:
        # Small rounds: each annealing run ends with chains of moves (three-way rotations).
        obj.polish = lambda state, until: chain_polish(problem, state, obj, until)
    optimise(st, obj, rng, iterations, restarts_for(n_units, method), deadline, first)
    if kind == "map":
        shrink_widest(obj, st, deadline)
    if kind == "matching":
        # Mutual choices first: reunite mutual pairs by short chains of moves, never at the
        # cost of the objective (a little time past the search's share is kept for this).
        mutual_repair(problem, st, obj, deadline + MUTUAL_REPAIR_SHARE * problem.time_limit_s)
    groups = [st.members(g) for g in range(st.k)]
    return [m for g, m in enumerate(groups) if m or g < len(problem.fixed_names)], obj


def group_names(problem: Problem, k):
    taken = set(problem.fixed_names)
    names = list(problem.fixed_names)
    counter = 1
    while len(names) < k:
        name = f"g{counter}"
        counter += 1
        if name not in taken:
            names.append(name)
    return names


def solve_problem(problem: Problem, started=None, progress=None) -> dict:
    started = time.perf_counter() if started is None else started
    deadline = started + SEARCH_SHARE_OF_TIME_LIMIT * problem.time_limit_s
    rng = random.Random(problem.seed)  # noqa: S311 - repeatable search, not security
    if problem.method == "topic":
        from .topic import solve_topics

        groups, topics, scores, extras = solve_topics(problem, rng, deadline)
    else:
        groups, _obj = form_groups(problem, rng, deadline, progress)
        topics = None
        # Fixed groups keep their names first; the rest in order of their first member.
        nfixed = len(problem.fixed_names)
        groups = [sorted(m) for m in groups]
        groups = groups[:nfixed] + sorted(groups[nfixed:], key=lambda m: m[0] if m else 0)
        scores, extras = scores_for(problem, groups)
    names = group_names(problem, len(groups))
    if topics is not None:
        names = [f"g{g + 1}" for g in range(len(groups))]
    out_groups = []
    for g, members in enumerate(groups):
        entry = {"id": names[g], "members": [problem.ids[i] for i in members]}
        if topics is not None:
            entry["topic"] = problem.topics[topics[g]]["id"]
        if extras:
            entry.update(extras[g])
        out_groups.append(entry)
    return {
        "groups": out_groups,
        "scores": scores,
        "elapsed_s": round(time.perf_counter() - started, 3),
    }


def scores_for(problem: Problem, groups):
    method = problem.method
    if method == "preassign":
        _obj, method = objective_for(problem)
    if method == "matching":
        return matching_scores(problem, groups)
    if method == "criteria":
        return criteria_scores(problem, groups)
    if method == "map":
        return map_scores(problem, groups)
    sizes = [len(m) for m in groups]
    return {"groups": len(groups), "smallest": min(sizes), "largest": max(sizes)}, None
