from django import forms
from django.utils.translation import gettext_lazy as _


class CloseCohortForm(forms.Form):
    """Staff confirm what closing means; before the end date they confirm once more."""

    confirm = forms.BooleanField(
        label=_(
            "I understand: the cohort becomes read-only for everyone, and no more reminders "
            "or prompts go out for it."
        ),
        error_messages={"required": _("Tick the box to confirm that you want to close it.")},
    )
    early = forms.BooleanField(
        required=False,
        label=_("Close it before the program's end date anyway."),
    )

    def __init__(self, *args, early=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not early:
            del self.fields["early"]
