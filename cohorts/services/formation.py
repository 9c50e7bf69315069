"""Forming groups from a round: build the engine's problem from what the round holds, run the
engine (now, or in Celery for large rounds), keep each result as a proposal, let staff edit
the newest proposal (moves, new groups, names, locks, a CSV), and publish it as communities.

Every write here is atomic and records who did what (`activity.record`). Refusals a person
can act on raise `ServiceError` (message for them); CSV problems raise `CsvErrors`, one line
per row at fault.
"""

import csv
import io
import math
import re
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Prefetch
from django.db.models.functions import Coalesce, Now
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cohorts.formation.engine import solve
from cohorts.formation.engine.evaluate import evaluate
from cohorts.formation.engine.problem import FormationError, group_count, parse
from cohorts.formation_criteria import ATTRIBUTES
from cohorts.models import (
    Community,
    FormationLock,
    FormationProposal,
    FormationRound,
    Membership,
    Participant,
    ProposedGroup,
    ProposedMember,
)
from copkit import outbox

from .activity import record
from .cohorts import ServiceError

__all__ = [
    "CsvErrors",
    "ServiceError",
    "add_group",
    "add_lock",
    "build_problem",
    "current_proposal",
    "import_csv",
    "move_member",
    "publish",
    "remove_lock",
    "rename_group",
    "run_round",
    "save_solution",
]

# Rounds with more people than this run in Celery; smaller ones return at once.
BACKGROUND_FROM = 300
TIME_LIMIT_S = 10
# A queued or running run older than this is taken as lost (a worker that died): run again.
STALE_RUN = timedelta(minutes=10)
RUN_FIELDS = ["run_state", "run_progress", "run_started_at", "run_error"]
# CSV columns (case-insensitive) naming the person, tried in this order, and their group.
PERSON_COLUMNS = ("email", "e-mail", "name", "person")
GROUP_COLUMNS = ("group", "group name", "community")
CSV_MAX_BYTES = 2_000_000


class CsvErrors(ServiceError):
    """An uploaded CSV was refused. `rows` is [(row number, message)], nothing was saved."""

    def __init__(self, message, rows=()):
        super().__init__(message)
        self.rows = list(rows)


def build_problem(formation_round):
    """Return (problem dict in the engine's JSON format, warnings list of str).

    Participant ids are `str(participant.public_id)`. Group size from size_min/size_max or
    `"groups": group_count`; locks become together/apart pairs; the method's input comes
    from the entries (choices, ranking, answers) and the profiles (criteria attributes per
    `cohorts.formation_criteria`, map locations from the participant or their organization).
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


def current_proposal(formation_round):
    """The newest proposal of the round, or None."""
    return formation_round.proposals.order_by("-number").first()


def lock_is_met(lock, group_of):
    """Whether the groups keep `lock`; `group_of` maps participant id -> group id (someone
    missing from the groups keeps every lock, so there is nothing to fix yet)."""
    first, second = group_of.get(lock.first_id), group_of.get(lock.second_id)
    if first is None or second is None:
        return True
    if lock.kind == FormationLock.Kind.TOGETHER:
        return first == second
    return first != second


def unmet_locks(formation_round, proposal=None):
    """The round's locks that the proposal (the newest one by default) does not keep: a lock
    added after the groups were formed, or groups uploaded as a CSV."""
    proposal = proposal or current_proposal(formation_round)
    if proposal is None:
        return []
    group_of = dict(
        ProposedMember.objects.filter(group__proposal=proposal).values_list(
            "participant_id", "group_id"
        )
    )
    locks = formation_round.locks.select_related("first", "second")
    return [lock for lock in locks if not lock_is_met(lock, group_of)]


def describe_lock(lock):
    kind = (
        _("%(first)s together with %(second)s")
        if lock.kind == FormationLock.Kind.TOGETHER
        else _("%(first)s apart from %(second)s")
    )
    return kind % {"first": lock.first.name, "second": lock.second.name}


def run_round(formation_round, *, actor):
    """Form groups. A small round is solved now and returns the new FormationProposal; a
    large one (more than BACKGROUND_FROM people) is queued in Celery (run_state QUEUED, the
    review page polls `progress`) and returns None. Engine refusals (FormationError) become
    ServiceError with the engine's message and details joined."""
    if formation_round.is_published:
        raise ServiceError(_("This round is published already; its groups are communities now."))
    busy = (FormationRound.RunState.QUEUED, FormationRound.RunState.RUNNING)
    started = formation_round.run_started_at
    if (
        formation_round.run_state in busy
        and started is not None
        and timezone.now() - started < STALE_RUN
    ):
        raise ServiceError(_("copkit is forming these groups already; please wait a moment."))
    problem, warnings = build_problem(formation_round)
    if len(problem["participants"]) > BACKGROUND_FROM:
        from cohorts import tasks

        with transaction.atomic():
            formation_round.run_state = FormationRound.RunState.QUEUED
            formation_round.run_progress = 0
            formation_round.run_started_at = timezone.now()
            formation_round.run_error = {}
            formation_round.run_token = uuid.uuid4()
            formation_round.save(update_fields=[*RUN_FIELDS, "run_token", "updated_at"])
            record(formation_round.cohort, actor, "queued forming groups", formation_round)
            tasks.run_formation_round.delay_on_commit(
                formation_round.pk, getattr(actor, "pk", None), str(formation_round.run_token)
            )
        return None
    try:
        solution = solve(problem)
    except FormationError as error:
        raise ServiceError(_explain(error, formation_round)) from error
    with transaction.atomic():
        proposal = save_solution(
            formation_round,
            problem,
            solution,
            actor=actor,
            source=FormationProposal.Source.ENGINE,
            warnings=warnings,
        )
        if formation_round.run_state != FormationRound.RunState.IDLE or formation_round.run_error:
            formation_round.run_state = FormationRound.RunState.IDLE
            formation_round.run_error = {}
            formation_round.save(update_fields=["run_state", "run_error", "updated_at"])
    return proposal


def run_in_background(round_pk, *, actor_pk=None, run_token=None):
    """The Celery side of run_round: claim the queued run, solve it, store the proposal, and
    update run_state/run_progress/run_error as it goes.

    The run is claimed by a conditional update that clears its `run_token`: a task delivered
    twice, or queued again for the same run, finds no token to clear and returns None without
    adding a proposal. (A task queued without a token claims any queued run of the round.)"""
    queued = FormationRound.objects.filter(pk=round_pk, run_state=FormationRound.RunState.QUEUED)
    if run_token is not None:
        queued = queued.filter(run_token=run_token)
    claimed = queued.update(
        run_state=FormationRound.RunState.RUNNING,
        run_token=None,
        run_progress=10,
        run_error={},
        run_started_at=Coalesce("run_started_at", Now()),
    )
    if claimed != 1:
        return None
    formation_round = FormationRound.objects.select_related("cohort").get(pk=round_pk)
    actor = get_user_model().objects.filter(pk=actor_pk).first() if actor_pk else None
    rounds = FormationRound.objects.filter(pk=round_pk)
    try:
        problem, warnings = build_problem(formation_round)
        rounds.update(run_progress=20)
        solution = solve(problem, progress=_progress_writer(rounds, 20, 90))
        rounds.update(run_progress=90)
        with transaction.atomic():
            proposal = save_solution(
                formation_round,
                problem,
                solution,
                actor=actor,
                source=FormationProposal.Source.ENGINE,
                warnings=warnings,
            )
            rounds.update(run_state=FormationRound.RunState.IDLE, run_progress=100)
    except FormationError as error:
        message, details = _humanize(error, formation_round)
        _fail_run(rounds, {"error": message, "details": details})
        return None
    except ServiceError as error:
        _fail_run(rounds, {"error": str(error), "details": []})
        return None
    except Exception:
        _fail_run(
            rounds,
            {
                "error": _("Something went wrong while forming the groups. Please try again."),
                "details": [],
            },
        )
        raise
    return proposal.pk


@transaction.atomic
def save_solution(formation_round, problem, solution, *, actor, source, warnings=()):
    """Store a solution dict as the next FormationProposal with its groups and members.

    `solution` is the engine's output (or the same shape from a CSV: a group may carry a
    `name`). Group names default to "Group 1", "Group 2", ... or, in a topic round, to the
    topic's name (numbered when a topic is split into several groups). The round goes to
    review. Returns the new proposal."""
    # One proposal number at a time per round; and none once the round is published.
    FormationRound.objects.select_for_update().filter(pk=formation_round.pk).first()
    formation_round.refresh_from_db(fields=["status", "published_at"])
    if formation_round.is_published:
        raise ServiceError(_("This round is published already; its groups are communities now."))
    cohort = formation_round.cohort
    groups = solution.get("groups") or []
    ids = {pid for group in groups for pid in group.get("members", [])}
    people = {
        str(p.public_id): p
        for p in Participant.objects.filter(cohort=cohort, public_id__in=list(ids))
    }
    unknown = ids - set(people)
    if unknown:
        raise ServiceError(
            _("Some people in these groups are no longer in the cohort; form the groups again.")
        )
    topics = {str(t.public_id): t for t in formation_round.topics.all()}
    topic_total = {}
    for group in groups:
        if group.get("topic"):
            topic_total[group["topic"]] = topic_total.get(group["topic"], 0) + 1

    number = (formation_round.proposals.aggregate(top=Max("number"))["top"] or 0) + 1
    proposal = FormationProposal.objects.create(
        round=formation_round,
        number=number,
        source=source,
        problem=problem or {},
        scores=solution.get("scores") or {},
        warnings=list(warnings),
        elapsed_s=solution.get("elapsed_s"),
        created_by=_user(actor),
    )
    rows = []
    topic_seen = {}
    # Names copkit makes up steer clear of the cohort's communities (an earlier round's
    # "Group 1") and of each other, so the groups can be published without renaming.
    taken = {
        name.casefold()
        for name in Community.objects.active().filter(cohort=cohort).values_list("name", flat=True)
    }
    taken |= {(g.get("name") or "").strip().casefold() for g in groups if g.get("name")}
    for position, group in enumerate(groups):
        details = {k: v for k, v in group.items() if k not in ("id", "members", "name")}
        topic = topics.get(group.get("topic") or "")
        name = (group.get("name") or "").strip()
        if not name and topic is not None:
            topic_seen[topic.pk] = topic_seen.get(topic.pk, 0) + 1
            number = topic_seen[topic.pk] if topic_total.get(group["topic"], 0) > 1 else None
            base = topic.name[:190]
            name = _free_name(
                lambda n, base=base: base if n is None else f"{base} {n}", number, taken
            )
        if not name:
            name = _free_name(lambda n: _("Group %(number)s") % {"number": n}, position + 1, taken)
        taken.add(name.casefold())
        rows.append(
            ProposedGroup(
                proposal=proposal,
                label=str(group.get("id") or f"g{position + 1}")[:40],
                name=name[:200],
                topic=topic,
                position=position,
                details=details,
            )
        )
    ProposedGroup.objects.bulk_create(rows)
    members = [
        ProposedMember(proposal=proposal, group=row, participant=people[pid])
        for row, group in zip(rows, groups, strict=True)
        for pid in group.get("members", [])
    ]
    ProposedMember.objects.bulk_create(members, batch_size=500)
    formation_round.status = FormationRound.Status.REVIEW
    formation_round.save(update_fields=["status", "updated_at"])
    record(
        cohort,
        actor,
        "formed groups",
        formation_round,
        proposal=number,
        source=source,
        groups=len(rows),
    )
    return proposal


@transaction.atomic
def move_member(proposal, participant, group, *, actor):
    """Move a person to another group of the proposal and rescore it. Refuses (ServiceError)
    a move that breaks a lock or leaves a group above the size limit; a group may go below
    the minimum while staff work, and the review page says so."""
    formation_round = proposal.round
    _check_editable(proposal)
    if group.proposal_id != proposal.pk:
        raise ServiceError(_("That group belongs to another proposal."))
    member = proposal.members.select_related("group").filter(participant=participant).first()
    if member is None:
        raise ServiceError(_("%(name)s is not in these groups.") % {"name": participant.name})
    if member.group_id == group.pk:
        return proposal
    placed = dict(proposal.members.values_list("participant_id", "group_id"))
    for lock in _locks_of(formation_round, participant):
        other = lock.second if lock.first_id == participant.pk else lock.first
        other_group = placed.get(other.pk)
        if lock.kind == FormationLock.Kind.TOGETHER and other_group not in (None, group.pk):
            raise ServiceError(
                _(
                    "%(name)s and %(other)s are locked together: move %(other)s to "
                    "%(group)s too, or remove the lock first."
                )
                % {"name": participant.name, "other": other.name, "group": group.name}
            )
        if lock.kind == FormationLock.Kind.APART and other_group == group.pk:
            raise ServiceError(
                _(
                    "%(name)s and %(other)s are locked apart, and %(other)s is in "
                    "%(group)s. Remove the lock first if they may share a group."
                )
                % {"name": participant.name, "other": other.name, "group": group.name}
            )
    _size_min, size_max = size_limits(formation_round, len(placed))
    in_group = sum(1 for g in placed.values() if g == group.pk)
    if size_max is not None and in_group + 1 > size_max:
        raise ServiceError(
            _(
                "%(group)s already has %(count)s people, the most a group may have. Move "
                "someone out of it first."
            )
            % {"group": group.name, "count": in_group}
        )
    old = member.group
    member.group = group
    member.save(update_fields=["group"])
    rescore(proposal)
    record(
        formation_round.cohort,
        actor,
        "moved person",
        participant,
        proposal=proposal.number,
        from_group=old.name,
        to_group=group.name,
    )
    return proposal


@transaction.atomic
def add_group(proposal, *, actor, name=""):
    """An empty new group at the end of the proposal."""
    _check_editable(proposal)
    existing = list(proposal.groups.values_list("label", "name", "position"))
    labels = {label for label, _name, _pos in existing}
    taken = {group_name.casefold() for _label, group_name, _pos in existing}
    counter = len(existing) + 1
    while f"g{counter}" in labels:
        counter += 1
    label = f"g{counter}"
    name = (name or "").strip()
    if name:
        _check_name(proposal, name)
    else:
        number = len(existing) + 1
        while (_("Group %(number)s") % {"number": number}).casefold() in taken:
            number += 1
        name = _("Group %(number)s") % {"number": number}
    position = max((pos for _label, _name, pos in existing), default=-1) + 1
    group = ProposedGroup.objects.create(
        proposal=proposal, label=label, name=name, position=position
    )
    rescore(proposal)
    record(proposal.round.cohort, actor, "added group", group, proposal=proposal.number)
    return group


@transaction.atomic
def rename_group(group, name, *, actor):
    """Set the community name a group will be published under (ServiceError when blank or
    already taken by another group of the proposal or an active community)."""
    proposal = group.proposal
    _check_editable(proposal)
    name = (name or "").strip()
    _check_name(proposal, name, exclude=group)
    old = group.name
    group.name = name
    group.save(update_fields=["name", "updated_at"])
    proposal.edited_at = timezone.now()
    proposal.save(update_fields=["edited_at", "updated_at"])
    record(proposal.round.cohort, actor, "renamed group", group, old_name=old)
    return group


@transaction.atomic
def add_lock(formation_round, first, second, kind, *, actor):
    """Lock two people of the round together or apart (ServiceError for the same person twice,
    someone outside the round, or a pair locked already)."""
    if formation_round.is_published:
        raise ServiceError(_("This round is published already; its groups are communities now."))
    if kind not in FormationLock.Kind.values:
        raise ServiceError(_("Choose whether they go together or apart."))
    if first is None or second is None:
        raise ServiceError(_("Choose two people."))
    if first.pk == second.pk:
        raise ServiceError(
            _("Choose two different people: %(name)s was picked twice.") % {"name": first.name}
        )
    taking_part = set(
        formation_round.entries.filter(participant__in=[first, second]).values_list(
            "participant_id", flat=True
        )
    )
    for person in (first, second):
        if person.pk not in taking_part:
            raise ServiceError(
                _("%(name)s is not taking part in this round.") % {"name": person.name}
            )
    existing = (
        formation_round.locks.filter(first=first, second=second)
        | formation_round.locks.filter(first=second, second=first)
    ).first()
    if existing is not None:
        raise ServiceError(
            _("%(first)s and %(second)s are already locked %(kind)s.")
            % {
                "first": first.name,
                "second": second.name,
                "kind": existing.get_kind_display().lower(),
            }
        )
    lock = FormationLock.objects.create(
        round=formation_round, first=first, second=second, kind=kind, created_by=_user(actor)
    )
    record(formation_round.cohort, actor, "added lock", lock, kind=kind)
    return lock


@transaction.atomic
def remove_lock(lock, *, actor):
    formation_round = lock.round
    if formation_round.is_published:
        raise ServiceError(_("This round is published already; its groups are communities now."))
    label = str(lock)
    lock.delete()
    record(formation_round.cohort, actor, "removed lock", label)


def import_csv(formation_round, uploaded_file, *, actor):
    """A CSV of person -> group (columns `email` or `name`, and `group`) becomes a new
    proposal (source CSV). Unknown people, people outside the round, people listed twice,
    missing columns, people left out and groups outside the size limits raise CsvErrors with
    each row at fault; nothing is saved then."""
    entries = list(formation_round.entries.select_related("participant"))
    people = [entry.participant for entry in entries]
    header, body = _read_csv(uploaded_file)
    columns = [cell.strip().casefold() for cell in header]
    person_cols = [columns.index(c) for c in PERSON_COLUMNS if c in columns]
    group_col = next((columns.index(c) for c in GROUP_COLUMNS if c in columns), None)
    if not person_cols or group_col is None:
        found = ", ".join(f"“{cell.strip()}”" for cell in header if cell.strip()) or _("none")
        raise CsvErrors(
            _(
                "The first row must name the columns: “email” or “name” for the person, and "
                "“group” for their group. Columns found: %(found)s."
            )
            % {"found": found}
        )
    by_email = {p.email.strip().casefold(): p for p in people}
    by_name = {}
    for person in people:
        by_name.setdefault(_name_key(person.name), []).append(person)
    in_cohort = {}
    for person in formation_round.cohort.participants.exclude(pk__in=[p.pk for p in people]):
        in_cohort[person.email.strip().casefold()] = person
        in_cohort[_name_key(person.name)] = person

    errors = []
    placed = {}  # participant pk -> row number
    groups = {}  # group key -> {"name", "members", "first_row"}
    for number, row in body:
        if not any(cell.strip() for cell in row):
            continue
        cells = [row[i].strip() if i < len(row) else "" for i in person_cols]
        who = next((cell for cell in cells if cell), "")
        group_name = row[group_col].strip() if group_col < len(row) else ""
        if not who:
            errors.append((number, _("There is no email or name on this row.")))
            continue
        person, problem = _find_person(who, by_email, by_name, in_cohort)
        if problem:
            errors.append((number, problem))
            continue
        if not group_name:
            errors.append((number, _("%(name)s has no group.") % {"name": person.name}))
            continue
        if len(group_name) > 200:
            errors.append((number, _("The group name is longer than 200 characters.")))
            continue
        if person.pk in placed:
            errors.append(
                (
                    number,
                    _("%(name)s is listed already, on row %(row)s.")
                    % {"name": person.name, "row": placed[person.pk]},
                )
            )
            continue
        placed[person.pk] = number
        group = groups.setdefault(
            group_name.casefold(), {"name": group_name, "members": [], "first_row": number}
        )
        group["members"].append(person)

    if not errors and not groups:
        raise CsvErrors(_("The file has no rows below its first row."))
    missing = [p.name for p in people if p.pk not in placed]
    size_min, size_max = size_limits(formation_round, len(people))
    if not errors and not missing and size_min is not None and size_max is not None:
        for group in groups.values():
            count = len(group["members"])
            if not size_min <= count <= size_max:
                errors.append(
                    (
                        group["first_row"],
                        _(
                            "The group “%(group)s” has %(count)s people; groups in this "
                            "round need %(min)s to %(max)s."
                        )
                        % {
                            "group": group["name"],
                            "count": count,
                            "min": size_min,
                            "max": size_max,
                        },
                    )
                )
    if errors or missing:
        message = _("Nothing was saved: some rows need fixing.") if errors else ""
        if missing:
            shown = _names(missing)
            message = " ".join(
                part
                for part in (
                    message,
                    ngettext(
                        "%(count)s person of this round is not in the file: %(names)s. Add a "
                        "row for them.",
                        "%(count)s people of this round are not in the file: %(names)s. Add "
                        "a row for each.",
                        len(missing),
                    )
                    % {"count": len(missing), "names": shown},
                )
                if part
            )
        raise CsvErrors(message, sorted(errors, key=lambda item: item[0]))

    try:
        problem, warnings = build_problem(formation_round)
    except ServiceError:
        sizes = [len(g["members"]) for g in groups.values()]
        problem = {
            "method": FormationRound.Method.PREASSIGN,
            "group_size": {"min": min(sizes), "max": max(sizes)},
            "participants": [{"id": str(p.public_id)} for p in people],
        }
        warnings = []
    solution = {
        "groups": [
            {
                "id": f"g{position + 1}",
                "name": group["name"],
                "members": [str(p.public_id) for p in group["members"]],
            }
            for position, group in enumerate(groups.values())
        ],
        "scores": {},
    }
    with transaction.atomic():
        proposal = save_solution(
            formation_round,
            problem,
            solution,
            actor=actor,
            source=FormationProposal.Source.CSV,
            warnings=warnings,
        )
        rescore(proposal)
    return proposal


def publish(formation_round, *, actor):
    """The newest proposal's groups become Communities (named after the group, with its topic
    when it has one) with a Membership for each member; each member is emailed through the
    outbox; the round is marked PUBLISHED. Refuses (ServiceError) an already published round,
    a round with no proposal, empty groups, groups outside the size limits, two groups of
    one name, and groups that break a lock."""
    with transaction.atomic():
        formation_round = (
            FormationRound.objects.select_for_update()
            .select_related("cohort")
            .get(pk=formation_round.pk)
        )
        return _publish(formation_round, actor)


def _publish(formation_round, actor):
    cohort = formation_round.cohort
    if formation_round.is_published or formation_round.status == FormationRound.Status.PUBLISHED:
        raise ServiceError(_("This round is published already; its groups are communities now."))
    proposal = current_proposal(formation_round)
    if proposal is None:
        raise ServiceError(_("There are no groups to publish yet: form the groups first."))
    groups = list(
        proposal.groups.select_related("topic__topic")
        .prefetch_related(
            Prefetch("members", queryset=ProposedMember.objects.select_related("participant"))
        )
        .order_by("position", "pk")
    )
    # A group left empty (added, then not used) does not become a community.
    groups = [group for group in groups if group.members.all()]
    if not groups:
        raise ServiceError(_("There are no groups to publish yet: form the groups first."))
    total = sum(len(group.members.all()) for group in groups)
    size_min, size_max = size_limits(formation_round, total)
    if size_min is not None and size_max is not None:
        outside = [
            _("%(group)s has %(count)s") % {"group": group.name, "count": len(group.members.all())}
            for group in groups
            if not size_min <= len(group.members.all()) <= size_max
        ]
        if outside:
            raise ServiceError(
                _(
                    "Groups in this round need %(min)s to %(max)s people, but %(groups)s. Move "
                    "people between groups first."
                )
                % {"min": size_min, "max": size_max, "groups": _names(outside)}
            )
    seen = set()
    for group in groups:
        if group.name.casefold() in seen:
            raise ServiceError(
                _("Two groups are called “%(name)s”. Rename one of them first.")
                % {"name": group.name}
            )
        seen.add(group.name.casefold())
    unmet = [describe_lock(lock) for lock in unmet_locks(formation_round, proposal)]
    if unmet:
        raise ServiceError(
            ngettext(
                "These groups break a lock (%(locks)s). Move someone, form the groups again, "
                "or remove the lock first.",
                "These groups break %(count)s locks (%(locks)s). Move people, form the groups "
                "again, or remove the locks first.",
                len(unmet),
            )
            % {"count": len(unmet), "locks": _names(unmet)}
        )
    taken = {
        name.casefold()
        for name in Community.objects.active().filter(cohort=cohort).values_list("name", flat=True)
    }
    for group in groups:
        if group.name.casefold() in taken:
            raise ServiceError(
                _(
                    "There is already a community called “%(name)s”. Rename that group "
                    "before publishing."
                )
                % {"name": group.name}
            )

    now = timezone.now()
    memberships = []
    emails = []
    for group in groups:
        community = Community(
            cohort=cohort,
            name=group.name,
            topic=group.topic.topic if group.topic else None,
            phase=Community.Phase.FORMING,
        )
        community.save()
        group.community = community
        people = [member.participant for member in group.members.all()]
        url = settings.SITE_URL + community.get_absolute_url()
        for person in people:
            memberships.append(
                Membership(community=community, participant=person, role=Membership.Role.MEMBER)
            )
            emails.append(
                {
                    "key": f"formation-published:{formation_round.pk}:{person.pk}",
                    "kind": "formation",
                    "to_email": person.email,
                    "template": "formation_published",
                    "context": {
                        "participant": person,
                        "community": community,
                        "cohort": cohort,
                        "round_name": formation_round.name,
                        "url": url,
                        "others": [p.name for p in people if p.pk != person.pk],
                    },
                }
            )
    Membership.objects.bulk_create(memberships, batch_size=500, ignore_conflicts=True)
    ProposedGroup.objects.bulk_update(groups, ["community"])
    formation_round.status = FormationRound.Status.PUBLISHED
    formation_round.published_at = now
    formation_round.published_by = _user(actor)
    formation_round.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    outbox.enqueue_many(emails)
    record(
        cohort,
        actor,
        "published groups",
        formation_round,
        proposal=proposal.number,
        communities=len(groups),
        members=len(memberships),
    )
    return [group.community for group in groups]


# -- helpers -----------------------------------------------------------------------------------


def _free_name(make, number, taken):
    """`make(number)` if that name is not in `taken` (casefolded names), else the name with
    the next free number. `number` None: the plain name first, then "... 2", "... 3"."""
    name = make(number)
    while name.casefold() in taken:
        number = 2 if number is None else number + 1
        name = make(number)
    return name


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


def size_limits(formation_round, n):
    """(smallest, largest) group size of the round for n people; (None, None) when the round
    has no sizes yet. A number of groups means sizes as even as possible."""
    if formation_round.size_mode == FormationRound.SizeMode.COUNT:
        count = formation_round.group_count
        if not count or not n:
            return None, None
        return n // count, math.ceil(n / count)
    return formation_round.size_min, formation_round.size_max


def _check_editable(proposal):
    if proposal.round.is_published:
        raise ServiceError(_("This round is published already; its groups are communities now."))
    newest = proposal.round.proposals.aggregate(top=Max("number"))["top"]
    if newest is not None and proposal.number != newest:
        raise ServiceError(
            _("This is an older proposal; only the newest one (number %(number)s) can be changed.")
            % {"number": newest}
        )


def _check_name(proposal, name, exclude=None):
    if not name:
        raise ServiceError(_("Please give the group a name."))
    if len(name) > 200:
        raise ServiceError(_("Please keep the name under 200 characters."))
    others = proposal.groups.filter(name__iexact=name)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        raise ServiceError(
            _("Another group in these groups is already called “%(name)s”. Pick another name.")
            % {"name": name}
        )
    cohort = proposal.round.cohort
    if Community.objects.active().filter(cohort=cohort, name__iexact=name).exists():
        raise ServiceError(
            _("There is already a community called “%(name)s” in this cohort. Pick another name.")
            % {"name": name}
        )


def _locks_of(formation_round, participant):
    return (
        formation_round.locks.filter(first=participant)
        | formation_round.locks.filter(second=participant)
    ).select_related("first", "second")


def rescore(proposal):
    """Recompute the proposal's scores and each group's figures for its groups as they are
    now (after a move, a new group, a CSV), and note the edit time."""
    groups = list(proposal.groups.select_related("topic").order_by("position", "pk"))
    members = {}
    for group_id, public_id in proposal.members.values_list("group_id", "participant__public_id"):
        members.setdefault(group_id, []).append(str(public_id))
    grouping = [sorted(members.get(group.pk, [])) for group in groups]
    topics = [str(group.topic.public_id) if group.topic else None for group in groups]
    try:
        result = evaluate(proposal.problem, grouping, topics)
    except FormationError:
        sizes = [len(m) for m in grouping] or [0]
        result = {
            "scores": {"groups": len(groups), "smallest": min(sizes), "largest": max(sizes)},
            "groups": [{} for _group in groups],
        }
    for group, extra in zip(groups, result["groups"], strict=True):
        group.details = extra
    ProposedGroup.objects.bulk_update(groups, ["details"], batch_size=500)
    proposal.scores = result["scores"]
    proposal.edited_at = timezone.now()
    proposal.save(update_fields=["scores", "edited_at", "updated_at"])
    return proposal


def _progress_writer(rounds, low, high):
    """A progress callback for the engine that moves run_progress from low to high, writing
    at most once a second and only in steps of 5 or more."""
    last = {"value": low, "at": 0.0}

    def report(share):
        value = low + int((high - low) * min(1.0, max(0.0, share)))
        now = time.monotonic()
        if value >= last["value"] + 5 and now - last["at"] >= 1.0:
            last.update(value=value, at=now)
            rounds.update(run_progress=value)

    return report


def _fail_run(rounds, error):
    rounds.update(run_state=FormationRound.RunState.FAILED, run_progress=0, run_error=error)


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
    """A person's value for a criteria attribute (see cohorts.formation_criteria), or None."""
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


def _read_csv(uploaded_file):
    """(header row, [(row number, row), ...]) of an uploaded CSV; CsvErrors when it is not
    one."""
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    raw = uploaded_file.read(CSV_MAX_BYTES + 1)
    if isinstance(raw, str):
        text = raw
    else:
        if len(raw) > CSV_MAX_BYTES:
            raise CsvErrors(_("The file is too large: a CSV of person and group is smaller."))
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CsvErrors(
                _(
                    "The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8” "
                    "and upload it again."
                )
            ) from None
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        raise CsvErrors(_("This is not a CSV file. Save your spreadsheet as CSV and try again."))
    if not text.strip():
        raise CsvErrors(_("The file is empty."))
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample.splitlines()[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(enumerate(csv.reader(io.StringIO(text), dialect), start=1))
    except csv.Error:
        raise CsvErrors(
            _("This does not read as a CSV file. Save your spreadsheet as CSV and try again.")
        ) from None
    rows = [(number, row) for number, row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise CsvErrors(_("The file is empty."))
    return rows[0][1], rows[1:]


def _name_key(name):
    return " ".join(name.split()).casefold()


def _find_person(who, by_email, by_name, in_cohort):
    """(participant, None) or (None, what is wrong) for an email or a name from the CSV."""
    if "@" in who:
        person = by_email.get(who.casefold())
        if person is not None:
            return person, None
        other = in_cohort.get(who.casefold())
        if other is not None:
            return None, _("%(name)s (%(email)s) is not taking part in this round.") % {
                "name": other.name,
                "email": who,
            }
        return None, _("Nobody in this round has the email %(email)s.") % {"email": who}
    matches = by_name.get(_name_key(who), [])
    if len(matches) == 1:
        return matches[0], None
    if len(matches) > 1:
        return None, _(
            "%(count)s people in this round are called %(name)s; use their email instead."
        ) % {"count": len(matches), "name": who}
    if _name_key(who) in in_cohort:
        return None, _("%(name)s is not taking part in this round.") % {"name": who}
    return None, _("Nobody in this round is called %(name)s.") % {"name": who}
