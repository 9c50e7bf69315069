"""Staff build surveys from question types or a ready template, send them to chosen participants
with personal links, and remind those who have not answered."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from cohorts.access import cohort_view
from copkit.concurrency import hold_for_saving
from copkit.errors import show_error
from planning.models import Question, Survey, SurveyRecipient
from planning.surveys import banks
from planning.surveys.forms import QuestionForm, SendForm, SurveyCreateForm, SurveyForm
from planning.surveys.services import questions
from planning.surveys.services import surveys as services

PAGE_SIZE = 50


def _survey(access, survey_id):
    return get_object_or_404(
        services.with_counts(access.cohort.surveys.select_related("community")),
        public_id=survey_id,
    )


def _question(survey, question_id):
    return get_object_or_404(
        survey.questions.annotate(answer_count=Count("answers")), public_id=question_id
    )


def _to_detail(survey, anchor=""):
    return redirect(survey.get_absolute_url() + (f"#{anchor}" if anchor else ""))


# -- surveys -----------------------------------------------------------------------------------


@cohort_view("cohort.manage")
def survey_list(request, access):
    # A community's evaluation survey is reached from the Evaluations page, not listed here.
    surveys = (
        services.with_counts(access.cohort.surveys.select_related("community"))
        .exclude(kind=Survey.Kind.EVALUATION, community__isnull=False)
        .order_by("-created_at", "-pk")
    )
    return render(request, "planning/surveys/survey_list.html", {"surveys": surveys})


@cohort_view("cohort.manage")
def survey_create(request, access):
    initial = {}
    if request.GET.get("start") in banks.STARTING_POINTS:
        initial["starting_point"] = request.GET["start"]
    form = SurveyCreateForm(request.POST or None, cohort=access.cohort, initial=initial)
    if request.method == "POST" and form.is_valid():
        survey = services.create_survey(
            cohort=access.cohort, actor=request.user, **form.cleaned_data
        )
        messages.success(
            request,
            _("Survey created as a draft. Review the questions, then send it.")
            if survey.questions.exists()
            else _("Survey created as a draft. Add its questions, then send it."),
        )
        left_out = banks.fills_from_topics(form.cleaned_data["starting_point"]) and (
            banks.areas_not_topics(access.cohort)
        )
        if left_out:
            messages.warning(
                request,
                _(
                    "%(areas)s are not topics of this cohort: answers naming them will not "
                    "reach the needs-and-expertise inventory until you add them as topics."
                )
                % {"areas": ", ".join(left_out)},
            )
        return _to_detail(survey)
    starting_points = [
        {"key": key, **point, "count": len(point["questions"])}
        for key, point in banks.STARTING_POINTS.items()
    ]
    return render(
        request,
        "planning/surveys/survey_create.html",
        {
            "form": form,
            "starting_points": starting_points,
            "areas_not_topics": banks.areas_not_topics(access.cohort),
        },
    )


@cohort_view("cohort.manage")
def survey_detail(request, access, survey_id):
    survey = _survey(access, survey_id)
    questions = survey.questions.annotate(answer_count=Count("answers")).order_by("position", "pk")
    return render(
        request,
        "planning/surveys/survey_detail.html",
        {
            "survey": survey,
            "questions": questions,
            "past_closing": services.is_past_closing(survey),
            "status_actions": _status_actions(survey),
        },
    )


def _status_actions(survey):
    """The status changes offered on the builder page, as (status, button label). An
    evaluation's survey opens and closes with its evaluation (planning.evaluations)."""
    if survey.kind == Survey.Kind.EVALUATION:
        return []
    labels = {
        (Survey.Status.DRAFT, Survey.Status.OPEN): _("Open for answers"),
        (Survey.Status.OPEN, Survey.Status.CLOSED): _("Close"),
        (Survey.Status.CLOSED, Survey.Status.OPEN): _("Re-open"),
    }
    return [
        (status, labels[(survey.status, status)])
        for status in services.TRANSITIONS.get(survey.status, ())
    ]


@cohort_view("cohort.manage")
@transaction.atomic
def survey_edit(request, access, survey_id):
    survey = _survey(access, survey_id)
    form = SurveyForm(request.POST or None, instance=survey, cohort=access.cohort)
    if request.method == "POST" and form.is_valid() and hold_for_saving(form, survey):
        services.update_survey(survey, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Survey settings saved."))
        return _to_detail(survey)
    return render(request, "planning/surveys/survey_form.html", {"form": form, "survey": survey})


@require_POST
@cohort_view("cohort.manage")
def survey_copy(request, access, survey_id):
    survey = _survey(access, survey_id)
    copy = services.copy_survey(survey, actor=request.user)
    messages.success(
        request,
        _("This is a copy of “%(title)s”, saved as a draft. Change what you need, then send it.")
        % {"title": survey.title},
    )
    return _to_detail(copy)


@require_POST
@cohort_view("cohort.manage")
def survey_status(request, access, survey_id):
    survey = _survey(access, survey_id)
    status = request.POST.get("status", "")
    if status not in Survey.Status.values:
        messages.error(request, _("Choose whether to open or close the survey."))
        return _to_detail(survey)
    try:
        survey = services.set_status(survey, status, actor=request.user)
    except services.SurveyError as error:
        show_error(request, error)
        return _to_detail(survey)
    done = {
        Survey.Status.OPEN: _("The survey is open: personal links take answers."),
        Survey.Status.CLOSED: _(
            "The survey is closed: links no longer take answers and no reminders go out."
        ),
    }
    messages.success(request, done.get(survey.status, _("Status changed.")))
    return _to_detail(survey)


@require_POST
@cohort_view("cohort.manage")
def survey_delete(request, access, survey_id):
    survey = _survey(access, survey_id)
    title = survey.title
    try:
        responses = services.delete_survey(survey, actor=request.user)
    except services.SurveyError as error:
        show_error(request, error)
        return _to_detail(survey)
    message = _("“%(title)s” was deleted.") % {"title": title}
    if responses:
        message += " " + ngettext(
            "Its %(n)d response went with it.", "Its %(n)d responses went with it.", responses
        ) % {"n": responses}
    messages.success(request, message)
    return redirect("planning:survey-list", cohort_slug=access.cohort.slug)


# -- questions ---------------------------------------------------------------------------------


def _question_values(form):
    """A valid QuestionForm's values as the service takes them: its options are the
    question's `choices`."""
    values = dict(form.cleaned_data)
    values["choices"] = values.pop("options")
    return values


@cohort_view("cohort.manage")
def question_add(request, access, survey_id):
    survey = _survey(access, survey_id)
    initial = {}
    if request.GET.get("kind") in Question.Kind.values:
        initial["kind"] = request.GET["kind"]
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        question = questions.save_question(survey, actor=request.user, **_question_values(form))
        messages.success(request, _("Question added."))
        if request.POST.get("then") == "add":
            return redirect(
                "planning:question-add", cohort_slug=access.cohort.slug, survey_id=survey.public_id
            )
        return _to_detail(survey, f"question-{question.public_id}")
    return render(
        request,
        "planning/surveys/question_form.html",
        {"form": form, "survey": survey, "question": None},
    )


@cohort_view("cohort.manage")
@transaction.atomic
def question_edit(request, access, survey_id, question_id):
    survey = _survey(access, survey_id)
    question = _question(survey, question_id)
    form = QuestionForm(request.POST or None, instance=question, answer_count=question.answer_count)
    if request.method == "POST" and form.is_valid() and hold_for_saving(form, question):
        questions.save_question(
            survey, actor=request.user, question=question, **_question_values(form)
        )
        messages.success(request, _("Question saved."))
        return _to_detail(survey, f"question-{question.public_id}")
    return render(
        request,
        "planning/surveys/question_form.html",
        {"form": form, "survey": survey, "question": question},
    )


@require_POST
@cohort_view("cohort.manage")
def question_delete(request, access, survey_id, question_id):
    survey = _survey(access, survey_id)
    question = _question(survey, question_id)
    answers = questions.delete_question(question, actor=request.user)
    message = _("Question deleted.")
    if answers:
        message += " " + ngettext(
            "Its %(n)d answer went with it.", "Its %(n)d answers went with it.", answers
        ) % {"n": answers}
    messages.success(request, message)
    return _to_detail(survey, "questions")


@require_POST
@cohort_view("cohort.manage")
def question_move(request, access, survey_id, question_id):
    survey = _survey(access, survey_id)
    question = _question(survey, question_id)
    try:
        moved = questions.move_question(
            question, request.POST.get("direction", ""), actor=request.user
        )
    except services.SurveyError as error:
        show_error(request, error)
        return _to_detail(survey, "questions")
    if not moved:
        messages.info(
            request,
            _("That question is already the first one.")
            if request.POST.get("direction") == "up"
            else _("That question is already the last one."),
        )
    return _to_detail(survey, f"question-{question.public_id}")


# -- recipients, sending, reminders ----------------------------------------------------------


def _link_of(survey):
    return SurveyRecipient.objects.filter(survey=survey, participant=OuterRef("pk"))


def _recipient_filters(survey):
    link = _link_of(survey)
    return {
        "": (gettext_lazy("Everyone"), Q()),
        "not_sent": (gettext_lazy("Not sent yet"), ~Exists(link)),
        "waiting": (
            gettext_lazy("Sent, not started"),
            Exists(link.filter(response__isnull=True)),
        ),
        "started": (
            gettext_lazy("Started"),
            Exists(link.filter(response__isnull=False, response__submitted_at__isnull=True)),
        ),
        "answered": (
            gettext_lazy("Answered"),
            Exists(link.filter(response__submitted_at__isnull=False)),
        ),
    }


@cohort_view("cohort.manage")
def survey_recipients(request, access, survey_id):
    survey = _survey(access, survey_id)
    cohort = access.cohort
    filters = _recipient_filters(survey)
    status = request.GET.get("status", "")
    if status not in filters:
        status = ""
    query = request.GET.get("q", "").strip()
    participants = cohort.participants.filter(filters[status][1])
    if query:
        participants = participants.filter(
            Q(name__icontains=query)
            | Q(email__icontains=query)
            | Q(organization__name__icontains=query)
        )
    participants = (
        participants.select_related("organization")
        .prefetch_related(
            Prefetch(
                "survey_links",
                queryset=SurveyRecipient.objects.filter(survey=survey).select_related("response"),
                to_attr="links",
            )
        )
        .order_by("name", "pk")
    )
    page = Paginator(participants, PAGE_SIZE).get_page(request.GET.get("page"))
    for participant in page:
        participant.link = participant.links[0] if participant.links else None
    not_sent = cohort.participants.filter(filters["not_sent"][1])
    can_send = (
        survey.status != Survey.Status.CLOSED
        and not services.is_past_closing(survey)
        and survey.question_count > 0
    )
    return render(
        request,
        "planning/surveys/recipients.html",
        {
            "survey": survey,
            "page": page,
            "status": status,
            "query": query,
            "filters": [(key, label) for key, (label, _q) in filters.items()],
            "summary": services.recipient_summary(survey),
            "total": cohort.participants.count(),
            "not_sent_count": not_sent.count(),
            "community_not_sent_count": (
                not_sent.filter(memberships__community=survey.community).distinct().count()
                if survey.community
                else 0
            ),
            "can_send": can_send,
            "can_remind": survey.status == Survey.Status.OPEN
            and not services.is_past_closing(survey),
        },
    )


def _to_recipients(request, survey):
    url = reverse(
        "planning:survey-recipients",
        kwargs={"cohort_slug": survey.cohort.slug, "survey_id": survey.public_id},
    )
    status = request.POST.get("status", "")
    if status in {"not_sent", "waiting", "started", "answered"}:
        url += f"?status={status}"
    return redirect(url)


@require_POST
@cohort_view("cohort.manage")
def survey_send(request, access, survey_id):
    survey = _survey(access, survey_id)
    form = SendForm(request.POST, survey=survey)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _to_recipients(request, survey)
    try:
        counts = services.send_survey(survey, form.cleaned_data["to_send"], actor=request.user)
    except services.SurveyError as error:
        messages.error(request, _("The survey was not sent.") + " " + str(error))
        return _to_recipients(request, survey)
    if counts["sent"]:
        message = ngettext(
            "Survey on its way to %(n)d person, each with their own link.",
            "Survey on its way to %(n)d people, each with their own link.",
            counts["sent"],
        ) % {"n": counts["sent"]}
        if counts["already"]:
            message += " " + ngettext(
                "%(n)d had it already and got nothing new.",
                "%(n)d had it already and got nothing new.",
                counts["already"],
            ) % {"n": counts["already"]}
        messages.success(request, message)
    else:
        messages.info(
            request,
            _("Nobody new to send to: everyone chosen has the survey already. Use Remind."),
        )
    return _to_recipients(request, survey)


@require_POST
@cohort_view("cohort.manage")
def survey_remind(request, access, survey_id):
    survey = _survey(access, survey_id)
    try:
        counts = services.remind_now(survey, actor=request.user)
    except services.SurveyError as error:
        show_error(request, error)
        return _to_recipients(request, survey)
    skipped = counts["at_limit"] + counts["recent"]
    message = ngettext("%(n)d person reminded.", "%(n)d people reminded.", counts["reminded"]) % {
        "n": counts["reminded"]
    }
    if skipped:
        reasons = []
        if counts["at_limit"]:
            reasons.append(
                ngettext(
                    "%(n)d has had all %(limit)d reminders",
                    "%(n)d have had all %(limit)d reminders",
                    counts["at_limit"],
                )
                % {"n": counts["at_limit"], "limit": survey.reminder_limit}
            )
        if counts["recent"]:
            reasons.append(
                ngettext(
                    "%(n)d was contacted in the last 24 hours",
                    "%(n)d were contacted in the last 24 hours",
                    counts["recent"],
                )
                % {"n": counts["recent"]}
            )
        message += " " + ngettext(
            "%(n)d skipped: %(reasons)s.", "%(n)d skipped: %(reasons)s.", skipped
        ) % {"n": skipped, "reasons": "; ".join(reasons)}
    if not counts["reminded"] and not skipped:
        message = _("Nobody to remind: everyone the survey went to has answered.")
    level = messages.SUCCESS if counts["reminded"] else messages.INFO
    messages.add_message(request, level, message)
    return _to_recipients(request, survey)
