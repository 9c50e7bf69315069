"""Topic choice: everyone ranks topics; each topic takes at most its cap; a topic's people are
then split into groups of the right size (a popular topic becomes several groups).

Stage 1 puts every unit (people locked together) in a topic, minimising the rank cost: 0 for
a first choice, 1 second, 3 third, then 5, 7, 9, and UNRANKED_COST for a topic the person did
not rank. A topic must end with 0 people or a number that splits into groups of min..max; the
search (simulated annealing over moves and swaps, capped topics never overfilled) pays
VIABILITY_PENALTY per person of distance from a workable count. If a topic still cannot work,
the least-filled one is closed and its people go to their next choices, and the search runs
again. Stage 2 splits each topic into groups with even sizes that respect the apart-locks.

Scores: `first_choice`, `second_choice`, `third_choice`, `other_choice` (a lower ranked one),
`people_with_no_choice` (ranked something, got none of it), `people_without_ranking`, and
`topics_closed`. Each group carries its `topic`.
"""

from __future__ import annotations

import math
import time
from types import SimpleNamespace

from .problem import FormationError, group_count
from .search import Even, FormationStuck, State, construct

UNRANKED_COST = 10
VIABILITY_PENALTY = 20.0
FORBIDDEN_COST = 1000
ITERATIONS_PER_UNIT = 150
MIN_ITERATIONS = 20_000
MAX_ITERATIONS = 300_000


def rank_cost(rank):
    if rank is None:
        return UNRANKED_COST
    return (0, 1, 3)[rank] if rank < 3 else min(UNRANKED_COST - 1, 3 + 2 * (rank - 2))


def solve_topics(problem, rng, deadline):
    n_topics = len(problem.topics)
    smin, smax, n = problem.size_min, problem.size_max, problem.n
    units = problem.units
    usize = [len(m) for m in units]
    cost = []
    for members in units:
        row = [0] * n_topics
        for i in members:
            rank = {t: r for r, t in enumerate(problem.rankings[i])}
            for t in range(n_topics):
                row[t] += rank_cost(rank.get(t))
        cost.append(row)
    fixed = [-1] * len(units)
    for u in range(len(units)):
        if problem.unit_fixed[u] >= 0:
            name = problem.fixed_names[problem.unit_fixed[u]]
            fixed[u] = next(t for t, tp in enumerate(problem.topics) if tp["id"] == name)
    caps = [n if t["cap"] is None else min(n, t["cap"]) for t in problem.topics]
    # viol[c]: how far c people are from a count that splits into groups of min..max.
    ok = [c == 0 or group_count(c, smin, smax) is not None for c in range(n + 1)]
    viol = [n + 1] * (n + 1)
    last = None
    for c in range(n + 1):  # distance to the nearest workable count, below then above
        if ok[c]:
            last = c
        if last is not None:
            viol[c] = c - last
    last = None
    for c in range(n, -1, -1):
        if ok[c]:
            last = c
        if last is not None:
            viol[c] = min(viol[c], last - c)

    closed = [False] * n_topics
    for t in range(n_topics):
        if caps[t] < smin:
            closed[t] = True
    n_pairs = sum(len(a) for a in problem.apart) // 2
    for _repair in range(n_pairs + 1):
        assign = _topics(problem, rng, deadline, cost, fixed, caps, closed, viol, usize)
        try:
            groups, topic_of = [], []
            for t in range(n_topics):
                mine = [u for u in range(len(units)) if assign[u] == t]
                if mine:
                    for members in _split(problem, mine, rng, t):
                        groups.append(sorted(members))
                        topic_of.append(t)
            break
        except _SplitFailed as failed:
            # Keep one apart-locked unit out of that topic and assign again.
            t, clashing = failed.args
            free = [u for u in clashing if fixed[u] < 0]
            if not free:
                raise FormationError(
                    "The apart-locks cannot hold within a topic's groups.",
                    [
                        f"Topic {problem.topics[t]['id']!r}: its people cannot be split into "
                        "groups that keep them apart."
                    ],
                ) from None
            cost[free[0]][t] += FORBIDDEN_COST
    else:
        raise FormationError("The apart-locks cannot hold within the topics' groups.", [])
    scores, extras = topic_scores(problem, groups, topic_of, closed)
    return groups, topic_of, scores, extras


class _SplitFailed(Exception):
    pass


def _topics(problem, rng, deadline, cost, fixed, caps, closed, viol, usize):
    """Stage 1: a topic for every unit; closes topics whose count cannot be split."""
    n_topics = len(caps)
    smin, smax = problem.size_min, problem.size_max
    units = problem.units
    assign = None
    for _round in range(n_topics + 1):
        assign = _assign(problem, rng, deadline, cost, fixed, caps, closed, viol, usize, assign)
        count = [0] * n_topics
        for u, t in enumerate(assign):
            count[t] += usize[u]
        bad = [t for t in range(n_topics) if viol[count[t]]]
        if not bad:
            break
        worst = min(bad, key=lambda t: (count[t], t))
        if any(fixed[u] == worst for u in range(len(units))):
            raise FormationError(
                f"Topic {problem.topics[worst]['id']!r} cannot make groups of {smin}-{smax}.",
                [f"Its preassigned people make {count[worst]}, which does not split."],
            )
        closed[worst] = True
    else:
        raise FormationError("The topics cannot be filled within the caps and group sizes.", [])

    return assign


def _assign(problem, rng, deadline, cost, fixed, caps, closed, viol, usize, previous):
    n_topics = len(caps)
    n_units = len(cost)
    count = [0] * n_topics
    assign = [-1] * n_units
    for u in range(n_units):
        if fixed[u] >= 0:
            assign[u] = fixed[u]
            count[fixed[u]] += usize[u]
    for t in range(n_topics):
        if count[t] > caps[t]:
            raise FormationError(
                "More people are preassigned to a topic than its cap allows.",
                [
                    f"{count[t]} people are preassigned to {problem.topics[t]['id']!r}, "
                    f"whose cap is {caps[t]}."
                ],
            )
    order = list(range(n_units))
    rng.shuffle(order)
    for u in order:
        if assign[u] >= 0:
            continue
        keep = previous[u] if previous is not None else -1
        options = sorted(range(n_topics), key=lambda t, u=u: (cost[u][t], t))
        if keep >= 0 and not closed[keep]:
            options.insert(0, keep)
        for t in options:
            if not closed[t] and count[t] + usize[u] <= caps[t]:
                assign[u] = t
                count[t] += usize[u]
                break
        else:
            raise FormationError(
                "The open topics' caps cannot hold everyone.",
                ["Raise some caps, add topics, or lower the minimum group size."],
            )
    movable = [u for u in range(n_units) if fixed[u] < 0]
    if not movable or n_topics < 2:
        return assign
    members = [[] for _ in range(n_topics)]
    pos = [0] * n_units
    for u in range(n_units):
        pos[u] = len(members[assign[u]])
        members[assign[u]].append(u)
    ranked = [
        [t for t in sorted(range(n_topics), key=lambda t, u=u: cost[u][t])[:4] if not closed[t]]
        for u in range(n_units)
    ]
    open_topics = [t for t in range(n_topics) if not closed[t]]

    def pen(t, c):
        return VIABILITY_PENALTY * viol[c]

    def relocate(u, b):
        a = assign[u]
        lst = members[a]
        last = lst.pop()
        if last != u:
            lst[pos[u]] = last
            pos[last] = pos[u]
        pos[u] = len(members[b])
        members[b].append(u)
        count[a] -= usize[u]
        count[b] += usize[u]
        assign[u] = b

    iterations = min(MAX_ITERATIONS, max(MIN_ITERATIONS, ITERATIONS_PER_UNIT * n_units))
    t0, t_end = 2.0, 0.01
    cool = (t_end / t0) ** (1.0 / iterations)
    temp = t0
    rand = rng.random
    for it in range(iterations):
        if it & 255 == 0 and time.perf_counter() > deadline:
            break
        temp *= cool
        u = movable[rng.randrange(len(movable))]
        a = assign[u]
        opts = ranked[u] if ranked[u] and rand() < 0.8 else open_topics
        b = opts[rng.randrange(len(opts))]
        if b == a:
            continue
        s = usize[u]
        if count[b] + s <= caps[b] and rand() < 0.6:
            d = cost[u][b] - cost[u][a]
            d += pen(a, count[a] - s) - pen(a, count[a]) + pen(b, count[b] + s) - pen(b, count[b])
            if d <= 0 or rand() < math.exp(-d / temp):
                relocate(u, b)
            continue
        if not members[b]:
            continue
        v = members[b][rng.randrange(len(members[b]))]
        if fixed[v] >= 0:
            continue
        sv = usize[v]
        if count[b] - sv + s > caps[b] or count[a] - s + sv > caps[a]:
            continue
        d = cost[u][b] - cost[u][a] + cost[v][a] - cost[v][b]
        if s != sv:
            ca, cb = count[a] - s + sv, count[b] - sv + s
            d += pen(a, ca) - pen(a, count[a]) + pen(b, cb) - pen(b, count[b])
        if d <= 0 or rand() < math.exp(-d / temp):
            relocate(u, b)
            relocate(v, a)
    return assign


def _split(problem, topic_units, rng, topic):
    """Split one topic's units into groups of min..max, even sizes, apart-locks respected."""
    local = {u: pos for pos, u in enumerate(topic_units)}
    people = sum(len(problem.units[u]) for u in topic_units)
    sub = SimpleNamespace(
        units=[problem.units[u] for u in topic_units],
        apart=[{local[w] for w in problem.apart[u] if w in local} for u in topic_units],
        unit_fixed=[-1] * len(topic_units),
        size_min=problem.size_min,
        size_max=problem.size_max,
        n=people,
    )
    k = group_count(people, problem.size_min, problem.size_max)
    while k is not None and k * problem.size_min <= people:
        st = State(sub, k)
        even = Even()
        even.st = st
        for _attempt in range(20):
            try:
                ugroup = construct(st, even.order(rng))
            except FormationStuck:
                continue
            st.load(ugroup)
            return [st.members(g) for g in range(k)]
        k += 1
    clashing = [u for u in topic_units if any(w in local for w in problem.apart[u])]
    raise _SplitFailed(topic, clashing)


def topic_scores(problem, groups, topic_of, closed):
    counts = {"first_choice": 0, "second_choice": 0, "third_choice": 0, "other_choice": 0}
    none = unranked = 0
    extras = []
    for members, t in zip(groups, topic_of, strict=True):
        missed = []
        for i in members:
            ranking = problem.rankings[i]
            if not ranking:
                unranked += 1
            elif t in ranking:
                r = ranking.index(t)
                key = ("first_choice", "second_choice", "third_choice")[r] if r < 3 else None
                counts[key or "other_choice"] += 1
            else:
                none += 1
                missed.append(problem.ids[i])
        extras.append({"no_choice": missed})
    scores = dict(counts)
    scores["people_with_no_choice"] = none
    scores["people_without_ranking"] = unranked
    scores["topics_closed"] = [problem.topics[t]["id"] for t in range(len(closed)) if closed[t]]
    return scores, extras
