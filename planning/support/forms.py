"""Forms of the leaders' circle: the convenings' schedule (the community meetings' schedule
form), one convening, its agenda and notes, attendance, posts and replies."""

from django import forms
from django.utils.translation import gettext_lazy as _

from copkit.concurrency import EditConflictMixin
from planning.meetings.forms import AttendanceForm, MeetingForm, ScheduleForm
from planning.models import CirclePost, Convening

MAX_AGENDA = 20000
MAX_NOTES = 20000
MAX_TITLE = 200
MAX_BODY = 10000


class CircleScheduleForm(ScheduleForm):
    """The rule of the regular convenings, read as the meetings' schedule form reads it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_date"].label = _("First convening on or after")
        self.fields["until"].help_text = _("No convenings after this day.")
        self.fields["location"].help_text = _("Goes on every convening: a room or the call link.")
        self.fields["week_of_month"].help_text = _("For monthly and three-monthly convenings.")


class ConveningForm(MeetingForm):
    """One convening, as one meeting is entered (date and local start time in the cohort's
    zone). Editing, it also cancels or restores, and notices a change saved meanwhile."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = _("Give the convening a title.")
        self.fields["date"].error_messages["required"] = _("Give the date of the convening.")
        if "cancelled" in self.fields:
            self.fields["cancelled"].label = _("This convening is cancelled")
            self.fields["cancelled"].help_text = _(
                "Leaders' calendars show it as cancelled. Untick to restore it."
            )
        if "notes" in self.fields:
            del self.fields["notes"]  # the notes page keeps them
        self.fields["agenda"].help_text = _(
            "One item per line. Leave it empty to draft it from the check-ins later."
        )

    def changes(self):
        names = ["title", "starts_at", "duration_minutes", "mode", "location", "agenda"]
        return {name: self.cleaned_data[name] for name in names}


class ConveningEditForm(ConveningForm):
    conflict_fields = (
        "title",
        "starts_at",
        "duration_minutes",
        "mode",
        "location",
        "agenda",
        "cancelled_at",
    )


class AgendaForm(EditConflictMixin, forms.ModelForm):
    class Meta:
        model = Convening
        fields = ["agenda"]
        widgets = {"agenda": forms.Textarea(attrs={"rows": 18})}
        labels = {"agenda": _("Agenda")}
        help_texts = {
            "agenda": _(
                "One item per line; a community's points indented under it. Change anything: "
                "leaders see the agenda as you save it."
            )
        }

    def clean_agenda(self):
        text = self.cleaned_data["agenda"].replace("\x00", "")
        if len(text) > MAX_AGENDA:
            raise forms.ValidationError(
                _("Keep the agenda to %(n)d characters or fewer.") % {"n": MAX_AGENDA}
            )
        lines = [line.rstrip() for line in text.splitlines()]
        return "\n".join(line for line in lines if line.strip())


class NotesForm(EditConflictMixin, forms.ModelForm):
    class Meta:
        model = Convening
        fields = ["notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 14})}
        labels = {"notes": _("Notes")}
        help_texts = {"notes": _("What was shared and decided, for leaders who could not come.")}

    def clean_notes(self):
        text = self.cleaned_data["notes"].replace("\x00", "").strip()
        if len(text) > MAX_NOTES:
            raise forms.ValidationError(
                _("Keep the notes to %(n)d characters or fewer.") % {"n": MAX_NOTES}
            )
        return text


class LeadersAttendanceForm(AttendanceForm):
    """Present, absent or excused for each leader of the cohort."""

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            raise forms.ValidationError(
                _("Attendance can only be recorded for the cohort's leaders."), code="unknown"
            ) from None


def _text(value):
    return (value or "").replace("\x00", "").strip()


class PostForm(EditConflictMixin, forms.Form):
    """A post; editing, it gets the post as `record` and notices a change saved meanwhile."""

    conflict_fields = ("title", "body")

    title = forms.CharField(
        label=_("Title"),
        max_length=MAX_TITLE,
        error_messages={
            "required": _("Give the post a title."),
            "max_length": _("Keep the title to %(limit_value)d characters or fewer."),
        },
        help_text=_("A short question or headline: “Who has tried a board retreat?”"),
    )
    body = forms.CharField(
        label=_("Message"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": _("Write a message."),
            "max_length": _("Keep the message to %(limit_value)d characters or fewer."),
        },
        help_text=_("Only the cohort's COP leaders and the TTA staff can read it."),
    )

    def clean_title(self):
        value = _text(self.cleaned_data["title"])
        if not value:
            raise forms.ValidationError(_("Give the post a title."))
        return value

    def clean_body(self):
        value = _text(self.cleaned_data["body"])
        if not value:
            raise forms.ValidationError(_("Write a message."))
        return value


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Write a reply."),
            "max_length": _("Keep the reply to %(limit_value)d characters or fewer."),
        },
    )

    def clean_body(self):
        value = _text(self.cleaned_data["body"])
        if not value:
            raise forms.ValidationError(_("Write a reply."))
        return value


__all__ = [
    "AgendaForm",
    "CirclePost",
    "CircleScheduleForm",
    "ConveningEditForm",
    "ConveningForm",
    "LeadersAttendanceForm",
    "NotesForm",
    "PostForm",
    "ReplyForm",
]
