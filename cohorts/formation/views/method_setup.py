"""What a formation method adds to a round's set-up, staff side: the subject areas of a topic
round and their caps, the criteria of a criteria round, and a person's input entered from
a paper list."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts.access import cohort_view
from cohorts.formation.forms.rounds import CapsForm, CriteriaForm, TopicForm
from cohorts.formation.methods import input_form, method_of
from cohorts.formation.services import input as input_service
from cohorts.formation.services import setup as setup_service
from copkit.errors import ServiceError, show_error

from .rounds import _badge, _round_url, get_round

# -- topics ----------------------------------------------------------------------------------


@cohort_view("cohort.manage")
def round_topics(request, access, round_id):
    formation_round = _badge(get_round(access, round_id))
    topics = list(formation_round.topics.all())
    add_form = TopicForm()
    caps_form = CapsForm(topics=topics)
    if request.method == "POST":
        try:
            setup_service.check_has_topics(formation_round)
        except ServiceError as error:
            show_error(request, error)
            return redirect(formation_round)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add":
            add_form = TopicForm(request.POST)
            if add_form.is_valid():
                try:
                    topic = setup_service.add_topic(
                        formation_round, request.user, **add_form.cleaned_data
                    )
                except ServiceError as error:
                    show_error(request, error, add_form)
                else:
                    messages.success(request, _("“%(name)s” added.") % {"name": topic.name})
                    return redirect(_round_url("formation-topics", formation_round))
        elif action == "caps":
            caps_form = CapsForm(request.POST, topics=topics)
            if caps_form.is_valid():
                try:
                    setup_service.save_caps(formation_round, request.user, caps_form.caps())
                except ServiceError as error:
                    show_error(request, error, caps_form)
                else:
                    messages.success(request, _("Caps saved."))
                    return redirect(_round_url("formation-topics", formation_round))
        else:
            messages.error(request, _("Choose whether to add a subject area or save the caps."))
            return redirect(_round_url("formation-topics", formation_round))
    people = formation_round.entries.count()
    shortfall = setup_service.cap_shortfall(formation_round, people)
    return render(
        request,
        "cohorts/formation/topics.html",
        {
            "formation_round": formation_round,
            "add_form": add_form,
            "caps_form": caps_form,
            "people_count": people,
            "shortfall": shortfall,
            "short_by": shortfall[1] - shortfall[0] if shortfall else 0,
        },
    )


@require_POST
@cohort_view("cohort.manage")
def round_topic_delete(request, access, round_id, topic_id):
    formation_round = get_round(access, round_id)
    topic = get_object_or_404(formation_round.topics, public_id=topic_id)
    try:
        setup_service.delete_topic(topic, request.user)
    except ServiceError as error:
        show_error(request, error)
    else:
        messages.success(request, _("“%(name)s” removed.") % {"name": topic.name})
    return redirect("cohorts:formation-topics", access.cohort.slug, formation_round.public_id)


# -- criteria --------------------------------------------------------------------------------


@cohort_view("cohort.manage")
def round_criteria(request, access, round_id):
    formation_round = _badge(get_round(access, round_id))
    form = CriteriaForm(request.POST or None, formation_round=formation_round)
    if request.method == "POST" and method_of(formation_round).uses_criteria and form.is_valid():
        data = form.cleaned_data
        try:
            setup_service.save_criteria(
                formation_round,
                request.user,
                criteria=data["criteria"],
                custom_question=data["custom_question"] if data.get("use_custom") else "",
                custom_options=data["custom_options"] if data.get("use_custom") else "",
            )
        except ServiceError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("Criteria saved."))
            return redirect(formation_round)
    return render(
        request,
        "cohorts/formation/criteria.html",
        {"formation_round": formation_round, "form": form},
    )


# -- input on paper --------------------------------------------------------------------------


def _save_input(request, form, *, actor):
    """Store what the form cleaned; False with the refusal shown on the form."""
    try:
        method_of(form.entry.round).save_input(form, actor=actor)
    except ServiceError as error:
        show_error(request, error, form)
        return False
    return True


@cohort_view("cohort.manage")
def entry_edit(request, access, round_id, entry_id):
    formation_round = _badge(get_round(access, round_id))
    entry = get_object_or_404(
        formation_round.entries.select_related("participant__organization", "entered_by"),
        public_id=entry_id,
    )
    entry.round = formation_round
    form = input_form(
        entry, data=request.POST if request.method == "POST" else None, actor=request.user
    )
    if form is not None and request.method == "POST":
        try:
            input_service.check_can_save(entry, request.user)
        except ServiceError as error:
            show_error(request, error)
            return redirect(formation_round)
        if form.is_valid() and _save_input(request, form, actor=request.user):
            messages.success(
                request,
                _("Saved what %(name)s put on paper.") % {"name": entry.participant.name},
            )
            return redirect(formation_round)
    return render(
        request,
        "cohorts/formation/entry_form.html",
        {
            "formation_round": formation_round,
            "entry": entry,
            "form": form,
            "input_available": form is not None,
        },
    )
