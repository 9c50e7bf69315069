"""A participant's page in a formation round, opened from their personal link: rank the
topics, mark good matches, or answer the round's questions, until the deadline.

The link's token is the key: it opens one FormationEntry, with or without a login (like a
survey link, planning/views/answering.py). While the round is open for input the page shows
the form and what was saved; afterwards it shows what was saved, read-only; once the round
is published it shows the community the person is in.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from cohorts.formation.methods import method_of
from cohorts.formation.wording import deadline_words
from cohorts.models import FormationEntry, FormationRound, ProposedMember
from copkit.errors import ServiceError, show_error

Status = FormationRound.Status


def _entry(token):
    return (
        FormationEntry.objects.select_related("round__cohort", "participant__organization")
        .filter(token=token)
        .first()
    )


def _community(entry):
    """The community the person was placed in by the round's published groups, or None."""
    member = (
        ProposedMember.objects.filter(
            proposal__round=entry.round,
            participant=entry.participant,
            group__community__isnull=False,
        )
        .select_related("group__community")
        .order_by("-proposal__number")
        .first()
    )
    return member.group.community if member is not None else None


def _save(request, method, form, actor=None):
    """Store the form's input; False with the refusal shown on the form."""
    try:
        method.save_input(form, actor=actor)
    except ServiceError as error:
        show_error(request, error, form)
        return False
    return True


def _state(entry):
    """ "published", "open", "not_open" (still being set up) or "closed"."""
    formation_round = entry.round
    if formation_round.is_published:
        return "published"
    if formation_round.is_open_for_input:
        return "open"
    if formation_round.status == Status.SETUP:
        return "not_open"
    return "closed"


@never_cache
def answer(request, token):
    """The round's page of one person's link: the form while open, their input after."""
    entry = _entry(token)
    if entry is None:
        return render(request, "cohorts/formation/answer.html", {"not_found": True}, status=404)
    formation_round = entry.round
    state = _state(entry)
    data = request.POST if request.method == "POST" and state == "open" else None
    method = method_of(formation_round)
    form = method.input_form(entry, data)
    if data is not None and form is not None and form.is_valid() and _save(request, method, form):
        if formation_round.deadline:
            messages.success(
                request,
                _("Saved. You can change your choices until the deadline: %(when)s.")
                % {
                    "when": deadline_words(
                        formation_round.deadline, zone=formation_round.cohort.time_zone
                    )
                },
            )
        else:
            messages.success(
                request, _("Saved. You can change your choices while the round is open.")
            )
        return redirect(request.path)
    if request.method == "POST" and state != "open" and form is not None:
        messages.warning(request, _("Choices are closed, so nothing was changed."))
    participant = entry.participant
    context = {
        "entry": entry,
        "round": formation_round,
        "participant": participant,
        "state": state,
        "form": form if state == "open" else None,
        "asks": form is not None,
        "method": formation_round.method,
        "deadline_text": deadline_words(
            formation_round.deadline, zone=formation_round.cohort.time_zone
        ),
        # Closed before the deadline (staff formed the groups early): no "close on" date then.
        "deadline_passed": (
            formation_round.deadline is not None and formation_round.deadline <= timezone.now()
        ),
        "saved": method.saved(entry, form) if form is not None and entry.submitted_at else [],
        "someone_else": (
            request.user.is_authenticated
            and participant.user_id is not None
            and participant.user_id != request.user.pk
        ),
        "community": _community(entry) if state == "published" else None,
    }
    if form is not None:
        context.update(method.answer_context(entry, form, state))
    return render(request, "cohorts/formation/answer.html", context)
