"""Proposals: storing the engine's (or a CSV's) groups, and staff's edits of the newest one
(moves, new groups, names, locks), rescored after each edit. Only the newest proposal of a
round may change, and only while the round is not published and the engine is not at work
on it (`editable_proposal` says why not); a move into the group a person is in already is
refused too. All of it is checked here, so a view, a task or a command gets the same refusal.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.formation.engine.evaluate import evaluate
from cohorts.formation.engine.problem import FormationError
from cohorts.models import (
    Community,
    FormationLock,
    FormationProposal,
    FormationRound,
    Participant,
    ProposedGroup,
    ProposedMember,
)
from cohorts.services.activity import record
from copkit.errors import ServiceError

from .carry_over import carry_over
from .problem import size_limits

# A run still queued or running after this long has stopped (a worker lost, a deploy): the
# groups may change again, and staff may form them again.
STALE_RUN = timedelta(minutes=10)


RUNNING = (FormationRound.RunState.QUEUED, FormationRound.RunState.RUNNING)


def current_proposal(formation_round):
    """The newest proposal of the round, or None."""
    return formation_round.proposals.order_by("-number").first()


def is_running(formation_round):
    """The engine is at work on the round (a run left behind for longer than STALE_RUN does
    not count: staff may run it again)."""
    if formation_round.run_state not in RUNNING:
        return False
    started = formation_round.run_started_at
    return started is None or timezone.now() - started < STALE_RUN


def read_only_reason(formation_round, proposal, newest):
    """Why `proposal` (of the round whose newest proposal is `newest`) can't change now, in
    words for the review board; "" when it can."""
    if formation_round.is_published:
        return _("These groups are published: they can no longer change.")
    if proposal is None:
        return _("No groups have been formed yet.")
    if newest is None or proposal.pk != newest.pk:
        return _("This is an older proposal, kept as it was. Only the newest one can change.")
    if is_running(formation_round):
        return _("copkit is forming new groups. These can change again once it is done.")
    return ""


def editable_proposal(formation_round):
    """The round's newest proposal, if staff may edit it now; ServiceError (saying why) when
    the round is published, has no groups yet, or the engine is at work on it."""
    newest = formation_round.proposals.defer("problem").first()
    reason = read_only_reason(formation_round, newest, newest)
    if reason:
        raise ServiceError(reason)
    return newest


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

    # Names (and leaders) staff gave the groups before stay with the people who stay together.
    previous = formation_round.proposals.order_by("-number").first()
    kept = carry_over(
        previous,
        [
            (
                [people[pid].pk for pid in group.get("members", [])],
                topics.get(group.get("topic") or ""),
            )
            for group in groups
        ],
    )
    warnings = list(warnings) + [
        _(
            "The name “%(name)s” was not kept: its people are in different groups now. Rename "
            "a group to use it again."
        )
        % {"name": name}
        for name in kept.lost
    ]
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
    for position, old_name in list(kept.names.items()):
        if groups[position].get("name") or old_name.casefold() in taken:
            del kept.names[position]  # a name given now wins; a community took the old one
        else:
            taken.add(old_name.casefold())
    for position, group in enumerate(groups):
        details = {k: v for k, v in group.items() if k not in ("id", "members", "name")}
        topic = topics.get(group.get("topic") or "")
        name = (group.get("name") or "").strip() or kept.names.get(position, "")
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
                leader_id=kept.leaders.get(position),
                co_leader_id=kept.co_leaders.get(position),
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
    a move within the same group, a move that breaks a lock or leaves a group above the size
    limit, and any move once the round is published; a group may go below
    the minimum while staff work, and the review page says so."""
    formation_round = proposal.round
    _check_editable(proposal)
    if group.proposal_id != proposal.pk:
        raise ServiceError(_("That group belongs to another proposal."))
    member = proposal.members.select_related("group").filter(participant=participant).first()
    if member is None:
        raise ServiceError(_("%(name)s is not in these groups.") % {"name": participant.name})
    if member.group_id == group.pk:
        raise ServiceError(
            _("%(name)s is in %(group)s already.") % {"name": participant.name, "group": group.name}
        )
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
    # Someone who leaves a group no longer leads it.
    for role in ("leader", "co_leader"):
        if getattr(old, f"{role}_id") == participant.pk:
            setattr(old, role, None)
            old.save(update_fields=[role, "updated_at"])
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
def set_group_leaders(group, leader, co_leader, *, actor):
    """Choose who leads the community the group becomes (and who co-leads it): members of
    the group, two different people, either may be None. ServiceError otherwise."""
    proposal = group.proposal
    _check_editable(proposal)
    members = set(group.members.values_list("participant_id", flat=True))
    for person in (leader, co_leader):
        if person is not None and person.pk not in members:
            raise ServiceError(
                _("%(name)s is not in %(group)s.") % {"name": person.name, "group": group.name}
            )
    if leader is not None and co_leader is not None and leader.pk == co_leader.pk:
        raise ServiceError(_("Choose two different people to lead and to co-lead."))
    if leader is None and co_leader is not None:
        leader, co_leader = co_leader, None  # a group led by one person has a leader
    group.leader = leader
    group.co_leader = co_leader
    group.save(update_fields=["leader", "co_leader", "updated_at"])
    proposal.edited_at = timezone.now()
    proposal.save(update_fields=["edited_at", "updated_at"])
    record(
        proposal.round.cohort,
        actor,
        "chose group leaders",
        group,
        leader=leader.name if leader else "",
        co_leader=co_leader.name if co_leader else "",
    )
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


def _check_editable(proposal):
    if proposal.round.is_published:
        raise ServiceError(_("This round is published already; its groups are communities now."))
    newest = proposal.round.proposals.aggregate(top=Max("number"))["top"]
    if newest is not None and proposal.number != newest:
        raise ServiceError(
            _("This is an older proposal; only the newest one (number %(number)s) can be changed.")
            % {"number": newest}
        )
    if is_running(proposal.round):
        raise ServiceError(
            _("copkit is forming new groups. These can change again once it is done.")
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
