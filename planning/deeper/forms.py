"""Forms of the going-deeper pages: an activity, a suggestion to communities, and a
community's answer, its meeting and its reflection."""

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from copkit.concurrency import EditConflictMixin
from copkit.dates import sane_year
from planning.models import DeeperActivity

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ALL = "all"
MAX_TEXT = 4000


class ActivityForm(EditConflictMixin, forms.ModelForm):
    class Meta:
        model = DeeperActivity
        fields = ["title", "training", "description", "steps"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "steps": forms.Textarea(attrs={"rows": 6}),
        }
        error_messages = {
            "title": {"required": _("Give the activity a title.")},
            "description": {"required": _("Say what the activity is.")},
            "steps": {"required": _("Write at least one step.")},
        }

    def clean_steps(self):
        steps = "\n".join(
            line.strip() for line in self.cleaned_data["steps"].splitlines() if line.strip()
        )
        if not steps:
            raise forms.ValidationError(_("Write at least one step."))
        return steps


class SuggestForm(forms.Form):
    to = forms.ChoiceField(
        label=_("Suggest it to"),
        error_messages={"invalid_choice": _("Choose every community, or one of them.")},
    )
    training = forms.CharField(
        label=_("The training it follows"),
        max_length=200,
        help_text=_(
            "Which training of yours this activity takes further, e.g. “Grant writing, March 3”."
        ),
        error_messages={"required": _("Name the training this activity follows.")},
    )
    due_on = forms.DateField(
        label=_("Do it by"),
        widget=DATE_WIDGET,
        validators=[sane_year],
        error_messages={
            "required": _("Choose the date to do it by."),
            "invalid": _("Enter a date, like 2027-03-31."),
        },
    )
    note = forms.CharField(
        label=_("A note to the leaders (optional)"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.communities = {str(c.public_id): c for c in communities}
        self.fields["to"].choices = [
            (ALL, _("Every active community (%(n)d)") % {"n": len(self.communities)}),
            *((key, c.name) for key, c in self.communities.items()),
        ]

    def clean_to(self):
        """The communities chosen, as a list."""
        value = self.cleaned_data["to"]
        chosen = list(self.communities.values()) if value == ALL else [self.communities[value]]
        if not chosen:
            raise forms.ValidationError(_("The cohort has no active community to suggest it to."))
        return chosen

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later date."))
        return due_on


class AnswerForm(forms.Form):
    ACCEPT, DECLINE = "accept", "decline"

    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[(ACCEPT, _("We will do it")), (DECLINE, _("Not for us"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the group will do it.")},
    )
    reason = forms.CharField(
        label=_("If not, why?"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your TTA team reads this, to suggest something that fits better."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answer") == self.DECLINE and not (cleaned.get("reason") or "").strip():
            self.add_error(
                "reason",
                _("Say in a sentence why the group will not do it; it helps your TTA team."),
            )
        return cleaned


class PlanForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Which meeting"),
        queryset=None,
        to_field_name="public_id",
        empty_label=_("Choose a meeting"),
        error_messages={
            "required": _("Choose the meeting where the group will do it."),
            "invalid_choice": _("Choose one of your community's coming meetings."),
        },
    )

    def __init__(self, *args, meetings, zone=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["meeting"]
        field.queryset = meetings

        def label(meeting):
            when = timezone.localtime(meeting.starts_at, zone)
            return f"{formats.date_format(when, 'D M j, Y, g:i a')} · {meeting.title}"

        field.label_from_instance = label


class DoneForm(forms.Form):
    what_we_did = forms.CharField(
        label=_("What the group did"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say in a few words what the group did.")},
    )
    what_we_learned = forms.CharField(
        label=_("What the group learned"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say in a few words what the group learned.")},
    )
