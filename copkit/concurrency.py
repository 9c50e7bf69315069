"""No lost updates: an edit form notices a change saved since it was opened.

An edit form (`EditConflictMixin`) carries a hidden fingerprint of the record's edited
values as they were when the page was loaded: one short hash per field, signed. When the
form comes back, `clean()` compares it with the record as the view read it for this
request; a field someone else changed (to something other than what this person typed)
makes the form invalid, with a message naming the field, its value now and the person's,
and a note under the field. Nothing typed is lost, and the form carries the fresh
fingerprint, so saving again after reading saves.

`clean()` covers the time from loading the page to posting it; the write covers the rest.
A view saves inside a transaction and first calls `hold_for_saving(form, row)`, which locks
the row (`select_for_update`) until the save is committed and re-renders the form instead
when the row changed since the view read it. A service whose record is not one row checks
its values under its own lock with `check_unchanged`; `hold_unchanged` does that for a row.
"""

import hashlib
import json

from django import forms
from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from copkit.errors import ServiceError

FIELD_NAME = "edit_fingerprint"
_SALT = "copkit.concurrency"


class EditConflict(ServiceError):
    """The record changed since the fingerprint was taken. `current` is the record as it
    is now (a model row, or the dict of values that was checked); `names` the fields that
    changed."""

    def __init__(self, current, names):
        self.current = current
        self.names = names
        super().__init__(
            _("Someone else changed this while you were saving. Check and save again.")
        )


def _digest(value):
    text = json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def fingerprint(values):
    """A signed text holding a hash of each of `values` ({name: value})."""
    return signing.dumps({name: _digest(value) for name, value in values.items()}, salt=_SALT)


def _hashes(token):
    """{name: hash} from a fingerprint, or None when it is not one copkit made."""
    try:
        hashes = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    return hashes if isinstance(hashes, dict) else None


def changed_names(token, values):
    """The names in `values` whose value differs from the one `token` was taken from (all
    of them when the token is not a valid fingerprint)."""
    hashes = _hashes(token)
    if hashes is None:
        return list(values)
    return [name for name, value in values.items() if hashes.get(name) != _digest(value)]


def record_values(row, names):
    """{name: the stored value} of the model fields `names` of `row` (a foreign key by its
    id, as the database has it)."""
    return {name: row._meta.get_field(name).value_from_object(row) for name in names}


def check_unchanged(values, token, current=None):
    """Raise EditConflict when `values` (read under the write's lock) differ from those
    `token` was taken from. No token: nothing to check (a write that is not an edit)."""
    if not token:
        return
    names = changed_names(token, values)
    if names:
        raise EditConflict(current if current is not None else values, names)


def hold_unchanged(row, token):
    """Inside a transaction: lock `row` and raise EditConflict (with the row as it is now)
    when the fields `token` covers changed. Returns the locked, fresh row."""
    fresh = type(row)._default_manager.select_for_update().get(pk=row.pk)
    hashes = _hashes(token) if token else {}
    if hashes is None:
        raise EditConflict(fresh, [])
    check_unchanged(record_values(fresh, list(hashes)), token, current=fresh)
    return fresh


def hold_for_saving(form, row):
    """In the view's transaction, before the save: lock `row` (the record `form` edits)
    until the transaction ends, and say whether it is still as the form read it. When it
    is not, the form lists what changed (and carries the new fingerprint) and this returns
    False: render the form again instead of saving."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("hold_for_saving locks a row: call it inside the save's transaction")
    if form.stored_values is None or row is None or row.pk is None:
        return True  # a new record: nothing to overwrite
    fresh = type(row)._default_manager.select_for_update().get(pk=row.pk)
    now = form.values_of(fresh)
    names = [name for name, value in now.items() if form.stored_values.get(name) != value]
    if names:
        form.show_conflict(EditConflict(fresh, names))
        return False
    return True


class EditConflictMixin:
    """For a form that edits a record. A ModelForm checks the model fields it edits on its
    instance; another form gets the record as `record=` (a row, with `conflict_fields`
    naming its fields) or as `stored=` ({form field: value}).

    `conflict_fields`: the record's fields to check (default: the form's model fields, or
    the keys of `stored`). `conflict_inputs`: {record field: form fields} where the person
    types a record field in other fields. `conflict_labels`: labels for record fields that
    are not form fields.
    """

    conflict_fields = None
    conflict_inputs = {}
    conflict_labels = {}

    def __init__(self, *args, record=None, stored=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.edit_conflicts = []
        if record is None and stored is None:
            instance = getattr(self, "instance", None)
            record = instance if instance is not None and instance.pk is not None else None
        self._record = record
        self.stored_values = self.values_of(record if stored is None else stored)
        self.fields[FIELD_NAME] = forms.CharField(widget=forms.HiddenInput, required=False)
        self.stored_fingerprint = None
        if self.stored_values is not None:
            self.stored_fingerprint = fingerprint(self.stored_values)
            self.fields[FIELD_NAME].initial = self.stored_fingerprint

    def _names(self):
        if self.conflict_fields is not None:
            return list(self.conflict_fields)
        meta = getattr(self, "_meta", None)
        stored = {field.name for field in meta.model._meta.concrete_fields} if meta else set()
        return [name for name in meta.fields or () if name in self.fields and name in stored]

    def values_of(self, source):
        if source is None:
            return None
        if isinstance(source, models.Model):
            return record_values(source, self._names())
        names = self.conflict_fields or [name for name in source if name in self.fields]
        return {name: source.get(name) for name in names}

    @cached_property
    def changed_data(self):
        return [name for name in super().changed_data if name != FIELD_NAME]

    def clean(self):
        cleaned = super().clean()
        # The fingerprint is no value of the record: services get cleaned_data without it.
        (cleaned if cleaned is not None else self.cleaned_data).pop(FIELD_NAME, None)
        token = self.data.get(self.add_prefix(FIELD_NAME)) if self.is_bound else None
        if token and self.stored_values is not None:
            self._report(changed_names(token, self.stored_values))
        return cleaned

    def show_conflict(self, conflict):
        """After EditConflict at write time: list what changed against the record as it is
        now (`conflict.current`) and carry its fingerprint."""
        self.stored_values = self.values_of(conflict.current)
        self.stored_fingerprint = fingerprint(self.stored_values)
        names = [name for name in conflict.names if name in self.stored_values]
        self._report(names or list(self.stored_values), force=True)

    def _report(self, names, force=False):
        conflicts = []
        for name in names:
            now = self.display_stored(name, self.stored_values[name])
            yours = self._display_yours(name)
            if now == yours and not force:
                continue  # the other person saved what this one typed: nothing is lost
            conflicts.append((name, self._label(name), now, yours))
        if not conflicts and not force:
            return
        self.edit_conflicts = conflicts
        # The form goes back with the record's present fingerprint: saving again saves.
        data = self.data.copy()
        data[self.add_prefix(FIELD_NAME)] = fingerprint(self.stored_values)
        self.data = data
        if not conflicts:
            self.add_error(
                None, _("Someone else changed this while you were saving. Check and save again.")
            )
            return
        parts = [
            _("%(field)s: now “%(now)s”, you had “%(yours)s”")
            % {"field": label, "now": now, "yours": yours}
            for _name, label, now, yours in conflicts
        ]
        self.add_error(
            None,
            _("Someone else changed this since you opened it: %(changes)s. Check and save again.")
            % {"changes": "; ".join(parts)},
        )
        for name, _label, now, _yours in conflicts:
            for field_name in self._inputs(name)[:1]:
                self.add_error(
                    field_name, _("Now “%(now)s” (changed by someone else).") % {"now": now}
                )

    def _inputs(self, name):
        inputs = self.conflict_inputs.get(name)
        if inputs is None:
            inputs = (name,) if name in self.fields else ()
        return tuple(inputs)

    def _label(self, name):
        if name in self.conflict_labels:
            return str(self.conflict_labels[name])
        if name in self.fields:
            return str(self.fields[name].label or name.replace("_", " ").capitalize())
        return name.replace("_", " ").capitalize()

    def display_stored(self, name, value):
        field = self.fields.get(name)
        if isinstance(field, forms.ModelChoiceField) and value is not None:
            value = field.queryset.model._default_manager.filter(pk=value).first() or value
        elif isinstance(field, forms.ChoiceField) and not isinstance(value, list | tuple):
            value = dict(_flat(field.choices)).get(value, value)
        return display(value)

    def _display_yours(self, name):
        inputs = self._inputs(name)
        data = {**getattr(self, "cleaned_data", {})}
        shown = []
        for field_name in inputs:
            value = data.get(field_name)
            field = self.fields[field_name]
            if (
                isinstance(field, forms.ChoiceField)
                and not isinstance(field, forms.ModelChoiceField)
                and not isinstance(value, list | tuple)
            ):
                value = dict(_flat(field.choices)).get(value, value)
            shown.append(display(value))
        return " ".join(shown)


def _flat(choices):
    for key, label in choices:
        if isinstance(label, list | tuple):
            yield from _flat(label)
        else:
            yield key, label


EMPTY = gettext_lazy("(empty)")


def display(value):
    """A stored or typed value as a person reads it."""
    if value is None or value == "" or value == []:
        return str(EMPTY)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return ", ".join(display(item) for item in value)
    if hasattr(value, "tzinfo") and hasattr(value, "hour") and hasattr(value, "day"):
        return formats.localize(timezone.localtime(value) if timezone.is_aware(value) else value)
    if hasattr(value, "isoformat"):
        return formats.localize(value)
    return " ".join(str(value).split()) if "\n" in str(value) else str(value)
