"""Criteria: groups that are alike ("similar") or spread ("mix") on chosen attributes.

An attribute is a *list* attribute if any value is a list, *numeric* if all values are
numbers, else *categorical*. Missing values are left out of that criterion. Each criterion
gives a group a score in [0, 1]:

- categorical or list, similar: the share of the group holding its most common value;
- categorical, mix: 1 - the total-variation distance between the group's mix of values and
  the cohort's;
- list, mix: 1 - sum |count_v - m * share_v| / (sum count_v + m * sum share_v), share_v being
  the cohort's share of people holding value v;
- numeric (scaled to 0..1 over the cohort), similar: 1 - 2 * the group's standard deviation;
- numeric, mix: 1 - |group mean - cohort mean| / (2 * cohort standard deviation), at least 0.

A group's score is the weighted mean of its criterion scores. A group *meets* a criterion when
its score for it is at least MET_THRESHOLD (0.7). The solution reports, per criterion, the
share of groups meeting it; `worst_group_score` and `mean_group_score`; and `unmet_rules`,
the number of (group, criterion) pairs not met. Each group carries `criteria`:
{attribute: met?} and its `score`.

The search maximises the sum over groups of -exp(KAPPA * (1 - group score)) minus
UNMET_PENALTY per unmet criterion (weighted): the exponential makes lifting the worst group
worth far more than polishing a good one, so the worst group comes first, then the mean.
The penalty (6, in units of the weighted share) is set so that meeting a rule in a group
outweighs a small rise in its score: with 3 the search met visibly fewer rules than a plain
rule-by-rule repair on the benchmark, at no gain in the worst group.

A step changes the two groups' running counts in place (taken back at the next step unless
committed); scores of categorical and list criteria are remembered by count vector, since
small groups see the same counts again and again.
"""

from __future__ import annotations

import math

MET_THRESHOLD = 0.7
KAPPA = 8.0
UNMET_PENALTY = 6.0


class Criterion:
    def __init__(self, spec, attributes):
        self.attribute = spec["attribute"]
        self.rule = spec["rule"]
        self.weight = spec["weight"]
        values = [a.get(self.attribute) for a in attributes]
        present = [v for v in values if v is not None and v != [] and v != ""]
        if any(isinstance(v, list) for v in present):
            self.kind = "list"
        elif present and all(isinstance(v, int | float) for v in present):
            self.kind = "num"
        else:
            self.kind = "cat"
        if self.kind == "num":
            lo = min(present) if present else 0.0
            hi = max(present) if present else 1.0
            span = (hi - lo) or 1.0
            self.data = [None if v is None else (v - lo) / span for v in values]
            scaled = [x for x in self.data if x is not None]
            m = len(scaled) or 1
            self.mu = sum(scaled) / m
            self.sigma = math.sqrt(max(0.0, sum(x * x for x in scaled) / m - self.mu**2))
            self.size = 0
        else:
            index = {}
            data = []
            for v in values:
                if v is None or v == [] or v == "":
                    data.append(None)
                    continue
                items = v if isinstance(v, list) else [v]
                idx = []
                for item in items:
                    key = str(item)
                    if key not in index:
                        index[key] = len(index)
                    if index[key] not in idx:
                        idx.append(index[key])
                data.append(idx)
            self.data = data
            self.size = len(index)
            holders = [0] * self.size
            for idx in data:
                if idx:
                    for v in idx:
                        holders[v] += 1
            m = sum(1 for idx in data if idx) or 1
            self.share = [h / m for h in holders]
            self.share_sum = sum(self.share)

    def empty(self):
        if self.kind == "num":
            return [0, 0.0, 0.0]
        return [0, [0] * self.size]

    def add(self, stat, i, sign):
        x = self.data[i]
        if x is None:
            return
        stat[0] += sign
        if self.kind == "num":
            stat[1] += sign * x
            stat[2] += sign * x * x
        else:
            counts = stat[1]
            for v in x:
                counts[v] += sign

    def copy(self, stat):
        if self.kind == "num":
            return list(stat)
        return [stat[0], list(stat[1])]

    def score(self, stat):
        m = stat[0]
        if m <= 0:
            return 1.0
        if self.kind == "num":
            mean = stat[1] / m
            if self.rule == "similar":
                std = math.sqrt(max(0.0, stat[2] / m - mean * mean))
                return max(0.0, 1.0 - 2.0 * std)
            if self.sigma <= 0:
                return 1.0
            return max(0.0, 1.0 - abs(mean - self.mu) / (2.0 * self.sigma))
        counts = stat[1]
        if self.rule == "similar":
            return max(counts) / m if counts else 1.0
        share = self.share
        off = sum(abs(c - m * s) for c, s in zip(counts, share, strict=True))
        if self.kind == "cat":
            return 1.0 - off / (2.0 * m)
        denom = sum(counts) + m * self.share_sum
        return 1.0 - off / denom if denom else 1.0


class CriteriaObjective:
    def __init__(self, problem):
        self.crits = [Criterion(c, problem.attributes) for c in problem.criteria]
        self.wsum = sum(c.weight for c in self.crits) or 1.0
        self.units = problem.units
        self._pending = None
        self._dirty = None  # moves last scored and not committed: still in the counts
        self.cache = [None if c.kind == "num" else {} for c in self.crits]
        # Per person: (criterion, numeric?, value or value indexes) for each value present.
        self.ops = [
            [
                (ci, c.kind == "num", c.data[i])
                for ci, c in enumerate(self.crits)
                if c.data[i] is not None
            ]
            for i in range(len(problem.attributes))
        ]

    def _value(self, stats):
        wsum = self.wsum
        total = 0.0
        unmet = 0.0
        for c, stat, cache in zip(self.crits, stats, self.cache, strict=True):
            if cache is None:
                s = c.score(stat)
            else:
                # Groups are small, so the same counts come back again and again.
                key = (stat[0], *stat[1])
                s = cache.get(key)
                if s is None:
                    s = cache[key] = c.score(stat)
            total += c.weight * s
            if s < MET_THRESHOLD - 1e-9:
                unmet += c.weight
        return -math.exp(KAPPA * (1.0 - total / wsum)) - UNMET_PENALTY * unmet / wsum

    def reset(self, st):
        self.st = st
        self._dirty = None
        self.stats = []
        for g in range(st.k):
            stats = [c.empty() for c in self.crits]
            for i in st.members(g):
                for c, stat in zip(self.crits, stats, strict=True):
                    c.add(stat, i, 1)
            self.stats.append(stats)
        self.value = [self._value(s) for s in self.stats]
        self._total = sum(self.value)

    def total(self):
        return self._total

    def _apply(self, changes, way):
        """Add (way 1) or take back (way -1) the moves to the groups' running counts, in
        place; returns the touched groups. The units' groups in the state are not changed."""
        ugroup, units, stats, ops = self.st.ugroup, self.units, self.stats, self.ops
        touched = []
        for u, b in changes:
            a = ugroup[u]
            for g, sign in ((a, -way), (b, way)):
                if g not in touched:
                    touched.append(g)
                group_stats = stats[g]
                for i in units[u]:
                    for ci, numeric, x in ops[i]:
                        stat = group_stats[ci]
                        stat[0] += sign
                        if numeric:
                            stat[1] += sign * x
                            stat[2] += sign * x * x
                        else:
                            counts = stat[1]
                            for v in x:
                                counts[v] += sign
        return touched

    def delta(self, changes):
        # The counts are changed in place and taken back at the next call unless committed.
        if self._dirty is not None:
            self._apply(self._dirty, -1)
        touched = self._apply(changes, 1)
        self._dirty = changes
        d = 0.0
        new = []
        for g in touched:
            v = self._value(self.stats[g])
            new.append((g, v))
            d += v - self.value[g]
        self._pending = (new, d)
        return d

    def commit(self):
        new, d = self._pending
        self._dirty = None
        for g, v in new:
            self.value[g] = v
        self._total += d

    def target(self, u, rng):
        return -1

    def order(self, rng):
        units = list(range(len(self.units)))
        rng.shuffle(units)
        return units


def group_criteria(crits, members):
    out = []
    for c in crits:
        stat = c.empty()
        for i in members:
            c.add(stat, i, 1)
        out.append(c.score(stat))
    return out


def criteria_scores(problem, groups_people):
    crits = [Criterion(c, problem.attributes) for c in problem.criteria]
    wsum = sum(c.weight for c in crits) or 1.0
    names = []
    for c in crits:
        name = c.attribute
        if name in names:
            name = f"{c.attribute} ({c.rule})"
        names.append(name)
    met_count = [0] * len(crits)
    group_scores = []
    per_group = []
    unmet = 0
    for members in groups_people:
        parts = group_criteria(crits, members)
        met = {}
        for pos, s in enumerate(parts):
            ok = s >= MET_THRESHOLD - 1e-9
            met[names[pos]] = ok
            met_count[pos] += ok
            unmet += not ok
        score = sum(c.weight * s for c, s in zip(crits, parts, strict=True)) / wsum
        group_scores.append(score)
        per_group.append({"criteria": met, "score": round(score, 4)})
    k = len(groups_people) or 1
    scores = {names[pos]: round(met_count[pos] / k, 4) for pos in range(len(crits))}
    scores["worst_group_score"] = round(min(group_scores), 4) if group_scores else 0.0
    scores["mean_group_score"] = round(sum(group_scores) / k, 4)
    scores["unmet_rules"] = unmet
    return scores, per_group
