"""Forms of the needs stage: an inventory entry, the top-three-needs page (a new candidate,
the three chosen needs), and the appreciative interviews (the setup, a pair's notes)."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from copkit.concurrency import EditConflictMixin
from planning.models import CommonNeed, InterviewRotation, InventoryEntry
from planning.needs.checks import duplicate_message, same_title


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


class CommonNeedForm(forms.ModelForm):
    class Meta:
        model = CommonNeed
        fields = ["title", "topic", "description"]
        labels = {"title": _("Need"), "description": _("In one sentence")}
        help_texts = {
            "title": _("A short name the group will recognise, e.g. “Recruiting board members”."),
            "description": _("Optional: what the need looks like across your organizations."),
        }

    def __init__(self, *args, community, **kwargs):
        self.community = community
        super().__init__(*args, prefix="add", **kwargs)
        self.fields["topic"].queryset = community.cohort.topics.all()
        self.fields["topic"].empty_label = _("No practice area")
        self.fields["topic"].required = False

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError(_("Name the need."))
        titles = self.community.common_needs.values_list("title", flat=True)
        if any(same_title(title, other) for other in titles):
            raise forms.ValidationError(_("This need is already on the list."))
        return title


class ChooseTopForm(forms.Form):
    """Three selects, one per place. As many places are required as there are candidates
    (up to three); each need may take one place only."""

    def __init__(self, *args, needs, **kwargs):
        super().__init__(*args, prefix="top", **kwargs)
        self.needs = list(needs)
        by_id = {str(need.public_id): need for need in self.needs}
        self.by_id = by_id
        choices = [("", _("Choose a need"))] + [
            (str(need.public_id), need.title) for need in self.needs
        ]
        self.places = min(CommonNeed.TOP, len(self.needs))
        for rank in range(1, CommonNeed.TOP + 1):
            self.fields[f"rank_{rank}"] = forms.ChoiceField(
                label=_("Need number %(rank)d") % {"rank": rank},
                choices=choices,
                required=rank <= self.places,
                error_messages={"required": _("Choose the need for this place.")},
            )

    def clean(self):
        cleaned = super().clean()
        seen = set()
        for rank in range(1, CommonNeed.TOP + 1):
            key = f"rank_{rank}"
            value = cleaned.get(key)
            if not value:
                continue
            if value in seen:
                self.add_error(key, _("This need already has a place above. Choose another."))
            seen.add(value)
        return cleaned

    def chosen(self):
        """The chosen needs in rank order (after is_valid)."""
        values = [self.cleaned_data.get(f"rank_{rank}") for rank in range(1, CommonNeed.TOP + 1)]
        return [self.by_id[value] for value in values if value]


MAX_QUESTIONS = 12
MIN_MINUTES, MAX_MINUTES = 4, 120


class InterviewSetupForm(EditConflictMixin, forms.ModelForm):
    rebuild = forms.BooleanField(
        label=_("Yes, make the rounds again from the community's current members"),
        required=False,
        help_text=_(
            "Everyone is paired with everyone once more. Notes already written stay with "
            "any two members who still meet."
        ),
    )

    class Meta:
        model = InterviewRotation
        fields = ["questions", "minutes_per_round"]
        widgets = {"questions": forms.Textarea(attrs={"rows": 7})}
        labels = {"questions": _("Questions for each interview")}
        help_texts = {
            "questions": _(
                "One question per line. Ask about strengths and good moments: what people "
                "bring, not what they lack."
            ),
            "minutes_per_round": _(
                "Time for both halves of a round: one interviews the other, then you swap."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions"].error_messages["required"] = _("Write at least one question.")
        minutes = self.fields["minutes_per_round"]
        minutes.validators += [MinValueValidator(MIN_MINUTES), MaxValueValidator(MAX_MINUTES)]
        minutes.widget.attrs.update(min=MIN_MINUTES, max=MAX_MINUTES)
        if self.instance.pk is None:
            del self.fields["rebuild"]

    def clean_questions(self):
        lines = [line.strip() for line in self.cleaned_data["questions"].splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            raise forms.ValidationError(_("Write at least one question."))
        if len(lines) > MAX_QUESTIONS:
            raise forms.ValidationError(
                _("Keep it to %(n)d questions at most: a round is short.") % {"n": MAX_QUESTIONS}
            )
        if any(len(line) > 300 for line in lines):
            raise forms.ValidationError(_("Keep each question under 300 characters."))
        return "\n".join(lines)


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Your notes"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
