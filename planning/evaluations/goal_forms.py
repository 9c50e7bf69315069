"""Forms of a goal's progress: one update from the goal's page, and the "How are your goals
going?" block a check-in adds for each live goal."""

from django import forms
from django.utils.translation import gettext_lazy as _

from copkit.dates import sane_year
from planning.models import GoalStatus

MAX_NOTE = 2000
MAX_CHECKIN_NOTE = 500
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GoalUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Where does this goal stand?"),
        choices=GoalStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose where the goal stands.")},
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What moved it on or held it back, in a sentence or two."),
    )
    recorded_on = forms.DateField(
        label=_("As of"),
        widget=DATE_WIDGET,
        validators=[sane_year],
        error_messages={
            "required": _("Give the date this is true on."),
            "invalid": _("Enter a date, such as 2026-05-01."),
        },
    )
    value = forms.CharField(
        label=_("Measured value (optional)"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )

    def __init__(self, *args, goal, counts, **kwargs):
        super().__init__(*args, **kwargs)
        if not counts:  # the indicator names no number: nothing to measure
            del self.fields["value"]
        elif goal.indicator:
            self.fields["value"].help_text = _("How you will know: %(indicator)s") % {
                "indicator": goal.indicator
            }


class GoalCheckinFields:
    """Adds to a check-in form, for each live goal, a status (blank: no change) and a short
    note. `goal_rows` gives the template (goal, status field, note field) in order;
    `goal_updates()` the (goal, status, note) of the goals whose status was chosen."""

    def add_goal_fields(self, goals, chosen=None):
        self.goals = list(goals)
        chosen = chosen or {}
        for goal in self.goals:
            status_name, note_name = f"goal_{goal.public_id}", f"goal_{goal.public_id}_note"
            self.fields[status_name] = forms.ChoiceField(
                label=goal.text,
                required=False,
                choices=[("", _("No change")), *GoalStatus.choices],
                help_text=(
                    _("How you will know: %(indicator)s") % {"indicator": goal.indicator}
                    if goal.indicator
                    else ""
                ),
            )
            self.fields[note_name] = forms.CharField(
                label=_("Note on this goal (optional)"),
                required=False,
                max_length=MAX_CHECKIN_NOTE,
            )
            if goal.pk in chosen and not self.is_bound:
                self.initial[status_name], self.initial[note_name] = chosen[goal.pk]

    @property
    def answer_fields(self):
        """The check-in's own fields, without the goals block."""
        return [field for field in self if not field.name.startswith("goal_")]

    @property
    def goal_rows(self):
        return [
            (goal, self[f"goal_{goal.public_id}"], self[f"goal_{goal.public_id}_note"])
            for goal in getattr(self, "goals", [])
        ]

    def clean_goals(self, cleaned):
        for goal in getattr(self, "goals", []):
            status = cleaned.get(f"goal_{goal.public_id}")
            note_name = f"goal_{goal.public_id}_note"
            if cleaned.get(note_name) and not status:
                self.add_error(note_name, _("Choose where the goal stands to go with your note."))

    def goal_updates(self):
        data = self.cleaned_data
        return [
            (goal, data[f"goal_{goal.public_id}"], data.get(f"goal_{goal.public_id}_note", ""))
            for goal in getattr(self, "goals", [])
            if data.get(f"goal_{goal.public_id}")
        ]
