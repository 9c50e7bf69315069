"""Pages of the phases and the transition: the cohort's Transition page (staff set the
timeline and the message, and see each COP's phase and sunset plan), and staff's phase for
one COP."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cohorts.access import cohort_view
from copkit.errors import ServiceError, show_error
from planning.archived import community_open
from planning.sunset import phases, summaries, timeline
from planning.sunset.forms import PhaseForm, TimelineForm


def _timeline_initial(cohort, transition):
    if transition is None or transition.starts_on is None:
        initial = timeline.suggested_dates(cohort)
    else:
        initial = {
            "starts_on": transition.starts_on,
            "start_plans_by": transition.start_plans_by,
            "finish_plans_by": transition.finish_plans_by,
        }
    initial["message"] = timeline.message_of(transition)
    return initial


@cohort_view("cohort.manage")
def transition(request, access):
    cohort = access.cohort
    current = timeline.transition_of(cohort)
    form = TimelineForm(
        request.POST or None, cohort=cohort, initial=_timeline_initial(cohort, current)
    )
    if request.method == "POST" and form.is_valid():
        try:
            timeline.save_timeline(cohort, actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The transition timeline is saved."))
            return redirect("planning:transition", cohort_slug=cohort.slug)
    return render(
        request,
        "planning/sunset/transition.html",
        {
            "cohort": cohort,
            "form": form,
            "transition": current,
            "suggested_start": timeline.suggested_start(cohort),
            "weeks": timeline.SUGGESTED_WEEKS,
            "started": phases.sunsetting_started(current),
            **summaries.cohort_rows(cohort),
        },
    )


@cohort_view("community.manage")
@community_open
def community_phase(request, access):
    community = access.community
    form = PhaseForm(request.POST or None, initial={"phase": community.phase_override})
    if request.method == "POST" and form.is_valid():
        try:
            phase = phases.set_override(community, form.cleaned_data["phase"], actor=request.user)
        except ServiceError as error:
            show_error(request, error, form)
        else:
            if form.cleaned_data["phase"]:
                messages.success(request, _("The phase is set. It stays until you clear it."))
            else:
                messages.success(
                    request,
                    _("The phase follows the COP's state again: it is now %(phase)s.")
                    % {"phase": community.Phase(phase).label},
                )
            return redirect(community)
    return render(
        request,
        "planning/sunset/phase.html",
        {"community": community, "form": form, "section": summaries.community_section(community)},
    )
