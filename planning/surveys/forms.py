"""Forms of the survey builder: a survey's settings, one question, and whom to send it to.

Each `clean_*` returns the value to store: the options of a question as a list, the
participants to send to as a list of rows of the cohort.
"""

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cohorts.forms.invitations import PublicIdMultipleChoiceField
from copkit.concurrency import EditConflictMixin
from copkit.dates import sane_year
from planning.models import Question, Survey
from planning.surveys import banks

Kind = Question.Kind

MAX_REMINDERS = 10
MAX_INTERVAL_DAYS = 60
MAX_OPTIONS = 30
MAX_OPTION_LENGTH = 200
MAX_SCALE_POINTS = 11


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class PublicIdChoiceField(forms.ModelChoiceField):
    """A choice by public UUID; a value that is not a UUID is just another unknown choice."""

    def to_python(self, value):
        if value not in self.empty_values:
            try:
                uuid.UUID(str(value))
            except ValueError:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                ) from None
        return super().to_python(value)


class SurveyForm(EditConflictMixin, forms.ModelForm):
    """A survey's settings (editing an existing survey)."""

    class Meta:
        model = Survey
        fields = [
            "title",
            "kind",
            "intro",
            "community",
            "closes_at",
            "reminder_limit",
            "reminder_interval_days",
        ]
        field_classes = {"community": PublicIdChoiceField}
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 4}),
            "closes_at": DateTimeInput(),
        }
        help_texts = {
            "kind": _("What the survey is for; it groups surveys on the list."),
            "closes_at": _(
                "After this moment the personal links stop taking answers and no more "
                "reminders go out. Leave empty to keep it open until you close it."
            ),
            "reminder_limit": _(
                "How many reminders a person who has not answered may get (0: none). "
                "Reminders go out by themselves; you can also remind people at once from "
                "the recipients page."
            ),
            "reminder_interval_days": _(
                "Days to wait after the survey was sent (or after the last reminder) "
                "before reminding again."
            ),
        }

    def __init__(self, *args, cohort, **kwargs):
        self.cohort = cohort
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = cohort.communities.active().order_by("name")
        self.fields["community"].empty_label = _("The whole cohort")
        self.fields["community"].to_field_name = "public_id"
        self.fields["closes_at"].validators.append(sane_year)
        self.fields["reminder_limit"].widget.attrs["max"] = MAX_REMINDERS
        self.fields["reminder_interval_days"].widget.attrs.update(min=1, max=MAX_INTERVAL_DAYS)

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean_closes_at(self):
        closes_at = self.cleaned_data.get("closes_at")
        unchanged = self.instance.pk and closes_at == self.instance.closes_at
        if closes_at and not unchanged and closes_at <= timezone.now():
            raise forms.ValidationError(_("Choose a moment in the future, or leave it empty."))
        return closes_at

    def clean_reminder_limit(self):
        value = self.cleaned_data["reminder_limit"]
        if value > MAX_REMINDERS:
            raise forms.ValidationError(
                _("At most %(n)d reminders: more would feel like pressure.") % {"n": MAX_REMINDERS}
            )
        return value

    def clean_reminder_interval_days(self):
        value = self.cleaned_data["reminder_interval_days"]
        if not 1 <= value <= MAX_INTERVAL_DAYS:
            raise forms.ValidationError(
                _("Choose from 1 to %(n)d days.") % {"n": MAX_INTERVAL_DAYS}
            )
        return value


class SurveyCreateForm(SurveyForm):
    """A new survey: a starting point (blank or a ready template) and the settings. The kind
    comes from the starting point; the title may be left for the template's own."""

    starting_point = forms.ChoiceField(
        label=_("Start from"),
        choices=banks.starting_point_choices,
        initial=banks.NEEDS,
        widget=forms.RadioSelect,
    )
    create_topics = forms.BooleanField(
        label=_("Make these practice areas topics of the cohort"),
        required=False,
        help_text=_(
            "Answers reach the needs-and-expertise inventory only under the cohort's topics."
        ),
    )

    class Meta(SurveyForm.Meta):
        fields = [
            "title",
            "intro",
            "community",
            "closes_at",
            "reminder_limit",
            "reminder_interval_days",
        ]

    field_order = ["starting_point", "title", "intro", "community", "closes_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # On by default when the cohort has no topics yet: its template's areas become them.
        self.fields["create_topics"].initial = not self.cohort.topics.exists()
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Leave empty to use the template's title.")
        self.fields["intro"].help_text = _(
            "Shown above the questions: why you ask and how the answers will be used. "
            "Leave empty to use the template's introduction."
        )

    def clean(self):
        cleaned = super().clean()
        point = banks.STARTING_POINTS.get(cleaned.get("starting_point"))
        if point is not None:
            cleaned["title"] = cleaned.get("title") or str(point["title"])
            cleaned["intro"] = cleaned.get("intro") or str(point["intro"])
            self.instance.kind = point["kind"]
            if not banks.fills_from_topics(cleaned["starting_point"]):
                cleaned["create_topics"] = False
        return cleaned


class QuestionForm(EditConflictMixin, forms.ModelForm):
    """One question. Options are typed one per line; fields that do not apply to the chosen
    type are shown only for the types they serve (static/js/survey-builder.js) and reset to
    their defaults on save."""

    # The options are the question's `choices`, typed in the `options` box.
    conflict_fields = (
        "kind",
        "text",
        "help_text",
        "required",
        "choices",
        "max_picks",
        "scale_min",
        "scale_max",
        "scale_min_label",
        "scale_max_label",
        "fills",
    )
    conflict_inputs = {"choices": ("options",)}
    conflict_labels = {"choices": _("Options")}

    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One option per line, at least two. For single choice, multiple choice, pick "
            "up to N and ranking questions."
        ),
    )

    class Meta:
        model = Question
        fields = [
            "kind",
            "text",
            "help_text",
            "required",
            "options",
            "max_picks",
            "scale_min",
            "scale_max",
            "scale_min_label",
            "scale_max_label",
            "fills",
        ]
        labels = {"help_text": _("Help text"), "required": _("An answer is required")}
        widgets = {"text": forms.TextInput()}
        help_texts = {
            "help_text": _("A short hint shown under the question (optional)."),
            "max_picks": _("For pick up to N questions: how many options a person may pick."),
            "scale_min": _("For rating questions: the lowest point, usually 1."),
            "scale_max": _("For rating questions: the highest point, at most 11 points in all."),
            "scale_min_label": _("For example: Not at all."),
            "scale_max_label": _("For example: Very much."),
        }

    # Which fields serve which question types (for the template and for resetting).
    FIELD_KINDS = {
        "options": Question.CHOICE_KINDS,
        "fills": Question.CHOICE_KINDS,
        "max_picks": (Kind.PICK_N,),
        "scale_min": (Kind.RATING,),
        "scale_max": (Kind.RATING,),
        "scale_min_label": (Kind.RATING,),
        "scale_max_label": (Kind.RATING,),
    }

    def __init__(self, *args, answer_count=0, **kwargs):
        self.answer_count = answer_count
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["options"].initial = "\n".join(str(c) for c in self.instance.choices)
        self.fields["scale_min"].required = False
        self.fields["scale_max"].required = False
        self.fields["fills"].help_text = _(
            "For choice questions: options named like one of the cohort's topics are added "
            "as needs or expertise to the inventory of the person who picks them."
        )
        for name in ("max_picks", "scale_min", "scale_max"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"

    def rows(self):
        """(bound field, the question types it serves as a space-separated string, "" for
        all) for each field: the template marks each field's wrapper with its types."""
        return [(self[name], " ".join(self.FIELD_KINDS.get(name, ()))) for name in self.fields]

    def clean_text(self):
        return " ".join(self.cleaned_data["text"].split())

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        if self.instance.pk and self.answer_count and kind != self.instance.kind:
            raise forms.ValidationError(
                ngettext(
                    "%(n)d person has answered this question already, so its type cannot "
                    "change. Add a new question instead.",
                    "%(n)d people have answered this question already, so its type cannot "
                    "change. Add a new question instead.",
                    self.answer_count,
                )
                % {"n": self.answer_count}
            )
        return kind

    def clean_options(self):
        """The options as a list: one per line, blank lines dropped, no duplicates."""
        lines = [" ".join(line.split()) for line in self.cleaned_data["options"].splitlines()]
        options = [line for line in lines if line]
        seen = {}
        for option in options:
            if len(option) > MAX_OPTION_LENGTH:
                raise forms.ValidationError(
                    _("Keep each option under %(n)d characters.") % {"n": MAX_OPTION_LENGTH}
                )
            key = option.casefold()
            if key in seen:
                raise forms.ValidationError(
                    _("“%(option)s” is listed twice. Each option must be different.")
                    % {"option": option}
                )
            seen[key] = option
        if len(options) > MAX_OPTIONS:
            raise forms.ValidationError(_("At most %(n)d options, please.") % {"n": MAX_OPTIONS})
        return options

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind is None:
            return cleaned
        options = cleaned.get("options")
        if kind in Question.CHOICE_KINDS:
            if options is not None and len(options) < 2:
                self.add_error("options", _("Give at least two different options, one per line."))
        else:
            cleaned["options"] = []
            cleaned["fills"] = Question.Fills.NOTHING
        if kind == Kind.PICK_N:
            self._clean_max_picks(cleaned)
        else:
            cleaned["max_picks"] = None
        if kind == Kind.RATING:
            self._clean_scale(cleaned)
        else:
            cleaned["scale_min"] = cleaned.get("scale_min") or self.instance.scale_min or 1
            cleaned["scale_max"] = cleaned.get("scale_max") or self.instance.scale_max or 5
            cleaned["scale_min_label"] = ""
            cleaned["scale_max_label"] = ""
        return cleaned

    def _clean_max_picks(self, cleaned):
        max_picks = cleaned.get("max_picks")
        options = cleaned.get("options") or []
        if max_picks is None:
            if "max_picks" not in self.errors:
                self.add_error("max_picks", _("Say how many options a person may pick."))
        elif options and not 1 <= max_picks <= len(options):
            self.add_error(
                "max_picks",
                _("Choose a number from 1 to %(n)d (the number of options).") % {"n": len(options)},
            )

    def _clean_scale(self, cleaned):
        low, high = cleaned.get("scale_min"), cleaned.get("scale_max")
        if low is None and "scale_min" not in self.errors:
            self.add_error("scale_min", _("Give the lowest point of the scale."))
        if high is None and "scale_max" not in self.errors:
            self.add_error("scale_max", _("Give the highest point of the scale."))
        if low is None or high is None:
            return
        if high <= low:
            self.add_error("scale_max", _("The highest point must be above the lowest."))
        elif high - low + 1 > MAX_SCALE_POINTS:
            self.add_error(
                "scale_max",
                _("A scale may have at most %(n)d points (for example 0 to 10).")
                % {"n": MAX_SCALE_POINTS},
            )

    def _post_clean(self):
        super()._post_clean()
        if "options" in self.cleaned_data:
            self.instance.choices = self.cleaned_data["options"]


SELECTED = "selected"
EVERYONE = "everyone"
COMMUNITY = "community"


class SendForm(forms.Form):
    """Whom to send a survey to: the participants ticked on the page, everyone in the
    cohort, or the members of the survey's community. `clean()` puts the participants (of
    this cohort only) in `cleaned_data["to_send"]`; those sent already are skipped later."""

    participants = PublicIdMultipleChoiceField(
        label=_("Participants"),
        queryset=None,
        to_field_name="public_id",
        required=False,
        error_messages={
            "invalid_choice": _("Some of the chosen participants are not in this cohort."),
        },
    )
    scope = forms.ChoiceField(
        label=_("Send to"),
        choices=[
            (SELECTED, _("The participants ticked on the list")),
            (EVERYONE, _("Everyone in the cohort not sent it yet")),
            (COMMUNITY, _("The members of the survey's community not sent it yet")),
        ],
        error_messages={"required": _("Choose whom to send the survey to.")},
    )

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.fields["participants"].queryset = survey.cohort.participants.all()

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        scope = cleaned["scope"]
        if scope == EVERYONE:
            chosen = list(self.survey.cohort.participants.all())
        elif scope == COMMUNITY:
            if self.survey.community is None:
                raise forms.ValidationError(
                    _("This survey is for the whole cohort, not one community."),
                    code="no_community",
                )
            chosen = list(
                self.survey.cohort.participants.filter(
                    memberships__community=self.survey.community
                ).distinct()
            )
        else:
            chosen = list(cleaned.get("participants") or [])
            if not chosen:
                raise forms.ValidationError(
                    _("Tick the participants to send the survey to, or use a shortcut."),
                    code="nothing_chosen",
                )
        cleaned["to_send"] = chosen
        return cleaned
