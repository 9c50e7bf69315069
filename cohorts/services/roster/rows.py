"""A roster read into rows: what each row says, and what checking found."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from cohorts import geo
from cohorts.models import Participant

from .columns import EMAIL, FIRST_NAME, LAST_NAME, NAME, ORGANIZATION, ZIP_CODE


@dataclass
class RosterRow:
    """One participant row: what the file says (`values`, `extra`) and, once checked, the
    domain values (`clean`), the place of the ZIP code, the problems and the status."""

    number: int
    values: dict
    extra: dict = field(default_factory=dict)
    clean: dict = field(default_factory=dict)
    place: geo.Place | None = None
    errors: list = field(default_factory=list)
    status: str = ""
    changes: list = field(default_factory=list)
    organization_is_new: bool = False

    NEW, UPDATE, UNCHANGED, ERROR = "new", "update", "unchanged", "error"

    def raw(self, name):
        return self.values.get(name, "")

    @property
    def name(self):
        return (
            self.clean.get(NAME)
            or self.raw(NAME)
            or join_words(self.raw(FIRST_NAME), self.raw(LAST_NAME))
        )

    @property
    def email(self):
        return self.clean.get(EMAIL) or self.raw(EMAIL)

    @property
    def organization(self):
        return self.clean.get(ORGANIZATION) or self.raw(ORGANIZATION)

    @property
    def zip_code(self):
        return self.clean.get(ZIP_CODE) or self.raw(ZIP_CODE)

    @property
    def change_labels(self):
        """What an update changes, in words: "name, ZIP code"."""
        labels = []
        for name in self.changes:
            if name in ("latitude", "longitude"):
                label = _("location")
            elif name == "extra":
                label = _("other columns")
            else:
                label = str(Participant._meta.get_field(name).verbose_name)
            if label not in labels:
                labels.append(label)
        return labels

    def to_payload(self):
        return [self.number, self.values, self.extra]


def join_words(*parts):
    return " ".join(" ".join(parts).split())


@dataclass
class Roster:
    """A file read into rows. `columns` maps each recognised field to its heading as written;
    `extra_columns` are the headings kept in Participant.extra; `header` is the file's
    columns in their order, each a [heading, field] pair (field None for a column of the
    file's own, whose heading is then its key in RosterRow.extra)."""

    rows: list
    columns: dict = field(default_factory=dict)
    extra_columns: list = field(default_factory=list)
    header: list = field(default_factory=list)

    @property
    def has_errors(self):
        return any(row.errors for row in self.rows)

    @property
    def good_rows(self):
        return [row for row in self.rows if not row.errors]

    @property
    def bad_rows(self):
        return [row for row in self.rows if row.errors]
