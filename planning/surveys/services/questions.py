"""Writes of a survey's questions: add or change one (from domain values, never a form),
delete one, move one up or down. Each locks the survey's row, so changes to its question
order run one at a time, and is recorded in the cohort's activity log."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from cohorts.services.activity import record
from planning.models import Question, Survey
from planning.surveys.services.surveys import QUESTION_FIELDS, SurveyError, set_fields

# What a question's form sets: every field a copy carries over, bar its place.
VALUES = [name for name in QUESTION_FIELDS if name != "position"]


def _lock(survey):
    """Lock the survey's row: changes to its question order run one at a time."""
    return Survey.objects.select_for_update().get(pk=survey.pk)


@transaction.atomic
def save_question(survey, *, actor, question=None, **values):
    """Add a question to the end of `survey` (no `question`) or change `question`. `values`
    are domain values of VALUES by name (`choices` a list of options), already valid."""
    _lock(survey)
    adding = question is None
    if adding:
        last = survey.questions.aggregate(last=Max("position"))["last"]
        question = Question(survey=survey, position=0 if last is None else last + 1)
    else:
        # Read again: a form that validated against `question` changed it in memory.
        question = Question.objects.get(pk=question.pk, survey=survey)
    changed = set_fields(question, values, VALUES)
    question.save()
    record(
        survey.cohort,
        actor,
        "added question" if adding else "edited question",
        question,
        survey=str(survey.public_id),
        fields=changed,
    )
    return question


@transaction.atomic
def delete_question(question, *, actor):
    survey = _lock(question.survey)
    answers = question.answers.count()
    record(
        survey.cohort,
        actor,
        "deleted question",
        question,
        survey=str(survey.public_id),
        answers=answers,
    )
    question.delete()
    _renumber(list(survey.questions.order_by("position", "pk")))
    return answers


def move_question(question, direction, *, actor):
    """Move `question` one place "up" or "down". Returns False when it is already first
    (or last) and nothing moved."""
    if direction not in {"up", "down"}:
        raise SurveyError(_("Say which way to move the question: up or down."))
    with transaction.atomic():
        survey = _lock(question.survey)
        questions = list(survey.questions.order_by("position", "pk"))
        index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(questions):
            return False
        questions[index], questions[other] = questions[other], questions[index]
        _renumber(questions)
        record(survey.cohort, actor, "moved question", question, direction=direction)
    return True


def _renumber(questions):
    """Positions 0, 1, 2... in the order given; only the rows whose position changes."""
    changed = []
    for position, question in enumerate(questions):
        if question.position != position:
            question.position = position
            changed.append(question)
    Question.objects.bulk_update(changed, ["position"])
