"""Forms of the appreciative interviews: the setup (questions, time) and a pair's notes."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from planning.models import InterviewRotation

MAX_QUESTIONS = 12
MIN_MINUTES, MAX_MINUTES = 4, 120


class InterviewSetupForm(forms.ModelForm):
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
