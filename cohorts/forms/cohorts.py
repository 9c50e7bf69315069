import zoneinfo
from functools import lru_cache

from django import forms
from django.utils.translation import gettext_lazy as _

from cohorts import geo
from cohorts.models import Cohort, CohortRole, FormatPreference, Organization, Participant, Topic
from cohorts.models.core import default_time_zone
from copkit import kinds
from copkit.concurrency import EditConflictMixin
from copkit.dates import sane_year
from copkit.models import OutboxMessage


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


@lru_cache(maxsize=1)
def time_zone_choices():
    """Every zone zoneinfo knows, by name ("America/Chicago")."""
    zones = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})
    return [(zone, zone.replace("_", " ")) for zone in zones]


class CohortForm(EditConflictMixin, forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        required=False,
        help_text=_("Deadlines, closing times and emails of this cohort are shown in it."),
    )

    class Meta:
        model = Cohort
        fields = ["name", "description", "starts_on", "ends_on", "time_zone"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "description": _("Who the program serves and what it aims for, in a few lines."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_on", "ends_on"):
            self.fields[name].validators.append(sane_year)

    def clean_time_zone(self):
        """A zone name; left out, the cohort keeps its zone (a new one gets the default)."""
        chosen = self.cleaned_data.get("time_zone")
        if chosen:
            return chosen
        return self.instance.time_zone if self.instance.pk else default_time_zone()

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The program must end on or after the day it starts."))
        return cleaned


class TeamMemberForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=CohortRole.Role.choices)

    def __init__(self, *args, cohort, **kwargs):
        self.cohort = cohort
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if self.cohort.roles.filter(user__email__iexact=email).exists():
            raise forms.ValidationError(_("This person already has a role in this cohort."))
        return email


class CoachesForm(forms.Form):
    """One choice per community: its coach among the cohort's staff, or the default (the
    first staff member). Cleans to {community: user or None}."""

    def __init__(self, *args, communities, staff, default, **kwargs):
        super().__init__(*args, **kwargs)
        self.communities = list(communities)
        self.staff = {str(user.pk): user for user in staff}
        default_label = (
            _("Default: %(name)s") % {"name": default.get_full_name()}
            if default is not None
            else _("Default: the first staff member")
        )
        choices = [("", default_label)] + [
            (pk, user.get_full_name()) for pk, user in self.staff.items()
        ]
        for community in self.communities:
            self.fields[self.field_name(community)] = forms.ChoiceField(
                label=_("Coach of %(name)s") % {"name": community.name},
                choices=choices,
                required=False,
                initial=str(community.coach_id) if community.coach_id else "",
            )

    @staticmethod
    def field_name(community):
        return f"coach-{community.slug}"

    def rows(self):
        return [(community, self[self.field_name(community)]) for community in self.communities]

    def clean(self):
        cleaned = super().clean()
        coaches = {}
        for community in self.communities:
            value = cleaned.get(self.field_name(community)) or ""
            coaches[community] = self.staff.get(value)
        cleaned["coaches"] = coaches
        return cleaned


class UniqueNameInCohortMixin:
    """A ModelForm for a row of `self.cohort` whose name is unique in the cohort, ignoring
    case and repeated spaces. Subclasses name the cohort's related set and the message."""

    cohort_related_name = ""
    name_taken_message = ""

    def __init__(self, *args, cohort, **kwargs):
        self.cohort = cohort
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        clash = getattr(self.cohort, self.cohort_related_name).filter(name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(self.name_taken_message)
        return name


class TopicForm(EditConflictMixin, UniqueNameInCohortMixin, forms.ModelForm):
    cohort_related_name = "topics"
    name_taken_message = _("This cohort already has a topic with that name.")

    class Meta:
        model = Topic
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ZipPlaceMixin:
    """A ModelForm with a `zip_code` field: a ZIP code that does not exist is refused next
    to the field. The service that saves the row keeps the place the ZIP code gives."""

    def clean_zip_code(self):
        raw = self.cleaned_data["zip_code"].strip()
        if not raw:
            return ""
        try:
            zip_code = geo.clean_zip(raw)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        if geo.lookup_zip(zip_code) is None:
            raise forms.ValidationError(_("There is no US ZIP code %(zip)s.") % {"zip": zip_code})
        return zip_code


class OrganizationForm(EditConflictMixin, ZipPlaceMixin, UniqueNameInCohortMixin, forms.ModelForm):
    cohort_related_name = "organizations"
    name_taken_message = _("This cohort already has an organization with that name.")

    class Meta:
        model = Organization
        fields = ["name", "kind", "zip_code"]
        help_texts = {"zip_code": _("A US ZIP code places the organization on the map.")}


class ProfileForm(forms.ModelForm):
    """What a participant tells the cohort about themselves."""

    format_preference = forms.ChoiceField(
        label=_("How do you prefer to meet?"),
        choices=FormatPreference.choices,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Participant
        fields = ["name", "job_title", "expertise", "format_preference"]
        widgets = {"expertise": forms.Textarea(attrs={"rows": 3})}
        labels = {
            "expertise": _("What could you help others with?"),
            "job_title": _("Your role in your organization"),
        }
        help_texts = {
            "expertise": _(
                "Skills, experience or tools others might value, separated by commas: "
                "grant writing, volunteer recruitment, board recruitment, ..."
            ),
        }

    def clean_expertise(self):
        items = [" ".join(item.split()) for item in self.cleaned_data["expertise"].split(",")]
        return ", ".join(item for item in items if item)


class ParticipantForm(EditConflictMixin, ZipPlaceMixin, forms.ModelForm):
    """Staff's edit of a participant's record."""

    class Meta:
        model = Participant
        fields = [
            "name",
            "email",
            "organization",
            "job_title",
            "zip_code",
            "expertise",
            "format_preference",
        ]
        widgets = {"expertise": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = self.instance.cohort.organizations.all()

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        clash = self.instance.cohort.participants.filter(email__iexact=email).exclude(
            pk=self.instance.pk
        )
        if clash.exists():
            raise forms.ValidationError(_("Another participant of this cohort has this email."))
        if self.instance.user_id and email != self.instance.email:
            raise forms.ValidationError(
                _("This person has joined with their email; they can change it themselves.")
            )
        return email


class EmailFilterForm(forms.Form):
    """The Emails page's filters: a state and a kind of email (both optional)."""

    state = forms.ChoiceField(label=_("State"), required=False)
    kind = forms.ChoiceField(label=_("Kind of email"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All states")), *OutboxMessage.State.choices]
        self.fields["kind"].choices = [("", _("All kinds"))] + [
            (kind.name, kind.label) for kind in kinds.registered()
        ]


class RetryEmailForm(forms.Form):
    """Which failed email to send again; empty: all of them."""

    message = forms.IntegerField(required=False, min_value=1)
