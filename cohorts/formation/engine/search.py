"""The local search shared by every method.

The search moves whole *units* (people locked together) between k groups. A move puts a unit
in another group with room; a swap exchanges two units of different groups. Both keep every
group within [size_min, size_max], never put apart-locked units together and never touch a
preassigned unit, so the hard rules hold at every step.

An objective (matching.py, criteria.py, geo.py, or `Even` below) is maximised. It answers
`delta(changes)` for a proposed list of (unit, new_group) without changing anything, then
`commit()` applies the change it last evaluated; `target(unit, rng)` suggests a promising
group (the group of someone the unit chose, or of a near neighbour), and `order(rng)` a good
order of units for the greedy start.

Simulated annealing runs from several starts; the number of iterations is a deterministic
budget scaled to the size, so the same input and seed give the same groups. The time limit
only cuts the search short when the budget would not fit in it (then results depend on the
machine's speed).
"""

from __future__ import annotations

import math
import time

T_END_RATIO = 1e-3  # the final temperature, as a share of the starting one


class FormationStuck(Exception):
    """The greedy start could not satisfy the locks and sizes."""


class State:
    # Optional: called now and then during the search with the share done (0..1); it must
    # not touch the state. The web app uses it for the progress bar of large rounds.
    on_progress = None

    def __init__(self, problem, k):
        self.k = k
        self.units = problem.units
        self.usize = [len(m) for m in problem.units]
        self.apart = [list(a) for a in problem.apart]
        self.fixed = problem.unit_fixed
        self.size_min = problem.size_min
        self.size_max = problem.size_max
        self.n_people = sum(self.usize)
        self.movable = [u for u in range(len(self.units)) if self.fixed[u] < 0]
        self.ugroup = [-1] * len(self.units)
        self.pgroup = [-1] * (1 + max((i for m in self.units for i in m), default=0))
        self.gunits = [[] for _ in range(k)]
        self.upos = [0] * len(self.units)
        self.gsize = [0] * k
        # With soft_min the number of groups may vary: a group may be empty, and a group
        # below the minimum is allowed during the search at a cost (never in the result).
        self.active = k
        self.soft_min = False
        self.under = 0

    def is_under(self, size):
        return 0 < size < self.size_min

    def load(self, ugroup):
        self.ugroup = list(ugroup)
        self.gunits = [[] for _ in range(self.k)]
        self.gsize = [0] * self.k
        for u, g in enumerate(self.ugroup):
            self.upos[u] = len(self.gunits[g])
            self.gunits[g].append(u)
            self.gsize[g] += self.usize[u]
            for i in self.units[u]:
                self.pgroup[i] = g
        self.under = sum(1 for size in self.gsize if 0 < size < self.size_min)

    def move(self, u, b):
        a = self.ugroup[u]
        lst = self.gunits[a]
        pos = self.upos[u]
        last = lst.pop()
        if last != u:
            lst[pos] = last
            self.upos[last] = pos
        self.upos[u] = len(self.gunits[b])
        self.gunits[b].append(u)
        s = self.usize[u]
        smin = self.size_min
        gsize = self.gsize
        self.under -= (0 < gsize[a] < smin) + (0 < gsize[b] < smin)
        gsize[a] -= s
        gsize[b] += s
        self.under += (0 < gsize[a] < smin) + (0 < gsize[b] < smin)
        self.ugroup[u] = b
        for i in self.units[u]:
            self.pgroup[i] = b

    def conflict(self, u, g, ignore=-1):
        ugroup = self.ugroup
        return any(ugroup[w] == g and w != ignore for w in self.apart[u])

    def members(self, g):
        return [i for u in self.gunits[g] for i in self.units[u]]


def targets(n, k):
    base, rem = divmod(n, k)
    return [base + (1 if g < rem else 0) for g in range(k)]


def construct(st, order):
    """A greedy start: fixed units first, then units in `order` filled group by group up to
    even target sizes, then a repair pass lifting any group below the minimum. Only the first
    `st.active` groups are used; the rest (when the count may vary) start empty."""
    k, smin, smax = st.active, st.size_min, st.size_max
    target = targets(st.n_people, k)
    ugroup = [-1] * len(st.units)
    gsize = [0] * st.k
    apart = st.apart

    def clash(u, g):
        return any(ugroup[w] == g for w in apart[u])

    for u in range(len(st.units)):
        if st.fixed[u] >= 0:
            g = st.fixed[u]
            ugroup[u] = g
            gsize[g] += st.usize[u]
    # Bigger units first keep the fill simple; `order` is kept within each size.
    ordered = sorted((u for u in order if st.fixed[u] < 0), key=lambda u: -st.usize[u])
    cur = 0
    for u in ordered:
        s = st.usize[u]
        placed = -1
        for step in range(k):
            g = (cur + step) % k
            if gsize[g] + s <= target[g] and not clash(u, g):
                placed = g
                break
        if placed < 0:
            for step in range(k):
                g = (cur + step) % k
                if gsize[g] + s <= smax and not clash(u, g):
                    placed = g
                    break
        if placed < 0:
            raise FormationStuck
        ugroup[u] = placed
        gsize[placed] += s
        while cur < k - 1 and gsize[cur] >= target[cur]:
            cur += 1
    # Repair groups below the minimum with units from groups that can spare them.
    for _ in range(len(st.units) + k):
        low = [g for g in range(k) if gsize[g] < smin]
        if not low:
            break
        g = low[0]
        moved = False
        for u in range(len(st.units)):
            h = ugroup[u]
            s = st.usize[u]
            if (
                h != g
                and st.fixed[u] < 0
                and gsize[h] - s >= smin
                and gsize[g] + s <= smax
                and not clash(u, g)
            ):
                ugroup[u] = g
                gsize[h] -= s
                gsize[g] += s
                moved = True
                break
        if not moved:
            raise FormationStuck
    else:
        raise FormationStuck
    if any(gsize[g] < smin for g in range(k)):
        raise FormationStuck
    return ugroup


class Even:
    """No preference: any grouping within the rules is as good as any other."""

    def reset(self, st):
        self.st = st

    def total(self):
        return 0.0

    def delta(self, changes):
        return 0.0

    def commit(self):
        pass

    def target(self, u, rng):
        return -1

    def order(self, rng):
        units = list(range(len(self.st.units)))
        rng.shuffle(units)
        return units


def propose(st, obj, rng, guide):
    """A random feasible move or swap as a list of (unit, new_group), or None."""
    movable = st.movable
    u = movable[rng.randrange(len(movable))]
    a = st.ugroup[u]
    b = obj.target(u, rng) if rng.random() < guide else -1
    if b < 0 or b == a:
        b = rng.randrange(st.k)
        if b == a:
            return None
    s = st.usize[u]
    gsize = st.gsize
    low = 0 if st.soft_min else st.size_min
    if (
        gsize[a] - s >= low
        and gsize[b] + s <= st.size_max
        and (rng.random() < 0.5 or not st.gunits[b])
        and not st.conflict(u, b)
    ):
        return [(u, b)]
    lst = st.gunits[b]
    if not lst:
        return None
    v = lst[rng.randrange(len(lst))]
    if st.fixed[v] >= 0:
        return None
    sv = st.usize[v]
    if sv != s and not (
        low <= gsize[a] - s + sv <= st.size_max and low <= gsize[b] - sv + s <= st.size_max
    ):
        return None
    if st.conflict(u, b, ignore=v) or st.conflict(v, a, ignore=u):
        return None
    return [(u, b), (v, a)]


def anneal(st, obj, rng, iterations, deadline, guide=0.8):
    """Simulated annealing from the state's current grouping; leaves the state at the best
    grouping seen and returns its objective value."""
    best_total = obj.total()
    best = list(st.ugroup)
    if not st.movable or st.k < 2 or iterations <= 0:
        return best_total
    # Starting temperature: a typical worsening step is accepted about a third of the time.
    worse = []
    for _ in range(200):
        changes = propose(st, obj, rng, guide)
        if changes:
            d = obj.delta(changes)
            if d < 0:
                worse.append(-d)
    t0 = (sum(worse) / len(worse)) if worse else 1.0
    t0 *= getattr(obj, "t0_scale", 1.0)
    t_end = t0 * getattr(obj, "t_end_ratio", T_END_RATIO)
    cool = (t_end / t0) ** (1.0 / max(1, iterations))
    temp = t0
    rand = rng.random
    exp = math.exp
    soft = st.soft_min
    penalty = getattr(obj, "size_penalty", 1.0)
    gsize, smin = st.gsize, st.size_min
    report = st.on_progress
    for it in range(iterations):
        if it & 255 == 0:
            if time.perf_counter() > deadline:
                break
            if report is not None and it & 16383 == 0:
                report(it / iterations)
        temp *= cool
        changes = propose(st, obj, rng, guide)
        if changes is None:
            continue
        d = obj.delta(changes)
        if soft:
            # Penalise groups left below the minimum (a flat cost per group, so a group can
            # be emptied or opened one person at a time).
            u, b = changes[0]
            a = st.ugroup[u]
            before = (0 < gsize[a] < smin) + (0 < gsize[b] < smin)
            shift = st.usize[u] - (st.usize[changes[1][0]] if len(changes) > 1 else 0)
            after = (0 < gsize[a] - shift < smin) + (0 < gsize[b] + shift < smin)
            d -= penalty * (after - before)
        if d >= 0 or rand() < exp(d / temp):
            obj.commit()
            for u, g in changes:
                st.move(u, g)
            if st.under == 0:
                real = obj.total()
                if real > best_total + 1e-9:
                    best_total = real
                    best = list(st.ugroup)
    st.load(best)
    obj.reset(st)
    return obj.total()


def optimise(st, obj, rng, iterations, restarts, deadline, first):
    """Several annealing runs, the first from `first` (a feasible grouping), the others from
    fresh greedy starts; the state ends at the best grouping found."""
    best_ugroup, best_total = None, -math.inf
    per_run = max(1, iterations // max(1, restarts))
    outer = st.on_progress
    for run in range(max(1, restarts)):
        if run and time.perf_counter() > deadline:
            break
        if outer is not None:
            st.on_progress = lambda share, run=run: outer((run + share) / max(1, restarts))
        start = first
        if run:
            try:
                start = construct(st, obj.order(rng))
            except FormationStuck:
                start = best_ugroup
        st.load(start)
        obj.reset(st)
        total = anneal(st, obj, rng, per_run, deadline)
        polish = getattr(obj, "polish", None)
        if polish is not None:
            # An objective may end each run with its own local search (e.g. chains of moves).
            polish(st, deadline)
            total = obj.total()
        if total > best_total + 1e-9:
            best_total, best_ugroup = total, list(st.ugroup)
    st.on_progress = outer
    st.load(best_ugroup)
    obj.reset(st)
    return best_total


def propose_checked(st, u, b):
    """Every feasible way to bring unit u into group b: a move, or a swap with each unit of
    b (lists of (unit, new_group))."""
    a = st.ugroup[u]
    s = st.usize[u]
    low = st.size_min
    out = []
    if st.gsize[a] - s >= low and st.gsize[b] + s <= st.size_max and not st.conflict(u, b):
        out.append([(u, b)])
    for v in list(st.gunits[b]):
        if st.fixed[v] >= 0:
            continue
        sv = st.usize[v]
        if not (
            low <= st.gsize[a] - s + sv <= st.size_max
            and low <= st.gsize[b] - sv + s <= st.size_max
        ):
            continue
        if st.conflict(u, b, ignore=v) or st.conflict(v, a, ignore=u):
            continue
        out.append([(u, b), (v, a)])
    return out
