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

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.formation_criteria import ATTRIBUTES, asked_attributes
from cohorts.models import FormationEntry, FormationRound, FormationTopic
from copkit import outbox

from .activity import record
from .cohorts import ServiceError

Method = FormationRound.Method
Status = FormationRound.Status
Scope = FormationRound.Scope
SizeMode = FormationRound.SizeMode

# The sweep reminds those who have not answered once the deadline is this close.
REMIND_BEFORE_DEADLINE = timedelta(hours=24)
# ... but not someone whose link went out this recently: they have just had it.
SWEEP_QUIET_AFTER_SENT = timedelta(hours=12)
# "Remind" by hand leaves alone anyone reminded this recently.
REMIND_NOW_QUIET = timedelta(hours=24)

ROUND_FIELDS = (
    "name",
    "method",
    "scope",
    "size_mode",
    "size_min",
    "size_max",
    "group_count",
    "deadline",
    "instructions",
)

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
    topics = _prefill_topics(formation_round) if formation_round.method == Method.TOPIC else 0
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
    if formation_round.method == Method.TOPIC and not formation_round.topics.exists():
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


def answer_url(entry):
    """The absolute personal link of `entry`."""
    return settings.SITE_URL + entry.get_answer_url()


def _sender_name(actor):
    if actor is not None and actor.is_authenticated:
        return actor.get_full_name() or actor.email
    return _("Your TTA team")


def _email(entry, formation_round, *, template, key, sender):
    participant = entry.participant
    return {
        "key": key,
        "kind": "formation",
        "to_email": participant.email,
        "template": template,
        "context": {
            "participant": participant,
            "round": formation_round,
            "cohort": formation_round.cohort,
            "method": formation_round.method,
            "answer_url": answer_url(entry),
            "deadline": formation_round.deadline,
            "instructions": formation_round.instructions,
            "sender": sender,
        },
    }


def check_can_collect(formation_round, now=None):
    """Raise ServiceError when the round can't take input through personal links now."""
    now = now or timezone.now()
    _check_not_published(formation_round)
    if not formation_round.asks_participants:
        raise ServiceError(_("This method asks participants nothing: form the groups directly."))
    if formation_round.deadline is not None and formation_round.deadline <= now:
        raise ServiceError(_("The deadline has passed. Set a later one (or none) first."))
    if formation_round.method == Method.TOPIC and not formation_round.topics.exists():
        raise ServiceError(_("Add the subject areas people can choose from first."))
    if formation_round.method == Method.CRITERIA:
        if not formation_round.criteria:
            raise ServiceError(_("Choose the criteria first."))
        if not asked_attributes(formation_round):
            raise ServiceError(
                _(
                    "The criteria you chose all come from people's profiles, so there is "
                    "nothing to ask: form the groups directly."
                )
            )


def send_links(formation_round, actor, now=None):
    """Email each person of the round who has not had their personal link yet. The round
    starts collecting. Returns how many were sent (0: everyone had it already)."""
    now = now or timezone.now()
    with transaction.atomic():
        formation_round = (
            FormationRound.objects.select_for_update(of=("self",))
            .select_related("cohort")
            .get(pk=formation_round.pk)
        )
        check_can_collect(formation_round, now)
        entries = list(
            formation_round.entries.filter(sent_at__isnull=True)
            .select_related("participant")
            .order_by("pk")
        )
        if not entries:
            return 0
        # The round's row lock keeps two sends apart; the outbox key keeps each person to
        # one email even where there are no row locks.
        formation_round.entries.filter(pk__in=[e.pk for e in entries]).update(
            sent_at=now, updated_at=now
        )
        sender = _sender_name(actor)
        outbox.enqueue_many(
            [
                _email(
                    entry,
                    formation_round,
                    template="formation_invite",
                    key=f"formation-invite:{entry.pk}",
                    sender=sender,
                )
                for entry in entries
            ]
        )
        formation_round.links_sent_at = now
        fields = ["links_sent_at", "updated_at"]
        if formation_round.status == Status.SETUP:
            formation_round.status = Status.COLLECTING
            fields.append("status")
        formation_round.save(update_fields=fields)
        record(
            formation_round.cohort,
            actor,
            "sent formation links",
            formation_round,
            count=len(entries),
        )
    return len(entries)


def _waiting(formation_round):
    """Entries sent their link who have not submitted."""
    return formation_round.entries.filter(sent_at__isnull=False, submitted_at__isnull=True)


def _claim_reminder(entry, now):
    """Set `reminded_at` only if it is still what was read; True when this process won."""
    return (
        FormationEntry.objects.filter(pk=entry.pk, reminded_at=entry.reminded_at).update(
            reminded_at=now, updated_at=now
        )
        if entry.reminded_at is not None
        else FormationEntry.objects.filter(pk=entry.pk, reminded_at__isnull=True).update(
            reminded_at=now, updated_at=now
        )
    ) == 1


def remind(formation_round, actor, now=None):
    """Remind at once everyone sent a link who has not answered, except those reminded in
    the last 24 hours. Returns {"reminded", "recent"}."""
    now = now or timezone.now()
    formation_round = FormationRound.objects.select_related("cohort").get(pk=formation_round.pk)
    if formation_round.status != Status.COLLECTING or not formation_round.is_open_for_input:
        raise ServiceError(_("Reminders go out only while the round collects input."))
    counts = {"reminded": 0, "recent": 0}
    sender = _sender_name(actor)
    for entry in _waiting(formation_round).select_related("participant").order_by("pk"):
        if entry.reminded_at is not None and entry.reminded_at > now - REMIND_NOW_QUIET:
            counts["recent"] += 1
            continue
        with transaction.atomic():
            if not _claim_reminder(entry, now):
                counts["recent"] += 1
                continue
            outbox.enqueue(
                **_email(
                    entry,
                    formation_round,
                    template="formation_reminder",
                    key=f"formation-reminder:{entry.pk}:{int(now.timestamp())}",
                    sender=sender,
                )
            )
        counts["reminded"] += 1
    if counts["reminded"]:
        with transaction.atomic():
            record(
                formation_round.cohort,
                actor,
                "reminded formation round",
                formation_round,
                count=counts["reminded"],
            )
    return counts


def queue_due_reminders(now=None):
    """Queue one reminder to each person who has not answered a collecting round whose
    deadline is less than a day away (and not yet past), unless they were reminded already
    or got their link in the last 12 hours. Safe to run in any number of processes at
    once. Returns how many reminders were queued."""
    now = now or timezone.now()
    rounds = FormationRound.objects.filter(
        status=Status.COLLECTING,
        deadline__gt=now,
        deadline__lte=now + REMIND_BEFORE_DEADLINE,
    ).select_related("cohort")
    total = 0
    sender = _("Your TTA team")
    for formation_round in rounds:
        due = (
            _waiting(formation_round)
            .filter(reminded_at__isnull=True, sent_at__lte=now - SWEEP_QUIET_AFTER_SENT)
            .select_related("participant")
            .order_by("pk")
        )
        queued = 0
        for entry in due:
            with transaction.atomic():
                if not _claim_reminder(entry, now):
                    continue
                outbox.enqueue(
                    **_email(
                        entry,
                        formation_round,
                        template="formation_reminder",
                        key=f"formation-reminder:{entry.pk}",
                        sender=sender,
                    )
                )
            queued += 1
        if queued:
            with transaction.atomic():
                record(
                    formation_round.cohort,
                    None,
                    "sent formation reminders",
                    formation_round,
                    count=queued,
                )
        total += queued
    return total
