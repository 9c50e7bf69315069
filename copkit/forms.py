import zoneinfo

from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from copkit.models import Delivery


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "remember" in self.fields:
            self.fields["remember"].label = _("Keep me logged in on this device")


class EmailSettingsForm(forms.Form):
    """One person's email choices: how each optional kind comes, their language and their
    time zone. `kinds` is [(Kind, current delivery)] (copkit.preferences.choices_of)."""

    language = forms.ChoiceField(
        label=_("Language of your emails"),
        required=False,
        help_text=_("Unless you choose one, your emails are in the site's language."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone of the dates in your emails"),
        required=False,
        help_text=_("Unless you choose one, dates read in your cohort's time zone."),
    )

    def __init__(self, *args, kinds, initial_settings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind_fields = []
        for kind, delivery in kinds:
            name = f"kind_{kind.name}"
            self.fields[name] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                initial=delivery,
                required=False,  # a kind left out keeps its choice
                help_text=kind.description,
            )
            self.kind_fields.append((name, kind.name))
        self.fields["language"].choices = [("", _("The site's language"))] + [
            (code, name) for code, name in settings.LANGUAGES
        ]
        self.fields["time_zone"].choices = [("", _("My cohort's time zone"))] + [
            (name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())
        ]
        if initial_settings is not None:
            self.fields["language"].initial = initial_settings.language
            self.fields["time_zone"].initial = initial_settings.time_zone

    def deliveries(self):
        """{kind name: Delivery} from the cleaned data."""
        return {
            kind: self.cleaned_data[name]
            for name, kind in self.kind_fields
            if self.cleaned_data.get(name)
        }
