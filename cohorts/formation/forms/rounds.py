"""Forms of the formation round setup: the round itself, who takes part, topics and their
caps, and the criteria of a criteria round.

Each form's `cleaned_data` holds what the service stores: the round form the round's
fields (sizes of the other size mode cleared), the criteria form a list of criteria.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohorts.formation.attributes import ATTRIBUTES, RULE_CHOICES, WEIGHT_CHOICES
from cohorts.formation.models import ROUND_FIELDS
from cohorts.forms.invitations import PublicIdMultipleChoiceField
from cohorts.models import FormationRound, FormationTopic
from copkit.dates import sane_year

Method = FormationRound.Method
SizeMode = FormationRound.SizeMode

# One line per method, shown beside its radio button and on the list of rounds.
METHOD_HELP = {
    Method.PREASSIGN: _(
        "You place people yourself, by hand or from a spreadsheet. Good when the groups "
        "follow your program: shared homework, one region, chosen partners."
    ),
    Method.TOPIC: _(
        "You list subject areas; each person ranks the ones they want. Everyone gets one of "
        "their top choices where the room allows."
    ),
    Method.CRITERIA: _(
        "You pick what matters (expertise, region, commitment, mission, meeting format, a "
        "question of your own) and whether groups keep it similar or mix it."
    ),
    Method.MATCHING: _(
        "After short one-to-one conversations, each person marks who would be a good match. "
        "Groups keep as many of those choices together as possible."
    ),
    Method.MAP: _(
        "Organizations are grouped with their neighbours, from their ZIP codes, so members "
        "can meet in person easily."
    ),
}


def _to_minute(moment):
    return moment.replace(second=0, microsecond=0)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class RoundForm(forms.ModelForm):
    """A round's settings. `method_locked`: why the method can't change any more ("" if it
    can); the method field is then shown but not taken from the request."""

    class Meta:
        model = FormationRound
        fields = list(ROUND_FIELDS)
        widgets = {
            "method": forms.RadioSelect,
            "scope": forms.RadioSelect,
            "size_mode": forms.RadioSelect,
            "deadline": DateTimeInput(),
            "instructions": forms.Textarea(attrs={"rows": 4}),
            "size_min": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "size_max": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "group_count": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }
        labels = {
            "name": _("Name of the round"),
            "method": _("How groups are formed"),
            "deadline": _("Deadline for participants"),
        }
        help_texts = {
            "name": _("For you and your team, e.g. “Spring kickoff groups”."),
            "deadline": _(
                "Topic choice, criteria and speed matching only: after this moment people can "
                "no longer change their input. Those who have not answered get one reminder "
                "the day before. Leave empty for no deadline."
            ),
            "instructions": _("Shown above the choices on each person's page and in the email."),
        }

    def __init__(self, *args, method_locked="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = list(Method.choices)
        self.fields["scope"].choices = list(FormationRound.Scope.choices)
        self.fields["size_mode"].choices = list(SizeMode.choices)
        self.fields["scope"].initial = FormationRound.Scope.ALL
        self.fields["size_mode"].initial = SizeMode.RANGE
        for name, low in (("size_min", 2), ("size_max", 2), ("group_count", 1)):
            self.fields[name].widget.attrs["min"] = low
        self.method_locked = method_locked
        self.fields["deadline"].validators.append(sane_year)
        if method_locked:
            self.fields["method"].disabled = True
            self.fields["method"].help_text = method_locked

    def methods(self):
        """(value, label, explanation, bound radio) for the template."""
        radios = {str(radio.data["value"]): radio for radio in self["method"]}
        return [
            {"value": value, "label": label, "help": METHOD_HELP[value], "radio": radios[value]}
            for value, label in Method.choices
        ]

    def clean_deadline(self):
        deadline = self.cleaned_data.get("deadline")
        # The input holds minutes only: a deadline left as it was is not a new one.
        unchanged = (
            deadline is not None
            and self.instance.deadline is not None
            and _to_minute(deadline) == _to_minute(self.instance.deadline)
        )
        if deadline is not None and not unchanged and deadline <= timezone.now():
            raise forms.ValidationError(_("Choose a moment in the future."))
        return deadline

    def clean(self):
        cleaned = super().clean()
        mode = cleaned.get("size_mode")
        if mode == SizeMode.RANGE:
            cleaned["group_count"] = None
            low, high = cleaned.get("size_min"), cleaned.get("size_max")
            if "size_min" not in self.errors:
                if low is None:
                    self.add_error("size_min", _("Give the smallest group size."))
                elif low < 2:
                    self.add_error("size_min", _("A group needs at least 2 people."))
            if "size_max" not in self.errors:
                if high is None:
                    self.add_error("size_max", _("Give the largest group size."))
                elif low is not None and high < low:
                    self.add_error(
                        "size_max", _("The largest group can't be smaller than the smallest.")
                    )
        elif mode == SizeMode.COUNT:
            cleaned["size_min"] = cleaned["size_max"] = None
            count = cleaned.get("group_count")
            if "group_count" not in self.errors:
                if count is None:
                    self.add_error("group_count", _("Say how many groups to form."))
                elif count < 1:
                    self.add_error("group_count", _("Form at least one group."))
        method = cleaned.get("method")
        if (
            cleaned.get("deadline") is not None
            and method
            and method not in FormationRound.ASKS_PARTICIPANTS
            and "deadline" not in self.errors
        ):
            self.add_error(
                "deadline",
                _(
                    "Pre-assign and map rounds ask participants nothing, so they need no "
                    "deadline. Leave it empty."
                ),
            )
        return cleaned

    def round_data(self):
        return {name: self.cleaned_data[name] for name in ROUND_FIELDS}


class PeopleForm(forms.Form):
    """Who takes part, for the participants shown on one page: `shown` lists them all,
    `takes_part` the ticked ones. Both are participants of the round's cohort only."""

    shown = PublicIdMultipleChoiceField(
        queryset=None,
        to_field_name="public_id",
        required=False,
        error_messages={"invalid_choice": _("Some of these people are not in this cohort.")},
    )
    takes_part = PublicIdMultipleChoiceField(
        queryset=None,
        to_field_name="public_id",
        required=False,
        error_messages={"invalid_choice": _("Some of these people are not in this cohort.")},
    )

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shown"].queryset = cohort.participants.all()
        self.fields["takes_part"].queryset = cohort.participants.all()


def _cap_field(**kwargs):
    return forms.IntegerField(
        label=_("Most people"),
        required=False,
        min_value=1,
        max_value=32767,
        error_messages={"min_value": _("A cap must be at least 1 (or empty for no cap).")},
        widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
        **kwargs,
    )


class TopicForm(forms.ModelForm):
    """A new subject area of a topic-choice round."""

    class Meta:
        model = FormationTopic
        fields = ["name", "description", "cap"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="new", **kwargs)
        self.fields["cap"] = _cap_field(help_text=FormationTopic._meta.get_field("cap").help_text)


class CapsForm(forms.Form):
    """The cap of each topic of a round, one field per topic (`cap_<public id>`)."""

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.topics = list(topics)
        for topic in self.topics:
            self.fields[self.field_name(topic)] = _cap_field(initial=topic.cap)

    @staticmethod
    def field_name(topic):
        return f"cap_{topic.public_id}"

    def rows(self):
        return [(topic, self[self.field_name(topic)]) for topic in self.topics]

    def caps(self):
        return {topic: self.cleaned_data[self.field_name(topic)] for topic in self.topics}


class CriteriaForm(forms.Form):
    """Which attributes a criteria round uses, each with a rule and a weight, and the
    round's own question. `cleaned_data["criteria"]` is the list the round stores."""

    custom_question = forms.CharField(label=_("Your question"), max_length=300, required=False)
    custom_options = forms.CharField(
        label=_("Its answers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One answer per line, at least two."),
    )

    def __init__(self, *args, formation_round, **kwargs):
        current = {c["attribute"]: c for c in formation_round.criteria}
        kwargs.setdefault(
            "initial",
            {
                "custom_question": formation_round.custom_question,
                "custom_options": formation_round.custom_options,
            },
        )
        super().__init__(*args, **kwargs)
        for key, attribute in ATTRIBUTES.items():
            chosen = current.get(key)
            self.fields[f"use_{key}"] = forms.BooleanField(
                label=attribute.label,
                required=False,
                initial=chosen is not None,
                help_text=attribute.help,
            )
            self.fields[f"rule_{key}"] = forms.ChoiceField(
                label=_("Rule"),
                choices=RULE_CHOICES,
                initial=chosen["rule"] if chosen else "similar",
            )
            self.fields[f"weight_{key}"] = forms.TypedChoiceField(
                label=_("Weight"),
                choices=WEIGHT_CHOICES,
                coerce=int,
                initial=chosen["weight"] if chosen else 3,
            )

    def rows(self):
        return [
            {
                "key": key,
                "attribute": attribute,
                "use": self[f"use_{key}"],
                "rule": self[f"rule_{key}"],
                "weight": self[f"weight_{key}"],
            }
            for key, attribute in ATTRIBUTES.items()
        ]

    def clean(self):
        cleaned = super().clean()
        criteria = []
        for key in ATTRIBUTES:
            if not cleaned.get(f"use_{key}"):
                continue
            if f"rule_{key}" in self.errors or f"weight_{key}" in self.errors:
                continue
            criteria.append(
                {
                    "attribute": key,
                    "rule": cleaned[f"rule_{key}"],
                    "weight": cleaned[f"weight_{key}"],
                }
            )
        if not criteria and not self.errors:
            raise forms.ValidationError(_("Choose at least one criterion to form groups by."))
        if cleaned.get("use_custom"):
            question = (cleaned.get("custom_question") or "").strip()
            options = [
                line.strip()
                for line in (cleaned.get("custom_options") or "").splitlines()
                if line.strip()
            ]
            if not question:
                self.add_error("custom_question", _("Write the question people will answer."))
            if len(options) < 2:
                self.add_error("custom_options", _("Give at least two answers, one per line."))
            elif len(set(options)) < len(options):
                self.add_error("custom_options", _("Each answer may appear only once."))
            cleaned["custom_question"] = question
            cleaned["custom_options"] = "\n".join(options)
        cleaned["criteria"] = criteria
        return cleaned
