"""Setting up formation rounds: create and edit a round, who takes part, topics and
criteria, sending personal links and reminders, deleting a round.

Every write is atomic and recorded in the cohort's activity log. Emails go through the
outbox in the same transaction, each under a unique key:

- `formation-invite:<entry id>`: the personal link, once per person and round;
- `formation-reminder:<entry id>`: the one reminder the periodic sweep sends when the
  deadline is less than a day away (not to someone sent their link in the last 12 hours);
- `formation-reminder:<entry id>:<timestamp>`: a reminder staff send by hand.

Each reminder is claimed first with a conditional UPDATE of `reminded_at`, so two sweeps at
once (or a sweep and a click) never remind the same person twice.

A person's "input" is anything they (or staff, from paper) gave the round: a submitted
entry, or choices, a ranking or answers saved along the way. Entries with input are never
dropped silently: re-syncing the scope keeps them, and removing one by hand says so.
"""

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from cohorts.formation.attributes import ATTRIBUTES
from cohorts.formation.methods import method_of
from cohorts.formation.models import ROUND_FIELDS
from cohorts.models import FormationEntry, FormationRound, FormationTopic
from cohorts.services.activity import record
from copkit.errors import ServiceError

Method = FormationRound.Method


Status = FormationRound.Status


Scope = FormationRound.Scope


SizeMode = FormationRound.SizeMode


# Entries holding something the person (or staff for them) gave the round.
HAS_INPUT = Q(submitted_at__isnull=False) | ~Q(choices=[]) | ~Q(ranking=[]) | ~Q(answers={})


# -- reading ---------------------------------------------------------------------------------


def with_counts(rounds):
    """`rounds` annotated with people_count and answered_count, in the same query however
    many rounds there are."""
    return rounds.annotate(
        people_count=Count("entries", distinct=True),
        answered_count=Count(
            "entries", filter=Q(entries__submitted_at__isnull=False), distinct=True
        ),
    )


def in_scope(cohort, scope):
    """The participants of `cohort` a round with `scope` takes by default."""
    participants = cohort.participants.all()
    if scope == Scope.UNGROUPED:
        participants = participants.without_community()
    return participants


def has_input(formation_round):
    """True once anyone gave the round something: then its method can no longer change."""
    return formation_round.entries.filter(HAS_INPUT).exists()


def method_locked(formation_round):
    """Why the method can no longer change (a message), or "" when it still can."""
    if formation_round.proposals.exists():
        return _("The method can no longer change: groups have been formed with it.")
    if has_input(formation_round):
        return _("The method can no longer change: people have already given their input.")
    return ""


def _actor(actor):
    return actor if actor is not None and actor.is_authenticated else None


def _check_not_published(formation_round):
    if formation_round.is_published:
        raise ServiceError(
            _("This round is published: its groups are communities now, so it can't change.")
        )


# -- creating and editing --------------------------------------------------------------------


def check_settings_editable(formation_round):
    """ServiceError once the round is published: its settings can no longer change."""
    if formation_round.is_published:
        raise ServiceError(_("This round is published: its settings can no longer change."))


def check_has_topics(formation_round):
    """ServiceError unless the round's method has subject areas (topic choice)."""
    if not method_of(formation_round).uses_topics:
        raise ServiceError(_("Only a topic-choice round has subject areas."))


def _prefill_topics(formation_round):
    """One FormationTopic per cohort Topic, in name order. Returns how many were made."""
    topics = list(formation_round.cohort.topics.order_by("name", "pk"))
    FormationTopic.objects.bulk_create(
        [
            FormationTopic(
                round=formation_round,
                topic=topic,
                name=topic.name[:120],
                description=topic.description,
                position=position,
            )
            for position, topic in enumerate(topics)
        ]
    )
    return len(topics)


@transaction.atomic
def create_round(cohort, actor, **data):
    """A new round of `cohort` from the round form's cleaned data, with an entry for each
    participant in its scope and, for topic choice, the cohort's topics to rank."""
    unknown = set(data) - set(ROUND_FIELDS)
    if unknown:
        raise TypeError(f"unknown round fields: {sorted(unknown)}")
    formation_round = FormationRound.objects.create(
        cohort=cohort, created_by=_actor(actor), status=Status.SETUP, **data
    )
    participants = list(in_scope(cohort, formation_round.scope).values_list("pk", flat=True))
    FormationEntry.objects.bulk_create(
        [FormationEntry(round=formation_round, participant_id=pk) for pk in participants],
        batch_size=500,
    )
    topics = _prefill_topics(formation_round) if method_of(formation_round).uses_topics else 0
    record(
        cohort,
        actor,
        "created formation round",
        formation_round,
        method=formation_round.method,
        people=len(participants),
        topics=topics,
    )
    return formation_round


def missing_from_scope(formation_round):
    """Participants in the round's scope without an entry (joined the cohort later, or
    taken out by hand)."""
    return in_scope(formation_round.cohort, formation_round.scope).exclude(
        Exists(FormationEntry.objects.filter(round=formation_round, participant=OuterRef("pk")))
    )


@transaction.atomic
def add_missing(formation_round, actor):
    """Add everyone in the round's scope who is not in it yet. Returns how many."""
    _check_not_published(formation_round)
    missing = list(missing_from_scope(formation_round).values_list("pk", flat=True))
    FormationEntry.objects.bulk_create(
        [FormationEntry(round=formation_round, participant_id=pk) for pk in missing],
        batch_size=500,
        ignore_conflicts=True,
    )
    if missing:
        record(
            formation_round.cohort,
            actor,
            "changed formation people",
            formation_round,
            added=len(missing),
        )
    return len(missing)


def sync_entries(formation_round):
    """Make the entries follow the round's scope: add everyone in scope without an entry,
    remove entries of people out of scope who have given no input. Returns counts
    {"added", "removed", "kept"} ("kept": out of scope, kept for their input)."""
    wanted = in_scope(formation_round.cohort, formation_round.scope)
    missing = list(missing_from_scope(formation_round).values_list("pk", flat=True))
    FormationEntry.objects.bulk_create(
        [FormationEntry(round=formation_round, participant_id=pk) for pk in missing],
        batch_size=500,
        ignore_conflicts=True,
    )
    out = formation_round.entries.exclude(participant__in=wanted.values("pk"))
    kept = out.filter(HAS_INPUT).count()
    removed, _detail = out.exclude(HAS_INPUT).delete()
    return {"added": len(missing), "removed": removed, "kept": kept}


@transaction.atomic
def update_round(formation_round, actor, **data):
    """Save the round form's cleaned data. A new scope re-syncs the entries (see
    `sync_entries`); a round switched to topic choice gets the cohort's topics if it has
    none. Returns the sync counts, or None when the scope did not change."""
    formation_round = FormationRound.objects.select_for_update().get(pk=formation_round.pk)
    _check_not_published(formation_round)
    if "method" in data and data["method"] != formation_round.method:
        reason = method_locked(formation_round)
        if reason:
            raise ServiceError(reason)
    old_scope = formation_round.scope
    changed = sorted(name for name in data if getattr(formation_round, name) != data[name])
    for name, value in data.items():
        if name not in ROUND_FIELDS:
            raise TypeError(f"unknown round field: {name}")
        setattr(formation_round, name, value)
    formation_round.save()
    if method_of(formation_round).uses_topics and not formation_round.topics.exists():
        _prefill_topics(formation_round)
    synced = sync_entries(formation_round) if formation_round.scope != old_scope else None
    record(
        formation_round.cohort,
        actor,
        "updated formation round",
        formation_round,
        fields=changed,
        **({"synced": synced} if synced else {}),
    )
    return synced


@transaction.atomic
def delete_round(formation_round, actor):
    """Delete a round that has not been published, with its entries and proposals."""
    formation_round = FormationRound.objects.select_for_update().get(pk=formation_round.pk)
    if formation_round.is_published:
        raise ServiceError(
            _(
                "A published round can't be deleted: it is the record of how its "
                "communities were formed."
            )
        )
    record(
        formation_round.cohort,
        actor,
        "deleted formation round",
        formation_round,
        entries=formation_round.entries.count(),
    )
    formation_round.delete()


# -- who takes part --------------------------------------------------------------------------


@transaction.atomic
def set_people(formation_round, actor, *, shown, ticked):
    """On a page of participants (`shown`, rows of the round's cohort), make exactly the
    `ticked` ones take part. Returns {"added", "removed", "removed_with_input"}."""
    _check_not_published(formation_round)
    shown_ids = {p.pk for p in shown}
    ticked_ids = {p.pk for p in ticked} & shown_ids
    present = set(
        formation_round.entries.filter(participant_id__in=shown_ids).values_list(
            "participant_id", flat=True
        )
    )
    to_add = sorted(ticked_ids - present)
    FormationEntry.objects.bulk_create(
        [FormationEntry(round=formation_round, participant_id=pk) for pk in to_add],
        ignore_conflicts=True,
    )
    leaving = formation_round.entries.filter(participant_id__in=shown_ids - ticked_ids)
    with_input = leaving.filter(HAS_INPUT).count()
    removed, _detail = leaving.delete()
    counts = {"added": len(to_add), "removed": removed, "removed_with_input": with_input}
    if to_add or removed:
        record(formation_round.cohort, actor, "changed formation people", formation_round, **counts)
    return counts


# -- topics and criteria ---------------------------------------------------------------------


@transaction.atomic
def add_topic(formation_round, actor, *, name, description="", cap=None):
    _check_not_published(formation_round)
    check_has_topics(formation_round)
    last = formation_round.topics.order_by("-position").values_list("position", flat=True).first()
    topic = FormationTopic.objects.create(
        round=formation_round,
        name=name,
        description=description,
        cap=cap,
        position=0 if last is None else last + 1,
    )
    record(formation_round.cohort, actor, "added formation topic", topic)
    return topic


@transaction.atomic
def save_caps(formation_round, actor, caps):
    """`caps`: {FormationTopic: cap or None}. Saves the ones that changed."""
    _check_not_published(formation_round)
    check_has_topics(formation_round)
    changed = []
    for topic, cap in caps.items():
        if topic.cap != cap:
            topic.cap = cap
            changed.append(topic)
    FormationTopic.objects.bulk_update(changed, ["cap", "updated_at"])
    if changed:
        record(formation_round.cohort, actor, "set formation topic caps", formation_round)
    return len(changed)


@transaction.atomic
def delete_topic(topic, actor):
    _check_not_published(topic.round)
    record(topic.round.cohort, actor, "deleted formation topic", topic)
    topic.delete()


def cap_shortfall(formation_round, people=None):
    """(caps total, people) when every topic has a cap and together they take fewer people
    than take part; None otherwise (a topic without a cap takes anyone)."""
    caps = list(formation_round.topics.values_list("cap", flat=True))
    if not caps or any(cap is None for cap in caps):
        return None
    people = formation_round.entries.count() if people is None else people
    total = sum(caps)
    return (total, people) if total < people else None


@transaction.atomic
def save_criteria(formation_round, actor, *, criteria, custom_question="", custom_options=""):
    """Save the criteria of a criteria round: a list of {"attribute", "rule", "weight"}."""
    _check_not_published(formation_round)
    if not criteria:
        raise ServiceError(_("Choose at least one criterion."))
    for criterion in criteria:
        if criterion["attribute"] not in ATTRIBUTES:
            raise ServiceError(_("Unknown criterion: %(key)s") % {"key": criterion["attribute"]})
    formation_round.criteria = criteria
    formation_round.custom_question = custom_question
    formation_round.custom_options = custom_options
    formation_round.save(
        update_fields=["criteria", "custom_question", "custom_options", "updated_at"]
    )
    record(
        formation_round.cohort,
        actor,
        "set formation criteria",
        formation_round,
        criteria=[c["attribute"] for c in criteria],
    )
    return formation_round


# -- sending links and reminders -------------------------------------------------------------
