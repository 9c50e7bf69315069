"""Saving a person's answers to a survey they reached through their personal link.

Two ways in, both atomic:

- `save_answer(recipient, question, raw)`: one question, as the person goes (autosave);
- `save_all(recipient, data, submit=...)`: the whole form at once ("Save and finish later",
  "Submit"), returning the messages for the questions that could not be saved.

The `Response` is created on the first answer that says something. Every answer is cleaned
by `planning.surveys.questions.clean_value`; a blank answer deletes its row. Only `save_all(...,
submit=True)` sets `submitted_at`, and only when every question is answered as it must be;
a response once submitted keeps its required answers (they can be changed, not emptied).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.services.activity import record
from copkit.errors import ServiceError
from planning.models import Answer, Response
from planning.needs.services import inventory
from planning.surveys.questions import check_required, clean_value, is_blank


class SurveyClosed(ServiceError):
    """The survey takes no answers now (a draft, closed, or past its closing time)."""

    def __init__(self, survey):
        super().__init__(closed_message(survey))
        self.survey = survey


def field_name(question):
    """The form field name of `question`'s answer; a ranking adds `-<option index>`."""
    return f"q-{question.public_id}"


def _getlist(data, name):
    if hasattr(data, "getlist"):
        return data.getlist(name)
    value = data.get(name)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def raw_from_data(question, data):
    """What the form posted for `question`, in the shape `clean_value` takes.

    A ranking is posted as one place per option (`q-<id>-<index>` = "1", "2", ...). It becomes
    the options in the order of their places; when two options share a place, or a place is
    left out, the list comes out short and `clean_value` asks for a different place each."""
    name = field_name(question)
    kind = question.kind
    if question.is_text or kind == question.Kind.RATING:
        return data.get(name, "")
    if kind != question.Kind.RANKING:
        return _getlist(data, name)
    options = [str(option) for option in question.choices]
    by_place = {}
    strays = []
    for index, option in enumerate(options):
        place = str(data.get(f"{name}-{index}", "") or "").strip()
        if place.isdigit() and 1 <= int(place) <= len(options):
            by_place.setdefault(int(place), option)
        elif place:
            strays.append(place)  # not a place on the list: clean_value refuses it
    ranked = [by_place.get(place) for place in range(1, len(options) + 1)]
    return [option for option in ranked if option is not None] + strays


def response_of(recipient):
    """The recipient's response, or None before their first answer."""
    try:
        return recipient.response
    except Response.DoesNotExist:
        return None


def _ensure_response(recipient):
    response = response_of(recipient)
    if response is None:
        response, _created = Response.objects.get_or_create(
            recipient=recipient,
            defaults={"survey_id": recipient.survey_id, "participant_id": recipient.participant_id},
        )
        recipient.response = response
    return response


def _check_open(survey):
    if not survey.is_open:
        raise SurveyClosed(survey)


def store_values(response, values):
    """Write {question: value} for `response`: upsert the answers, delete the blank ones.
    No check of the survey's state or of the values: the caller cleaned them (the answering
    services here, and staff recording a discussion against an evaluation's questions)."""
    now = timezone.now()
    blank = [question.pk for question, value in values.items() if is_blank(value)]
    if blank:
        Answer.objects.filter(response=response, question_id__in=blank).delete()
    rows = [
        Answer(response=response, question=question, value=value, updated_at=now)
        for question, value in values.items()
        if not is_blank(value)
    ]
    if rows:
        # One statement, safe against a second tab (or an autosave) writing the same row.
        Answer.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["response", "question"],
            update_fields=["value", "updated_at"],
        )
    Response.objects.filter(pk=response.pk).update(updated_at=now)


@transaction.atomic
def save_answer(recipient, question, raw):
    """Clean and store the recipient's answer to one question; return the stored value
    (None: the answer was cleared). Raises ValidationError with the message for the person,
    or SurveyClosed. Never sets `submitted_at`."""
    survey = recipient.survey
    _check_open(survey)
    if question.survey_id != survey.pk:
        raise ValueError("The question is not one of this survey's.")
    value = clean_value(question, raw)
    response = response_of(recipient)
    if response is not None and response.submitted_at is not None:
        check_required(question, value)
    if response is None:
        if is_blank(value):
            return None
        response = _ensure_response(recipient)
    store_values(response, {question: value})
    return value


@transaction.atomic
def save_all(recipient, data, *, submit=False):
    """Save every answer the form posted (`data`: a QueryDict or a dict keyed by
    `field_name`) and, with `submit`, hand the response in. Returns {question pk: message}
    for the questions at fault; the others are saved all the same. Submitting with any
    message left leaves `submitted_at` as it was. Raises SurveyClosed."""
    survey = recipient.survey
    _check_open(survey)
    response = response_of(recipient)
    already_submitted = response is not None and response.submitted_at is not None
    errors = {}
    values = {}
    for question in survey.questions.all():
        try:
            value = clean_value(question, raw_from_data(question, data))
            if submit or already_submitted:
                check_required(question, value)
        except ValidationError as error:
            errors[question.pk] = error.messages[0]
            continue
        values[question] = value
    says_something = any(not is_blank(value) for value in values.values())
    if response is None and (says_something or (submit and not errors)):
        response = _ensure_response(recipient)
    if response is not None:
        store_values(response, values)
    if submit and not errors:
        first_time = response.submitted_at is None
        response.submitted_at = timezone.now()
        response.save(update_fields=["submitted_at", "updated_at"])
        inventory.fill_from_response(response)
        record(
            survey.cohort,
            recipient.participant.user,
            "submitted survey answers" if first_time else "changed survey answers",
            survey,
            participant=recipient.participant.name,
        )
    return errors


def closed_message(survey):
    if survey.status == survey.Status.DRAFT:
        return _("This survey is not open yet.")
    return _("This survey is closed.")
