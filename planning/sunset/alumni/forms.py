"""Forms of the alumni network: opening the space, a person's directory entry, the
directory search, a conversation and its replies, and a COP's outside groups."""

from django import forms
from django.utils.translation import gettext_lazy as _

from planning.sunset.alumni.models import NetworkGroup


class OpenForm(forms.Form):
    include_earlier = forms.BooleanField(
        label=_("Also invite the members of this provider's earlier cohorts"),
        required=False,
        help_text=_(
            "They join the space, and the knowledge their COPs shared with their cohort or "
            "wider shows in it."
        ),
    )
    welcome = forms.CharField(
        label=_("Welcome message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent in the email to every member, and shown at the top of the space."),
    )


class EntryForm(forms.Form):
    listed = forms.BooleanField(
        label=_("List me in the alumni directory"),
        required=False,
        help_text=_("Untick to leave the directory: your entry disappears at once."),
    )
    name = forms.CharField(label=_("Name to show"), max_length=200, required=False)
    show_email = forms.BooleanField(label=_("Share my email address"), required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    show_phone = forms.BooleanField(label=_("Share my phone number"), required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        help_text=_("Digits, spaces, dashes and a leading +, like +1 555 010 0100."),
    )
    show_organization = forms.BooleanField(label=_("Share my organization"), required=False)
    organization = forms.CharField(label=_("Organization"), max_length=200, required=False)
    show_expertise = forms.BooleanField(label=_("Share my expertise"), required=False)
    expertise = forms.CharField(
        label=_("Expertise"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What others may ask you about, separated by commas."),
    )
    show_link = forms.BooleanField(label=_("Share a profile link"), required=False)
    link = forms.URLField(
        label=_("Profile link"),
        max_length=300,
        required=False,
        assume_scheme="https",
        help_text=_("Your LinkedIn profile or another page about your work."),
        error_messages={"invalid": _("Enter a full link, like https://www.linkedin.com/in/you.")},
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name, organization or expertise"), required=False)


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}))


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 3}))


class GroupForm(forms.Form):
    kind = forms.ChoiceField(label=_("Network"), choices=NetworkGroup.Kind.choices)
    label = forms.CharField(
        label=_("Name"),
        max_length=120,
        required=False,
        help_text=_("Needed for another network; optional for LinkedIn and Facebook."),
    )
    url = forms.CharField(label=_("Link to the group"), max_length=300)
