"""Forms of the evaluation pages: scheduling a round (and changing it before it opens), the
date of a recorded discussion, and a structure decision. The discussion's answers are read
like a survey's (planning.surveys), not by a form here."""

from django import forms
from django.utils.translation import gettext_lazy as _

from copkit.dates import sane_year
from planning.evaluations import bank
from planning.models import EvaluationRound, StructureDecision

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ALL = "all"
MAX_TEXT = 4000
DATE_ERRORS = {"invalid": _("Enter a date, like 2027-03-31.")}


def _date(label, required_message, help_text="", required=True):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DATE_WIDGET,
        validators=[sane_year],
        error_messages={**DATE_ERRORS, "required": required_message},
    )


class RoundForm(forms.Form):
    """A round's title and dates; on scheduling, also its form and its communities."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For example “%(mid)s” or “%(end)s”.")
        % {"mid": bank.SUGGESTED_TITLES[0], "end": bank.SUGGESTED_TITLES[1]},
        error_messages={"required": _("Give the evaluation a title.")},
    )
    form = forms.ChoiceField(
        label=_("How the group is asked"),
        choices=EvaluationRound.Form.choices,
        widget=forms.RadioSelect,
        initial=EvaluationRound.Form.SURVEY,
        error_messages={"required": _("Choose how the group will be asked.")},
    )
    opens_on = _date(
        _("Date"),
        _("Choose the date of the evaluation."),
        _("The survey goes to the members that day, or the discussion is due."),
    )
    closes_on = _date(
        _("Last day to answer (online survey)"),
        _("Choose the last day members can answer."),
        _("Members can answer until the end of this day. Not needed for a discussion."),
        required=False,
    )
    to = forms.ChoiceField(
        label=_("For"),
        error_messages={"invalid_choice": _("Choose every community, or one of them.")},
    )

    def __init__(self, *args, communities=None, changing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.communities = {str(c.public_id): c for c in communities or []}
        if changing:
            del self.fields["form"], self.fields["to"]
            return
        self.fields["title"].widget.attrs["list"] = "evaluation-titles"
        self.fields["to"].choices = [
            (ALL, _("Every active community (%(n)d)") % {"n": len(self.communities)}),
            *((key, c.name) for key, c in self.communities.items()),
        ]

    def clean_to(self):
        """The communities chosen, as a list."""
        value = self.cleaned_data["to"]
        return list(self.communities.values()) if value == ALL else [self.communities[value]]


class DiscussionForm(forms.Form):
    held_on = _date(_("Held on"), _("Enter the day the discussion took place."))


class DecisionForm(forms.Form):
    area = forms.ChoiceField(
        label=_("What changes"),
        choices=StructureDecision.Area.choices,
        error_messages={"required": _("Choose what the change is about.")},
    )
    decision = forms.CharField(
        label=_("What you agreed"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example “We meet every two weeks instead of monthly, online.”"),
        error_messages={"required": _("Say in a sentence or two what you agreed.")},
    )
    decided_on = _date(_("Agreed on"), _("Enter the day you agreed it."))
    evaluation = forms.ChoiceField(label=_("After which evaluation"), required=False)
    reopen_plan = forms.BooleanField(
        label=_("Open the action plan for a revision"),
        required=False,
        help_text=_("The leaders can then change the plan to match, and send it for review."),
    )

    def __init__(self, *args, evaluations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.evaluations = {str(e.public_id): e for e in evaluations}
        self.fields["evaluation"].choices = [
            ("", _("None in particular")),
            *((key, e.round.title) for key, e in self.evaluations.items()),
        ]
        if not self.is_bound:  # the latest evaluation that has taken place
            held = (key for key, e in self.evaluations.items() if e.opened_at is not None)
            self.initial.setdefault("evaluation", next(held, ""))

    def clean_evaluation(self):
        return self.evaluations.get(self.cleaned_data["evaluation"])
