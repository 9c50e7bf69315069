"""The cohort's going-deeper pages: the list of activities (seeded with the starter set on
first visit), one activity, adding and editing, retiring, suggesting an activity to
communities, and the staff's board of which communities did which activity."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cohorts.access import cohort_view
from copkit.concurrency import hold_for_saving
from copkit.errors import ServiceError, show_error
from copkit.privacy import MIN_GROUP
from planning.deeper import services, summaries
from planning.deeper.forms import ActivityForm, SuggestForm


def _activity(access, activity_id):
    return get_object_or_404(access.cohort.deeper_activities.all(), public_id=activity_id)


@cohort_view("cohort.view")
def activity_list(request, access):
    cohort = access.cohort
    services.ensure_starters(cohort)
    activities = list(cohort.deeper_activities.order_by("position", "title"))
    return render(
        request,
        "planning/deeper/activities.html",
        {
            "active": [a for a in activities if not a.is_retired],
            "retired": [a for a in activities if a.is_retired],
            "can_manage": access.is_staff,
            "can_report": access.can("cohort.report"),
        },
    )


@cohort_view("cohort.view")
def activity_detail(request, access, activity_id):
    activity = _activity(access, activity_id)
    context = {"activity": activity, "can_manage": access.is_staff}
    if access.is_staff:
        context["suggestions"] = list(
            activity.suggestions.select_related("community").order_by(
                "community__name", "-created_at"
            )
        )
        for suggestion in context["suggestions"]:
            suggestion.url = reverse(
                "planning:deeper-suggestion",
                args=[access.cohort.slug, suggestion.community.slug, suggestion.public_id],
            )
    return render(request, "planning/deeper/activity.html", context)


@cohort_view("cohort.manage")
def activity_create(request, access):
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.add_activity(
                access.cohort, actor=request.user, **_values(form.cleaned_data)
            )
        except ServiceError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("Activity added."))
            return redirect(activity)
    return render(request, "planning/deeper/activity_form.html", {"form": form, "activity": None})


def _values(data):
    return {name: data[name] for name in services.ACTIVITY_FIELDS}


@cohort_view("cohort.manage")
@transaction.atomic
def activity_edit(request, access, activity_id):
    activity = _activity(access, activity_id)
    form = ActivityForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid() and hold_for_saving(form, activity):
        activity.refresh_from_db()
        try:
            changed = services.update_activity(
                activity, actor=request.user, **_values(form.cleaned_data)
            )
        except ServiceError as error:
            show_error(request, error, form)
        else:
            text = _("Activity saved.") if changed else _("Nothing was changed.")
            messages.success(request, text)
            return redirect(activity)
    return render(
        request, "planning/deeper/activity_form.html", {"form": form, "activity": activity}
    )


@require_POST
@cohort_view("cohort.manage")
def activity_retire(request, access, activity_id):
    activity = _activity(access, activity_id)
    retire = request.POST.get("action") != "restore"
    if services.set_retired(activity, actor=request.user, retired=retire):
        messages.success(
            request,
            _("Activity retired: it can no longer be suggested. What communities did stays.")
            if retire
            else _("Activity restored."),
        )
    return redirect(activity)


@cohort_view("cohort.manage")
def activity_suggest(request, access, activity_id):
    activity = _activity(access, activity_id)
    if activity.is_retired:
        messages.error(request, _("This activity is retired: restore it before suggesting it."))
        return redirect(activity)
    communities = list(access.cohort.communities.active().order_by("name"))
    initial = {"training": activity.training}
    if request.GET.get("to") in {str(c.public_id) for c in communities}:
        initial["to"] = request.GET["to"]
    form = SuggestForm(request.POST or None, communities=communities, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.suggest(
                activity,
                actor=request.user,
                communities=data["to"],
                training=data["training"],
                due_on=data["due_on"],
                note=data["note"],
            )
        except ServiceError as error:
            show_error(request, error, form)
        else:
            text = ngettext(
                "Suggested to %(n)d community; its leaders get an email.",
                "Suggested to %(n)d communities; their leaders get an email.",
                len(result.created),
            ) % {"n": len(result.created)}
            if result.skipped:
                text += " " + _("Already open, so not suggested again: %(names)s.") % {
                    "names": ", ".join(c.name for c in result.skipped)
                }
            (messages.success if result.created else messages.info)(request, text)
            return redirect(activity)
    return render(request, "planning/deeper/suggest.html", {"form": form, "activity": activity})


@cohort_view("cohort.report")
def progress(request, access):
    """Staff: communities by activities and each one's state. Observers: counts per
    activity, none from fewer than five communities."""
    cohort = access.cohort
    context = {"min_group": MIN_GROUP, "sees_people": access.is_staff}
    if access.is_staff:
        context["board"] = summaries.board(cohort)
    context["counts"] = summaries.counts(cohort, sees_people=access.is_staff)
    return render(request, "planning/deeper/progress.html", context)
