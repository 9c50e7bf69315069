"""Goal pages: one goal of a community with its history and the update form (its members and
staff read it; its leaders and staff update it), and the cohort's Goals page for staff, every
community's goals in one table."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts.access import cohort_view
from copkit.errors import ServiceError, show_error
from planning.archived import community_open
from planning.evaluations.goal_forms import GoalUpdateForm
from planning.evaluations.services import goals as services
from planning.models import GoalStatus


def _goal(access, goal_id):
    """A goal of the community in the URL (a retired one too: its history stays readable)."""
    return get_object_or_404(access.community.goals.all(), public_id=goal_id)


def _page(request, access, goal, form=None):
    community = access.community
    can_update = (
        access.can("community.lead") and not community.is_archived and goal.retired_at is None
    )
    counts = services.counts_something(goal)
    if can_update and form is None:
        form = GoalUpdateForm(
            goal=goal,
            counts=counts,
            initial={"status": goal.status, "recorded_on": timezone.localdate()},
        )
    goal.outcome = services.outcome(goal)
    return render(
        request,
        "planning/evaluations/goals/goal.html",
        {
            "community": community,
            "goal": goal,
            "counts": counts,
            "updates": services.history(goal),
            "form": form if can_update else None,
        },
    )


@cohort_view("community.members")
def goal_detail(request, access, goal_id):
    return _page(request, access, _goal(access, goal_id))


@require_POST
@cohort_view("community.lead")
@community_open
def goal_update(request, access, goal_id):
    community = access.community
    services.sync_goals(community)  # a plan saved before goals were kept gets its rows now
    goal = _goal(access, goal_id)
    form = GoalUpdateForm(request.POST, goal=goal, counts=services.counts_something(goal))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_update(
                goal,
                status=data["status"],
                actor=request.user,
                note=data["note"],
                value=services.parse_value(data.get("value")),
                recorded_on=data["recorded_on"],
            )
        except ServiceError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("Goal updated."))
            return redirect("planning:goal", access.cohort.slug, community.slug, goal.public_id)
    return _page(request, access, goal, form)


@cohort_view("cohort.manage")
def cohort_goals(request, access):
    params = request.GET
    status = params.get("status", "")
    if status not in GoalStatus.values:
        status = ""
    missed = params.get("missed") == "1"
    return render(
        request,
        "planning/evaluations/goals/cohort.html",
        {
            "rows": services.cohort_rows(access.cohort, status=status, missed=missed),
            "goal_figures": services.cohort_figures(access.cohort),
            "statuses": GoalStatus.choices,
            "chosen": {"status": status, "missed": missed},
            "filtered": bool(status or missed),
        },
    )
