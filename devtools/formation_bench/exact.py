"""Exact optima for the formation benchmark, solved by HiGHS (`highspy`, a dev dependency).

- `matching_optimum(problem)`: the most choices (i marks j) that can fall inside groups, with the
  pairwise "share a group" model: a binary x_ij for every pair i<j, the triangle constraints
  x_ij + x_jk - x_ik <= 1 in all three rotations (sharing a group is transitive), and for each
  person min-1 <= sum_j x_ij <= max-1 (their group's size). The answer's x is checked to be a
  partition with every size within limits. Meant for up to about 40 people.
- `pmedian_optimum(problem, p)`: the capacitated p-median on the organizations: y_j opens
  organization j as a median, x_ij assigns i to it, exactly p medians, each open median takes
  min..max members, minimize the total great-circle distance. Meant for up to about 60 points.

Both return an `ExactResult` whose `optimal` says whether HiGHS proved optimality within the
time limit (when not, `value` is the best found and `bound` the proven bound).
"""

import itertools
import math
from dataclasses import dataclass, field
from time import perf_counter

import numpy as np


@dataclass
class ExactResult:
    value: float
    bound: float
    optimal: bool
    status: str
    elapsed_s: float
    groups: list[list[str]] = field(default_factory=list)
    valid: bool = True
    note: str = ""


def haversine_km(a, b):
    lat1, lon1 = math.radians(a[0]), math.radians(a[1])
    lat2, lon2 = math.radians(b[0]), math.radians(b[1])
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _highs(time_limit_s, threads=1, gap=0.0):
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit_s))
    h.setOptionValue("threads", int(threads))
    h.setOptionValue("mip_rel_gap", float(gap))
    h.setOptionValue("random_seed", 1)
    return h


def _add_rows(h, rows, lower, upper):
    """rows: list of (indices, values)."""
    starts, indices, values = [], [], []
    for idx, vals in rows:
        starts.append(len(indices))
        indices.extend(idx)
        values.extend(vals)
    h.addRows(
        len(rows),
        np.array(lower, dtype=np.float64),
        np.array(upper, dtype=np.float64),
        len(indices),
        np.array(starts, dtype=np.int32),
        np.array(indices, dtype=np.int32),
        np.array(values, dtype=np.float64),
    )


def _add_binaries(h, costs):
    import highspy

    m = len(costs)
    h.addCols(
        m,
        np.array(costs, dtype=np.float64),
        np.zeros(m),
        np.ones(m),
        0,
        np.array([], dtype=np.int32),
        np.array([], dtype=np.int32),
        np.array([], dtype=np.float64),
    )
    h.changeColsIntegrality(
        m, np.arange(m, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * m)
    )


def _finish(h, sense_max):
    import highspy

    started = perf_counter()
    h.run()
    elapsed = perf_counter() - started
    status = h.getModelStatus()
    info = h.getInfo()
    optimal = status == highspy.HighsModelStatus.kOptimal
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    value = (
        info.objective_function_value if has_solution else (-math.inf if sense_max else math.inf)
    )
    bound = info.mip_dual_bound
    x = list(h.getSolution().col_value) if has_solution else []
    return x, value, bound, optimal, h.modelStatusToString(status), elapsed


def matching_optimum(problem, time_limit_s=60.0, start=None):
    """`start`: optional groups (lists of ids) handed to HiGHS as a first feasible answer."""
    import highspy

    ids = [p["id"] for p in problem["participants"]]
    n = len(ids)
    gmin, gmax = problem["group_size"]["min"], problem["group_size"]["max"]
    pos = {p: i for i, p in enumerate(ids)}
    pair_index = {}
    for i, j in itertools.combinations(range(n), 2):
        pair_index[i, j] = len(pair_index)

    def var(i, j):
        return pair_index[(i, j) if i < j else (j, i)]

    weight = [0.0] * len(pair_index)
    for p in problem["participants"]:
        for q in p.get("choices", []):
            weight[var(pos[p["id"]], pos[q])] += 1.0

    h = _highs(time_limit_s)
    _add_binaries(h, weight)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    rows, lower, upper = [], [], []
    for i, j, k in itertools.combinations(range(n), 3):
        a, b, c = var(i, j), var(j, k), var(i, k)
        for x1, x2, x3 in ((a, b, c), (a, c, b), (b, c, a)):
            rows.append(([x1, x2, x3], [1.0, 1.0, -1.0]))
            lower.append(-math.inf)
            upper.append(1.0)
    for i in range(n):
        rows.append(([var(i, j) for j in range(n) if j != i], [1.0] * (n - 1)))
        lower.append(gmin - 1.0)
        upper.append(gmax - 1.0)
    # Valid cuts that tighten the relaxation (they hold for every partition): if m of the set T
    # of i's choice neighbours share i's group, the m(m-1)/2 pairs among them do too, and
    # m(m-1)/2 >= t*m - t(t+1)/2 for every integer t.
    for i in range(n):
        near = sorted({j for j in range(n) if j != i and weight[var(i, j)] > 0})
        inner = [var(j, k) for j, k in itertools.combinations(near, 2)]
        for t in range(1, min(len(near), gmax - 1)):
            rows.append(
                ([var(i, j) for j in near] + inner, [float(t)] * len(near) + [-1.0] * len(inner))
            )
            lower.append(-math.inf)
            upper.append(t * (t + 1) / 2)
    _add_rows(h, rows, lower, upper)
    if start:
        col = [0.0] * len(pair_index)
        for g in start:
            for a, b in itertools.combinations(g, 2):
                col[var(pos[a], pos[b])] = 1.0
        sol = highspy.HighsSolution()
        sol.col_value = col
        h.setSolution(sol)
    x, value, bound, optimal, status, elapsed = _finish(h, sense_max=True)
    # Every choice weighs 1, so the optimum is a whole number: a bound of 57.4 proves 57.
    bound = math.floor(bound + 1e-6)
    if x and not optimal and bound <= round(value):
        optimal, status = True, f"{status} (bound {bound} reached)"
    result = ExactResult(round(value), bound, optimal, status, elapsed)
    if x:
        together = {pair for pair, v in pair_index.items() if x[v] > 0.5}
        result.groups, result.valid, result.note = _partition(ids, together, gmin, gmax)
    return result


def _partition(ids, together, gmin, gmax):
    """Read groups off the pairwise x and check they form a partition within the size limits."""
    n = len(ids)
    seen, groups, problems = set(), [], []
    for i in range(n):
        if i in seen:
            continue
        members = [i] + [j for j in range(n) if j != i and (min(i, j), max(i, j)) in together]
        for a, b in itertools.combinations(members, 2):
            if (min(a, b), max(a, b)) not in together:
                problems.append(f"{ids[a]} and {ids[b]} share a group only through others")
        if any(m in seen for m in members):
            problems.append(f"{ids[i]} is in two groups")
        seen.update(members)
        groups.append([ids[m] for m in members])
    for g in groups:
        if not gmin <= len(g) <= gmax:
            problems.append(f"a group of {len(g)} is outside {gmin}-{gmax}")
    return groups, not problems, "; ".join(problems[:3])


def pmedian_cost(points, groups):
    """Total distance from each member to the best member-median of their group (km)."""
    total = 0.0
    for g in groups:
        total += min(sum(haversine_km(points[a], points[b]) for a in g) for b in g)
    return total


def pmedian_optimum(problem, p, time_limit_s=60.0, start=None):
    """`start`: optional groups (lists of ids) handed to HiGHS as a first feasible answer."""
    ids = [row["id"] for row in problem["participants"]]
    points = [(row["location"]["lat"], row["location"]["lon"]) for row in problem["participants"]]
    n = len(ids)
    gmin, gmax = problem["group_size"]["min"], problem["group_size"]["max"]

    # Columns: x_ij at i*n+j (i assigned to median j), then y_j at n*n+j.
    def x(i, j):
        return i * n + j

    def y(j):
        return n * n + j

    costs = [haversine_km(points[i], points[j]) for i in range(n) for j in range(n)]
    costs += [0.0] * n
    # A relative gap of 1e-5 is "optimal" for a 1% comparison, and saves the long tail.
    h = _highs(time_limit_s, gap=1e-5)
    _add_binaries(h, costs)
    rows, lower, upper = [], [], []
    for i in range(n):  # each organization assigned once
        rows.append(([x(i, j) for j in range(n)], [1.0] * n))
        lower.append(1.0)
        upper.append(1.0)
    for i in range(n):  # only to an open median
        for j in range(n):
            if i != j:
                rows.append(([x(i, j), y(j)], [1.0, -1.0]))
                lower.append(-math.inf)
                upper.append(0.0)
    for j in range(n):  # a median serves itself, and min..max members
        rows.append(([x(j, j), y(j)], [1.0, -1.0]))
        lower.append(0.0)
        upper.append(0.0)
        col = [x(i, j) for i in range(n)]
        rows.append(([*col, y(j)], [1.0] * n + [-float(gmin)]))
        lower.append(0.0)
        upper.append(math.inf)
        rows.append(([*col, y(j)], [1.0] * n + [-float(gmax)]))
        lower.append(-math.inf)
        upper.append(0.0)
    rows.append(([y(j) for j in range(n)], [1.0] * n))
    lower.append(float(p))
    upper.append(float(p))
    _add_rows(h, rows, lower, upper)
    if start and len(start) == p:
        import highspy

        pos = {pid: i for i, pid in enumerate(ids)}
        col = [0.0] * (n * n + n)
        for g in start:
            members = [pos[m] for m in g]
            med = min(members, key=lambda b: sum(costs[x(a, b)] for a in members))
            col[y(med)] = 1.0
            for a in members:
                col[x(a, med)] = 1.0
        start_sol = highspy.HighsSolution()
        start_sol.col_value = col
        h.setSolution(start_sol)
    sol, value, bound, optimal, status, elapsed = _finish(h, sense_max=False)
    result = ExactResult(value, bound, optimal, status, elapsed)
    if sol:
        groups = {}
        for i in range(n):
            j = max(range(n), key=lambda j, i=i: sol[x(i, j)])
            groups.setdefault(j, []).append(ids[i])
        result.groups = list(groups.values())
        bad = [g for g in result.groups if not gmin <= len(g) <= gmax]
        result.valid = not bad and len(result.groups) == p
        if not result.valid:
            result.note = f"{len(result.groups)} groups, {len(bad)} outside {gmin}-{gmax}"
    return result
