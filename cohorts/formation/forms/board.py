"""The review board's forms: moving a person, naming a group, a lock, a CSV upload."""

import uuid

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cohorts.models import (
    FormationLock,
)

NEW_GROUP = "new"


class MoveForm(forms.Form):
    participant = forms.UUIDField(
        error_messages={
            "required": gettext_lazy("Choose the person to move."),
            "invalid": gettext_lazy("Choose the person to move."),
        }
    )
    group = forms.CharField(
        error_messages={"required": gettext_lazy("Choose the group to move them to.")}
    )

    def clean_group(self):
        value = self.cleaned_data["group"].strip()
        if value == NEW_GROUP:
            return value
        try:
            return uuid.UUID(value)
        except ValueError:
            raise forms.ValidationError(_("Choose one of the groups.")) from None


class RenameForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Community name"),
        max_length=200,
        error_messages={"required": gettext_lazy("Give the group a name.")},
    )


class LeadersForm(forms.Form):
    """Who leads the community a group becomes: two of its members (or no one yet)."""

    leader = forms.ChoiceField(label=gettext_lazy("Leader"), required=False)
    co_leader = forms.ChoiceField(label=gettext_lazy("Co-leader"), required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self._people = {str(p.public_id): p for p in members}
        choices = [("", gettext_lazy("No one yet"))] + [
            (key, person.name) for key, person in self._people.items()
        ]
        self.fields["leader"].choices = choices
        self.fields["co_leader"].choices = choices

    def clean_leader(self):
        return self._people.get(self.cleaned_data["leader"])

    def clean_co_leader(self):
        return self._people.get(self.cleaned_data["co_leader"])


class QuickSelect(forms.Select):
    """A select whose options are written in Python rather than through a template each:
    the lock form lists everyone in the round, 2,000 people on a large one."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) == chosen else "", label)
                for key, label in self.choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            options,
        )


class LockForm(forms.Form):
    """Two people of the round, together or apart. The choices are the people the board has
    loaded already, so the form costs no query."""

    first = forms.ChoiceField(
        label=gettext_lazy("This person"),
        widget=QuickSelect,
        error_messages={
            "required": gettext_lazy("Choose the first person."),
            "invalid_choice": gettext_lazy("Choose someone taking part in this round."),
        },
    )
    second = forms.ChoiceField(
        label=gettext_lazy("and this person"),
        widget=QuickSelect,
        error_messages={
            "required": gettext_lazy("Choose the second person."),
            "invalid_choice": gettext_lazy("Choose someone taking part in this round."),
        },
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("must be"),
        choices=FormationLock.Kind.choices,
        initial=FormationLock.Kind.TOGETHER,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose together or apart.")},
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(p.public_id): p for p in people}
        choices = [("", _("Choose a person"))] + [
            (key, _person_label(p)) for key, p in self.people.items()
        ]
        self.fields["first"].choices = choices
        self.fields["second"].choices = choices

    def clean(self):
        data = super().clean()
        first, second = data.get("first"), data.get("second")
        if first and second and first == second:
            self.add_error("second", _("Choose two different people."))
        return data

    def pair(self):
        return self.people[self.cleaned_data["first"]], self.people[self.cleaned_data["second"]]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        error_messages={"required": gettext_lazy("Choose a CSV file to upload.")},
    )


def _person_label(participant):
    org = participant.organization
    return f"{participant.name} ({org.name})" if org else participant.name


# What the board shows of each person: their name, organization and location.
PERSON_FIELDS = (
    "participant__public_id",
    "participant__name",
    "participant__user_id",
    "participant__latitude",
    "participant__longitude",
    "participant__organization__name",
    "participant__organization__latitude",
    "participant__organization__longitude",
)

# -- loading a round's board --------------------------------------------------------------
