"""Forming groups from a round: build the engine's problem from what the round holds, run the
engine (now, or in Celery for large rounds), keep each result as a proposal, let staff edit
the newest proposal (moves, new groups, names, locks, a CSV), and publish it as communities.

Every write here is atomic and records who did what (`activity.record`). Refusals a person
can act on raise `ServiceError` (message for them); CSV problems raise `CsvErrors`, one line
per row at fault.
"""

import math

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.formation.evaluate import evaluate
from cohorts.formation.problem import FormationError
from cohorts.models import (
    Community,
    FormationLock,
    FormationProposal,
    FormationRound,
    Participant,
    ProposedGroup,
    ProposedMember,
)

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
    What has to be left out (a choice naming someone no longer in the round, a person with
    no location on a map round) becomes a warning, not an error. An empty round, or sizes
    that cannot work, raise ServiceError with a clear message."""
    raise NotImplementedError


def current_proposal(formation_round):
    """The newest proposal of the round, or None."""
    return formation_round.proposals.order_by("-number").first()


def run_round(formation_round, *, actor):
    """Form groups. A small round is solved now and returns the new FormationProposal; a
    large one (more than BACKGROUND_FROM people) is queued in Celery (run_state QUEUED, the
    review page polls `progress`) and returns None. Engine refusals (FormationError) become
    ServiceError with the engine's message and details joined."""
    raise NotImplementedError


def run_in_background(round_pk, *, actor_pk=None):
    """The Celery side of run_round: solve the queued round, store the proposal, update
    run_state/run_progress/run_error as it goes."""
    raise NotImplementedError


@transaction.atomic
def save_solution(formation_round, problem, solution, *, actor, source, warnings=()):
    """Store a solution dict as the next FormationProposal with its groups and members."""
    """`solution` is the engine's output (or the same shape from a CSV: a group may carry a
    `name`). Group names default to "Group 1", "Group 2", ... or, in a topic round, to the
    topic's name (numbered when a topic is split into several groups). The round goes to
    review. Returns the new proposal."""
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
    for position, group in enumerate(groups):
        details = {k: v for k, v in group.items() if k not in ("id", "members", "name")}
        topic = topics.get(group.get("topic") or "")
        name = (group.get("name") or "").strip()
        if not name and topic is not None:
            topic_seen[topic.pk] = topic_seen.get(topic.pk, 0) + 1
            name = topic.name
            if topic_total.get(group["topic"], 0) > 1:
                name = f"{topic.name} {topic_seen[topic.pk]}"
        if not name:
            name = _("Group %(number)s") % {"number": position + 1}
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
    names = {name.casefold() for _label, name, _pos in existing}
    counter = len(existing) + 1
    while f"g{counter}" in labels:
        counter += 1
    label = f"g{counter}"
    name = (name or "").strip()
    if name:
        _check_name(proposal, name)
    else:
        number = len(existing) + 1
        while (_("Group %(number)s") % {"number": number}).casefold() in names:
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
    raise NotImplementedError


def publish(formation_round, *, actor):
    """The newest proposal's groups become Communities (named after the group, with its topic
    when it has one) with a Membership for each member; each member is emailed through the
    outbox; the round is marked PUBLISHED. Refuses (ServiceError) an already published round,
    a round with no proposal, empty groups, and groups outside the size limits."""
    raise NotImplementedError


# -- helpers -----------------------------------------------------------------------------------


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
