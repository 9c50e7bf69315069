"""Seeded problem generators for the formation benchmark (`manage.py formbench`).

Every generator returns an `Instance`: a problem dict in the format of
`docs/formation-format.md`, the planted groups it was built around, and a short
description. The same arguments always give the same instance (each generator seeds its own
`random.Random` from its arguments), so figures can be compared between runs.

- matching: planted groups; each person names `names` people, mostly inside their planted
  group (clear 90%, noisy 60%, random 0%); mutual pairs arise by themselves.
- criteria: attributes with planted structure (format, region, commitment alike inside a planted
  group, expertise spread), and a criteria list of "similar" and "mix" rules with weights.
- map: organizations clustered around a few US metro centres.
- topic: 6-10 topics with caps, rankings skewed towards the popular ones.
"""

import math
import random
from dataclasses import dataclass, field

# Share of a person's choices that fall inside their planted group.
PREFERENCE_INSIDE = {"clear": 0.9, "noisy": 0.6, "random": 0.0}

# A handful of real metro centres (latitude, longitude in degrees).
METROS = [
    ("New York", 40.7128, -74.0060),
    ("Chicago", 41.8781, -87.6298),
    ("Atlanta", 33.7490, -84.3880),
    ("Denver", 39.7392, -104.9903),
    ("Seattle", 47.6062, -122.3321),
    ("Washington", 38.9072, -77.0369),
    ("Dallas", 32.7767, -96.7970),
    ("Los Angeles", 34.0522, -118.2437),
]

FORMATS = ["virtual", "in-person", "hybrid"]
REGIONS = ["northeast", "southeast", "midwest", "southwest", "west"]
EXPERTISE = [
    "fundraising",
    "boards",
    "evaluation",
    "volunteers",
    "finance",
    "communications",
    "partnerships",
    "technology",
]


@dataclass
class Instance:
    name: str
    method: str
    problem: dict
    planted: list[list[str]] = field(default_factory=list)
    info: dict = field(default_factory=dict)

    @property
    def n(self):
        return len(self.problem["participants"])


def _rng(*parts):
    # Deterministic across runs and Python versions (a string seed hashes with SHA-512).
    return random.Random("/".join(str(p) for p in parts))


def person_ids(n):
    width = max(3, len(str(n)))
    return [f"p{i:0{width}d}" for i in range(1, n + 1)]


def planted_sizes(n, gmin, gmax, rng):
    """Random group sizes within gmin..gmax adding up to n (n must allow it)."""
    k_low, k_high = math.ceil(n / gmax), n // gmin
    if k_low > k_high:
        raise ValueError(f"{n} people cannot form groups of {gmin}-{gmax}")
    k = rng.randint(k_low, k_high)
    sizes = [gmin] * k
    extra = n - gmin * k
    while extra:
        i = rng.randrange(k)
        if sizes[i] < gmax:
            sizes[i] += 1
            extra -= 1
    return sizes


def plant(ids, gmin, gmax, rng):
    order = list(ids)
    rng.shuffle(order)
    groups, start = [], 0
    for size in planted_sizes(len(ids), gmin, gmax, rng):
        groups.append(order[start : start + size])
        start += size
    return groups


def matching_instance(n, names, preference, seed=1, gmin=4, gmax=6):
    """Speed matching: each of n people marks `names` others."""
    rng = _rng("matching", n, names, preference, seed, gmin, gmax)
    ids = person_ids(n)
    groups = plant(ids, gmin, gmax, rng)
    home = {p: gi for gi, g in enumerate(groups) for p in g}
    inside_share = PREFERENCE_INSIDE[preference]
    participants = []
    for p in ids:
        mates = [q for q in groups[home[p]] if q != p]
        others = [q for q in ids if home[q] != home[p]]
        rng.shuffle(mates)
        picks = []
        for _ in range(min(names, n - 1)):
            if mates and rng.random() < inside_share:
                picks.append(mates.pop())
            else:
                while True:
                    q = rng.choice(others)
                    if q not in picks:
                        break
                picks.append(q)
        participants.append({"id": p, "choices": picks})
    problem = {
        "method": "matching",
        "group_size": {"min": gmin, "max": gmax},
        "seed": seed,
        "participants": participants,
    }
    name = f"matching n={n} {preference} {names} names"
    info = {"n": n, "names": names, "preference": preference, "gmin": gmin, "gmax": gmax}
    return Instance(name, "matching", problem, groups, info)


def default_criteria(kind="mix"):
    if kind == "similar":
        return [
            {"attribute": "format", "rule": "similar", "weight": 3},
            {"attribute": "region", "rule": "similar", "weight": 2},
            {"attribute": "commitment", "rule": "similar", "weight": 1},
        ]
    return [
        {"attribute": "format", "rule": "similar", "weight": 3},
        {"attribute": "commitment", "rule": "similar", "weight": 2},
        {"attribute": "expertise", "rule": "mix", "weight": 2},
        {"attribute": "region", "rule": "mix", "weight": 1},
    ]


def criteria_instance(n, preference="noisy", kind="mix", seed=1, gmin=4, gmax=6):
    """Criteria: planted groups alike on format/region/commitment, expertise spread."""
    rng = _rng("criteria", n, preference, kind, seed, gmin, gmax)
    ids = person_ids(n)
    groups = plant(ids, gmin, gmax, rng)
    keep = {"clear": 0.9, "noisy": 0.6, "random": 0.0}[preference]
    participants = []
    for g in groups:
        fmt, region, level = rng.choice(FORMATS), rng.choice(REGIONS), rng.randint(1, 5)
        for p in g:
            commitment = level if rng.random() < keep else rng.randint(1, 5)
            attributes = {
                "format": fmt if rng.random() < keep else rng.choice(FORMATS),
                "region": region if rng.random() < keep else rng.choice(REGIONS),
                "commitment": commitment,
                "expertise": rng.sample(EXPERTISE, rng.randint(1, 3)),
            }
            participants.append({"id": p, "attributes": attributes})
    participants.sort(key=lambda row: row["id"])
    problem = {
        "method": "criteria",
        "group_size": {"min": gmin, "max": gmax},
        "seed": seed,
        "participants": participants,
        "criteria": default_criteria(kind),
    }
    name = f"criteria n={n} {preference} {kind}"
    info = {"n": n, "preference": preference, "kind": kind, "gmin": gmin, "gmax": gmax}
    return Instance(name, "criteria", problem, groups, info)


def map_instance(n, metros=4, seed=1, gmin=4, gmax=6, spread_deg=0.6):
    """Map: n organizations scattered around `metros` real metro centres."""
    rng = _rng("map", n, metros, seed, gmin, gmax, spread_deg)
    centres = METROS[:metros]
    weights = [rng.uniform(0.5, 1.5) for _ in centres]
    participants = []
    for p in person_ids(n):
        _, lat, lon = rng.choices(centres, weights)[0]
        spread = spread_deg * rng.uniform(0.3, 1.0)
        participants.append(
            {
                "id": p,
                "location": {
                    "lat": round(lat + rng.gauss(0, spread), 5),
                    "lon": round(lon + rng.gauss(0, spread * 1.3), 5),
                },
            }
        )
    problem = {
        "method": "map",
        "group_size": {"min": gmin, "max": gmax},
        "seed": seed,
        "participants": participants,
    }
    info = {"n": n, "metros": metros, "gmin": gmin, "gmax": gmax}
    return Instance(f"map n={n} {metros} metros", "map", problem, [], info)


def topic_instance(n, topics=8, seed=1, gmin=4, gmax=6, ranking_length=3, skew=1.0):
    """Topic: `topics` areas, some capped, rankings skewed to the popular areas."""
    rng = _rng("topic", n, topics, seed, gmin, gmax, ranking_length, skew)
    ids = [f"t{i}" for i in range(1, topics + 1)]
    popularity = [1.0 / (i + 1) ** skew for i in range(topics)]
    order = list(range(topics))
    rng.shuffle(order)
    popularity = [popularity[order[i]] for i in range(topics)]
    # Caps near each topic's fair share (so the popular topics overflow), with room for
    # everyone overall (about 15% spare); one topic in four is left uncapped.
    fair = n / topics
    topic_rows = []
    for tid in ids:
        row = {"id": tid}
        if rng.random() < 0.75:
            row["cap"] = max(gmax, round(fair * rng.uniform(0.8, 1.3)))
        topic_rows.append(row)
    if all("cap" in row for row in topic_rows):
        while sum(row["cap"] for row in topic_rows) < 1.15 * n:
            rng.choice(topic_rows)["cap"] += 1
    participants = []
    for p in person_ids(n):
        pool, weights, ranking = list(ids), list(popularity), []
        for _ in range(min(ranking_length, topics)):
            t = rng.choices(pool, weights)[0]
            i = pool.index(t)
            pool.pop(i)
            weights.pop(i)
            ranking.append(t)
        participants.append({"id": p, "ranking": ranking})
    problem = {
        "method": "topic",
        "group_size": {"min": gmin, "max": gmax},
        "seed": seed,
        "participants": participants,
        "topics": topic_rows,
    }
    info = {"n": n, "topics": topics, "gmin": gmin, "gmax": gmax}
    return Instance(f"topic n={n} {topics} topics", "topic", problem, [], info)


def preassign_instance(n, share=0.5, seed=1, gmin=4, gmax=6):
    """Pre-assign: staff placed `share` of the people in named groups; the rest are open."""
    rng = _rng("preassign", n, share, seed, gmin, gmax)
    ids = person_ids(n)
    groups = plant(ids, gmin, gmax, rng)
    preassigned = {}
    for gi, g in enumerate(groups):
        for p in g[: max(1, int(len(g) * share))]:
            preassigned[p] = f"g{gi + 1}"
    problem = {
        "method": "preassign",
        "group_size": {"min": gmin, "max": gmax},
        "seed": seed,
        "participants": [{"id": p} for p in ids],
        "preassigned": preassigned,
    }
    info = {"n": n, "gmin": gmin, "gmax": gmax, "preassigned": len(preassigned)}
    return Instance(f"preassign n={n}", "preassign", problem, groups, info)


def matching_grid(sizes=(20, 30, 40), names=(3, 5, 8), preferences=("clear", "noisy", "random")):
    return [
        matching_instance(n, k, pref, seed=n * 10 + k)
        for n in sizes
        for pref in preferences
        for k in names
    ]


def choice_pairs(problem):
    """(choices as (i, j) pairs, mutual pairs as sorted (i, j)) of a matching problem."""
    marks = {(p["id"], q) for p in problem["participants"] for q in p.get("choices", [])}
    mutual = {tuple(sorted(pair)) for pair in marks if (pair[1], pair[0]) in marks}
    return marks, mutual
