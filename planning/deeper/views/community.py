"""A community's going-deeper pages: its list of suggested activities, and one suggestion,
where its leaders accept or decline it, plan it onto a meeting and mark it done."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts.access import cohort_view
from copkit.errors import ServiceError, show_error
from planning.archived import community_open
from planning.deeper import services, summaries
from planning.deeper.forms import AnswerForm, DoneForm, PlanForm
from planning.meetings import ical as calendar
from planning.models import DeeperSuggestion

State = DeeperSuggestion.State


def _sees_all(access):
    return access.can("community.lead")


@cohort_view("community.members")
def community_list(request, access):
    community = access.community
    return render(
        request,
        "planning/deeper/community.html",
        {
            "community": community,
            "suggestions": summaries.community_suggestions(community, sees_all=_sees_all(access)),
            "can_lead": access.can("community.lead"),
        },
    )


def _suggestion(access, suggestion_id):
    rows = access.community.deeper_suggestions.select_related(
        "activity", "meeting", "suggested_by", "answered_by", "done_by"
    )
    suggestion = get_object_or_404(rows, public_id=suggestion_id)
    if not _sees_all(access) and suggestion.state not in DeeperSuggestion.MEMBER_STATES:
        raise PermissionDenied  # a member sees what the group took on, not what it weighs
    return suggestion


def _page(request, access, suggestion, *, answer=None, plan=None, done=None, status=200):
    community = access.community
    zone = calendar.community_zone(community)
    can_act = access.can("community.lead") and not community.is_archived and suggestion.is_open
    context = {
        "community": community,
        "suggestion": suggestion,
        "activity": suggestion.activity,
        "zone": zone,
        "can_act": can_act,
    }
    # A suggestion is answered first; a meeting or reflection sent with it shows its errors.
    context["answering"] = suggestion.state == State.SUGGESTED and plan is None and done is None
    if can_act and context["answering"]:
        context["answer_form"] = answer or AnswerForm()
    elif can_act:
        meetings = services.plannable_meetings(community)
        context["plan_form"] = plan or PlanForm(
            meetings=meetings,
            zone=zone,
            initial={"meeting": suggestion.meeting} if suggestion.meeting else None,
        )
        context["has_meetings"] = meetings.exists()
        context["done_form"] = done or DoneForm()
    return render(request, "planning/deeper/suggestion.html", context, status=status)


@cohort_view("community.members")
def suggestion_detail(request, access, suggestion_id):
    return _page(request, access, _suggestion(access, suggestion_id))


def _back(suggestion):
    return redirect(suggestion.get_absolute_url())


@require_POST
@cohort_view("community.lead")
@community_open
def suggestion_answer(request, access, suggestion_id):
    suggestion = _suggestion(access, suggestion_id)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["answer"] == AnswerForm.ACCEPT:
                services.accept(suggestion, actor=request.user)
                messages.success(request, _("Accepted. Now plan it onto one of your meetings."))
            else:
                services.decline(suggestion, actor=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, _("Declined. Your TTA team will see your reason."))
        except ServiceError as error:
            show_error(request, error, form)
        else:
            return _back(suggestion)
    return _page(request, access, suggestion, answer=form)


@require_POST
@cohort_view("community.lead")
@community_open
def suggestion_plan(request, access, suggestion_id):
    suggestion = _suggestion(access, suggestion_id)
    community = access.community
    form = PlanForm(
        request.POST,
        meetings=services.plannable_meetings(community),
        zone=calendar.community_zone(community),
    )
    if form.is_valid():
        try:
            services.plan(suggestion, actor=request.user, meeting=form.cleaned_data["meeting"])
        except ServiceError as error:
            show_error(request, error, form)
        else:
            messages.success(
                request,
                _("Planned for “%(meeting)s”: it shows on that meeting's agenda.")
                % {"meeting": suggestion.meeting.title},
            )
            return _back(suggestion)
    return _page(request, access, suggestion, plan=form)


@require_POST
@cohort_view("community.lead")
@community_open
def suggestion_done(request, access, suggestion_id):
    suggestion = _suggestion(access, suggestion_id)
    form = DoneForm(request.POST)
    if form.is_valid():
        try:
            services.mark_done(suggestion, actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("Marked done. Thank you for the reflection."))
            return _back(suggestion)
    return _page(request, access, suggestion, done=form)
