"""Map: groups of nearby organizations, within the size limits.

Distances are great-circle kilometres (haversine). The search minimises the capacitated
p-median cost: for each group, the sum of its members' distances to the group's *medoid*
(the member from whom the others are closest in total), plus DIAMETER_WEIGHT times the
group's largest pairwise distance, so that no group sprawls. A step re-scores the two groups it
touches, O(size^2). The greedy start walks the points in strips (a boustrophedon sweep) so
consecutive chunks are already compact; targets for moves come from each person's nearest
neighbours (found approximately, from the points next to them in three sorted orders).

The solution reports `mean_km` and `max_km`, the distance from a member to their group's
centre (the geographic mean of the members), `max_within_group_km`, the largest distance
between two members of one group, and `total_km_to_medoid`, the p-median cost. Each group
carries its `centre` {lat, lon}, `mean_km`, `max_km` and `spread_km` (largest pairwise).
"""

from __future__ import annotations

import math
import time

EARTH_KM = 6371.0088
MATRIX_UP_TO = 700
NEAR = 8
# Each group's widest pair also counts, lightly, so no group sprawls.
DIAMETER_WEIGHT = 0.0
# The last pass may spend this share of the total cost to narrow the widest group.
POLISH_COST_SHARE = 0.007


def to_xyz(lat, lon):
    la, lo = math.radians(lat), math.radians(lon)
    return (math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la))


def chord_km(p, q):
    c = math.sqrt((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2 + (p[2] - q[2]) ** 2)
    return 2.0 * EARTH_KM * math.asin(min(1.0, c / 2.0))


def haversine_km(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((la2 - la1) / 2) ** 2
        + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    )
    return 2.0 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


class GeoObjective:
    def __init__(self, problem):
        self.units = problem.units
        self.points = problem.locations
        self.xyz = [to_xyz(*p) for p in self.points]
        n = len(self.xyz)
        xyz = self.xyz
        if n <= MATRIX_UP_TO:
            self.matrix = [[chord_km(xyz[i], xyz[j]) for j in range(n)] for i in range(n)]
        else:
            self.matrix = None
        self.cache = {}
        self.near = self._near_lists()
        self._pending = None

    def dist(self, i, j):
        if self.matrix is not None:
            return self.matrix[i][j]
        return chord_km(self.xyz[i], self.xyz[j])

    def _near_lists(self, window=12):
        n = len(self.xyz)
        cand = [set() for _ in range(n)]
        for axis in range(3):
            order = sorted(range(n), key=lambda i, a=axis: self.xyz[i][a])
            for pos, i in enumerate(order):
                for q in order[max(0, pos - window) : pos + window + 1]:
                    if q != i:
                        cand[i].add(q)
        return [sorted(c, key=lambda j, i=i: self.dist(i, j))[:NEAR] for i, c in enumerate(cand)]

    def cost(self, members):
        if len(members) < 2:
            return 0.0
        best = math.inf
        if self.matrix is not None:
            matrix = self.matrix
            wide = 0.0
            for m in members:
                row = matrix[m]
                s = 0.0
                for j in members:
                    d = row[j]
                    s += d
                    if d > wide:
                        wide = d
                if s < best:
                    best = s
            return best + DIAMETER_WEIGHT * wide
        # Large rounds: distances computed on demand and remembered (groups hold near
        # neighbours, so the same pairs come back again and again).
        cache, xyz, n = self.cache, self.xyz, len(self.xyz)
        wide = 0.0
        for m in members:
            s = 0.0
            for j in members:
                key = m * n + j if m < j else j * n + m
                d = cache.get(key)
                if d is None:
                    d = cache[key] = chord_km(xyz[m], xyz[j])
                s += d
                if d > wide:
                    wide = d
            if s < best:
                best = s
        return best + DIAMETER_WEIGHT * wide

    def reset(self, st):
        self.st = st
        self.members = [st.members(g) for g in range(st.k)]
        self.value = [-self.cost(m) for m in self.members]
        self._total = sum(self.value)

    def total(self):
        return self._total

    def delta(self, changes):
        ugroup = self.st.ugroup
        touched = {}
        for u, b in changes:
            a = ugroup[u]
            moved = set(self.units[u])
            if a not in touched:
                touched[a] = list(self.members[a])
            touched[a] = [i for i in touched[a] if i not in moved]
            if b not in touched:
                touched[b] = list(self.members[b])
            touched[b].extend(self.units[u])
        d = 0.0
        new = {}
        for g, members in touched.items():
            v = -self.cost(members)
            new[g] = (members, v)
            d += v - self.value[g]
        self._pending = (new, d)
        return d

    def commit(self):
        new, d = self._pending
        for g, (members, v) in new.items():
            self.members[g] = members
            self.value[g] = v
        self._total += d

    def target(self, u, rng):
        members = self.units[u]
        i = members[rng.randrange(len(members))]
        near = self.near[i]
        return self.st.pgroup[near[rng.randrange(len(near))]] if near else -1

    def order(self, rng):
        """Units along a strip sweep (random axis and starting point), so that consecutive
        runs of people are neighbours on the map."""
        n = len(self.points)
        k = self.st.k
        axis = rng.randrange(2)
        strips = max(1, round(math.sqrt(k)))
        by_axis = sorted(range(n), key=lambda i: self.points[i][axis])
        per = math.ceil(n / strips)
        seq = []
        for s in range(strips):
            chunk = sorted(by_axis[s * per : (s + 1) * per], key=lambda i: self.points[i][1 - axis])
            if s % 2:
                chunk.reverse()
            seq.extend(chunk)
        shift = rng.randrange(n)
        seq = seq[shift:] + seq[:shift]
        unit_of = {}
        for u, members in enumerate(self.units):
            for i in members:
                unit_of[i] = u
        order, seen = [], set()
        for i in seq:
            u = unit_of[i]
            if u not in seen:
                seen.add(u)
                order.append(u)
        return order


def centre_of(points):
    xs = [to_xyz(*p) for p in points]
    x = sum(p[0] for p in xs)
    y = sum(p[1] for p in xs)
    z = sum(p[2] for p in xs)
    norm = math.sqrt(x * x + y * y + z * z)
    if norm < 1e-12:
        return points[0]
    return (math.degrees(math.asin(z / norm)), math.degrees(math.atan2(y, x)))


def map_scores(problem, groups_people):
    pts = problem.locations
    all_d = []
    per_group = []
    spread_max = 0.0
    medoid_total = 0.0
    for members in groups_people:
        if not members:
            per_group.append({"centre": None, "mean_km": 0.0, "max_km": 0.0, "spread_km": 0.0})
            continue
        centre = centre_of([pts[i] for i in members])
        d = [haversine_km(pts[i], centre) for i in members]
        all_d.extend(d)
        spread = 0.0
        best = math.inf
        for a in members:
            row = [haversine_km(pts[a], pts[b]) for b in members]
            spread = max(spread, max(row))
            best = min(best, sum(row))
        medoid_total += best
        spread_max = max(spread_max, spread)
        per_group.append(
            {
                "centre": {"lat": round(centre[0], 5), "lon": round(centre[1], 5)},
                "mean_km": round(sum(d) / len(d), 3),
                "max_km": round(max(d), 3),
                "spread_km": round(spread, 3),
            }
        )
    scores = {
        "mean_km": round(sum(all_d) / len(all_d), 3) if all_d else 0.0,
        "max_km": round(max(all_d), 3) if all_d else 0.0,
        "max_within_group_km": round(spread_max, 3),
        "total_km_to_medoid": round(medoid_total, 3),
    }
    return scores, per_group


def diameter(obj, members):
    wide, pair = 0.0, None
    for x in range(len(members)):
        for y in range(x + 1, len(members)):
            d = obj.dist(members[x], members[y])
            if d > wide:
                wide, pair = d, (members[x], members[y])
    return wide, pair


def shrink_widest(obj, st, deadline, budget_share=POLISH_COST_SHARE):
    """After the search: while the widest group can be made narrower by moving or swapping
    one of its two farthest members (without making another group wider than it was, and
    spending at most `budget_share` of the total cost overall), do so."""
    from .search import propose_checked

    allowance = budget_share * abs(obj.total())
    unit_of = {i: u for u, members in enumerate(st.units) for i in members}
    widths = [diameter(obj, st.members(g)) for g in range(st.k)]
    for _round in range(200):
        if time.perf_counter() > deadline:
            return
        g = max(range(st.k), key=lambda h: widths[h][0])
        wide, pair = widths[g]
        if pair is None:
            return
        best = None
        for i in pair:
            u = unit_of[i]
            if st.fixed[u] >= 0:
                continue
            groups = {st.pgroup[j] for j in obj.near[i]} | set(range(st.k) if st.k <= 40 else [])
            for h in groups:
                if h == g:
                    continue
                for changes in propose_checked(st, u, h):
                    d = obj.delta(changes)
                    if -d > allowance:
                        continue
                    moved = {x for v, _ in changes for x in st.units[v]}
                    new_g = [x for x in st.members(g) if x not in moved]
                    new_h = [x for x in st.members(h) if x not in moved]
                    for v, dest in changes:
                        (new_g if dest == g else new_h).extend(st.units[v])
                    worst = max(diameter(obj, new_g)[0], diameter(obj, new_h)[0])
                    if worst < wide - 1e-6 and (best is None or (worst, -d) < best[:2]):
                        best = (worst, -d, changes)
        if best is None:
            return
        _worst, cost, changes = best
        obj.delta(changes)
        obj.commit()
        touched = {g} | {dest for _v, dest in changes}
        for v, dest in changes:
            st.move(v, dest)
        for h in touched:
            widths[h] = diameter(obj, st.members(h))
        allowance -= max(0.0, cost)
