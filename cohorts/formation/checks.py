"""The checks on what a person gives a formation round, shared by the input forms (so a
message lands beside the field at fault) and the input service (which checks again, on the
round as it is when it saves). They read the round and its people but write nothing; a
refusal raises `InputError` (a `ServiceError` that may name the field at fault).
"""

import uuid

from django.utils.translation import gettext as _

from cohorts.formation.attributes import asked_attributes
from cohorts.models import Participant
from copkit.errors import ServiceError

__all__ = [
    "InputError",
    "answer_choices",
    "clean_answers",
    "clean_choices",
    "clean_ranking",
    "question_text",
    "staff_actor",
]


class InputError(ServiceError):
    """Input refused. `field`: the name of what is at fault ("choices", "ranking", an
    attribute key such as "commitment"), or "" for the input as a whole."""

    def __init__(self, message, field=""):
        super().__init__(message)
        self.field = field


def check_has_people(formation_round):
    """Raise ServiceError when no one takes part in the round (nothing to send or form)."""
    if not formation_round.entries.exists():
        raise ServiceError(_("No one takes part yet: add people on the Participants page."))


def staff_actor(actor):
    """The staff user typing input in, or None for a person through their own link."""
    return actor if actor is not None and actor.is_authenticated else None


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
        if staff_actor(actor) is None:
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
