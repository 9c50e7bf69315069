import uuid

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

ALL_UNINVITED = "all_uninvited"
SELECTED = "selected"


class PublicIdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Choices by public UUID; a value that is not a UUID is just another unknown choice."""

    def _check_values(self, value):
        for public_id in value:
            try:
                uuid.UUID(str(public_id))
            except ValueError:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": public_id},
                ) from None
        return super()._check_values(value)


class InviteForm(forms.Form):
    """Whom to invite: participants picked on the list, and/or everyone not yet invited.
    `clean()` returns the participants (of this cohort only) in `cleaned_data["to_invite"]`."""

    participants = PublicIdMultipleChoiceField(
        label=_("Participants"),
        queryset=None,
        to_field_name="public_id",
        required=False,
        error_messages={
            "invalid_choice": _("Some of the chosen participants are not in this cohort."),
        },
    )
    scope = forms.ChoiceField(
        label=_("Everyone"),
        choices=[
            ("", "---"),
            (SELECTED, _("The participants ticked on the list")),
            (ALL_UNINVITED, _("Everyone not invited yet")),
        ],
        required=False,
    )

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.fields["participants"].queryset = cohort.participants.all()

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        chosen = list(cleaned.get("participants") or [])
        if cleaned.get("scope") == ALL_UNINVITED:
            chosen_ids = {participant.pk for participant in chosen}
            chosen += [
                participant
                for participant in self.cohort.participants.filter(
                    user__isnull=True, invitation__isnull=True
                )
                if participant.pk not in chosen_ids
            ]
        elif not chosen:
            raise forms.ValidationError(
                _("Choose the participants to invite, or invite everyone not invited yet."),
                code="nothing_chosen",
            )
        cleaned["to_invite"] = chosen
        return cleaned


class AcceptInvitationForm(forms.Form):
    """Name and a new password, checked by the site's password validators."""

    # Shown (read-only) so that password managers save the right login; never taken from
    # the request: the address is the invitation's.
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "readonly": True}),
        help_text=_("You will log in with this address."),
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs):
        self.invitation = invitation
        participant = invitation.participant
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("name", participant.name)
        kwargs["initial"]["email"] = participant.email
        super().__init__(*args, **kwargs)

    def clean_email(self):
        return self.invitation.participant.email

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Enter your name."))
        return name

    def clean_password2(self):
        password1 = self.cleaned_data.get("password1")
        password2 = self.cleaned_data.get("password2")
        if password1 and password2 and password1 != password2:
            raise forms.ValidationError(_("The two passwords differ."), code="password_mismatch")
        if password2:
            # A user not saved, for the similarity check against the email and name.
            user = get_user_model()(
                email=self.invitation.participant.email,
                name=self.cleaned_data.get("name", ""),
            )
            password_validation.validate_password(password2, user)
        return password2
