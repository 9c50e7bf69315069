"""Forms of TTA requests: a community's request, and staff's triage of one."""

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from copkit.concurrency import EditConflictMixin
from copkit.dates import sane_year
from planning.models import TTARequest

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EVERYONE, SOME = "everyone", "some"
MAX_TEXT = 4000
State = TTARequest.State


class RequestForm(forms.Form):
    what = forms.CharField(
        label=_("What help does the group want?"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Ask for what would help the whole group, not one person: a training, someone "
            "to help you through a task, a tool or a guide. Your TTA team is there to bring "
            "the help your group finds important."
        ),
        error_messages={"required": _("Say what help the group wants.")},
    )
    why_now = forms.CharField(
        label=_("Why now?"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What the group is working on, or what came up, that makes this the right time."
        ),
        error_messages={"required": _("Say why the group needs it now.")},
    )
    who = forms.ChoiceField(
        label=_("Who is it for?"),
        choices=[(EVERYONE, _("Everyone in the group")), (SOME, _("Some members"))],
        initial=EVERYONE,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say who it is for.")},
    )
    serves = forms.MultipleChoiceField(
        label=_("The members it is for"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only when it is not for everyone."),
        error_messages={"invalid_choice": _("Choose members of your group.")},
    )
    format = forms.ChoiceField(
        label=_("What form should the help take?"),
        choices=TTARequest.Format.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the form the help should take.")},
    )
    format_other = forms.CharField(
        label=_("If something else, what?"), required=False, max_length=200
    )
    wanted_by = forms.DateField(
        label=_("Needed by (optional)"),
        required=False,
        widget=DATE_WIDGET,
        validators=[sane_year],
        error_messages={"invalid": _("Enter a date, like 2027-03-31.")},
    )
    timing = forms.CharField(
        label=_("Good times for the group (optional)"),
        required=False,
        max_length=300,
        help_text=_("For example: “a Tuesday afternoon in March” or “before our May meeting”."),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(p.public_id): p for p in members}
        self.fields["serves"].choices = [(key, p.name) for key, p in self.members.items()]

    def clean_serves(self):
        return [self.members[key] for key in self.cleaned_data["serves"]]

    def clean_wanted_by(self):
        wanted_by = self.cleaned_data["wanted_by"]
        if wanted_by is not None and wanted_by < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later date."))
        return wanted_by

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("who") == SOME and not cleaned.get("serves") and "serves" not in self.errors:
            self.add_error("serves", _("Choose the members it is for, or say it is for everyone."))
        if cleaned.get("format") == TTARequest.Format.OTHER and not cleaned.get("format_other"):
            self.add_error("format_other", _("Say what form the help should take."))
        return cleaned

    def values(self):
        """The service's arguments."""
        data = self.cleaned_data
        everyone = data["who"] == EVERYONE
        return {
            "what": data["what"],
            "why_now": data["why_now"],
            "for_everyone": everyone,
            "serves": [] if everyone else data["serves"],
            "format": data["format"],
            "format_other": data["format_other"],
            "wanted_by": data["wanted_by"],
            "timing": data["timing"],
        }


def _when(row):
    return formats.date_format(timezone.localtime(row.starts_at), "D M j, Y")


class TriageForm(EditConflictMixin, forms.Form):
    """Staff's changes to one request. The choices come as lists already read (the triage
    page shows one form per request and reads each list once)."""

    conflict_fields = (
        "state",
        "decline_reason",
        "assignee",
        "due_on",
        "meeting",
        "convening",
        "training",
        "reply",
    )

    state = forms.ChoiceField(
        label=_("State"),
        choices=State.choices,
        error_messages={"required": _("Choose one of the states.")},
    )
    decline_reason = forms.CharField(
        label=_("Why not (when declined)"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The community reads it: say why, and where else it could find help."),
    )
    assignee = forms.TypedChoiceField(label=_("Assigned to"), required=False, coerce=int)
    due_on = forms.DateField(
        label=_("Due"),
        required=False,
        widget=DATE_WIDGET,
        validators=[sane_year],
        error_messages={"invalid": _("Enter a date, like 2027-03-31.")},
    )
    meeting = forms.TypedChoiceField(
        label=_("At one of the community's meetings"), required=False, coerce=int
    )
    convening = forms.TypedChoiceField(
        label=_("Or at a leaders' circle convening"), required=False, coerce=int
    )
    training = forms.CharField(
        label=_("Or a training (name and date)"), required=False, max_length=200
    )
    reply = forms.CharField(
        label=_("Your reply to the community"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Every member of the community reads it on the request's page."),
    )

    def __init__(self, *args, staff, meetings, convenings, **kwargs):
        self.staff = {user.pk: user for user in staff}
        self.meetings = {meeting.pk: meeting for meeting in meetings}
        self.convenings = {convening.pk: convening for convening in convenings}
        super().__init__(*args, **kwargs)
        none = [("", _("Nobody yet"))]
        self.fields["assignee"].choices = none + [
            (pk, user.get_full_name() or user.email) for pk, user in self.staff.items()
        ]
        self.fields["meeting"].choices = [("", _("None"))] + [
            (pk, f"{m.title} · {_when(m)}") for pk, m in self.meetings.items()
        ]
        self.fields["convening"].choices = [("", _("None"))] + [
            (pk, f"{c.title} · {_when(c)}") for pk, c in self.convenings.items()
        ]

    def clean_assignee(self):
        return self.staff.get(self.cleaned_data["assignee"])

    def clean_meeting(self):
        return self.meetings.get(self.cleaned_data["meeting"])

    def clean_convening(self):
        return self.convenings.get(self.cleaned_data["convening"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("state") == State.DECLINED and not cleaned.get("decline_reason"):
            self.add_error(
                "decline_reason", _("Say why the request is declined; the community reads it.")
            )
        return cleaned


def triage_initial(request):
    return {
        "state": request.state,
        "decline_reason": request.decline_reason,
        "assignee": request.assignee_id,
        "due_on": request.due_on,
        "meeting": request.meeting_id,
        "convening": request.convening_id,
        "training": request.training,
        "reply": request.reply,
    }


SELECT = forms.Select(attrs={"class": "form-select"})


class FilterForm(forms.Form):
    OPEN = "open"
    state = forms.ChoiceField(label=_("State"), required=False, widget=SELECT)
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False, widget=SELECT)
    community = forms.ChoiceField(label=_("Community"), required=False, widget=SELECT)

    def __init__(self, *args, staff, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [
            ("", _("All")),
            (self.OPEN, _("Open (new, accepted, scheduled)")),
            *State.choices,
        ]
        self.fields["assignee"].choices = [
            ("", _("Anyone")),
            ("none", _("Nobody yet")),
            *((str(u.pk), u.get_full_name() or u.email) for u in staff),
        ]
        self.fields["community"].choices = [
            ("", _("All communities")),
            *((c.slug, c.name) for c in communities),
        ]
