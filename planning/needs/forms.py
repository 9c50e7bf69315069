"""Forms of the needs-and-expertise inventory."""

from django import forms
from django.utils.translation import gettext_lazy as _

from planning.models import InventoryEntry
from planning.services.inventory import duplicate_message


class EntryForm(forms.Form):
    """A need or an area of expertise: a practice area, a sentence, or both.

    Staff and leaders pass `members` (the community's participants) to pick whose entry it
    is; a member adds their own (`owner`)."""

    participant = forms.ModelChoiceField(label=_("Member"), queryset=None, required=True)
    kind = forms.ChoiceField(
        label=_("This is"),
        choices=[
            (InventoryEntry.Kind.NEED, _("A need of my organization")),
            (InventoryEntry.Kind.EXPERTISE, _("Expertise I can offer")),
        ],
        widget=forms.RadioSelect,
        initial=InventoryEntry.Kind.NEED,
    )
    topic = forms.ModelChoiceField(
        label=_("Practice area"),
        queryset=None,
        required=False,
        empty_label=_("No practice area"),
    )
    description = forms.CharField(
        label=_("In one sentence"),
        max_length=300,
        required=False,
        help_text=_(
            "For a need: what your organization is wrestling with. For expertise: what you "
            "have done that others could learn from."
        ),
    )

    def __init__(self, *args, cohort, owner=None, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.fields["topic"].queryset = cohort.topics.order_by("name")
        self.fields["topic"].to_field_name = "slug"
        if members is None:
            del self.fields["participant"]
        else:
            field = self.fields["participant"]
            field.queryset = members
            field.to_field_name = "public_id"
            field.empty_label = _("Choose a member")
            if owner is not None:
                field.initial = owner.public_id
            self.fields["kind"].choices = [
                (InventoryEntry.Kind.NEED, _("A need of their organization")),
                (InventoryEntry.Kind.EXPERTISE, _("Expertise they can offer")),
            ]

    @property
    def for_someone(self):
        return "participant" in self.fields

    def clean(self):
        data = super().clean()
        participant = data.get("participant", self.owner) if self.for_someone else self.owner
        topic, description = data.get("topic"), (data.get("description") or "").strip()
        if not topic and not description and "topic" not in self.errors:
            self.add_error("description", _("Choose a practice area or describe it in a sentence."))
        kind = data.get("kind")
        if participant is not None and topic and kind:
            taken = participant.inventory.filter(kind=kind, topic=topic).exists()
            if taken:
                self.add_error("topic", duplicate_message(kind, topic))
        data["description"] = description
        data["participant"] = participant
        return data
