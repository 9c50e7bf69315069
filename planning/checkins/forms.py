"""Forms of the check-in pages: the cadence, the answer, a call staff logged, and the
coach's follow-up."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from copkit.concurrency import EditConflictMixin
from copkit.dates import sane_year
from planning.evaluations.goal_forms import GoalCheckinFields
from planning.models import Cadence, CheckIn, FollowUp

MAX_TEXT = 4000
MAX_WEEKS = 12
MAX_DAYS = 60

SCALE_HELP = _(
    "Think of the last few weeks: are members coming, taking part, and moving the plan on?"
)


class CadenceForm(EditConflictMixin, forms.ModelForm):
    class Meta:
        model = Cadence
        fields = ["every_weeks", "starts_on", "remind_after_days", "escalate_after_days", "paused"]
        labels = {
            "every_weeks": _("Check in every … weeks"),
            "starts_on": _("First check-in on"),
            "remind_after_days": _("Remind the leader after … days without an answer"),
            "escalate_after_days": _("Tell the coach after … days without an answer"),
            "paused": _("Paused: send no check-ins for now"),
        }
        help_texts = {
            "every_weeks": _("From 1 to 12. Every two weeks suits most COPs."),
            "starts_on": _(
                "Leaders are asked at 9 a.m. (the cohort's time) on this day and every "
                "period after it."
            ),
            "remind_after_days": _("From 0 to 60 days after they were asked."),
            "escalate_after_days": _("No sooner than the reminder; up to 60 days."),
        }
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].validators.append(sane_year)
        limits = {
            "every_weeks": (1, MAX_WEEKS),
            "remind_after_days": (0, MAX_DAYS),
            "escalate_after_days": (0, MAX_DAYS),
        }
        for name, (low, high) in limits.items():
            field = self.fields[name]
            field.widget.attrs.update(min=low, max=high)
            message = _("Choose a number from %(low)d to %(high)d.") % {"low": low, "high": high}
            field.validators += [
                MinValueValidator(low, message=message),
                MaxValueValidator(high, message=message),
            ]
            field.error_messages["invalid"] = message
            field.error_messages["required"] = message

    def clean(self):
        cleaned = super().clean()
        remind = cleaned.get("remind_after_days")
        escalate = cleaned.get("escalate_after_days")
        if remind is not None and escalate is not None and escalate < remind:
            self.add_error(
                "escalate_after_days",
                _("Tell the coach no sooner than the leader is reminded."),
            )
        return cleaned


class AnswerFields(GoalCheckinFields, forms.Form):
    """The check-in's questions; with `goals`, a status and a note for each live goal."""

    def __init__(self, *args, goals=(), chosen=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_goal_fields(goals, chosen)

    def clean(self):
        cleaned = super().clean()
        self.clean_goals(cleaned)
        return cleaned

    scale = forms.TypedChoiceField(
        label=_("How is your COP doing?"),
        choices=CheckIn.Scale.choices,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=SCALE_HELP,
        error_messages={"required": _("Choose how the COP is doing, from 1 to 5.")},
    )
    successes = forms.CharField(
        label=_("Successes"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What went well since the last check-in: a good meeting, a step of the plan."),
    )
    challenges = forms.CharField(
        label=_("Challenges"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What got in the way: attendance, time, a part of the plan that stalled."),
    )
    support_wanted = forms.CharField(
        label=_("Support you would like from your TTA provider"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "A training, a resource, help with a meeting or a member. Your coach follows up "
            "and answers here."
        ),
    )
    anything_else = forms.CharField(
        label=_("Anything else (optional)"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AnswerForm(AnswerFields):
    """A leader's check-in."""


class LogCallForm(AnswerFields):
    """A check-in staff held by phone, in a call or in person."""

    how = forms.ChoiceField(
        label=_("How it happened"),
        choices=[c for c in CheckIn.How.choices if c[0] != CheckIn.How.WEB],
    )
    held_on = forms.DateField(
        label=_("Held on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[sane_year],
    )
    participant = forms.ChoiceField(label=_("With"), required=False)

    field_order = ["how", "held_on", "participant", "scale"]

    def __init__(self, *args, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.leaders = {str(person.public_id): person for person in leaders}
        self.fields["participant"].choices = [("", _("No leader in particular"))] + [
            (key, person.name) for key, person in self.leaders.items()
        ]
        if len(self.leaders) == 1 and not self.is_bound:
            self.initial.setdefault("participant", next(iter(self.leaders)))
        # Staff ask the leader the same questions, in the third person.
        self.fields["scale"].label = _("How is the COP doing?")
        self.fields["support_wanted"].label = _("Support the leaders would like")
        self.fields["support_wanted"].help_text = _(
            "It becomes a follow-up for the community's coach."
        )

    def clean_participant(self):
        return self.leaders.get(self.cleaned_data.get("participant") or "")


class FollowUpForm(EditConflictMixin, forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["state", "reply"]
        labels = {"reply": _("Short reply to the leader")}
        help_texts = {
            "reply": _("The leader reads it on their check-ins page and gets it by email.")
        }
        widgets = {"reply": forms.Textarea(attrs={"rows": 3, "maxlength": MAX_TEXT})}

    def clean_reply(self):
        reply = self.cleaned_data["reply"].strip()
        if len(reply) > MAX_TEXT:
            raise forms.ValidationError(
                _("Keep the reply under %(n)d characters.") % {"n": MAX_TEXT}
            )
        return reply
