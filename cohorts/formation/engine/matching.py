"""Speed matching: keep as many "good match" choices inside groups as possible.

Objective (maximised): every kept choice (i marked j, same group) counts 1; a choice that is
returned (mutual) counts 1 + MUTUAL_BONUS on each side, so a kept mutual pair is worth
2 + 2 * MUTUAL_BONUS; a person who made choices but has none of them in their group costs
NONE_KEPT_PENALTY. A person's part of the score depends only on their own group, so a move or
swap is re-scored by looking again at the people moved and the people who chose them:
O(choices) per step.

The number of groups is free (see engine.py): the search may empty or open groups, paying
SIZE_PENALTY while a group is below the minimum. The first start (`agglomerate`) joins people
along their heaviest links, mutual ones first, while the joined size fits, then packs the
small clusters into groups; the other restarts use the breadth-first greedy start.

Mutual choices first: after the search, `mutual_repair` looks at every mutual pair left apart
and tries short chains of moves (one joins the other's group, someone there moves back or on
to a third group, someone from there fills the freed place). It applies a chain that raises
the objective, or one that keeps more mutual pairs for a small loss of other kept choices,
at most MUTUAL_TRADE_SHARE of them in all (less than one choice below 1,000 kept choices, so
small rounds never trade).
"""

from __future__ import annotations

import math
from collections import deque

MUTUAL_BONUS = 0.05
NONE_KEPT_PENALTY = 0.05
SIZE_PENALTY = 1.0
# Mutual choices first: after the search, a mutual pair left apart may be brought together at
# the cost of other kept choices, up to this share of all kept choices in all.
MUTUAL_TRADE_SHARE = 0.001


class MatchingObjective:
    def __init__(self, problem):
        n = problem.n
        chose = [set(c) for c in problem.choices]
        self.out = [
            [(j, 1.0 + MUTUAL_BONUS if i in chose[j] else 1.0) for j in problem.choices[i]]
            for i in range(n)
        ]
        into = [[] for _ in range(n)]
        for i in range(n):
            for j in problem.choices[i]:
                into[j].append(i)
        self.into = into
        self.near = [sorted(set(problem.choices[i]) | set(into[i])) for i in range(n)]
        self.units = problem.units
        self.unit_of = problem.unit_of
        self.size_penalty = SIZE_PENALTY
        self.t_end_ratio = 1e-2  # matching does better ending a little warmer
        self._pending = None

    def _score(self, x, pgroup, ov):
        gx = ov.get(x, pgroup[x]) if ov else pgroup[x]
        kept = 0.0
        out = self.out[x]
        for j, w in out:
            if (ov.get(j, pgroup[j]) if ov else pgroup[j]) == gx:
                kept += w
        if out and kept == 0.0:
            return -NONE_KEPT_PENALTY
        return kept

    def reset(self, st):
        self.st = st
        self.score = [self._score(x, st.pgroup, None) for x in range(len(self.out))]
        self._total = sum(self.score)

    def total(self):
        return self._total

    def delta(self, changes):
        # Write the proposed groups into pgroup, re-score, then put the old groups back.
        pgroup = self.st.pgroup
        units, into, out, score = self.units, self.into, self.out, self.score
        saved = []
        affected = set()
        for u, g in changes:
            for i in units[u]:
                saved.append((i, pgroup[i]))
                pgroup[i] = g
                affected.add(i)
                affected.update(into[i])
        new = []
        d = 0.0
        for x in affected:
            gx = pgroup[x]
            kept = 0.0
            mine = out[x]
            for j, w in mine:
                if pgroup[j] == gx:
                    kept += w
            if mine and kept == 0.0:
                kept = -NONE_KEPT_PENALTY
            new.append((x, kept))
            d += kept - score[x]
        for i, g in saved:
            pgroup[i] = g
        self._pending = (new, d)
        return d

    def commit(self):
        new, d = self._pending
        score = self.score
        for x, v in new:
            score[x] = v
        self._total += d

    def target(self, u, rng):
        members = self.units[u]
        i = members[rng.randrange(len(members))] if len(members) > 1 else members[0]
        near = self.near[i]
        if not near:
            return -1
        return self.st.pgroup[near[rng.randrange(len(near))]]

    def order(self, rng):
        """Units in breadth-first order over the choice graph from random roots, so people
        who chose each other start out next to each other."""
        st = self.st
        n = len(self.out)
        seen = [False] * n
        roots = list(range(n))
        rng.shuffle(roots)
        order, placed = [], [False] * len(st.units)
        for r in roots:
            if seen[r]:
                continue
            seen[r] = True
            queue = deque([r])
            while queue:
                x = queue.popleft()
                u = self.unit_of[x]
                if not placed[u]:
                    placed[u] = True
                    order.append(u)
                    for y in st.units[u]:
                        seen[y] = True
                nbrs = list(self.near[x])
                rng.shuffle(nbrs)
                for y in nbrs:
                    if not seen[y]:
                        seen[y] = True
                        queue.append(y)
        return order


def matching_scores(problem, groups_people):
    """The figures of the format: choices and mutual pairs kept, people with none kept."""
    n = problem.n
    group = [0] * n
    for g, members in enumerate(groups_people):
        for i in members:
            group[i] = g
    chose = [set(c) for c in problem.choices]
    total = kept = mutual_total = mutual_kept = nobody = 0
    per_group = [
        {"choices_kept": 0, "mutual_pairs_kept": 0, "no_choice_kept": []} for _ in groups_people
    ]
    for i in range(n):
        mine = problem.choices[i]
        got = 0
        for j in mine:
            total += 1
            same = group[i] == group[j]
            if same:
                kept += 1
                got += 1
                per_group[group[i]]["choices_kept"] += 1
            if i < j and i in chose[j]:
                mutual_total += 1
                if same:
                    mutual_kept += 1
                    per_group[group[i]]["mutual_pairs_kept"] += 1
        if mine and not got:
            nobody += 1
            per_group[group[i]]["no_choice_kept"].append(problem.ids[i])
    scores = {
        "choices_total": total,
        "choices_kept": kept,
        "mutual_pairs_total": mutual_total,
        "mutual_pairs_kept": mutual_kept,
        "people_with_no_choice_kept": nobody,
    }
    return scores, per_group


def agglomerate(problem, st, rng):
    """A start for matching built from the choices: units joined along the heaviest links
    (mutual first) while the joined size fits, then small clusters packed into groups.
    Returns a unit -> group list, or None when it cannot respect the rules (the caller then
    uses the plain greedy start)."""
    if any(f >= 0 for f in problem.unit_fixed):
        return None
    smin, smax = problem.size_min, problem.size_max
    unit_of = problem.unit_of
    n_units = len(problem.units)
    weight = {}
    for i, mine in enumerate(problem.choices):
        for j in mine:
            u, v = unit_of[i], unit_of[j]
            if u != v:
                key = (u, v) if u < v else (v, u)
                weight[key] = weight.get(key, 0) + 1
    edges = list(weight.items())
    rng.shuffle(edges)
    edges.sort(key=lambda e: -e[1])
    cluster = list(range(n_units))
    members = [[u] for u in range(n_units)]
    size = [len(m) for m in problem.units]
    apart = problem.apart

    def clash(a, b):
        small, other = (a, b) if len(members[a]) <= len(members[b]) else (b, a)
        inside = set(members[other])
        return any(w in inside for u in members[small] for w in apart[u])

    def join(a, b):
        for u in members[b]:
            cluster[u] = a
        members[a].extend(members[b])
        members[b] = []
        size[a] += size[b]
        size[b] = 0

    for (u, v), _w in edges:
        a, b = cluster[u], cluster[v]
        if a != b and size[a] + size[b] <= smax and not clash(a, b):
            join(a, b)
    roots = [c for c in range(n_units) if members[c]]
    small = sorted((c for c in roots if size[c] < smin), key=lambda c: -size[c])
    groups = [c for c in roots if size[c] >= smin]
    for c in small:
        best, best_w = -1, -1
        for g in groups:
            if size[g] + size[c] <= smax and not clash(g, c):
                w = sum(
                    weight.get((min(x, y), max(x, y)), 0) for x in members[c] for y in members[g]
                )
                if w > best_w:
                    best, best_w = g, w
        if best < 0 or best_w == 0:
            # Start a new group with it, unless an existing one can take it.
            opened = [
                g
                for g in groups
                if size[g] < smin and size[g] + size[c] <= smax and not clash(g, c)
            ]
            if opened:
                join(opened[0], c)
                continue
            groups.append(c)
            continue
        join(best, c)
    # Lift groups still below the minimum with units from groups that can spare one.
    for g in [g for g in groups if size[g] < smin]:
        while size[g] < smin:
            donor = next(
                (
                    (h, u)
                    for h in groups
                    if h != g and members[h]
                    for u in members[h]
                    if size[h] - st.usize[u] >= smin
                    and size[g] + st.usize[u] <= smax
                    and not any(cluster[w] == g for w in apart[u])
                ),
                None,
            )
            if donor is None:
                return None
            h, u = donor
            members[h].remove(u)
            members[g].append(u)
            cluster[u] = g
            size[h] -= st.usize[u]
            size[g] += st.usize[u]
    groups = [g for g in groups if members[g]]
    if len(groups) > st.k or any(not smin <= size[g] <= smax for g in groups):
        return None
    ugroup = [-1] * n_units
    for pos, g in enumerate(groups):
        for u in members[g]:
            ugroup[u] = pos
    return ugroup


def _chain_ok(st, changes):
    """Whether the moves (unit, new_group) together keep every touched group within the
    sizes (or empty, when the number of groups is free) and no apart-locked units together."""
    moved = dict(changes)
    if len(moved) != len(changes):
        return False
    size = {}
    for u, b in changes:
        a = st.ugroup[u]
        if a == b:
            return False
        s = st.usize[u]
        size[a] = size.get(a, st.gsize[a]) - s
        size[b] = size.get(b, st.gsize[b]) + s
    # A group may be emptied only when the number of groups is free (soft_min).
    for s in size.values():
        if s > st.size_max or (s < st.size_min and not (s == 0 and st.soft_min)):
            return False
    ugroup = st.ugroup
    for u, b in changes:
        for w in st.apart[u]:
            if moved.get(w, ugroup[w]) == b:
                return False
    return True


def _chains(st, u, b, near_units, keep=-1):
    """Chains of moves that bring unit u into group b: u alone; u and someone of b sent back
    (a swap); or someone of b sent on to a group near them, from which (if full) someone
    takes u's place. `keep` is never moved out of b. Feasibility is checked by the caller."""
    fixed = st.fixed
    a = st.ugroup[u]
    yield [(u, b)]
    for v in st.gunits[b]:
        if v == keep or fixed[v] >= 0:
            continue
        yield [(u, b), (v, a)]
        for h in sorted({st.ugroup[x] for x in near_units[v]} - {a, b}):
            yield [(u, b), (v, h)]
            for w in st.gunits[h]:
                if fixed[w] < 0:
                    yield [(u, b), (v, h), (w, a)]


def chain_polish(problem, st, obj, deadline, rounds=5):
    """A last local search for small rounds: for every unit and every group near it, the
    best strictly improving chain (see `_chains`), until none is left. The annealing only
    moves or swaps, so a three-way rotation is out of its reach."""
    import time

    unit_of = problem.unit_of
    near_units = [sorted({unit_of[j] for i in m for j in obj.near[i]}) for m in problem.units]
    applied = 0
    for _round in range(rounds):
        changed = False
        for u in st.movable:
            if time.perf_counter() > deadline:
                return applied
            best, best_d = None, 1e-9
            a = st.ugroup[u]
            for b in sorted({st.ugroup[x] for x in near_units[u]} - {a}):
                for changes in _chains(st, u, b, near_units):
                    if not _chain_ok(st, changes):
                        continue
                    d = obj.delta(changes)
                    if d > best_d:
                        best, best_d = changes, d
            if best is None:
                continue
            obj.delta(best)
            obj.commit()
            for v, g in best:
                st.move(v, g)
            applied += 1
            changed = True
        if not changed:
            break
    return applied


def _mutual_gain(st, changes, mutual_of):
    """How many more mutual pairs the moves keep together."""
    pgroup, units = st.pgroup, st.units
    after = {i: g for u, g in changes for i in units[u]}
    gain = 0
    seen = set()
    for i in after:
        for j in mutual_of[i]:
            key = (i, j) if i < j else (j, i)
            if key in seen:
                continue
            seen.add(key)
            gain += (after.get(i, pgroup[i]) == after.get(j, pgroup[j])) - (pgroup[i] == pgroup[j])
    return gain


def mutual_repair(problem, st, obj, deadline, rounds=2):
    """After the search (mutual choices first): for each mutual pair left apart, look for a
    short chain of moves that brings the two together: one of them joins the other's group,
    and to make room someone there moves back or to a third group, from which (if it is
    full) someone takes the freed place. A chain is applied when it raises the objective, or
    when it keeps more mutual pairs at a cost in other kept choices that fits the budget
    (MUTUAL_TRADE_SHARE of the kept choices, in all). Returns the number of chains applied."""
    import time

    unit_of = problem.unit_of
    chose = [set(c) for c in problem.choices]
    pairs = sorted(
        {
            (unit_of[i], unit_of[j])
            for i, mine in enumerate(problem.choices)
            for j in mine
            if i < j and i in chose[j] and unit_of[i] != unit_of[j]
        }
    )
    if not pairs:
        return 0
    mutual_of = [[j for j in mine if i in chose[j]] for i, mine in enumerate(problem.choices)]
    near_units = [sorted({unit_of[j] for i in m for j in obj.near[i]}) for m in problem.units]
    fixed = st.fixed
    applied = 0
    # What this pass may give up in all to keep mutual pairs: nothing in a small round
    # (below 1,000 kept choices the share is less than one choice).
    allowance = MUTUAL_TRADE_SHARE * max(0.0, obj.total())
    for _round in range(rounds):
        changed = False
        for ua, ub in pairs:
            if st.ugroup[ua] == st.ugroup[ub]:
                continue
            if time.perf_counter() > deadline:
                return applied
            best, best_d = None, -math.inf
            for u, partner in ((ua, ub), (ub, ua)):
                if fixed[u] >= 0:
                    continue
                for changes in _chains(st, u, st.ugroup[partner], near_units, keep=partner):
                    if not _chain_ok(st, changes):
                        continue
                    d = obj.delta(changes)
                    if d <= best_d:
                        continue
                    if d > 1e-9 or (-d <= allowance and _mutual_gain(st, changes, mutual_of) > 0):
                        best, best_d = changes, d
            if best is None:
                continue
            allowance -= max(0.0, -best_d)
            obj.delta(best)
            obj.commit()
            for u, g in best:
                st.move(u, g)
            applied += 1
            changed = True
        if not changed:
            break
    return applied
