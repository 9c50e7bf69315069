"""A community's evaluation pages: one evaluation (its state, the member's link to answer,
the results for staff, the decisions taken after it), opening and closing it by hand, the
discussion staff record for the group, and recording a structure decision."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cohorts.access import cohort_view
from copkit.errors import ServiceError, show_error
from planning.archived import community_open
from planning.evaluations.forms import DecisionForm, DiscussionForm
from planning.evaluations.services import evaluations as services
from planning.models import EvaluationRound, SurveyRecipient
from planning.surveys.results import answer_text
from planning.surveys.views.answering import build_fields


def _evaluation(access, evaluation_id):
    rows = access.community.evaluations.select_related("round", "survey", "discussion")
    return get_object_or_404(rows, public_id=evaluation_id)


def _back(evaluation):
    return redirect(
        "planning:evaluation",
        cohort_slug=evaluation.community.cohort.slug,
        community_slug=evaluation.community.slug,
        evaluation_id=evaluation.public_id,
    )


@cohort_view("community.members")
def evaluation_detail(request, access, evaluation_id):
    community = access.community
    evaluation = _evaluation(access, evaluation_id)
    evaluation.state = services.state_of(evaluation)
    context = {
        "community": community,
        "evaluation": evaluation,
        "round": evaluation.round,
        "is_survey": evaluation.round.form == EvaluationRound.Form.SURVEY,
        "is_staff": access.is_staff,
        "can_lead": access.can("community.lead") and not community.is_archived,
        "decisions": list(
            evaluation.decisions.select_related("recorded_by").order_by(
                "-decided_on", "-created_at"
            )
        ),
    }
    if access.participant is not None and evaluation.survey_id:
        context["my_link"] = (
            SurveyRecipient.objects.filter(
                survey_id=evaluation.survey_id, participant=access.participant
            )
            .select_related("response")
            .first()
        )
    if not context["is_survey"] and evaluation.survey_id:
        # The questions the leaders talk through, and what the group said once recorded.
        said = services.discussion_values(evaluation)
        context["questions"] = [
            (question, answer_text(question, said.get(question.pk)))
            for question in services.questions_of(evaluation)
        ]
    if access.is_staff and evaluation.survey_id:
        context["counts"] = services.survey_services.recipient_summary(evaluation.survey)
        context["question_count"] = evaluation.survey.questions.count()
    return render(request, "planning/evaluations/evaluation.html", context)


@require_POST
@cohort_view("community.manage")
@community_open
def evaluation_open(request, access, evaluation_id):
    evaluation = _evaluation(access, evaluation_id)
    try:
        queued = services.open_now(evaluation, actor=request.user)
    except ServiceError as error:
        show_error(request, error)
    else:
        if queued is None:
            messages.info(request, _("This evaluation is open already."))
        elif evaluation.round.form == EvaluationRound.Form.SURVEY:
            messages.success(
                request,
                ngettext(
                    "Open: the survey is on its way to %(n)d person, with their own link.",
                    "Open: the survey is on its way to %(n)d people, each with their own link.",
                    queued,
                )
                % {"n": queued},
            )
        else:
            messages.success(
                request, _("Open: the leaders and the coach are told the discussion is due.")
            )
    return _back(evaluation)


@require_POST
@cohort_view("community.manage")
@community_open
def evaluation_close(request, access, evaluation_id):
    evaluation = _evaluation(access, evaluation_id)
    try:
        closed = services.close_now(evaluation, actor=request.user)
    except ServiceError as error:
        show_error(request, error)
    else:
        if closed is None:
            messages.info(request, _("This evaluation is closed already."))
        else:
            messages.success(
                request,
                _("Closed: no more answers are taken, and the goals show what members said."),
            )
    return _back(evaluation)


@cohort_view("community.manage")
def evaluation_discussion(request, access, evaluation_id):
    community = access.community
    evaluation = _evaluation(access, evaluation_id)
    if evaluation.round.form != EvaluationRound.Form.DISCUSSION:
        messages.info(request, _("Members answer this evaluation themselves, online."))
        return _back(evaluation)
    questions = services.questions_of(evaluation)
    writable = request.method == "POST" and not community.is_archived
    form = DiscussionForm(
        request.POST if writable else None,
        initial={"held_on": evaluation.held_on or timezone.localdate()},
    )
    errors = {}
    if writable and form.is_valid():
        try:
            errors = services.record_discussion(
                evaluation,
                actor=request.user,
                held_on=form.cleaned_data["held_on"],
                data=request.POST,
            )
        except ServiceError as error:
            show_error(request, error, form)
        else:
            if not errors:
                messages.success(
                    request,
                    _("The group's answers are saved, and its goals show what it said."),
                )
                return _back(evaluation)
    fields = build_fields(
        questions,
        services.discussion_values(evaluation),
        data=request.POST if writable else None,
        errors=errors,
    )
    return render(
        request,
        "planning/evaluations/discussion.html",
        {
            "community": community,
            "evaluation": evaluation,
            "form": form,
            "fields": fields,
            "errors": [f for f in fields if f.error],
            "archived": community.is_archived,
        },
        status=200,
    )


@cohort_view("community.lead")
@community_open
def decision_add(request, access):
    community = access.community
    evaluations = list(
        community.evaluations.select_related("round").order_by("-round__opens_on", "-pk")
    )
    form = DecisionForm(
        request.POST or None,
        evaluations=evaluations,
        initial={"decided_on": timezone.localdate()},
    )
    if request.GET.get("evaluation") in form.evaluations:
        form.initial["evaluation"] = request.GET["evaluation"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.record_decision(
                community,
                actor=request.user,
                area=data["area"],
                decision=data["decision"],
                decided_on=data["decided_on"],
                evaluation=data["evaluation"],
                reopen_plan=data["reopen_plan"],
                tell_leaders=access.is_staff,
            )
        except ServiceError as error:
            show_error(request, error, form)
        else:
            text = _("Decision recorded: it shows on the community's page.")
            if decision.reopened_plan:
                text += " " + _("The action plan is open for a revision.")
            messages.success(request, text)
            return redirect(community.get_absolute_url() + "#evaluations")
    return render(
        request, "planning/evaluations/decision_form.html", {"community": community, "form": form}
    )
