"""Forms of the phases and the transition: staff's phase for one COP, and the cohort's
transition timeline."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cohorts.models import Community
from copkit.dates import sane_year

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FOLLOW = ""
MAX_MESSAGE = 5000


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(
        label=_("Phase"),
        required=False,
        choices=[(FOLLOW, _("Follow the COP's state")), *Community.Phase.choices],
        help_text=_(
            "Left to follow the state, the phase moves by itself: forming until the COP has a "
            "leader and members, defining until its action plan is approved, active, "
            "sunsetting from the cohort's transition date, continuing on its own once its "
            "sunset plan is agreed. A phase you choose stays until you set it back to follow "
            "the state. Choose Closed to close the COP."
        ),
    )


def _date(label, help_text=""):
    return forms.DateField(
        label=label,
        required=False,
        widget=DATE_WIDGET,
        validators=[sane_year],
        help_text=help_text,
        error_messages={"invalid": _("Enter a date, like 2027-03-31.")},
    )


class TimelineForm(forms.Form):
    starts_on = _date(_("Sunsetting starts on"))
    start_plans_by = _date(
        _("Sunset plans started by"),
        _("Leaders who have not started by a week after the start are reminded."),
    )
    finish_plans_by = _date(
        _("Sunset plans agreed by"),
        _("Leaders whose plan is not sent for review two weeks before are reminded."),
    )
    message = forms.CharField(
        label=_("Transition message"),
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Every member of each COP gets it by email when sunsetting starts. Acknowledge "
            "the transition, say that the end of TTA support need not be the end of the COP, "
            "and ask them to think about what they want from it next."
        ),
        error_messages={"required": _("Write the message the members will read.")},
    )

    def __init__(self, *args, cohort, **kwargs):
        self.cohort = cohort
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        starts_on = data.get("starts_on")
        ends_on = self.cohort.ends_on
        if starts_on and starts_on > ends_on:
            self.add_error(
                "starts_on", _("Sunsetting must start before the program ends (%s).") % ends_on
            )
        for name in ("start_plans_by", "finish_plans_by"):
            value = data.get(name)
            if value and not starts_on:
                self.add_error(name, _("Set the day sunsetting starts first."))
            elif value and starts_on and value < starts_on:
                self.add_error(name, _("Choose a day on or after the day sunsetting starts."))
        start_by, finish_by = data.get("start_plans_by"), data.get("finish_plans_by")
        if start_by and finish_by and finish_by < start_by:
            self.add_error(
                "finish_plans_by", _("Choose a day on or after the day plans should be started.")
            )
        return data
