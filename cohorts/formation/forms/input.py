"""What the forms a person fills in for a formation round share, on their personal page or
typed in by staff from a paper list. Each method that asks something defines its form in its
module (`cohorts.formation.methods`): the people who would be a good match (speed matching),
the subject areas they want most (topic choice), or the round's questions (criteria).

Each form starts from what the entry holds, checks the input with the checks the input
service uses too (`cohorts.formation.checks`), so a message lands beside the field at fault,
and leaves the values it cleaned in `cleaned_data`. Forms never write: the view hands the
form to its method's `save_input` (None: the person through their link; a user: staff), and
shows a refusal with `copkit.errors.show_error`.
"""

from django import forms


class AnyChoiceMultipleField(forms.MultipleChoiceField):
    """A checkbox list that lets any value through to `clean_<field>`, where the checks
    say who is wrong by name instead of Django's "not one of the available choices"."""

    def valid_value(self, value):
        return True


class EntryForm(forms.Form):
    """What the three forms share: the entry and who is filling it in."""

    def __init__(self, entry, data=None, *, actor=None, **kwargs):
        self.entry = entry
        self.actor = actor
        super().__init__(data=data, **kwargs)

    def _error_to(self, error, default):
        name = error.field if error.field in self.fields else default
        self.add_error(name, str(error))
