"""Forms of the top-three-needs page: a new candidate, and the three chosen needs."""

from django import forms
from django.utils.translation import gettext_lazy as _

from planning.models import CommonNeed
from planning.services.voting import same_title


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
