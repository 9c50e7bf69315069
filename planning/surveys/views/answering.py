"""Answering a survey through a personal link, saved as the person goes.

The link's token is the key: it names one SurveyRecipient, so it opens that person's answers
to that survey and nothing else, with or without a login. Each question autosaves through
`answer_save` (htmx); without JavaScript the whole form posts to `answer` with "Save and
finish later" or "Submit".
"""

import uuid
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.humanize.templatetags.humanize import ordinal
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cohorts.access import cohort_view
from planning.models import Survey, SurveyRecipient
from planning.surveys.results import answer_text
from planning.surveys.services.answers import (
    SurveyClosed,
    closed_message,
    field_name,
    raw_from_data,
    response_of,
    save_all,
    save_answer,
)

SUBMITTED_PARAM = "sent"


@dataclass
class Option:
    value: str
    label: str
    id: str
    checked: bool = False
    note: str = ""


@dataclass
class Place:
    """One option of a ranking with the place chosen for it."""

    label: str
    name: str
    id: str
    chosen: str = ""


@dataclass
class Field:
    """One question as the form shows it: what is filled in and the message, if any."""

    question: object
    name: str
    error: str = ""
    text: str = ""
    options: list = field(default_factory=list)
    places: list = field(default_factory=list)
    place_choices: list = field(default_factory=list)

    @property
    def id(self):
        return self.name

    @property
    def hint(self):
        question = self.question
        kind = question.kind
        if kind == question.Kind.MULTIPLE:
            # Not when the question's own help says it already ("Choose all that suit you").
            return "" if "all that" in question.help_text.lower() else _("Choose all that apply.")
        if kind == question.Kind.PICK_N and question.max_picks:
            return _("Choose up to %(n)d.") % {"n": question.max_picks}
        if kind == question.Kind.RANKING:
            return _("Give each option a different place, 1st for the most important.")
        return ""


def _shown(question, value, data):
    """What the form shows for `question`: from the posted `data` when the page comes back
    with messages (so nothing typed is lost), otherwise from the stored `value`."""
    name = field_name(question)
    if data is not None:
        if question.is_text:
            return {"text": data.get(name, "")}
        if question.kind == question.Kind.RANKING:
            return {"places": [data.get(f"{name}-{i}", "") for i in range(len(question.choices))]}
        return {"picked": set(data.getlist(name))}
    if value is None:
        return {"text": "", "picked": set(), "places": []}
    if question.is_text:
        return {"text": str(value)}
    if question.kind == question.Kind.RANKING:
        options = [str(option) for option in question.choices]
        ranked = list(value) if isinstance(value, list) else []
        return {
            "places": [
                str(ranked.index(option) + 1) if option in ranked else "" for option in options
            ]
        }
    return {"picked": {str(item) for item in (value if isinstance(value, list) else [value])}}


def build_fields(questions, values, data=None, errors=None):
    """The form's fields for `questions`, filled from the stored `values` ({question pk:
    value}) or from the posted `data`, with `errors` ({question pk: message})."""
    errors = errors or {}
    fields = []
    for question in questions:
        name = field_name(question)
        shown = _shown(question, values.get(question.pk), data)
        item = Field(question=question, name=name, error=errors.get(question.pk, ""))
        picked = shown.get("picked", set())
        kind = question.kind
        if question.is_text:
            item.text = shown.get("text", "")
        elif kind == question.Kind.RATING:
            for number in range(question.scale_min, question.scale_max + 1):
                note = ""
                if number == question.scale_min:
                    note = question.scale_min_label
                elif number == question.scale_max:
                    note = question.scale_max_label
                value = str(number)
                item.options.append(
                    Option(value, value, f"{name}-{number}", value in picked, note=note)
                )
        elif kind == question.Kind.RANKING:
            chosen = shown.get("places", [])
            item.place_choices = [(str(n), ordinal(n)) for n in range(1, len(question.choices) + 1)]
            for index, option in enumerate(question.choices):
                item.places.append(
                    Place(
                        label=str(option),
                        name=f"{name}-{index}",
                        id=f"{name}-{index}",
                        chosen=chosen[index] if index < len(chosen) else "",
                    )
                )
        else:
            for index, option in enumerate(question.choices):
                option = str(option)
                item.options.append(Option(option, option, f"{name}-{index}", option in picked))
        fields.append(item)
    return fields


def _recipient(token):
    return (
        SurveyRecipient.objects.select_related("survey__cohort", "participant__user", "response")
        .filter(token=token)
        .first()
    )


def _not_found(request):
    return render(request, "planning/surveys/answer/not_found.html", status=404)


def _context(request, recipient):
    survey = recipient.survey
    participant = recipient.participant
    return {
        "recipient": recipient,
        "survey": survey,
        "participant": participant,
        "response": response_of(recipient),
        "someone_else": (
            request.user.is_authenticated
            and participant.user_id is not None
            and participant.user_id != request.user.pk
        ),
        "is_theirs": request.user.is_authenticated and participant.user_id == request.user.pk,
    }


def _closed(request, recipient, questions, values, status=200):
    context = _context(request, recipient)
    context["message"] = closed_message(recipient.survey)
    context["answers"] = [
        (question, answer_text(question, values.get(question.pk)))
        for question in questions
        if values.get(question.pk) is not None
    ]
    return render(request, "planning/surveys/answer/closed.html", context, status=status)


def _stored_values(recipient):
    response = response_of(recipient)
    if response is None:
        return {}
    return dict(response.answers.values_list("question_id", "value"))


@never_cache
def answer(request, token):
    """The survey page of one person's link: the form, the closed page or the thanks."""
    recipient = _recipient(token)
    if recipient is None:
        return _not_found(request)
    survey = recipient.survey
    questions = list(survey.questions.all())
    errors = {}
    if request.method == "POST" and survey.is_open:
        submit = request.POST.get("action") == "submit"
        try:
            errors = save_all(recipient, request.POST, submit=submit)
        except SurveyClosed:
            pass
        else:
            if not errors:
                if submit:
                    return redirect(f"{request.path}?{SUBMITTED_PARAM}=1")
                messages.success(
                    request,
                    _(
                        "Your answers are saved. Come back with the same link to finish; "
                        "they will be waiting for you."
                    ),
                )
                return redirect(request.path)
    values = _stored_values(recipient)
    if not recipient.survey.is_open:
        return _closed(request, recipient, questions, values)
    context = _context(request, recipient)
    response = context["response"]
    if request.GET.get(SUBMITTED_PARAM) and response and response.submitted_at:
        return render(request, "planning/surveys/answer/thanks.html", context)
    data = request.POST if request.method == "POST" else None
    context["fields"] = build_fields(questions, values, data=data, errors=errors)
    context["errors"] = [f for f in context["fields"] if f.error]
    context["submitting"] = request.POST.get("action") == "submit"
    return render(request, "planning/surveys/answer/form.html", context)


@never_cache
@require_POST
def answer_save(request, token):
    """Autosave one question (htmx): the reply is the small status shown beside it."""
    recipient = _recipient(token)
    if recipient is None:
        return _not_found(request)
    survey = recipient.survey
    question = None
    try:
        question_id = uuid.UUID(request.POST.get("question", ""))
    except ValueError:
        question_id = None
    if question_id is not None:
        question = survey.questions.filter(public_id=question_id).first()
    context = {"question": question, "saved": False, "error": "", "cleared": False}
    if question is None:
        context["error"] = _("Nothing to save.") if request.POST else ""
        return render(request, "planning/surveys/answer/_status.html", context)
    try:
        value = save_answer(recipient, question, raw_from_data(question, request.POST))
    except SurveyClosed:
        context["error"] = _("%(closed)s This answer was not saved.") % {
            "closed": closed_message(survey)
        }
    except ValidationError as error:
        context["error"] = error.messages[0]
    else:
        context["saved"] = True
        context["cleared"] = value is None
    return render(request, "planning/surveys/answer/_status.html", context)


@cohort_view("cohort.profile")
def my_surveys(request, access):
    """A participant's surveys in this cohort: their personal links and how far they got."""
    links = list(
        access.participant.survey_links.filter(survey__cohort=access.cohort)
        .exclude(survey__status=Survey.Status.DRAFT)
        .select_related("survey", "response")
        .order_by("-survey__created_at")
    )
    for link in links:
        response = response_of(link)
        if response is not None and response.submitted_at:
            link.state, link.state_label = "submitted", _("Submitted")
        elif response is not None:
            link.state, link.state_label = "started", _("In progress")
        else:
            link.state, link.state_label = "new", _("Not started")
        link.answer_url = reverse("survey-answer", kwargs={"token": link.token})
    return render(request, "planning/surveys/answer/my_surveys.html", {"links": links})
