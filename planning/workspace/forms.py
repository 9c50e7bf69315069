"""Forms of the COP workspace. They check shape only (lengths, a file was chosen); the
services check the rest (mentions, the file's content) and name the field at fault."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_TITLE = 200
MAX_BODY = 10000
ALL = "all"


def _text(value):
    return (value or "").replace("\x00", "").strip()


def title_field(help_text=""):
    return forms.CharField(
        label=_("Title"),
        max_length=MAX_TITLE,
        help_text=help_text,
        error_messages={
            "required": _("Give it a title."),
            "max_length": _("Keep the title to %(limit_value)d characters or fewer."),
        },
    )


def body_field(label, required_message, help_text="", rows=6):
    return forms.CharField(
        label=label,
        max_length=MAX_BODY,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": required_message,
            "max_length": _("Keep it to %(limit_value)d characters or fewer."),
        },
    )


def file_field(label, help_text):
    return forms.FileField(
        label=label,
        required=False,
        help_text=help_text,
        max_length=MAX_TITLE * 2,
        error_messages={
            "empty": _("This file is empty. Choose the file again."),
            "invalid": _("This is not a file copkit can read. Choose it again."),
        },
    )


class ThreadForm(forms.Form):
    title = title_field(_("A question or headline, e.g. “How do you thank volunteers?”"))
    body = body_field(_("Message"), _("Write a message."))
    file = file_field(_("Attach a file (optional)"), "")

    def __init__(
        self, *args, mention_help="", mention_names=(), file_help="", editing=False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = mention_help
        if mention_names:
            self.fields["body"].widget.attrs["data-mention-names"] = json.dumps(list(mention_names))
        self.fields["file"].help_text = file_help
        if editing:
            del self.fields["file"]

    def clean_title(self):
        value = " ".join(_text(self.cleaned_data["title"]).split())
        if not value:
            raise forms.ValidationError(_("Give it a title."))
        return value

    def clean_body(self):
        value = _text(self.cleaned_data["body"])
        if not value:
            raise forms.ValidationError(_("Write a message."))
        return value


class ReplyForm(forms.Form):
    body = body_field(_("Your reply"), _("Write a reply."), rows=4)
    file = file_field(_("Attach a file (optional)"), "")

    def __init__(
        self, *args, mention_help="", mention_names=(), file_help="", editing=False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = mention_help
        if mention_names:
            self.fields["body"].widget.attrs["data-mention-names"] = json.dumps(list(mention_names))
        self.fields["file"].help_text = file_help
        if editing:
            del self.fields["file"]

    def clean_body(self):
        value = _text(self.cleaned_data["body"])
        if not value:
            raise forms.ValidationError(_("Write a reply."))
        return value


class UploadForm(forms.Form):
    file = file_field(_("File"), "")
    title = forms.CharField(
        label=_("Title (optional)"),
        max_length=MAX_TITLE,
        required=False,
        help_text=_("What is it? Leave empty to use the file's name."),
        error_messages={"max_length": _("Keep the title to %(limit_value)d characters or fewer.")},
    )
    to = forms.CharField(required=False, widget=forms.HiddenInput, max_length=120)

    def __init__(self, *args, file_help="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].required = True
        self.fields["file"].error_messages["required"] = _("Choose a file to upload.")
        self.fields["file"].help_text = file_help


class AnnouncementForm(forms.Form):
    title = title_field()
    body = body_field(_("Message"), _("Write the announcement."))

    def clean_body(self):
        value = _text(self.cleaned_data["body"])
        if not value:
            raise forms.ValidationError(_("Write the announcement."))
        return value


class AnnounceAllForm(AnnouncementForm):
    """Staff write to one COP of the cohort or to all of them."""

    to = forms.ChoiceField(
        label=_("Send it to"),
        error_messages={"invalid_choice": _("Choose every COP, or one of them.")},
    )
    field_order = ["to", "title", "body"]

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.communities = {str(c.public_id): c for c in communities}
        self.fields["to"].choices = [
            (ALL, _("Every member of every COP")),
            *((key, c.name) for key, c in self.communities.items()),
        ]

    def clean_to(self):
        """The community chosen, or None for all of them."""
        value = self.cleaned_data["to"]
        return None if value == ALL else self.communities[value]
