"""Speed matching: after the conversations, each person ticks the people who would be a good
match; the engine keeps as many choices (and mutual pairs) together as it can."""

import uuid

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cohorts.formation import checks
from cohorts.formation.forms.input import AnyChoiceMultipleField, EntryForm
from cohorts.formation.models import FormationRound
from cohorts.formation.services import input as service

from .base import FormationMethod, percent
from .registry import register


class ChoicesForm(EntryForm):
    """Speed matching: tick the people who would be a good match."""

    choices = AnyChoiceMultipleField(
        label=gettext_lazy("The people in this round"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Tick everyone you would like to be in a group with."),
    )

    def __init__(self, entry, data=None, **kwargs):
        super().__init__(entry, data, **kwargs)
        others = (
            entry.round.entries.exclude(pk=entry.pk)
            .select_related("participant__organization")
            .order_by("participant__name", "pk")
        )
        self.people = []
        for other in others:
            person = other.participant
            label = person.name
            if person.organization_id is not None:
                label = f"{person.name} — {person.organization.name}"
            self.people.append((str(person.public_id), label))
        field = self.fields["choices"]
        field.choices = self.people
        field.initial = list(entry.choices or [])

    def clean_choices(self):
        try:
            return checks.clean_choices(self.entry, self.cleaned_data["choices"], actor=self.actor)
        except checks.InputError as error:
            raise forms.ValidationError(str(error)) from error


def _valid_uuid(value):
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@register
class Matching(FormationMethod):
    value = FormationRound.Method.MATCHING
    form_class = ChoicesForm

    def save_input(self, form, *, actor=None):
        return service.save_choices(form.entry, form.cleaned_data["choices"], actor=actor)

    def saved(self, entry, form):
        labels = dict(form.people)
        return [labels[pid] for pid in entry.choices or [] if pid in labels]

    def answer_context(self, entry, form, state):
        known = {value for value, _label in form.people}
        marked = form["choices"].value() or [] if state == "open" else []
        return {
            "marked": len({value for value in marked if value in known}),
            "people_count": len(form.people),
        }

    def build_input(self, formation_round, entries, people, ids, warnings):
        outside = {
            str(choice)
            for entry in entries
            for choice in entry.choices or []
            if str(choice) not in ids and _valid_uuid(choice)
        }
        outside_names = {
            str(public_id): name
            for public_id, name in formation_round.cohort.participants.filter(
                public_id__in=list(outside)
            ).values_list("public_id", "name")
        }
        for entry, person in zip(entries, people, strict=True):
            me = person["id"]
            kept = []
            for choice in entry.choices or []:
                choice = str(choice)
                if choice == me or choice in kept:
                    continue
                if choice not in ids:
                    warnings.append(
                        _(
                            "%(name)s chose %(other)s, who is not in this round; that choice "
                            "is left out."
                        )
                        % {
                            "name": entry.participant.name,
                            "other": outside_names.get(
                                choice, _("someone no longer in the cohort")
                            ),
                        }
                    )
                    continue
                kept.append(choice)
            person["choices"] = kept
        return {}

    def summary_rows(self, formation_round, scores, unit):
        if "choices_total" not in scores:
            return []
        total, kept = scores.get("choices_total", 0), scores.get("choices_kept", 0)
        pairs, pairs_kept = scores.get("mutual_pairs_total", 0), scores.get("mutual_pairs_kept", 0)
        return [
            (
                _("Choices kept"),
                _("%(kept)s of %(total)s (%(pct)s%%)")
                % {"kept": kept, "total": total, "pct": percent(kept, total)},
            ),
            (
                _("Mutual pairs kept together"),
                _("%(kept)s of %(total)s (%(pct)s%%)")
                % {"kept": pairs_kept, "total": pairs, "pct": percent(pairs_kept, pairs)}
                if pairs
                else _("nobody chose each other"),
            ),
            (
                _("People with none of their choices in their group"),
                str(scores.get("people_with_no_choice_kept", 0)),
            ),
        ]

    def group_figures(self, formation_round, details, unit):
        if "choices_kept" not in details:
            return []
        kept, pairs = details.get("choices_kept", 0), details.get("mutual_pairs_kept", 0)
        return [
            ngettext("%(n)s choice kept", "%(n)s choices kept", kept) % {"n": kept}
            + " · "
            + ngettext("%(n)s mutual pair", "%(n)s mutual pairs", pairs) % {"n": pairs}
        ]

    def no_choice(self, entry, ids_here, topic_id):
        return bool(entry.choices) and not any(str(c) in ids_here for c in entry.choices)
