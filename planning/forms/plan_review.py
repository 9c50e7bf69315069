"""Forms of an action plan's review: the reviewer's decision, and a comment on the plan."""

from django import forms
from django.utils.translation import gettext_lazy as _

from planning.plan_parts import part_by_key

COMMENT_MAX = 2000


class ReviewForm(forms.Form):
    """Approve the submitted plan, or return it with a comment (required then).
    `cleaned_data["approve"]` is True or False."""

    APPROVE = "approve"
    RETURN = "return"

    action = forms.ChoiceField(
        label=_("Your decision"),
        choices=(
            (APPROVE, _("Approve the plan")),
            (RETURN, _("Return it to the leaders with comments")),
        ),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to approve the plan or return it.")},
    )
    comment = forms.CharField(
        label=_("Comment for the leaders"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Needed when you return the plan: say what to change and why. With an approval, "
            "it is optional."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="review", **kwargs)

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        comment = (cleaned.get("comment") or "").strip()
        cleaned["comment"] = comment
        if action == self.RETURN and not comment:
            self.add_error(
                "comment", _("Say what the leaders should change when you return the plan.")
            )
        cleaned["approve"] = action == self.APPROVE
        return cleaned


class CommentForm(forms.Form):
    """A comment on one part of the plan, or on the whole plan (`part_key` blank)."""

    text = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX, "class": "form-control"}),
        error_messages={
            "required": _("Write a comment before sending it."),
            "max_length": _("Keep a comment under %(limit_value)d characters."),
        },
    )
    part_key = forms.CharField(required=False, widget=forms.HiddenInput)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write a comment before sending it."))
        return text

    def clean_part_key(self):
        key = (self.cleaned_data.get("part_key") or "").strip()
        if key and part_by_key(key) is None:
            raise forms.ValidationError(_("There is no such part of the plan."))
        return key
