"""The participant roster import: read a CSV or XLSX file, check every row, show what would
change, then write it all in one transaction.

    roster = read_roster(filename, data)           # RosterFileError when the file is refused
    plan = plan_import(cohort, roster.rows)        # marks each row new / update / unchanged
    result = import_roster(cohort, roster.rows, actor)

The web page and `manage.py importroster` both go through these functions. Between the
preview and the confirmation, the rows travel as a signed payload (`sign_rows` /
`unsign_rows`) that holds only what was read from the file; it is checked again on confirm.
"""

import csv
import io
import logging
import re
import warnings
from dataclasses import dataclass, field
from pathlib import PurePath

import openpyxl
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cohorts.models import FormatPreference, Organization, Participant
from cohorts.services import geo
from cohorts.services.activity import record

logger = logging.getLogger(__name__)


class RosterFileError(Exception):
    """The file as a whole cannot be read as a roster. The message says why, for its sender."""


class RosterConflict(Exception):
    """Someone else changed the same participants while this import was being saved."""


class RosterHasErrors(ValueError):
    """import_roster was handed rows that still have problems."""


# The fields a roster column can fill.
NAME = "name"
FIRST_NAME = "first_name"
LAST_NAME = "last_name"
EMAIL = "email"
ORGANIZATION = "organization"
ZIP_CODE = "zip_code"
JOB_TITLE = "job_title"
EXPERTISE = "expertise"
FORMAT = "format_preference"
ORGANIZATION_KIND = "organization_kind"
STATE = "state"

COLUMN_LABELS = {
    NAME: gettext_lazy("Name"),
    FIRST_NAME: gettext_lazy("First name"),
    LAST_NAME: gettext_lazy("Last name"),
    EMAIL: gettext_lazy("Email"),
    ORGANIZATION: gettext_lazy("Organization"),
    ZIP_CODE: gettext_lazy("ZIP code"),
    JOB_TITLE: gettext_lazy("Role"),
    EXPERTISE: gettext_lazy("Expertise"),
    FORMAT: gettext_lazy("Format preference"),
    ORGANIZATION_KIND: gettext_lazy("Organization type"),
    STATE: gettext_lazy("State"),
}
REQUIRED_COLUMNS = (NAME, EMAIL, ORGANIZATION, ZIP_CODE)

# How people head their columns. Compared without case, spaces or punctuation, so "E-mail",
# "E mail" and "EMAIL" are all "email".
COLUMN_ALIASES = {
    NAME: "name|full name|participant|participant name|contact name|person",
    FIRST_NAME: "first name|first|given name",
    LAST_NAME: "last name|last|surname|family name",
    EMAIL: "email|email address|mail|mail address|work email|contact email",
    ORGANIZATION: "organization|organisation|org|organization name|organisation name|org name|"
    "agency|company|company name|employer",
    ZIP_CODE: "zip|zip code|zipcode|zip+4|zip/postal code|postal code|postcode",
    JOB_TITLE: "role|job title|title|position|job|role in organization",
    EXPERTISE: "expertise|areas of expertise|expertise areas|skills|strengths",
    FORMAT: "format|format preference|preferred format|meeting format|meeting preference|"
    "meeting format preference",
    ORGANIZATION_KIND: "organization type|organisation type|org type|type of organization|"
    "type of organisation|organization kind|type",
    STATE: "state|st|state/territory",
}

# What people write for a meeting format preference, compared the same way.
FORMAT_SPELLINGS = {
    FormatPreference.IN_PERSON: "in person|person|in person only|face to face|f2f|on site",
    FormatPreference.VIRTUAL: "virtual|virtually|virtual only|online|online only|remote|zoom|video",
    FormatPreference.EITHER: "either|either is fine|either way|no preference|no pref|both|any|"
    "hybrid|flexible|doesn't matter|does not matter|in person or virtual|virtual or in person",
}
BLANK_SPELLINGS = {"", "na", "n/a", "-", "--"}

MAX_CELL_CHARS = 2000
HEADER_SEARCH_ROWS = 10  # a title line or two may sit above the header
PAYLOAD_MAX_AGE = 2 * 60 * 60  # seconds a preview stays good for
ALLOWED_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm"}


def _compact(text):
    return re.sub(r"[\W_]+", "", str(text).lower())


_FIELD_BY_HEADER = {
    _compact(alias): name
    for name, aliases in COLUMN_ALIASES.items()
    for alias in aliases.split("|")
}
_FORMAT_BY_SPELLING = {
    _compact(spelling): value
    for value, spellings in FORMAT_SPELLINGS.items()
    for spelling in [value, value.label, *spellings.split("|")]
}


def field_for_header(header):
    """The roster field a column heading names, or None for a column of our own."""
    return _FIELD_BY_HEADER.get(_compact(header))


# ---------------------------------------------------------------------------------------
# Rows


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
            or _join(self.raw(FIRST_NAME), self.raw(LAST_NAME))
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


def _join(*parts):
    return " ".join(" ".join(parts).split())


@dataclass
class Roster:
    """A file read into rows. `columns` maps each recognised field to its heading as written;
    `extra_columns` are the headings kept in Participant.extra."""

    rows: list
    columns: dict = field(default_factory=dict)
    extra_columns: list = field(default_factory=list)

    @property
    def has_errors(self):
        return any(row.errors for row in self.rows)


# ---------------------------------------------------------------------------------------
# Reading a file


def read_roster(filename, data, *, max_bytes=None, max_rows=None):
    """Read and check a roster file's bytes. Raises RosterFileError for a file refused whole;
    problems of single rows are listed on the rows instead."""
    max_bytes = settings.ROSTER_MAX_BYTES if max_bytes is None else max_bytes
    max_rows = settings.ROSTER_MAX_ROWS if max_rows is None else max_rows
    if not data or not data.strip():
        raise RosterFileError(_("The file is empty."))
    if len(data) > max_bytes:
        raise RosterFileError(too_big_message(max_bytes))
    if _file_kind(filename, data) == "xlsx":
        table = _xlsx_table(data, max_rows)
    else:
        table = _csv_table(data, max_rows)
    try:
        roster = _build_roster(table, max_rows)
    finally:
        table.close()
    check_rows(roster.rows)
    return roster


def too_big_message(max_bytes):
    return _("The file is larger than %(size)s. Split it into smaller files.") % {
        "size": _size(max_bytes)
    }


def _size(count):
    if count >= 1024 * 1024:
        return _("%(n)s MB") % {"n": f"{count / (1024 * 1024):g}"}
    return _("%(n)s KB") % {"n": f"{count / 1024:g}"}


def _file_kind(filename, data):
    suffix = PurePath(filename or "").suffix.lower()
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise RosterFileError(
            _(
                "This is an older Excel file (.xls). Save it as an Excel workbook (.xlsx) or "
                "as CSV, then upload it again."
            )
        )
    if suffix and suffix not in ALLOWED_SUFFIXES:
        raise RosterFileError(
            _("Upload a CSV file or an Excel workbook (.xlsx), not a %(suffix)s file.")
            % {"suffix": suffix}
        )
    if data.startswith(b"PK\x03\x04") or suffix in {".xlsx", ".xlsm"}:
        return "xlsx"
    return "csv"


def _xlsx_table(data, max_rows):
    """Yield (row number, cells) from the first sheet of a workbook."""
    unreadable = _(
        "This Excel file could not be read; it may be damaged. Open it in Excel or another "
        "spreadsheet program, save it again as .xlsx (or as CSV), then upload it again."
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a damaged workbook raises anything from zipfile to KeyError
        raise RosterFileError(unreadable) from exc
    try:
        if not workbook.worksheets:
            raise RosterFileError(_("The workbook has no sheet to read."))
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > 2 * max_rows + 1000:
                raise RosterFileError(too_many_rows_message(max_rows))
            yield number, [_cell_text(value) for value in values]
    except RosterFileError:
        raise
    except Exception as exc:  # damaged sheet XML
        raise RosterFileError(unreadable) from exc
    finally:
        workbook.close()


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


def _decode(data):
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8-sig", "cp1252", "latin-1"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterFileError(_not_text_message())


def _not_text_message():
    return _(
        "This file does not look like a CSV file or an Excel workbook. Save the roster from "
        "your spreadsheet as CSV (UTF-8) or .xlsx, then upload it again."
    )


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _csv_table(data, max_rows):
    """Yield (row number, cells) from CSV bytes: UTF-8 (with or without BOM), then
    Windows-1252 and Latin-1; comma, semicolon or tab between cells."""
    text = _decode(data)
    if "\x00" in text or len(_CONTROL.findall(text[:100_000])) > len(text[:100_000]) / 100:
        raise RosterFileError(_not_text_message())
    lines = [line for line in text[:100_000].splitlines() if line.strip()][:HEADER_SEARCH_ROWS]
    first = lines[0].strip() if lines else ""
    if first.lower().startswith("sep=") and len(first) == 5:
        # Excel's hint line, "sep=;", before the header.
        delimiter = first[4]
        text = text.split(lines[0], 1)[1].lstrip("\r\n")
    else:
        delimiter = _sniff_delimiter(lines)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, start=1):
            if number > 2 * max_rows + 1000:
                raise RosterFileError(too_many_rows_message(max_rows))
            yield number, [cell.strip() for cell in cells]
    except csv.Error as exc:
        raise RosterFileError(
            _("The file could not be read as CSV (%(reason)s).") % {"reason": exc}
        ) from exc


def _sniff_delimiter(lines):
    """The separator the first lines use most: comma, semicolon or tab."""
    counts = {
        sep: sum(_count_outside_quotes(line, sep) for line in lines) for sep in (",", ";", "\t")
    }
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _count_outside_quotes(line, sep):
    count, quoted = 0, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == sep and not quoted:
            count += 1
    return count


def too_many_rows_message(max_rows):
    return _("The file has more than %(max)s participant rows. Split it into smaller files.") % {
        "max": f"{max_rows:,}"
    }


def _build_roster(table, max_rows):
    """Find the header (the first row naming at least two known columns, within the first
    few non-empty rows, so a title line above it is skipped), then read the rows under it."""
    table = iter(table)
    leading = []
    header_at = None
    for number, cells in table:
        if not any(cells):
            continue
        leading.append((number, cells))
        known = {field_for_header(cell) for cell in cells if cell} - {None}
        if len(known) >= 2:
            header_at = len(leading) - 1
            break
        if len(leading) >= HEADER_SEARCH_ROWS:
            break
    if not leading:
        raise RosterFileError(_("The file is empty."))
    if header_at is None and any(field_for_header(cell) for cell in leading[0][1] if cell):
        header_at = 0  # a header after all, which _map_header will find columns missing from
    if header_at is None:
        raise RosterFileError(
            _("No header row was found. The first row should name the columns: %(columns)s.")
            % {"columns": _column_list(REQUIRED_COLUMNS)}
        )
    _header_number, header = leading[header_at]
    fields, extras, columns = _map_header(header)

    rows = []
    for number, cells in table:
        if not any(cells):
            continue
        if len(rows) >= max_rows:
            raise RosterFileError(too_many_rows_message(max_rows))
        values, extra = {}, {}
        for index, cell in enumerate(cells):
            if not cell:
                continue
            if index in fields:
                values[fields[index]] = cell
            else:
                extra[extras.get(index) or f"column {index + 1}"] = cell
        rows.append(RosterRow(number=number, values=values, extra=extra))
    if not rows:
        raise RosterFileError(_("The file has a header row but no participants under it."))
    return Roster(rows=rows, columns=columns, extra_columns=list(extras.values()))


def _map_header(header):
    fields, extras, columns = {}, {}, {}
    for index, heading in enumerate(header):
        name = field_for_header(heading) if heading else None
        if name is None:
            base = label = heading or f"column {index + 1}"
            copy = 1
            while label in extras.values():
                copy += 1
                label = f"{base} ({copy})"
            extras[index] = label
            continue
        if name in columns:
            raise RosterFileError(
                _(
                    "Two columns, “%(first)s” and “%(second)s”, both read as %(field)s. "
                    "Keep one of them and upload the file again."
                )
                % {"first": columns[name], "second": heading, "field": COLUMN_LABELS[name]}
            )
        fields[index] = name
        columns[name] = heading
    present = set(columns)
    if FIRST_NAME in present and LAST_NAME in present:
        present.add(NAME)
    missing = [name for name in REQUIRED_COLUMNS if name not in present]
    if missing:
        raise RosterFileError(
            _(
                "The file has no column for %(missing)s. Required columns: %(required)s. "
                "Columns found: %(found)s."
            )
            % {
                "missing": _column_list(missing),
                "required": _column_list(REQUIRED_COLUMNS),
                "found": ", ".join(heading for heading in header if heading),
            }
        )
    return fields, extras, columns


def _column_list(names):
    return ", ".join(str(COLUMN_LABELS[name]) for name in names)


# ---------------------------------------------------------------------------------------
# Checking rows


def check_rows(rows):
    """Work out each row's domain values and problems, in place. Needs no database."""
    rows_by_email = {}
    for row in rows:
        row.errors, row.clean, row.place = [], {}, None
        _check_row(row)
        if EMAIL in row.clean:
            rows_by_email.setdefault(row.clean[EMAIL], []).append(row)
    for same in rows_by_email.values():
        if len(same) > 1:
            for row in same:
                others = ", ".join(str(other.number) for other in same if other is not row)
                row.errors.append(
                    _("The same email is also on row %(rows)s; keep one row per person.")
                    % {"rows": others}
                )
    for row in rows:
        row.status = RosterRow.ERROR if row.errors else ""
    return rows


def _check_row(row):
    errors, clean = row.errors, row.clean
    for heading, value in row.extra.items():
        if len(value) > MAX_CELL_CHARS:
            errors.append(
                _("The “%(column)s” cell is longer than %(max)s characters.")
                % {"column": heading, "max": f"{MAX_CELL_CHARS:,}"}
            )

    name = _join(row.raw(NAME)) or _join(row.raw(FIRST_NAME), row.raw(LAST_NAME))
    if not name:
        errors.append(_("The name is missing."))
    elif _fits(errors, name, 200, COLUMN_LABELS[NAME]):
        clean[NAME] = name

    email = _clean_email(row.raw(EMAIL))
    if not email:
        errors.append(_("The email address is missing."))
    elif len(email) > 254 or not _is_email(email):
        errors.append(_("“%(value)s” is not a valid email address.") % {"value": row.raw(EMAIL)})
    else:
        clean[EMAIL] = email

    organization = _join(row.raw(ORGANIZATION))
    if not organization:
        errors.append(_("The organization is missing."))
    elif _fits(errors, organization, 200, COLUMN_LABELS[ORGANIZATION]):
        clean[ORGANIZATION] = organization

    raw_zip = row.raw(ZIP_CODE)
    if not raw_zip:
        errors.append(_("The ZIP code is missing."))
    else:
        try:
            zip_code = geo.clean_zip(raw_zip)
        except ValueError as exc:
            errors.append(str(exc))
        else:
            row.place = geo.lookup_zip(zip_code)
            if row.place is None:
                errors.append(_("There is no US ZIP code %(zip)s.") % {"zip": zip_code})
            else:
                clean[ZIP_CODE] = zip_code

    if row.raw(STATE):
        try:
            clean[STATE] = geo.clean_state(row.raw(STATE))
        except ValueError as exc:
            errors.append(str(exc))

    job_title = _join(row.raw(JOB_TITLE))
    if job_title and _fits(errors, job_title, 200, COLUMN_LABELS[JOB_TITLE]):
        clean[JOB_TITLE] = job_title

    kind = _join(row.raw(ORGANIZATION_KIND))
    if kind and _fits(errors, kind, 100, COLUMN_LABELS[ORGANIZATION_KIND]):
        clean[ORGANIZATION_KIND] = kind

    expertise = ", ".join(
        item for item in (_join(part) for part in re.split(r"[,;\n]", row.raw(EXPERTISE))) if item
    )
    if expertise:
        clean[EXPERTISE] = expertise

    raw_format = row.raw(FORMAT)
    if _compact(raw_format) not in {_compact(blank) for blank in BLANK_SPELLINGS}:
        value = _FORMAT_BY_SPELLING.get(_compact(raw_format))
        if value is None:
            errors.append(
                _("“%(value)s” is not a format preference: write in person, virtual or either.")
                % {"value": raw_format}
            )
        else:
            clean[FORMAT] = str(value)


def _fits(errors, value, limit, label):
    if len(value) <= limit:
        return True
    errors.append(
        _("%(column)s is longer than %(max)s characters.") % {"column": label, "max": limit}
    )
    return False


def _clean_email(value):
    text = value.strip()
    match = re.search(r"<([^<>]+)>", text)  # "Ana Ruiz <ana@example.org>"
    if match:
        text = match.group(1)
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :]
    return text.strip().lower()


def _is_email(value):
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


# ---------------------------------------------------------------------------------------
# Carrying rows from the preview to the confirmation


def _salt(cohort, user):
    return f"cohorts.roster:{cohort.pk}:{getattr(user, 'pk', '')}"


def sign_rows(rows, *, cohort, user):
    """A tamper-proof, compressed text of the rows as read, for a hidden form field."""
    payload = {"v": 1, "rows": [row.to_payload() for row in rows]}
    return signing.dumps(payload, salt=_salt(cohort, user), compress=True)


def unsign_rows(token, *, cohort, user, max_age=PAYLOAD_MAX_AGE):
    """The rows from `sign_rows`, checked again. Raises RosterFileError when the text was
    altered, comes from another cohort or user, or is older than `max_age` seconds."""
    try:
        payload = signing.loads(token, salt=_salt(cohort, user), max_age=max_age)
        rows = [
            RosterRow(number=int(number), values=dict(values), extra=dict(extra))
            for number, values, extra in payload["rows"]
        ]
        if not all(
            isinstance(text, str)
            for row in rows
            for text in [*row.values.values(), *row.extra.values(), *row.extra]
        ):
            raise TypeError("not text")
    except signing.SignatureExpired as exc:
        raise RosterFileError(
            _("This preview is too old. Upload the file again to see a fresh preview.")
        ) from exc
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise RosterFileError(
            _("This preview could not be confirmed. Upload the file again.")
        ) from exc
    if not rows:
        raise RosterFileError(_("This preview could not be confirmed. Upload the file again."))
    return check_rows(rows)


# ---------------------------------------------------------------------------------------
# Comparing with the cohort and saving


@dataclass
class ImportPlan:
    """What an import would do to a cohort: participants to create and update, and
    organizations to create and update. Built by `plan_import`; nothing saved yet."""

    rows: list
    new_participants: list = field(default_factory=list)
    changed_participants: list = field(default_factory=list)
    unchanged: int = 0
    new_organizations: dict = field(default_factory=dict)  # name_key -> unsaved Organization
    changed_organizations: dict = field(default_factory=dict)  # name_key -> Organization
    participant_fields: set = field(default_factory=set)
    organization_fields: set = field(default_factory=set)

    @property
    def errors(self):
        return sum(1 for row in self.rows if row.errors)

    @property
    def counts(self):
        return {
            "rows": len(self.rows),
            "new": len(self.new_participants),
            "update": len(self.changed_participants),
            "unchanged": self.unchanged,
            "errors": self.errors,
            "new_organizations": len(self.new_organizations),
        }


ORG_PLACE_FIELDS = ("zip_code", "city", "state", "latitude", "longitude")


def plan_import(cohort, rows, *, lock=False):
    """Compare checked rows with the cohort and set each row's status and changes.

    Participants are matched by email (without case) within the cohort; organizations by
    their normalized name. Empty cells never erase what is already stored. A few queries in
    all, whatever the number of rows."""
    plan = ImportPlan(rows=rows)
    valid = [row for row in rows if not row.errors]
    emails = {row.clean[EMAIL] for row in valid}
    keys = {Organization.key_for(row.clean[ORGANIZATION]) for row in valid}

    participants = cohort.participants.annotate(email_key=Lower("email")).filter(
        email_key__in=emails
    )
    organizations = cohort.organizations.filter(name_key__in=keys)
    if lock:
        participants = participants.select_for_update()
        organizations = organizations.select_for_update()
    existing = {participant.email_key: participant for participant in participants}
    orgs = {organization.name_key: organization for organization in organizations}

    seen_orgs, kind_given = set(), set()
    for row in valid:
        organization = _plan_organization(plan, cohort, row, orgs, seen_orgs, kind_given)
        target = _participant_values(row, organization)
        participant = existing.get(row.clean[EMAIL])
        if participant is None:
            participant = Participant(
                cohort=cohort, email=row.clean[EMAIL], extra=dict(row.extra), **target
            )
            existing[row.clean[EMAIL]] = participant
            plan.new_participants.append(participant)
            row.status, row.changes = RosterRow.NEW, []
            continue
        if row.extra:
            target["extra"] = {**participant.extra, **row.extra}
        row.changes = [name for name, value in target.items() if _differs(participant, name, value)]
        if row.changes:
            for name in row.changes:
                setattr(participant, name, target[name])
            plan.changed_participants.append(participant)
            plan.participant_fields.update(row.changes)
            row.status = RosterRow.UPDATE
        else:
            plan.unchanged += 1
            row.status = RosterRow.UNCHANGED
    return plan


def _differs(participant, name, value):
    if name == "organization":
        return value.pk is None or participant.organization_id != value.pk
    return getattr(participant, name) != value


def _plan_organization(plan, cohort, row, orgs, seen, kind_given):
    key = Organization.key_for(row.clean[ORGANIZATION])
    kind = row.clean.get(ORGANIZATION_KIND, "")
    organization = orgs.get(key)
    if organization is None:
        organization = Organization(
            cohort=cohort, name=row.clean[ORGANIZATION], name_key=key, kind=kind
        )
        _set_place(organization, row.place)
        orgs[key] = plan.new_organizations[key] = organization
        seen.add(key)
    elif key not in seen:
        # The first row naming an existing organization fills in its place, if it has none.
        seen.add(key)
        if not organization.zip_code and organization.pk is not None:
            _set_place(organization, row.place)
            plan.changed_organizations[key] = organization
            plan.organization_fields.update(ORG_PLACE_FIELDS)
    # The first row that gives a type of organization sets it.
    if kind and key not in kind_given:
        kind_given.add(key)
        if organization.kind != kind:
            organization.kind = kind
            if organization.pk is not None:
                plan.changed_organizations[key] = organization
                plan.organization_fields.add("kind")
    row.organization_is_new = organization.pk is None
    return organization


def _set_place(organization, place):
    organization.zip_code = place.zip_code
    organization.city = place.city
    organization.state = place.state
    organization.latitude = place.latitude
    organization.longitude = place.longitude


def _participant_values(row, organization):
    clean, place = row.clean, row.place
    values = {
        "name": clean[NAME],
        "organization": organization,
        "zip_code": clean[ZIP_CODE],
        "state": clean.get(STATE) or place.state,
        "latitude": place.latitude,
        "longitude": place.longitude,
    }
    for name in (JOB_TITLE, EXPERTISE, FORMAT):
        if clean.get(name):
            values[name] = clean[name]
    return values


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    organizations_created: int
    organizations_updated: int


BATCH_SIZE = 500


def import_roster(cohort, rows, actor):
    """Save checked rows to the cohort in one transaction and return the counts.

    Raises RosterHasErrors if any row still has a problem, and RosterConflict if another
    import saved the same people or organizations at the same moment. Running it again with
    the same rows changes nothing."""
    if not rows or any(row.errors for row in rows):
        raise RosterHasErrors("Only a roster without problems can be imported.")
    try:
        with transaction.atomic():
            plan = plan_import(cohort, rows, lock=True)
            result = _save(cohort, plan, actor)
    except IntegrityError as exc:
        raise RosterConflict(str(exc)) from exc
    logger.info(
        "Roster imported into %s by %s: %s", cohort.slug, getattr(actor, "pk", None), result
    )
    return result


def _save(cohort, plan, actor):
    now = timezone.now()
    Organization.objects.bulk_create(plan.new_organizations.values(), batch_size=BATCH_SIZE)
    if plan.changed_organizations:
        for organization in plan.changed_organizations.values():
            organization.updated_at = now
        Organization.objects.bulk_update(
            plan.changed_organizations.values(),
            [*sorted(plan.organization_fields), "updated_at"],
            batch_size=BATCH_SIZE,
        )
    # Point participants at organizations that have just been given their keys.
    for participant in [*plan.new_participants, *plan.changed_participants]:
        participant.organization = participant.organization
    Participant.objects.bulk_create(plan.new_participants, batch_size=BATCH_SIZE)
    if plan.changed_participants:
        for participant in plan.changed_participants:
            participant.updated_at = now
        Participant.objects.bulk_update(
            plan.changed_participants,
            [*sorted(plan.participant_fields), "updated_at"],
            batch_size=BATCH_SIZE,
        )
    result = ImportResult(
        created=len(plan.new_participants),
        updated=len(plan.changed_participants),
        unchanged=plan.unchanged,
        organizations_created=len(plan.new_organizations),
        organizations_updated=len(plan.changed_organizations),
    )
    record(
        cohort,
        actor,
        "imported roster",
        f"{len(plan.rows)} rows",
        **result.__dict__,
    )
    return result
