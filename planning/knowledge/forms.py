"""Forms of the knowledge pages: an item from its template, a response, who can read an
item, a request for items, a resource, and the library's search."""

from django import forms
from django.utils.translation import gettext_lazy as _

from copkit.dates import sane_year
from planning.knowledge.blueprints import MAX_ANSWER
from planning.knowledge.models import KnowledgeItem, Scope

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ALL = "all"
MAX_TEXT = 4000


class ItemForm(forms.Form):
    """An item of one template: a title, one box per question of the template, a practice
    area, and (when it is still a draft) who to share it with."""

    DRAFT, SHARE = "draft", "share"

    title = forms.CharField(label=_("Title"), max_length=200)
    topic = forms.ModelChoiceField(
        label=_("Practice area (optional)"),
        queryset=None,
        required=False,
        empty_label=_("None in particular"),
        help_text=_("Helps people with the same need find it in the library."),
    )
    show_author_publicly = forms.BooleanField(
        label=_("Show my name if it is ever made public"),
        required=False,
        help_text=_(
            "Your TTA team may publish good items for anyone to read. Your name stays off that "
            "public page unless you tick this."
        ),
    )
    scope = forms.ChoiceField(
        label=_("Share it with"),
        choices=[
            (Scope.COMMUNITY, _("Your community")),
            (Scope.COHORT, _("Everyone in your cohort")),
        ],
        initial=Scope.COMMUNITY,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Your TTA team can share it more widely later."),
    )

    def __init__(self, *args, plan, topics, sharing_open=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["title"].help_text = plan.title_help
        self.fields["title"].error_messages["required"] = _(
            "Give it a title, so others can find it."
        )
        self.fields["topic"].queryset = topics
        answers = {}
        for field in plan.fields:
            label = (
                field.label
                if field.required
                else _("%(label)s (optional)") % {"label": field.label}
            )
            answers[field.name] = forms.CharField(
                label=label,
                help_text=field.help,
                required=False,
                max_length=MAX_ANSWER,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        # The template's questions come right after the title.
        rest = {name: f for name, f in self.fields.items() if name != "title"}
        self.fields = {"title": self.fields["title"], **answers, **rest}
        if not sharing_open:
            del self.fields["scope"]

    @property
    def answer_names(self):
        return [field.name for field in self.plan.fields]

    def answers(self):
        return {name: self.cleaned_data.get(name, "") for name in self.answer_names}


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your response"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write your response first.")},
    )


class ScopeForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Who can read it"),
        choices=Scope.choices,
        error_messages={"required": _("Choose who can read it.")},
    )


class RequestForm(forms.Form):
    to = forms.ChoiceField(
        label=_("Ask"),
        error_messages={"invalid_choice": _("Choose every community, or one of them.")},
    )
    kind = forms.ChoiceField(
        label=_("What to share"),
        required=False,
        choices=[
            ("", _("Any: a case study, a promising practice or a lesson learned")),
            *KnowledgeItem.Kind.choices,
        ],
    )
    due_on = forms.DateField(
        label=_("Share by"),
        widget=DATE_WIDGET,
        validators=[sane_year],
        error_messages={
            "required": _("Give a date to share by."),
            "invalid": _("Enter a date, like 2027-03-31."),
        },
    )
    note = forms.CharField(
        label=_("A note to the leaders (optional)"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you hope they share, e.g. a problem they solved at the last meeting."),
    )

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.communities = {str(c.public_id): c for c in communities}
        self.fields["to"].choices = [
            (
                ALL,
                _("The leaders of every active community (%(n)d)") % {"n": len(self.communities)},
            ),
            *((key, c.name) for key, c in self.communities.items()),
        ]

    def clean_to(self):
        value = self.cleaned_data["to"]
        return list(self.communities.values()) if value == ALL else [self.communities[value]]


class ResourceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("What it is"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Who it is for and what they get from it, in a sentence or two."),
    )
    url = forms.CharField(
        label=_("Link (optional if you write the text below)"),
        required=False,
        max_length=200,
        help_text=_("A recording, a document or a page, starting with https://."),
    )
    body = forms.CharField(
        label=_("Text (optional if you give a link)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    areas = forms.CharField(
        label=_("Practice areas"),
        required=False,
        max_length=500,
        help_text=_(
            "Separated by commas, e.g. “Board development, online meetings”. A participant "
            "who names one of them as a need sees this on their home page."
        ),
    )
    scope = forms.ChoiceField(
        label=_("Who can read it"),
        choices=[(s.value, s.label) for s in (Scope.COHORT, Scope.PROVIDER, Scope.PUBLIC)],
        initial=Scope.PROVIDER,
    )


class LibraryForm(forms.Form):
    """The library's search and filters (GET); unknown values are simply ignored."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    area = forms.ChoiceField(label=_("Practice area"), required=False)
    cohort = forms.ChoiceField(label=_("Cohort"), required=False)
    community = forms.ChoiceField(label=_("Community"), required=False)
    year = forms.ChoiceField(label=_("Year"), required=False)

    RESOURCES = "resource"

    def __init__(self, *args, areas, cohorts, communities, years, **kwargs):
        super().__init__(*args, **kwargs)
        anything = ("", _("Any"))
        self.fields["kind"].choices = [
            anything,
            *KnowledgeItem.Kind.choices,
            (self.RESOURCES, _("Resources from your TTA team")),
        ]
        self.fields["area"].choices = [anything, *((a, a) for a in areas)]
        self.fields["cohort"].choices = [anything, *((str(c.public_id), c.name) for c in cohorts)]
        self.fields["community"].choices = [
            anything,
            *((str(c.public_id), f"{c.name} · {c.cohort.name}") for c in communities),
        ]
        self.fields["year"].choices = [anything, *((str(y), str(y)) for y in years)]
        self.cohorts = {str(c.public_id): c for c in cohorts}
        self.communities = {str(c.public_id): c for c in communities}

    def filters(self):
        """The chosen filters, each dropped on its own when its value is not offered."""
        self.is_valid()
        data = {name: self.cleaned_data.get(name, "") for name in self.fields}
        year = data["year"] or ""
        return {
            "q": data["q"],
            "kind": data["kind"],
            "area": data["area"],
            "cohort": self.cohorts.get(data["cohort"]),
            "community": self.communities.get(data["community"]),
            "year": int(year) if year.isdigit() else None,
        }
