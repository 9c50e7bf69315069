"""The cohort's evaluation pages (staff): the rounds and each community's state in them,
scheduling a round, changing or cancelling it before it opens, and the evaluation template
(edited on the survey pages, like any survey)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cohorts.access import cohort_view
from copkit.errors import ServiceError, show_error
from planning.evaluations import bank
from planning.evaluations.forms import RoundForm
from planning.evaluations.services import evaluations as services


def _to_list(access):
    return redirect("planning:evaluations", cohort_slug=access.cohort.slug)


@cohort_view("cohort.manage")
def evaluation_list(request, access):
    cohort = access.cohort
    return render(
        request,
        "planning/evaluations/list.html",
        {
            "rounds": services.rounds_of(cohort),
            "template": services.template_of(cohort),
        },
    )


@cohort_view("cohort.manage")
def evaluation_template(request, access):
    """The cohort's evaluation template, made from copkit's default on first use, opened on
    the survey builder."""
    template = services.ensure_template(access.cohort, request.user)
    return redirect(template)


def _communities(access):
    return list(access.cohort.communities.active().order_by("name"))


@cohort_view("cohort.manage")
def round_create(request, access):
    communities = _communities(access)
    initial = {"title": bank.SUGGESTED_TITLES[0]}
    if request.GET.get("to") in {str(c.public_id) for c in communities}:
        initial["to"] = request.GET["to"]
    form = RoundForm(request.POST or None, communities=communities, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evaluation_round = services.schedule(
                access.cohort,
                actor=request.user,
                title=data["title"],
                form=data["form"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                communities=data["to"],
            )
        except ServiceError as error:
            show_error(request, error, form)
        else:
            n = evaluation_round.evaluations.count()
            messages.success(
                request,
                ngettext(
                    "“%(title)s” is scheduled for %(n)d community.",
                    "“%(title)s” is scheduled for %(n)d communities.",
                    n,
                )
                % {"title": evaluation_round.title, "n": n},
            )
            return _to_list(access)
    return render(
        request,
        "planning/evaluations/schedule.html",
        {
            "form": form,
            "round": None,
            "suggested_titles": bank.SUGGESTED_TITLES,
            "has_communities": bool(communities),
        },
    )


def _round(access, round_id):
    return get_object_or_404(access.cohort.evaluation_rounds.all(), public_id=round_id)


@cohort_view("cohort.manage")
def round_edit(request, access, round_id):
    evaluation_round = _round(access, round_id)
    initial = {
        "title": evaluation_round.title,
        "opens_on": evaluation_round.opens_on,
        "closes_on": evaluation_round.closes_on,
    }
    form = RoundForm(request.POST or None, initial=initial, changing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = services.change_round(
                evaluation_round,
                actor=request.user,
                title=data["title"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
            )
        except ServiceError as error:
            show_error(request, error, form)
        else:
            messages.success(
                request, _("Evaluation changed.") if changed else _("Nothing was changed.")
            )
            return _to_list(access)
    return render(
        request,
        "planning/evaluations/schedule.html",
        {"form": form, "round": evaluation_round, "suggested_titles": ()},
    )


@require_POST
@cohort_view("cohort.manage")
def round_cancel(request, access, round_id):
    evaluation_round = _round(access, round_id)
    title = evaluation_round.title
    try:
        services.cancel_round(evaluation_round, actor=request.user)
    except ServiceError as error:
        show_error(request, error)
    else:
        messages.success(request, _("“%(title)s” is cancelled.") % {"title": title})
    return _to_list(access)
