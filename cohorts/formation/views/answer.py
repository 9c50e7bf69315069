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

from cohorts.formation.forms.input import formation_input_form
from cohorts.formation.services import input as service
from cohorts.formation.wording import deadline_words
from cohorts.models import FormationEntry, FormationRound, ProposedMember

Method = FormationRound.Method
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


def _saved(entry, form):
    """What the entry holds, in words: a list of strings (topics, people) or of
    (question, answer) pairs for a criteria round."""
    method = entry.round.method
    if form is None or entry.submitted_at is None:
        return []
    if method == Method.TOPIC:
        names = {str(t.public_id): t.name for t in form.topics}
        return [names[pid] for pid in entry.ranking or [] if pid in names]
    if method == Method.MATCHING:
        labels = dict(form.people)
        return [labels[pid] for pid in entry.choices or [] if pid in labels]
    if method == Method.CRITERIA:
        pairs = []
        answers = entry.answers or {}
        for key, field in form.fields.items():
            if key not in answers:
                continue
            value = answers[key]
            values = value if isinstance(value, list) else [value]
            options = dict(getattr(field, "choices", []) or [])
            shown = [str(options.get(str(v), v)) for v in values]
            pairs.append((field.label, ", ".join(shown) if shown else _("None of these")))
        return pairs
    return []


def _topic_cards(entry, form):
    members = service.topic_members(entry.round)
    cards = []
    for topic in form.topics:
        names = members.get(str(topic.public_id), [])
        cards.append(
            {
                "topic": topic,
                "first_count": len(names),
                "names": names,
                "full": topic.cap is not None and len(names) >= topic.cap,
            }
        )
    return cards


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
    form = formation_input_form(entry, data)
    if data is not None and form is not None and form.is_valid() and form.save() is not None:
        if formation_round.deadline:
            messages.success(
                request,
                _("Saved. You can change your choices until the deadline: %(when)s.")
                % {"when": deadline_words(formation_round.deadline)},
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
        "deadline_text": deadline_words(formation_round.deadline),
        # Closed before the deadline (staff formed the groups early): no "close on" date then.
        "deadline_passed": (
            formation_round.deadline is not None and formation_round.deadline <= timezone.now()
        ),
        "saved": _saved(entry, form),
        "someone_else": (
            request.user.is_authenticated
            and participant.user_id is not None
            and participant.user_id != request.user.pk
        ),
        "community": _community(entry) if state == "published" else None,
    }
    if formation_round.method == Method.TOPIC and form is not None:
        context["topic_cards"] = _topic_cards(entry, form)
    if formation_round.method == Method.MATCHING and form is not None:
        known = {value for value, _label in form.people}
        marked = form["choices"].value() or [] if state == "open" else []
        context["marked"] = len({value for value in marked if value in known})
        context["people_count"] = len(form.people)
    return render(request, "cohorts/formation/answer.html", context)
