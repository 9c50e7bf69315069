"""The forms a person fills in for a formation round, on their personal page or typed in by
staff from a paper list: the people who would be a good match (speed matching), the subject
areas they want most (topic choice), or the round's questions (criteria).

Each form starts from what the entry holds, checks the input with the same rules as the
service (`cohorts.formation.services.input`), so a message lands beside the field at fault,
and `.save(actor=None)` stores it (None: the person through their link; a user: staff).
"""

from django import forms
from django.contrib.humanize.templatetags.humanize import ordinal
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cohorts.formation.attributes import asked_attributes
from cohorts.formation.services import input as service
from cohorts.models import FormationRound
from cohorts.services.cohorts import ServiceError

MAX_RANKED = 5
PLACE_WORDS = (
    gettext_lazy("First choice"),
    gettext_lazy("Second choice"),
    gettext_lazy("Third choice"),
    gettext_lazy("Fourth choice"),
    gettext_lazy("Fifth choice"),
)


class AnyChoiceMultipleField(forms.MultipleChoiceField):
    """A checkbox list that lets any value through to `clean_<field>`, where the service
    says who is wrong by name instead of Django's "not one of the available choices"."""

    def valid_value(self, value):
        return True


class EntryForm(forms.Form):
    """What the three forms share: the entry, who is saving, and saving through the
    service with its refusal shown on the form."""

    def __init__(self, entry, data=None, *, actor=None, **kwargs):
        self.entry = entry
        self.actor = actor
        super().__init__(data=data, **kwargs)

    def _save(self, actor):
        raise NotImplementedError

    def save(self, actor=None):
        """Store the input; returns the entry, or None with the refusal added to the form."""
        actor = actor if actor is not None else self.actor
        try:
            return self._save(actor)
        except service.InputError as error:
            self.add_error(error.field if error.field in self.fields else None, str(error))
        except ServiceError as error:
            self.add_error(None, str(error))
        return None

    def _error_to(self, error, default):
        name = error.field if error.field in self.fields else default
        self.add_error(name, str(error))


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
            return service.clean_choices(self.entry, self.cleaned_data["choices"], actor=self.actor)
        except service.InputError as error:
            raise forms.ValidationError(str(error)) from error

    def _save(self, actor):
        return service.save_choices(self.entry, self.cleaned_data["choices"], actor=actor)


class RankingForm(EntryForm):
    """Topic choice: the subject areas wanted most, first choice first."""

    def __init__(self, entry, data=None, **kwargs):
        super().__init__(entry, data, **kwargs)
        self.topics = list(entry.round.topics.all())
        names = {str(t.public_id): t.name for t in self.topics}
        options = [("", _("Choose a subject area")), *list(names.items())]
        saved = [pid for pid in (entry.ranking or []) if pid in names]
        places = min(MAX_RANKED, len(self.topics))
        for index in range(places):
            label = PLACE_WORDS[index] if index < len(PLACE_WORDS) else ordinal(index + 1)
            self.fields[self.place_name(index)] = forms.ChoiceField(
                label=label,
                choices=options,
                required=index == 0,
                initial=saved[index] if index < len(saved) else "",
                error_messages={
                    "required": _("Choose your first choice."),
                    "invalid_choice": _("That subject area is not part of this round."),
                },
            )

    @staticmethod
    def place_name(index):
        return f"choice_{index + 1}"

    def clean(self):
        cleaned = super().clean()
        names = {str(t.public_id): t.name for t in self.topics}
        ranking, first_place = [], {}
        for name in self.fields:
            value = cleaned.get(name)
            if not value:
                continue
            if value in first_place:
                self.add_error(
                    name,
                    _("You already chose %(topic)s as your %(place)s.")
                    % {"topic": names.get(value, ""), "place": str(first_place[value]).lower()},
                )
                continue
            first_place[value] = self.fields[name].label
            ranking.append(value)
        if not self.errors:
            try:
                ranking = service.clean_ranking(self.entry, ranking)
            except service.InputError as error:
                self.add_error(next(iter(self.fields), None), str(error))
        cleaned["ranking"] = ranking
        return cleaned

    def _save(self, actor):
        return service.save_ranking(self.entry, self.cleaned_data["ranking"], actor=actor)


class AnswersForm(EntryForm):
    """Criteria: one field per question the round asks."""

    def __init__(self, entry, data=None, **kwargs):
        super().__init__(entry, data, **kwargs)
        formation_round = entry.round
        saved = entry.answers or {}
        self.answer_choices = {}
        for attribute in asked_attributes(formation_round):
            key = attribute.key
            options = service.answer_choices(formation_round, attribute)
            self.answer_choices[key] = options
            label = service.question_text(formation_round, attribute)
            value = saved.get(key)
            if attribute.multiple:
                field = forms.MultipleChoiceField(
                    label=label,
                    choices=options or [],
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Choose all that apply."),
                    error_messages={"invalid_choice": _("Please choose from the list.")},
                    initial=list(value) if isinstance(value, list) else [],
                )
            elif options is None:
                field = forms.CharField(
                    label=label,
                    max_length=300,
                    initial="" if value is None else str(value),
                    error_messages={"required": _("Please answer this question.")},
                )
            else:
                field = forms.ChoiceField(
                    label=label,
                    choices=options,
                    widget=forms.RadioSelect,
                    initial="" if value is None else str(value),
                    error_messages={
                        "required": _("Please choose an answer."),
                        "invalid_choice": _("That answer is not on the list: please choose one."),
                    },
                )
            self.fields[key] = field

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                cleaned["answers"] = service.clean_answers(
                    self.entry, cleaned, choices=self.answer_choices
                )
            except service.InputError as error:
                self._error_to(error, None)
        return cleaned

    def _save(self, actor):
        return service.save_answers(
            self.entry, self.cleaned_data["answers"], actor=actor, choices=self.answer_choices
        )


FORMS = {
    FormationRound.Method.MATCHING: ChoicesForm,
    FormationRound.Method.TOPIC: RankingForm,
    FormationRound.Method.CRITERIA: AnswersForm,
}


def formation_input_form(entry, data=None, *, actor=None):
    """The form for what `entry`'s round asks, or None (map and pre-assign ask nothing)."""
    form_class = FORMS.get(entry.round.method)
    return None if form_class is None else form_class(entry, data, actor=actor)
