"""The engine's input built from a round (what the entries and profiles say), and the
engine's refusals told in people's names."""

import math
import re
import uuid

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cohorts.formation.attributes import ATTRIBUTES
from cohorts.formation.engine.problem import FormationError, group_count, parse
from cohorts.models import (
    FormationLock,
    FormationRound,
)
from copkit.errors import ServiceError

TIME_LIMIT_S = 10


def build_problem(formation_round):
    """Return (problem dict in the engine's JSON format, warnings list of str).

    Participant ids are `str(participant.public_id)`. Group size from size_min/size_max or
    `"groups": group_count`; locks become together/apart pairs; the method's input comes
    from the entries (choices, ranking, answers) and the profiles (criteria attributes per
    `cohorts.formation.attributes`, map locations from the participant or their organization).
    What has to be left out (a choice naming someone no longer in the round, a criterion
    nobody has answered, a lock with someone who left) becomes a warning, not an error. An
    empty round, sizes that cannot work, a topic round without topics, a criteria round
    without criteria, and a map round where someone has no location (the engine needs one
    for everyone; the message names them) raise ServiceError with a clear message."""
    entries = list(
        formation_round.entries.select_related("participant__organization").order_by(
            "participant__name", "pk"
        )
    )
    if not entries:
        raise ServiceError(_("Nobody takes part in this round yet. Add people to the round first."))
    method = formation_round.method
    n = len(entries)
    warnings = []
    ids = {str(e.participant.public_id) for e in entries}
    problem = {
        "method": method,
        "seed": formation_round.seed,
        "time_limit_s": TIME_LIMIT_S,
        **_sizes(formation_round, n),
    }
    people = [{"id": str(e.participant.public_id)} for e in entries]

    if method == FormationRound.Method.MATCHING:
        _add_choices(formation_round, entries, people, ids, warnings)
    elif method == FormationRound.Method.TOPIC:
        problem["topics"] = _add_rankings(formation_round, entries, people)
    elif method == FormationRound.Method.CRITERIA:
        problem["criteria"] = _add_attributes(formation_round, entries, people, warnings)
    elif method == FormationRound.Method.MAP:
        _add_locations(entries, people)
    problem["participants"] = people

    together, apart = [], []
    for lock in formation_round.locks.select_related("first", "second"):
        pair = [str(lock.first.public_id), str(lock.second.public_id)]
        if not set(pair) <= ids:
            warnings.append(
                _(
                    "The lock between %(first)s and %(second)s is left out: one of them is "
                    "no longer in this round."
                )
                % {"first": lock.first.name, "second": lock.second.name}
            )
            continue
        (together if lock.kind == FormationLock.Kind.TOGETHER else apart).append(pair)
    if together:
        problem["together"] = together
    if apart:
        problem["apart"] = apart

    try:
        parse(problem)
    except FormationError as error:
        raise ServiceError(_explain(error, formation_round, entries)) from error
    return problem, warnings


def size_limits(formation_round, n):
    """(smallest, largest) group size of the round for n people; (None, None) when the round
    has no sizes yet. A number of groups means sizes as even as possible."""
    if formation_round.size_mode == FormationRound.SizeMode.COUNT:
        count = formation_round.group_count
        if not count or not n:
            return None, None
        return n // count, math.ceil(n / count)
    return formation_round.size_min, formation_round.size_max


UUID_RE = re.compile(r"'?\b([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b'?")


def _humanize(error, formation_round, entries=None):
    """The engine's message and details with ids replaced by people's and topics' names."""
    if entries is None:
        entries = formation_round.entries.select_related("participant")
    names = {str(e.participant.public_id): e.participant.name for e in entries}
    names.update({str(t.public_id): t.name for t in formation_round.topics.all()})

    def readable(text):
        return UUID_RE.sub(lambda m: names.get(m.group(1), _("someone")), str(text))

    return readable(error.message), [readable(line) for line in error.details]


def _explain(error, formation_round, entries=None):
    message, details = _humanize(error, formation_round, entries)
    return " ".join([message, *details])


def _names(items, shown=10):
    items = list(items)
    text = ", ".join(items[:shown])
    if len(items) > shown:
        text += " " + _("and %(count)s more") % {"count": len(items) - shown}
    return text


def _people(n):
    return ngettext("%(n)s person", "%(n)s people", n) % {"n": n}


def _sizes(formation_round, n):
    """The problem's size part, or ServiceError when the sizes cannot work for n people."""
    if formation_round.size_mode == FormationRound.SizeMode.COUNT:
        count = formation_round.group_count
        if not count:
            raise ServiceError(_("Set how many groups to form first."))
        if count > n:
            raise ServiceError(
                _("%(people)s cannot make %(count)s groups. Ask for fewer groups.")
                % {"people": _people(n), "count": count}
            )
        return {"groups": count}
    size_min, size_max = formation_round.size_min, formation_round.size_max
    if size_min is None or size_max is None:
        raise ServiceError(_("Set the smallest and the largest group size first."))
    if size_min < 1 or size_max < size_min:
        raise ServiceError(
            _("The smallest group size must be at least 1 and no larger than the largest.")
        )
    if group_count(n, size_min, size_max) is None:
        raise ServiceError(
            _(
                "%(people)s cannot make groups of %(min)s to %(max)s. Widen the group sizes, "
                "or change who takes part."
            )
            % {"people": _people(n), "min": size_min, "max": size_max}
        )
    return {"group_size": {"min": size_min, "max": size_max}}


def _valid_uuid(value):
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _add_choices(formation_round, entries, people, ids, warnings):
    outside = {
        str(choice)
        for entry in entries
        for choice in entry.choices or []
        if str(choice) not in ids and _valid_uuid(choice)
    }
    outside_names = {
        str(public_id): name
        for public_id, name in formation_round.cohort.participants.filter(
            public_id__in=list(outside)
        ).values_list("public_id", "name")
    }
    for entry, person in zip(entries, people, strict=True):
        me = person["id"]
        kept = []
        for choice in entry.choices or []:
            choice = str(choice)
            if choice == me or choice in kept:
                continue
            if choice not in ids:
                warnings.append(
                    _(
                        "%(name)s chose %(other)s, who is not in this round; that choice is "
                        "left out."
                    )
                    % {
                        "name": entry.participant.name,
                        "other": outside_names.get(choice, _("someone no longer in the cohort")),
                    }
                )
                continue
            kept.append(choice)
        person["choices"] = kept


def _add_rankings(formation_round, entries, people):
    topics = list(formation_round.topics.all())
    if not topics:
        raise ServiceError(_("Add at least one subject area before forming groups."))
    topic_ids = {str(t.public_id) for t in topics}
    for entry, person in zip(entries, people, strict=True):
        ranking = []
        for choice in entry.ranking or []:
            choice = str(choice)
            if choice in topic_ids and choice not in ranking:
                ranking.append(choice)
        person["ranking"] = ranking
    out = []
    for topic in topics:
        item = {"id": str(topic.public_id)}
        if topic.cap is not None:
            item["cap"] = topic.cap
        out.append(item)
    return out


def attribute_value(key, entry):
    """A person's value for a criteria attribute (see cohorts.formation.attributes), or None."""
    person = entry.participant
    org = person.organization
    if key == "expertise":
        return [item.lower() for item in person.expertise_list] or None
    if key == "format":
        # "Either" fits every group, so it does not pull a group one way or the other.
        preference = person.format_preference
        return preference if preference and preference != "either" else None
    if key == "region":
        return (person.state or (org.state if org else "") or "").upper() or None
    if key == "org_type":
        return (org.kind.strip().lower() if org and org.kind else "") or None
    value = (entry.answers or {}).get(key)
    if isinstance(value, list):
        return [str(item) for item in value if str(item).strip()] or None
    if value is None or value == "":
        return None
    if key == "commitment":
        try:
            return int(value)
        except (TypeError, ValueError):
            return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return str(value)


def _add_attributes(formation_round, entries, people, warnings):
    specs = []
    for spec in formation_round.criteria or []:
        key = spec.get("attribute") if isinstance(spec, dict) else None
        if key not in ATTRIBUTES or spec.get("rule") not in ("similar", "mix"):
            continue
        weight = spec.get("weight", 1)
        try:
            weight = float(weight)
        except (TypeError, ValueError):
            weight = 1.0
        specs.append({"attribute": key, "rule": spec["rule"], "weight": max(weight, 0.1)})
    if not specs:
        raise ServiceError(_("Pick at least one criterion before forming groups."))
    keys = {spec["attribute"] for spec in specs}
    values = {key: [attribute_value(key, entry) for entry in entries] for key in keys}
    for key in sorted(keys):
        if all(value is None for value in values[key]):
            warnings.append(
                _("Nobody has an answer for “%(criterion)s” yet, so it is left out.")
                % {"criterion": ATTRIBUTES[key].label}
            )
    specs = [spec for spec in specs if any(v is not None for v in values[spec["attribute"]])]
    if not specs:
        raise ServiceError(
            _(
                "None of the criteria has any answers yet. Wait for people to answer, or pick "
                "criteria from their profiles."
            )
        )
    for pos, person in enumerate(people):
        attributes = {}
        for key in keys:
            if values[key][pos] is not None:
                attributes[key] = values[key][pos]
        person["attributes"] = attributes
    return specs


def location_of(participant):
    """(lat, lon) of a person, from their own profile or else their organization, or None."""
    if participant.latitude is not None and participant.longitude is not None:
        return participant.latitude, participant.longitude
    org = participant.organization
    if org is not None and org.latitude is not None and org.longitude is not None:
        return org.latitude, org.longitude
    return None


def _add_locations(entries, people):
    missing = []
    for entry, person in zip(entries, people, strict=True):
        point = location_of(entry.participant)
        if point is None:
            missing.append(entry.participant.name)
        else:
            person["location"] = {"lat": point[0], "lon": point[1]}
    if missing:
        raise ServiceError(
            ngettext(
                "The map needs a place for everyone, but %(names)s has none. Add a ZIP code to "
                "their organization, or take them out of the round.",
                "The map needs a place for everyone, but %(count)s people have none: "
                "%(names)s. Add a ZIP code to their organizations, or take them out of the "
                "round.",
                len(missing),
            )
            % {"count": len(missing), "names": _names(missing)}
        )
