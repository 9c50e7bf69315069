"""The engine's input built from a round (what the entries and profiles say), and the
engine's refusals told in people's names."""

import math
import re

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cohorts.formation.engine.problem import FormationError, group_count, parse
from cohorts.formation.methods import method_of
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
    `cohorts.formation.attributes`, map locations from the participant or their organization),
    as the round's method (`cohorts.formation.methods`) builds it.
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
        raise ServiceError(_("No one takes part yet: add people on the Participants page."))
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

    problem.update(method_of(method).build_input(formation_round, entries, people, ids, warnings))
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
