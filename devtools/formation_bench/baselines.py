"""Baselines for the formation benchmark, written from their published descriptions.

- `hill_climb_matching` / `hill_climb_criteria`: the swap hill-climbing of criteria-weighted
  classroom team tools: one random feasible start, then try random swaps of two people in
  different groups and keep a swap only if it improves the objective; stop after `patience`
  non-improving tries in a row or when the time budget is spent. Matching maximises kept
  choices; criteria maximises the worst group's score (ties broken by the total).
- `rule_repair_criteria`: rule-by-rule repair: take the criteria one at a time, heaviest first,
  and swap people to fix the groups that miss the current rule, never breaking a rule already
  handled; what is still missed at the end is counted.
- `kmeans_map`: size-constrained k-means: Lloyd iterations where each round assigns points to
  the nearest centroid with room, largest regret first, then tops up groups below the minimum.

All return groups as lists of person indexes (positions in `problem["participants"]`).
Criteria scores use the engine's own scoring (cohorts.formation.engine.criteria) so that engine and
baselines are measured alike.
"""

import math
import random
from time import perf_counter

from cohorts.formation.engine.geo import haversine_km
from cohorts.formation.engine.problem import group_count


def _rng(seed):
    return random.Random(seed)


def random_start(n, gmin, gmax, rng):
    k = group_count(n, gmin, gmax)
    if k is None:
        raise ValueError(f"{n} people cannot form groups of {gmin}-{gmax}")
    order = list(range(n))
    rng.shuffle(order)
    return [order[g::k] for g in range(k)]


def _swap_loop(groups, delta, apply, rng, patience, budget_s):
    """Random swaps between two groups, kept only when `delta` says they improve."""
    deadline = perf_counter() + budget_s
    k = len(groups)
    fails = tries = 0
    while fails < patience:
        tries += 1
        if tries % 256 == 0 and perf_counter() > deadline:
            break
        ga, gb = rng.randrange(k), rng.randrange(k)
        if ga == gb:
            fails += 1
            continue
        ia, ib = rng.randrange(len(groups[ga])), rng.randrange(len(groups[gb]))
        if delta(ga, ia, gb, ib) > 1e-12:
            apply(ga, ia, gb, ib)
            fails = 0
        else:
            fails += 1
    return tries


def hill_climb_matching(problem, seed=1, budget_s=10.0, patience=None):
    ids = [p["id"] for p in problem["participants"]]
    pos = {p: i for i, p in enumerate(ids)}
    n = len(ids)
    weight = [{} for _ in range(n)]  # w(i, j) = [i marks j] + [j marks i]
    for p in problem["participants"]:
        i = pos[p["id"]]
        for q in p.get("choices", []):
            j = pos[q]
            weight[i][j] = weight[i].get(j, 0) + 1
            weight[j][i] = weight[j].get(i, 0) + 1
    rng = _rng(seed)
    size = problem["group_size"]
    groups = random_start(n, size["min"], size["max"], rng)
    where = [0] * n
    for g, members in enumerate(groups):
        for i in members:
            where[i] = g

    def pull(i, g):
        return sum(w for j, w in weight[i].items() if where[j] == g)

    def delta(ga, ia, gb, ib):
        a, b = groups[ga][ia], groups[gb][ib]
        wab = weight[a].get(b, 0)
        return pull(a, gb) - wab - pull(a, ga) + pull(b, ga) - wab - pull(b, gb)

    def apply(ga, ia, gb, ib):
        a, b = groups[ga][ia], groups[gb][ib]
        groups[ga][ia], groups[gb][ib] = b, a
        where[a], where[b] = gb, ga

    _swap_loop(groups, delta, apply, rng, patience or 20 * n, budget_s)
    return groups


def _criteria_tools(problem):
    from cohorts.formation.engine.criteria import Criterion, group_criteria
    from cohorts.formation.engine.problem import parse

    parsed = parse(problem)
    crits = [Criterion(c, parsed.attributes) for c in parsed.criteria]
    wsum = sum(c.weight for c in crits) or 1.0

    def parts(members):
        return group_criteria(crits, members)

    def score(members):
        return sum(c.weight * s for c, s in zip(crits, parts(members), strict=True)) / wsum

    return parsed, crits, parts, score


def hill_climb_criteria(problem, seed=1, budget_s=10.0, patience=None):
    parsed, _crits, _parts, score = _criteria_tools(problem)
    n = parsed.n
    rng = _rng(seed)
    groups = random_start(n, parsed.size_min, parsed.size_max, rng)
    scores = [score(g) for g in groups]

    def value(values):
        return (min(values), sum(values))

    def delta(ga, ia, gb, ib):
        a, b = groups[ga][ia], groups[gb][ib]
        new_a = score([b if m == a else m for m in groups[ga]])
        new_b = score([a if m == b else m for m in groups[gb]])
        before = value(scores)
        old = scores[ga], scores[gb]
        scores[ga], scores[gb] = new_a, new_b
        after = value(scores)
        scores[ga], scores[gb] = old
        if after[0] > before[0] + 1e-12:
            return 1.0
        if after[0] >= before[0] - 1e-12 and after[1] > before[1] + 1e-12:
            return 1.0
        return 0.0

    def apply(ga, ia, gb, ib):
        groups[ga][ia], groups[gb][ib] = groups[gb][ib], groups[ga][ia]
        scores[ga], scores[gb] = score(groups[ga]), score(groups[gb])

    _swap_loop(groups, delta, apply, rng, patience or 20 * n, budget_s)
    return groups


def rule_repair_criteria(problem, seed=1, budget_s=10.0):
    from cohorts.formation.engine.criteria import MET_THRESHOLD

    parsed, crits, _parts, _score = _criteria_tools(problem)
    rng = _rng(seed)
    groups = random_start(parsed.n, parsed.size_min, parsed.size_max, rng)
    deadline = perf_counter() + budget_s
    order = sorted(range(len(crits)), key=lambda c: -crits[c].weight)

    def crit_score(c, members):
        stat = crits[c].empty()
        for i in members:
            crits[c].add(stat, i, 1)
        return crits[c].score(stat)

    def met(c, members):
        return crit_score(c, members) >= MET_THRESHOLD - 1e-9

    done = []
    for c in order:
        for _round in range(3):
            broken = [g for g in range(len(groups)) if not met(c, groups[g])]
            if not broken or perf_counter() > deadline:
                break
            for ga in broken:
                if perf_counter() > deadline:
                    break
                if met(c, groups[ga]):
                    continue
                # Try swaps that raise this group's score on rule c without making the other
                # group miss c or either group miss an earlier rule.
                best, best_gain = None, 0.0
                base_a = crit_score(c, groups[ga])
                for _try in range(200):
                    gb = rng.randrange(len(groups))
                    if gb == ga:
                        continue
                    ia, ib = rng.randrange(len(groups[ga])), rng.randrange(len(groups[gb]))
                    new_a = list(groups[ga])
                    new_b = list(groups[gb])
                    new_a[ia], new_b[ib] = groups[gb][ib], groups[ga][ia]
                    gain = crit_score(c, new_a) - base_a
                    if gain <= best_gain:
                        continue
                    if met(c, groups[gb]) and not met(c, new_b):
                        continue
                    if any(
                        (met(d, groups[ga]) and not met(d, new_a))
                        or (met(d, groups[gb]) and not met(d, new_b))
                        for d in done
                    ):
                        continue
                    best, best_gain = (gb, new_a, new_b), gain
                if best:
                    gb, new_a, new_b = best
                    groups[ga], groups[gb] = new_a, new_b
        done.append(c)
    return groups


def kmeans_map(problem, k=None, seed=1, restarts=None, iterations=None):
    """Best of `restarts` runs (5, or 1 above 500 points) of up to `iterations` Lloyd rounds."""
    pts = [(p["location"]["lat"], p["location"]["lon"]) for p in problem["participants"]]
    n = len(pts)
    restarts = restarts or (5 if n <= 500 else 1)
    iterations = iterations or (20 if n <= 500 else 8)
    gmin, gmax = problem["group_size"]["min"], problem["group_size"]["max"]
    k = k or group_count(n, gmin, gmax)
    rng = _rng(seed)
    best, best_cost = None, math.inf
    for _ in range(restarts):
        centres = _kmeans_pp(pts, k, rng)
        groups = None
        for _it in range(iterations):
            groups = _capacitated_assign(pts, centres, gmin, gmax)
            new = [_mean(pts, g) for g in groups]
            if new == centres:
                break
            centres = new
        cost = sum(haversine_km(pts[i], centres[g]) for g, m in enumerate(groups) for i in m)
        if cost < best_cost:
            best, best_cost = groups, cost
    return best


def _mean(pts, members):
    lat = sum(pts[i][0] for i in members) / len(members)
    lon = sum(pts[i][1] for i in members) / len(members)
    return (lat, lon)


def _kmeans_pp(pts, k, rng):
    centres = [pts[rng.randrange(len(pts))]]
    near = [haversine_km(p, centres[0]) for p in pts]  # distance to the nearest centre so far
    while len(centres) < k:
        if len(centres) > 1:
            near = [min(a, haversine_km(p, centres[-1])) for a, p in zip(near, pts, strict=True)]
        d = [a * a for a in near]
        total = sum(d)
        if total <= 0:
            centres.append(pts[rng.randrange(len(pts))])
            continue
        r, acc = rng.random() * total, 0.0
        for i, w in enumerate(d):
            acc += w
            if acc >= r:
                centres.append(pts[i])
                break
    return centres


def _capacitated_assign(pts, centres, gmin, gmax):
    k = len(centres)
    dist = [[haversine_km(p, c) for c in centres] for p in pts]

    def regret(i):
        row = sorted(dist[i])
        return row[1] - row[0] if k > 1 else 0.0

    order = sorted(range(len(pts)), key=regret, reverse=True)
    groups = [[] for _ in range(k)]
    for i in order:
        for g in sorted(range(k), key=lambda g, i=i: dist[i][g]):
            if len(groups[g]) < gmax:
                groups[g].append(i)
                break
    # Top up groups below the minimum with the nearest members of groups that can spare one.
    for g in range(k):
        while len(groups[g]) < gmin:
            donors = [
                (dist[i][g] - dist[i][h], h, i)
                for h in range(k)
                if h != g and len(groups[h]) > gmin
                for i in groups[h]
            ]
            _cost, h, i = min(donors)
            groups[h].remove(i)
            groups[g].append(i)
    return groups
