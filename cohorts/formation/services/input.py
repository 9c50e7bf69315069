"""What a person gives a formation round: the people they mark as a good match (speed
matching), the subject areas they rank (topic choice) or their answers to the round's
questions (criteria). They give it through their personal link while the round is open for
input; staff may type it in from a paper list at any time before the round is published.

Each `save_*` checks the input first (the `clean_*` of `cohorts.formation.checks`, which the
forms use too so that a message lands beside the field at fault), then stores it in one
transaction. A refusal raises `InputError` (a `ServiceError` that may name the field at
fault); nothing is half-saved. Staff entries are recorded in the cohort's activity log; a
participant's own saves through their link are not (they carry no user, and the log would
fill with them).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.formation.checks import (
    InputError,
    clean_answers,
    clean_choices,
    clean_ranking,
    staff_actor,
)
from cohorts.models import FormationEntry, FormationRound
from cohorts.services.activity import record

__all__ = [
    "InputError",
    "check_can_save",
    "current_counts",
    "save_answers",
    "save_choices",
    "save_ranking",
    "topic_members",
]


def check_can_save(entry, actor=None):
    """Raise InputError when `entry` can't take input now: a published round takes none;
    through the personal link (no `actor`) only while the round is open for input."""
    formation_round = entry.round
    if formation_round.is_published:
        raise InputError(
            _("This round is published: its groups are communities now, so it can't change.")
        )
    if staff_actor(actor) is None and not formation_round.is_open_for_input:
        raise InputError(_("Choices are closed: this round takes no more input."))


# -- topic choice ----------------------------------------------------------------------------


def topic_members(formation_round):
    """{FormationTopic public id (str): [names of the people whose first choice it is]},
    names in alphabetical order, one query. Topics nobody chose first are left out."""
    members = {}
    rows = (
        formation_round.entries.exclude(ranking=[])
        .order_by("participant__name", "pk")
        .values_list("ranking", "participant__name")
    )
    for ranking, name in rows:
        if isinstance(ranking, list) and ranking:
            members.setdefault(str(ranking[0]), []).append(name)
    return members


def current_counts(formation_round, members=None):
    """{FormationTopic public id (str): how many have it as their first choice}."""
    members = topic_members(formation_round) if members is None else members
    return {topic_id: len(names) for topic_id, names in members.items()}


# -- saving ----------------------------------------------------------------------------------


def _lock(entry, actor):
    """Lock the entry's row, then check again, on the round as it is now, that it can take
    input (the round may have closed since the page was read)."""
    locked = FormationEntry.objects.select_for_update(of=("self",)).get(pk=entry.pk)
    entry.round = FormationRound.objects.select_related("cohort").get(pk=entry.round_id)
    check_can_save(entry, actor)
    return locked


def _store(entry, locked, actor, field, value, verb):
    """Store `value` in the entry's `field` (and its `locked` row) as submitted now."""
    staff = staff_actor(actor)
    setattr(locked, field, value)
    locked.submitted_at = timezone.now()
    locked.entered_by = staff
    locked.save(update_fields=[field, "submitted_at", "entered_by", "updated_at"])
    for name in (field, "submitted_at", "entered_by_id", "updated_at"):
        setattr(entry, name, getattr(locked, name))
    if staff is not None:
        record(
            entry.round.cohort,
            staff,
            verb,
            entry.round,
            participant=str(entry.participant.public_id),
        )
    return entry


@transaction.atomic
def save_choices(entry, participant_public_ids, *, actor=None):
    """Save the people `entry`'s person marks as a good match (public ids, any order)."""
    locked = _lock(entry, actor)
    ids = clean_choices(entry, participant_public_ids, actor=actor)
    return _store(entry, locked, actor, "choices", ids, "entered formation choices")


@transaction.atomic
def save_ranking(entry, topic_public_ids, *, actor=None):
    """Save the subject areas `entry`'s person wants, most wanted first."""
    locked = _lock(entry, actor)
    ids = clean_ranking(entry, topic_public_ids)
    return _store(entry, locked, actor, "ranking", ids, "entered formation ranking")


@transaction.atomic
def save_answers(entry, answers, *, actor=None, choices=None):
    """Save `entry`'s answers to the round's questions ({attribute key: value})."""
    locked = _lock(entry, actor)
    cleaned = clean_answers(entry, answers, choices=choices)
    return _store(entry, locked, actor, "answers", cleaned, "entered formation answers")
