"""The one base class of every refusal a service makes, and how a view shows it.

A service raises `ServiceError` (or a subclass) with a message meant for the person who asked;
a view catches `ServiceError` and calls `show_error`, which puts the message next to the form
field it names (or on the form as a whole), or as a page message when there is no form.
Tasks and commands catch the same class, so a rule enforced in a service holds everywhere.
"""

from django.contrib import messages


class ServiceError(Exception):
    """A write refused for a reason the person can act on; the message is for them.

    `field` names the form field at fault, when there is one.
    """

    def __init__(self, message="", *, field=None):
        super().__init__(message)
        self.field = field

    @property
    def message(self):
        return str(self.args[0]) if self.args else ""


def show_error(request, error, form=None):
    """Show a refused write the same way on every page: on the form when there is one (next to
    the field it names, if the form has that field), otherwise as an error message."""
    if form is not None:
        field = error.field if getattr(error, "field", None) in form.fields else None
        form.add_error(field, str(error))
    else:
        messages.error(request, str(error))
