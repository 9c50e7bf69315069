"""What a person gives a formation round: the people they mark as a good match (speed
matching), the subject areas they rank (topic choice) or their answers to the round's
questions (criteria). They give it through their personal link while the round is open for
input; staff may type it in from a paper list at any time before the round is published.

Each `save_*` checks the input first (`clean_*`, also used by the forms so that a message
lands beside the field at fault), then stores it in one transaction. A refusal raises
`InputError` (a `ServiceError` that may name the field at fault); nothing is half-saved.
Staff entries are recorded in the cohort's activity log; a participant's own saves through
their link are not (they carry no user, and the log would fill with them).
"""

import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.formation.attributes import asked_attributes
from cohorts.models import FormationEntry, FormationRound, Participant
from cohorts.services.activity import record
from copkit.errors import ServiceError

__all__ = [
    "InputError",
    "answer_choices",
    "clean_answers",
    "clean_choices",
    "clean_ranking",
    "current_counts",
    "question_text",
    "save_answers",
    "save_choices",
    "save_ranking",
    "topic_members",
]


class InputError(ServiceError):
    """Input refused. `field`: the name of what is at fault ("choices", "ranking", an
    attribute key such as "commitment"), or "" for the input as a whole."""

    def __init__(self, message, field=""):
        super().__init__(message)
        self.field = field


def _staff(actor):
    return actor if actor is not None and actor.is_authenticated else None


def check_can_save(entry, actor=None):
    """Raise InputError when `entry` can't take input now: a published round takes none;
    through the personal link (no `actor`) only while the round is open for input."""
    formation_round = entry.round
    if formation_round.is_published:
        raise InputError(
            _("This round is published: its groups are communities now, so it can't change.")
        )
    if _staff(actor) is None and not formation_round.is_open_for_input:
        raise InputError(_("Choices are closed: this round takes no more input."))


def _uuid_strings(values):
    """The values that are UUIDs, as canonical strings, without repeats, in order."""
    seen = []
    for value in values:
        try:
            text = str(uuid.UUID(str(value)))
        except (TypeError, ValueError, AttributeError):
            text = None
        if text is not None and text not in seen:
            seen.append(text)
    return seen


# -- speed matching --------------------------------------------------------------------------


def clean_choices(entry, participant_public_ids, *, actor=None):
    """The chosen people's public ids (str, no repeats, in the order given), all taking
    part in the round and none of them the person themself."""
    raw = [str(value).strip() for value in participant_public_ids if str(value).strip()]
    ids = _uuid_strings(raw)
    if len(ids) < len(set(raw)):
        raise InputError(_("Someone you chose is not taking part in this round."), "choices")
    own = str(entry.participant.public_id)
    if own in ids:
        if _staff(actor) is None:
            message = _("You can't choose yourself.")
        else:
            message = _("%(name)s can't choose themself.") % {"name": entry.participant.name}
        raise InputError(message, "choices")
    present = {
        str(pid)
        for pid in entry.round.entries.filter(participant__public_id__in=ids).values_list(
            "participant__public_id", flat=True
        )
    }
    missing = [pid for pid in ids if pid not in present]
    if missing:
        names = list(
            Participant.objects.filter(
                cohort_id=entry.round.cohort_id, public_id__in=missing
            ).values_list("name", flat=True)
        )
        if len(names) == 1 and len(missing) == 1:
            message = _("%(name)s is not taking part in this round.") % {"name": names[0]}
        elif names and len(names) == len(missing):
            message = _("%(names)s are not taking part in this round.") % {
                "names": ", ".join(sorted(names))
            }
        else:
            message = _("Someone you chose is not taking part in this round.")
        raise InputError(message, "choices")
    return ids


# -- topic choice ----------------------------------------------------------------------------


def clean_ranking(entry, topic_public_ids):
    """The ranked subject areas' public ids (str), most wanted first: at least one, all of
    this round, none twice."""
    raw = [str(value).strip() for value in topic_public_ids if str(value).strip()]
    if not raw:
        raise InputError(_("Choose at least one subject area."), "ranking")
    ids = _uuid_strings(raw)
    topics = {str(t.public_id): t.name for t in entry.round.topics.filter(public_id__in=ids)}
    if len(ids) < len(raw):
        repeated = next((v for v in ids if raw.count(v) > 1), None)
        if repeated in topics:
            raise InputError(
                _("You chose %(name)s more than once: choose each area only once.")
                % {"name": topics[repeated]},
                "ranking",
            )
    if len(ids) != len(raw) or any(pid not in topics for pid in ids):
        raise InputError(_("One of the subject areas chosen is not part of this round."), "ranking")
    return ids


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


# -- criteria --------------------------------------------------------------------------------


def answer_choices(formation_round, attribute):
    """The (value, label) pairs a person chooses from for an asked `attribute`, or None
    when the answer is free text (a custom question without answers to pick from)."""
    if attribute.key == "priorities":
        return [(t.slug, t.name) for t in formation_round.cohort.topics.order_by("name")]
    if attribute.key == "custom":
        options = formation_round.custom_option_list
        return [(option, option) for option in options] if options else None
    return [(value, str(label)) for value, label in attribute.choices]


def question_text(formation_round, attribute):
    """The wording of an asked attribute's question in this round."""
    if attribute.key == "custom":
        return formation_round.custom_question or str(attribute.label)
    return str(attribute.question or attribute.label)


def clean_answers(entry, answers, *, choices=None):
    """The answers to the round's asked questions as stored: {"commitment": 2, "mission":
    "health", "priorities": ["fundraising"], "custom": "..."}. Keys the round does not ask
    are dropped. `choices` ({key: [(value, label)] or None}) saves looking them up again."""
    formation_round = entry.round
    attributes = asked_attributes(formation_round)
    if not attributes:
        raise InputError(_("This round asks no questions."))
    cleaned = {}
    for attribute in attributes:
        key = attribute.key
        if choices is not None and key in choices:
            options = choices[key]
        else:
            options = answer_choices(formation_round, attribute)
        allowed = None if options is None else {value for value, _label in options}
        value = answers.get(key)
        question = question_text(formation_round, attribute)
        if attribute.multiple:
            values = value if isinstance(value, list | tuple) else ([value] if value else [])
            values = [str(v) for v in values if str(v)]
            if allowed is not None and any(v not in allowed for v in values):
                raise InputError(
                    _("One of the answers chosen is not on the list: %(question)s")
                    % {"question": question},
                    key,
                )
            cleaned[key] = [v for v, _label in options if v in values] if options else values
            continue
        text = "" if value is None else str(value).strip()
        if not text:
            raise InputError(_("Please answer this question: %(q)s") % {"q": question}, key)
        if allowed is not None and text not in allowed:
            raise InputError(
                _("That answer is not on the list: %(question)s") % {"question": question}, key
            )
        if key == "commitment":
            cleaned[key] = int(text)
        else:
            cleaned[key] = text[:300]
    return cleaned


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
    staff = _staff(actor)
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
