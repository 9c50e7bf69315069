"""Read and check a group-formation problem (see docs/formation-format.md).

`parse(problem_dict)` returns a `Problem` whose data is index based (people are 0..n-1) and
whose hard rules are already merged: people locked together form one *unit*, and the search
only ever moves whole units. Every way the input can be wrong or impossible raises
`FormationError(message, details=[...])` with one line per fault.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .people import is_number as _is_number
from .people import read_people

METHODS = ("matching", "criteria", "map", "topic", "preassign")
RULES = ("similar", "mix")
DEFAULT_TIME_LIMIT_S = 10.0


class FormationError(Exception):
    """The problem cannot be solved as given; `details` says why, one line per fault."""

    def __init__(self, message, details=None):
        super().__init__(message)
        self.message = message
        self.details = list(details or [])

    def as_dict(self):
        return {"error": self.message, "details": self.details}


@dataclass
class Problem:
    method: str
    ids: list  # person index -> id string
    seed: int
    time_limit_s: float
    size_min: int
    size_max: int
    groups: int | None  # the asked-for number of groups ("groups": N), else None
    choices: list  # person -> list of person indexes they chose
    attributes: list  # person -> dict
    locations: list  # person -> (lat, lon) or None
    rankings: list  # person -> list of topic indexes
    criteria: list  # [{"attribute", "rule", "weight"}]
    topics: list  # [{"id", "cap" (int or None)}]
    units: list  # unit -> list of person indexes (together-locks merged)
    unit_of: list  # person -> unit
    apart: list  # unit -> set of units it must not share a group with
    fixed_names: list  # distinct preassigned group names, in order of first appearance
    unit_fixed: list  # unit -> index into fixed_names, or -1
    extra: dict = field(default_factory=dict)

    @property
    def n(self):
        return len(self.ids)


def _fail(message, details):
    raise FormationError(message, details)


def group_count(n, size_min, size_max, at_least=1):
    """The number of groups for n people in groups of size_min..size_max: the count whose
    average size is nearest the middle of the range (so the search can grow or shrink any
    group), but at least `at_least`. Returns None when no count works."""
    low = max(at_least, math.ceil(n / size_max))
    high = n // size_min
    if low > high or low * size_min > n:
        return None
    middle = (size_min + size_max) / 2
    k = round(n / middle)
    return min(high, max(low, k))


def parse(data) -> Problem:
    """Read and check `data` (the format in docs/formation-format.md), one section at a
    time: the method, the people, the run's seed and time, the group sizes, the topics,
    each person's input, the criteria, the locks and the preassigned groups; then merge the
    together-locks into units and check that every hard rule can hold. A fault that makes
    the rest unreadable fails at once; the others are gathered and fail together."""
    if not isinstance(data, dict):
        _fail("The problem must be a JSON object.", ["Top level is not an object."])
    errors = []
    method = _read_method(data)
    people = _read_participants(data)
    ids, index = _read_ids(people)
    n = len(ids)
    seed, time_limit = _read_run(data, errors)
    n_groups, size_min, size_max = _read_sizes(data, n)
    topics, topic_index = _read_topics(data, method, errors)
    choices, attributes, locations, rankings = read_people(
        people, method, index, topic_index, errors
    )
    criteria = _read_criteria(data, method, attributes, errors)
    together = _read_pairs(data, "together", index, errors)
    apart_pairs = _read_pairs(data, "apart", index, errors)
    fixed_names, person_fixed = _read_preassigned(data, method, index, topic_index, errors)
    if errors:
        _fail("The problem has errors.", errors)

    units, unit_of = _merge_together(n, together)
    _check_unit_sizes(units, ids, size_max, errors)
    unit_fixed = _unit_groups(units, person_fixed, ids, fixed_names, errors)
    apart = _apart_units(apart_pairs, method, units, unit_of, unit_fixed, ids, fixed_names, errors)
    if method == "topic":
        _check_topic_room(topics, n, size_min, errors)
    else:
        _check_preassigned_groups(
            units, unit_fixed, fixed_names, n, n_groups, size_min, size_max, errors
        )
    if errors:
        _fail("The locks or sizes cannot all hold.", errors)

    return Problem(
        method=method,
        ids=ids,
        seed=seed,
        time_limit_s=float(time_limit),
        size_min=size_min,
        size_max=size_max,
        groups=n_groups,
        choices=choices,
        attributes=attributes,
        locations=locations,
        rankings=rankings,
        criteria=criteria,
        topics=topics,
        units=units,
        unit_of=unit_of,
        apart=apart,
        fixed_names=fixed_names,
        unit_fixed=unit_fixed,
    )


# -- the method and the people ------------------------------------------------------------


def _read_method(data):
    method = data.get("method")
    if method not in METHODS:
        _fail(
            f"Unknown method {method!r}.",
            [f"method must be one of: {', '.join(METHODS)}."],
        )
    return method


def _read_participants(data):
    people = data.get("participants")
    if not isinstance(people, list):
        _fail("The problem has no participants list.", ["participants must be a list."])
    if not people:
        _fail("The round is empty: there is nobody to put in groups.", ["participants is empty."])
    return people


def _read_ids(people):
    """(ids in order, id -> index); fails when an id is missing or repeated."""
    errors = []
    ids = []
    index = {}
    for pos, person in enumerate(people):
        pid = person.get("id") if isinstance(person, dict) else None
        if not isinstance(pid, str) or not pid:
            errors.append(f"Participant #{pos + 1} has no id (a non-empty string).")
            continue
        if pid in index:
            errors.append(f"The id {pid!r} is used by more than one participant.")
            continue
        index[pid] = len(ids)
        ids.append(pid)
    if errors:
        _fail("Some participants have a missing or repeated id.", errors)
    return ids, index


# -- the run and the sizes ----------------------------------------------------------------


def _read_run(data, errors):
    """(seed, time limit in seconds), each falling back to its default with an error."""
    seed = data.get("seed", 0)
    if not isinstance(seed, int) or isinstance(seed, bool):
        errors.append("seed must be a whole number.")
        seed = 0
    time_limit = data.get("time_limit_s", DEFAULT_TIME_LIMIT_S)
    if not _is_number(time_limit) or time_limit <= 0:
        errors.append("time_limit_s must be a positive number of seconds.")
        time_limit = DEFAULT_TIME_LIMIT_S
    return seed, time_limit


def _read_sizes(data, n):
    """(number of groups or None, smallest size, largest size); fails when they cannot work."""
    size = data.get("group_size") or {}
    if not isinstance(size, dict):
        size = {}
    n_groups = size.get("groups", data.get("groups"))
    if n_groups is not None:
        if not isinstance(n_groups, int) or isinstance(n_groups, bool) or n_groups < 1:
            _fail("The number of groups must be a whole number of at least 1.", [])
        if n_groups > n:
            _fail(
                f"{n} people cannot make {n_groups} groups.",
                [f"Asked for {n_groups} groups but the round has only {n} people."],
            )
        return n_groups, n // n_groups, math.ceil(n / n_groups)
    size_min = size.get("min")
    size_max = size.get("max")
    good = all(isinstance(v, int) and not isinstance(v, bool) for v in (size_min, size_max))
    if not good:
        _fail(
            "The group size is missing.",
            ['Give group_size {"min": A, "max": B} (whole numbers) or "groups": N.'],
        )
    if size_min < 1 or size_max < size_min:
        _fail(
            "The group sizes cannot work.",
            [f"min ({size_min}) must be at least 1 and at most max ({size_max})."],
        )
    if group_count(n, size_min, size_max) is None:
        _fail(
            f"{n} people cannot be split into groups of {size_min} to {size_max}.",
            [
                f"With {n} people every group would need {size_min}-{size_max} members; "
                "no number of groups adds up. Widen the sizes or change who takes part."
            ],
        )
    return None, size_min, size_max


# -- topics and criteria (each person's input: people.py) -------------------------------


def _read_topics(data, method, errors):
    """([{"id", "cap"}], topic id -> index)."""
    topics = []
    topic_index = {}
    raw_topics = data.get("topics") or []
    if not isinstance(raw_topics, list):
        errors.append("topics must be a list.")
        raw_topics = []
    for pos, topic in enumerate(raw_topics):
        tid = topic.get("id") if isinstance(topic, dict) else None
        if not isinstance(tid, str) or not tid:
            errors.append(f"Topic #{pos + 1} has no id.")
            continue
        if tid in topic_index:
            errors.append(f"The topic {tid!r} is listed twice.")
            continue
        cap = topic.get("cap")
        if cap is not None and (not isinstance(cap, int) or isinstance(cap, bool) or cap < 0):
            errors.append(f"The cap of topic {tid!r} must be a whole number of 0 or more.")
            cap = None
        topic_index[tid] = len(topics)
        topics.append({"id": tid, "cap": cap})
    if method == "topic" and not topics and not errors:
        errors.append("The topic method needs a list of topics.")
    return topics, topic_index


def _read_criteria(data, method, attributes, errors):
    """[{"attribute", "rule", "weight"}] naming attributes that someone has."""
    criteria = []
    raw_criteria = data.get("criteria") or []
    if not isinstance(raw_criteria, list):
        errors.append("criteria must be a list.")
        raw_criteria = []
    known_attrs = {key for attrs in attributes for key in attrs}
    for pos, crit in enumerate(raw_criteria):
        if not isinstance(crit, dict):
            errors.append(f"Criterion #{pos + 1} must be an object.")
            continue
        attr, rule, weight = crit.get("attribute"), crit.get("rule"), crit.get("weight", 1)
        if not isinstance(attr, str) or attr not in known_attrs:
            errors.append(f"Criterion #{pos + 1}: no participant has the attribute {attr!r}.")
        elif rule not in RULES:
            errors.append(f"Criterion {attr!r}: rule must be 'similar' or 'mix', not {rule!r}.")
        elif not _is_number(weight) or weight <= 0:
            errors.append(f"Criterion {attr!r}: weight must be a positive number.")
        else:
            criteria.append({"attribute": attr, "rule": rule, "weight": float(weight)})
    if method == "criteria" and not raw_criteria:
        errors.append("The criteria method needs at least one criterion.")
    return criteria


# -- locks and preassigned groups ---------------------------------------------------------


def _read_pairs(data, key, index, errors):
    """The lock pairs under `key` ("together" or "apart") as pairs of indexes."""
    out = []
    raw_pairs = data.get(key) or []
    if not isinstance(raw_pairs, list):
        errors.append(f"{key} must be a list of pairs of ids.")
        return out
    for pair in raw_pairs:
        if not isinstance(pair, list) or len(pair) != 2:
            errors.append(f"{key}: {pair!r} is not a pair of ids.")
            continue
        unknown = [p for p in pair if p not in index]
        if unknown:
            errors.append(f"{key}: {', '.join(map(repr, unknown))} is not in this round.")
        elif pair[0] == pair[1]:
            errors.append(f"{key}: {pair[0]!r} is paired with themself.")
        else:
            out.append((index[pair[0]], index[pair[1]]))
    return out


def _read_preassigned(data, method, index, topic_index, errors):
    """(distinct group names in order of first appearance, person -> name index or -1)."""
    preassigned = data.get("preassigned") or {}
    if not isinstance(preassigned, dict):
        errors.append("preassigned must be an object of id: group name.")
        preassigned = {}
    fixed_names = []
    person_fixed = [-1] * len(index)
    for pid, gname in preassigned.items():
        if pid not in index:
            errors.append(f"preassigned: {pid!r} is not in this round.")
            continue
        if not isinstance(gname, str) or not gname:
            errors.append(f"preassigned: {pid!r} needs a group name.")
            continue
        if method == "topic" and gname not in topic_index:
            errors.append(f"preassigned: {pid!r} is placed in {gname!r}, which is not a topic.")
            continue
        if gname not in fixed_names:
            fixed_names.append(gname)
        person_fixed[index[pid]] = fixed_names.index(gname)
    return fixed_names, person_fixed


# -- units: the together-locks merged, and the rules checked on them ----------------------


def _merge_together(n, together):
    """(units, unit_of): people locked together (directly or through others) form one unit
    (union-find); units are numbered in order of their first person."""
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in together:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    unit_of = [0] * n
    units = []
    root_unit = {}
    for i in range(n):
        r = find(i)
        if r not in root_unit:
            root_unit[r] = len(units)
            units.append([])
        unit_of[i] = root_unit[r]
        units[root_unit[r]].append(i)
    return units, unit_of


def _check_unit_sizes(units, ids, size_max, errors):
    for members in units:
        if len(members) > size_max:
            names = ", ".join(ids[i] for i in members[:12])
            errors.append(
                f"{len(members)} people are locked together ({names}) but a group holds at "
                f"most {size_max}."
            )


def _unit_groups(units, person_fixed, ids, fixed_names, errors):
    """unit -> the preassigned group of its people (index into fixed_names), or -1."""
    unit_fixed = [-1] * len(units)
    for u, members in enumerate(units):
        named = {person_fixed[i] for i in members if person_fixed[i] >= 0}
        if len(named) > 1:
            errors.append(
                "People locked together are preassigned to different groups: "
                + ", ".join(
                    f"{ids[i]} in {fixed_names[person_fixed[i]]}"
                    for i in members
                    if person_fixed[i] >= 0
                )
                + "."
            )
        elif named:
            unit_fixed[u] = named.pop()
    return unit_fixed


def _apart_units(apart_pairs, method, units, unit_of, unit_fixed, ids, fixed_names, errors):
    """unit -> the set of units it must not share a group with."""
    apart = [set() for _ in units]
    for a, b in apart_pairs:
        ua, ub = unit_of[a], unit_of[b]
        if ua == ub:
            errors.append(f"{ids[a]} and {ids[b]} are locked both together and apart.")
        elif unit_fixed[ua] >= 0 and unit_fixed[ua] == unit_fixed[ub] and method != "topic":
            errors.append(
                f"{ids[a]} and {ids[b]} must be apart but are both preassigned to "
                f"{fixed_names[unit_fixed[ua]]}."
            )
        else:
            apart[ua].add(ub)
            apart[ub].add(ua)
    return apart


def _check_preassigned_groups(
    units, unit_fixed, fixed_names, n, n_groups, size_min, size_max, errors
):
    """The preassigned groups fit the sizes and the number of groups."""
    fixed_size = [0] * len(fixed_names)
    for u, members in enumerate(units):
        if unit_fixed[u] >= 0:
            fixed_size[unit_fixed[u]] += len(members)
    for g, name in enumerate(fixed_names):
        if fixed_size[g] > size_max:
            errors.append(
                f"{fixed_size[g]} people are preassigned to {name} but a group holds at "
                f"most {size_max}."
            )
    if n_groups is not None and len(fixed_names) > n_groups:
        errors.append(
            f"People are preassigned to {len(fixed_names)} groups but the round asks for "
            f"{n_groups}."
        )
    elif group_count(n, size_min, size_max, at_least=len(fixed_names)) is None:
        errors.append(
            f"People are preassigned to {len(fixed_names)} groups, but {n} people cannot "
            f"fill that many groups of at least {size_min}."
        )


def _check_topic_room(topics, n, size_min, errors):
    """The topics' caps (counting only topics that can fill a group) hold everyone."""
    room = 0
    for topic in topics:
        cap = topic["cap"]
        if cap is None:
            room = n
            break
        room += cap if cap >= size_min else 0
    if room < n:
        errors.append(
            f"The topic caps hold only {room} people (counting topics that can fill a "
            f"group of {size_min}), but the round has {n}."
        )
