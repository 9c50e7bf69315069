"""What the forms a person fills in for a formation round share, on their personal page or
typed in by staff from a paper list. Each method that asks something defines its form in its
module (`cohorts.formation.methods`): the people who would be a good match (speed matching),
the subject areas they want most (topic choice), or the round's questions (criteria).

Each form starts from what the entry holds, checks the input with the same rules as the
service (`cohorts.formation.services.input`), so a message lands beside the field at fault,
and `.save(actor=None)` stores it (None: the person through their link; a user: staff).
"""

from django import forms

from cohorts.formation.services import input as service
from cohorts.services.cohorts import ServiceError


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
