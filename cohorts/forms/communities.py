from django import forms
from django.utils.translation import gettext_lazy as _

from cohorts.models import Community, Membership
from copkit.concurrency import EditConflictMixin

from .cohorts import UniqueNameInCohortMixin


class CommunityForm(EditConflictMixin, UniqueNameInCohortMixin, forms.ModelForm):
    cohort_related_name = "communities"
    name_taken_message = _("This cohort already has a community with that name.")

    class Meta:
        model = Community
        fields = ["name", "topic", "description", "work_type", "meeting_format"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "work_type": forms.RadioSelect,
        }
        labels = {"work_type": _("What type of work is most useful to this COP?")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = self.cohort.topics.all()
        self.fields["topic"].empty_label = _("No topic")


class AddMemberForm(forms.Form):
    participant = forms.ModelChoiceField(label=_("Participant"), queryset=None)
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = (
            community.cohort.participants.exclude(memberships__community=community)
            .select_related("organization")
            .order_by("name")
        )
        self.fields["participant"].to_field_name = "public_id"
        self.fields["participant"].empty_label = _("Choose a participant")
        self.fields["participant"].label_from_instance = lambda p: (
            f"{p.name} ({p.organization.name})" if p.organization else p.name
        )


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role", "title"]
