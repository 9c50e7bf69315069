"""Forms of the roster import: the upload (cleans to a checked Roster) and the confirmation
(cleans the signed payload back to a checked Roster, and says whether rows with problems are
to be skipped)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cohorts.services.roster import RosterFileError, read_roster, too_big_message, unsign_roster

ACCEPT = ",".join(
    [
        ".csv",
        ".xlsx",
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ]
)


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file"),
        help_text=_("A CSV file or an Excel workbook (.xlsx), with one participant per row."),
        error_messages={
            "required": _("Choose a roster file to upload."),
            "empty": _("The file is empty."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.ROSTER_MAX_BYTES:
            raise ValidationError(too_big_message(settings.ROSTER_MAX_BYTES))
        try:
            return read_roster(upload.name, upload.read())
        except RosterFileError as exc:
            raise ValidationError(str(exc)) from exc


class RosterConfirmForm(forms.Form):
    payload = forms.CharField(widget=forms.HiddenInput)
    skip_bad_rows = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, cohort, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort, self.user = cohort, user

    def clean_payload(self):
        try:
            return unsign_roster(self.cleaned_data["payload"], cohort=self.cohort, user=self.user)
        except RosterFileError as exc:
            raise ValidationError(str(exc)) from exc
