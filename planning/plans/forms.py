"""Forms of the action plan: one form per part, built from the part's Field specs, the
staff's wording of a part in the cohort's template, and the review (the reviewer's
decision, a comment on the plan).

A part's form turns its cleaned data into the answer format of planning/plans/parts.py
(`PartForm.to_data`). Every field is optional: a part can be saved half done, and
`is_complete` says when it is done.
"""

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from copkit.concurrency import EditConflictMixin
from copkit.dates import sane_year
from planning.plans import parts as spec_kinds
from planning.plans.parts import part_by_key

TEXT_MAX = 500
LONG_TEXT_MAX = 10_000
NUMBER_MAX = 10_000
RADIO_UP_TO = 4  # a CHOICE with this many options or fewer shows as radio buttons


def _group_name(spec, index, sub):
    return f"{spec.name}-{index}-{sub.name}"


def _member_name(spec, public_id):
    return f"{spec.name}-{public_id}"


@dataclass
class Row:
    """One entry of a GROUP as the form shows it."""

    number: int
    legend: str
    fields: list


@dataclass
class Block:
    """One field of the part as the template lays it out: a plain field, a GROUP's rows or
    a PER_MEMBER's text boxes."""

    spec: object
    bound: object = None  # the bound field (plain kinds)
    rows: list = field(default_factory=list)  # GROUP
    member_fields: list = field(default_factory=list)  # PER_MEMBER

    @property
    def kind(self):
        return self.spec.kind


class PartForm(forms.Form):
    """The answer to one part. `members` are the community's current members as
    (public id str, name) pairs; `stored` is the answer saved so far (its values fill the
    form, and a former member's commitment or role is kept rather than dropped)."""

    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, part, members, *args, stored=None, **kwargs):
        self.part = part
        self.members = list(members)
        self.stored = stored or {}
        super().__init__(*args, **kwargs)
        self.fields["revision"].widget.attrs["id"] = "part-revision"
        self.fields["revision"].error_messages["required"] = _(
            "This page is out of date. Reload it and make your change again."
        )
        for spec in part.fields:
            if spec.kind == spec_kinds.GROUP:
                entries = self.stored.get(spec.name) or []
                for index in range(spec.max_items):
                    entry = entries[index] if index < len(entries) else {}
                    if not isinstance(entry, dict):
                        entry = {}
                    for sub in spec.fields:
                        self.fields[_group_name(spec, index, sub)] = self._field(
                            sub, stored_value=entry.get(sub.name)
                        )
            elif spec.kind == spec_kinds.PER_MEMBER:
                for public_id, name in self.members:
                    self.fields[_member_name(spec, public_id)] = forms.CharField(
                        label=name,
                        required=False,
                        max_length=TEXT_MAX * 2,
                        widget=forms.Textarea(attrs={"rows": 2}),
                    )
            else:
                self.fields[spec.name] = self._field(spec)
        if not self.is_bound:
            self.initial.update(initial_from(part, self.stored))

    def _field(self, spec, stored_value=None):
        options = {"label": spec.label, "required": False, "help_text": spec.help_text}
        kind = spec.kind
        if kind == spec_kinds.TEXT:
            return forms.CharField(max_length=TEXT_MAX, **options)
        if kind == spec_kinds.LONG_TEXT:
            return forms.CharField(
                max_length=LONG_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 6}), **options
            )
        if kind == spec_kinds.DATE:
            return forms.DateField(
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                error_messages={"invalid": _("Enter a date, like 2026-03-17.")},
                validators=[sane_year],
                **options,
            )
        if kind == spec_kinds.TIME:
            return forms.TimeField(
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                error_messages={"invalid": _("Enter a time, like 14:30.")},
                **options,
            )
        if kind == spec_kinds.NUMBER:
            return forms.IntegerField(
                min_value=1,
                max_value=NUMBER_MAX,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                **options,
            )
        if kind == spec_kinds.CHOICE:
            choices = [(value, str(label)) for value, label in spec.choices]
            if len(choices) <= RADIO_UP_TO:
                return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **options)
            return forms.ChoiceField(choices=[("", "—"), *choices], **options)
        if kind == spec_kinds.MULTI:
            return forms.MultipleChoiceField(
                choices=[(value, str(label)) for value, label in spec.choices],
                widget=forms.CheckboxSelectMultiple,
                **options,
            )
        if kind == spec_kinds.MEMBER:
            choices = [("", "—"), *self.members]
            known = {public_id for public_id, _name in self.members}
            if stored_value and stored_value not in known:
                choices.append((stored_value, _("(a former member)")))
            return forms.ChoiceField(choices=choices, **options)
        raise ValueError(f"Unknown field kind {kind!r}")

    def blocks(self):
        """The part's fields in order, grouped for the template."""
        blocks = []
        for spec in self.part.fields:
            block = Block(spec=spec)
            if spec.kind == spec_kinds.GROUP:
                legend = spec.fields[0].label if spec.fields else spec.label
                for index in range(spec.max_items):
                    block.rows.append(
                        Row(
                            number=index + 1,
                            legend=f"{legend} {index + 1}",
                            fields=[self[_group_name(spec, index, sub)] for sub in spec.fields],
                        )
                    )
            elif spec.kind == spec_kinds.PER_MEMBER:
                block.member_fields = [
                    self[_member_name(spec, public_id)] for public_id, _name in self.members
                ]
            else:
                block.bound = self[spec.name]
            blocks.append(block)
        return blocks

    def error_list(self):
        """(label, field id, message) of every field error, for the summary at the top."""
        found = []
        for spec in self.part.fields:
            if spec.kind == spec_kinds.GROUP:
                legend = spec.fields[0].label if spec.fields else spec.label
                for index in range(spec.max_items):
                    for sub in spec.fields:
                        name = _group_name(spec, index, sub)
                        for message in self.errors.get(name, []):
                            label = f"{legend} {index + 1}: {sub.label}"
                            found.append((label, self[name].id_for_label, message))
            elif spec.kind == spec_kinds.PER_MEMBER:
                for public_id, member in self.members:
                    name = _member_name(spec, public_id)
                    for message in self.errors.get(name, []):
                        found.append((member, self[name].id_for_label, message))
            else:
                for message in self.errors.get(spec.name, []):
                    found.append((str(spec.label), self[spec.name].id_for_label, message))
        for message in self.non_field_errors() + self.errors.get("revision", []):
            found.append(("", "", message))
        return found

    def to_data(self):
        """The cleaned answer in the format of planning/plans/parts.py: blank fields and
        empty group entries left out."""
        cleaned = self.cleaned_data
        data = {}
        for spec in self.part.fields:
            if spec.kind == spec_kinds.GROUP:
                entries = []
                for index in range(spec.max_items):
                    entry = {}
                    for sub in spec.fields:
                        value = _stored(sub, cleaned.get(_group_name(spec, index, sub)))
                        if _filled(value):
                            entry[sub.name] = value
                    if entry:
                        entries.append(entry)
                if entries:
                    data[spec.name] = entries
            elif spec.kind == spec_kinds.PER_MEMBER:
                current = {public_id for public_id, _name in self.members}
                texts = {
                    key: text
                    for key, text in (self.stored.get(spec.name) or {}).items()
                    if key not in current and _filled(text)
                }
                for public_id, _name in self.members:
                    text = cleaned.get(_member_name(spec, public_id))
                    if _filled(text):
                        texts[public_id] = text
                if texts:
                    data[spec.name] = texts
            else:
                value = _stored(spec, cleaned.get(spec.name))
                if _filled(value):
                    data[spec.name] = value
        return data


def _filled(value):
    return value not in (None, "", [], {})


def _stored(spec, value):
    """A cleaned value as the answer stores it."""
    if value in (None, ""):
        return None
    if spec.kind == spec_kinds.DATE:
        return value.isoformat()
    if spec.kind == spec_kinds.TIME:
        return value.strftime("%H:%M")
    if spec.kind == spec_kinds.MULTI:
        return list(value)
    if spec.kind in (spec_kinds.TEXT, spec_kinds.LONG_TEXT):
        return value.strip()
    return value


def initial_from(part, data):
    """The form's initial values for a stored answer."""
    initial = {}
    data = data or {}
    for spec in part.fields:
        value = data.get(spec.name)
        if value in (None, "", [], {}):
            continue
        if spec.kind == spec_kinds.GROUP:
            for index, entry in enumerate(value[: spec.max_items]):
                if not isinstance(entry, dict):
                    continue
                for sub in spec.fields:
                    if sub.name in entry:
                        initial[_group_name(spec, index, sub)] = entry[sub.name]
        elif spec.kind == spec_kinds.PER_MEMBER:
            for public_id, text in value.items():
                initial[_member_name(spec, public_id)] = text
        else:
            initial[spec.name] = value
    return initial


class WordingForm(EditConflictMixin, forms.Form):
    """The cohort's wording of one part; a blank box means copkit's own wording. `stored`
    is the wording as it is (to notice a change saved since the form was opened)."""

    title = forms.CharField(label=gettext_lazy("Title"), max_length=200, required=False)
    prompt = forms.CharField(
        label=gettext_lazy("Question"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    help_text = forms.CharField(
        label=gettext_lazy("Help text"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, part, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title", "prompt", "help_text"):
            self.fields[name].help_text = _(
                "copkit's wording: “%(text)s”. Leave blank to use it."
            ) % {"text": getattr(part, name)}


COMMENT_MAX = 2000


class ReviewForm(forms.Form):
    """Approve the submitted plan, or return it with a comment (required then).
    `cleaned_data["approve"]` is True or False."""

    APPROVE = "approve"
    RETURN = "return"

    action = forms.ChoiceField(
        label=gettext_lazy("Your decision"),
        choices=(
            (APPROVE, gettext_lazy("Approve the plan")),
            (RETURN, gettext_lazy("Return it to the leaders with comments")),
        ),
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose whether to approve the plan or return it.")
        },
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment for the leaders"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
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
                "comment",
                gettext_lazy("Say what the leaders should change when you return the plan."),
            )
        cleaned["approve"] = action == self.APPROVE
        return cleaned


class CommentForm(forms.Form):
    """A comment on one part of the plan, or on the whole plan (`part_key` blank)."""

    text = forms.CharField(
        label=gettext_lazy("Your comment"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX, "class": "form-control"}),
        error_messages={
            "required": gettext_lazy("Write a comment before sending it."),
            "max_length": gettext_lazy("Keep a comment under %(limit_value)d characters."),
        },
    )
    part_key = forms.CharField(required=False, widget=forms.HiddenInput)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, kind=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind  # the PlanKind whose parts a comment may be on (the action plan's)

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(gettext_lazy("Write a comment before sending it."))
        return text

    def clean_part_key(self):
        key = (self.cleaned_data.get("part_key") or "").strip()
        known = self.kind.part(key) if self.kind is not None else part_by_key(key)
        if key and known is None:
            raise forms.ValidationError(gettext_lazy("There is no such part of the plan."))
        return key
