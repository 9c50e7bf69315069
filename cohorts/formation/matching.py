"""Speed matching: keep as many "good match" choices inside groups as possible.

Objective (maximised): every kept choice (i marked j, same group) counts 1; a choice that is
returned (mutual) counts 1 + MUTUAL_BONUS on each side, so a kept mutual pair is worth
2 + 2 * MUTUAL_BONUS; a person who made choices but has none of them in their group costs
NONE_KEPT_PENALTY. A person's part of the score depends only on their own group, so a move or
swap is re-scored by looking again at the people moved and the people who chose them:
O(choices) per step.
"""

from __future__ import annotations

from collections import deque

MUTUAL_BONUS = 0.25
NONE_KEPT_PENALTY = 0.3


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
