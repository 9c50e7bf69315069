"""Checking roster rows (domain values and problems, no database), and carrying them from
the preview to the confirmation as a signed payload."""

import re

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from cohorts import geo

from .columns import (
    BLANK_SPELLINGS,
    COLUMN_LABELS,
    EMAIL,
    EXPERTISE,
    FIRST_NAME,
    FORMAT,
    FORMAT_BY_SPELLING,
    JOB_TITLE,
    LAST_NAME,
    NAME,
    ORGANIZATION,
    ORGANIZATION_KIND,
    STATE,
    ZIP_CODE,
    compact,
)
from .errors import RosterFileError
from .rows import Roster, RosterRow, join_words

MAX_CELL_CHARS = 2000
PAYLOAD_MAX_AGE = 2 * 60 * 60  # seconds a preview stays good for


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

    name = join_words(row.raw(NAME)) or join_words(row.raw(FIRST_NAME), row.raw(LAST_NAME))
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

    organization = join_words(row.raw(ORGANIZATION))
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

    job_title = join_words(row.raw(JOB_TITLE))
    if job_title and _fits(errors, job_title, 200, COLUMN_LABELS[JOB_TITLE]):
        clean[JOB_TITLE] = job_title

    kind = join_words(row.raw(ORGANIZATION_KIND))
    if kind and _fits(errors, kind, 100, COLUMN_LABELS[ORGANIZATION_KIND]):
        clean[ORGANIZATION_KIND] = kind

    expertise = ", ".join(
        item
        for item in (join_words(part) for part in re.split(r"[,;\n]", row.raw(EXPERTISE)))
        if item
    )
    if expertise:
        clean[EXPERTISE] = expertise

    raw_format = row.raw(FORMAT)
    if compact(raw_format) not in {compact(blank) for blank in BLANK_SPELLINGS}:
        value = FORMAT_BY_SPELLING.get(compact(raw_format))
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


def sign_rows(rows, *, cohort, user, header=()):
    """A tamper-proof, compressed text of the rows as read (and the file's header, so the
    rows can be written out again as they came), for a hidden form field."""
    payload = {"v": 1, "rows": [row.to_payload() for row in rows], "header": list(header)}
    return signing.dumps(payload, salt=_salt(cohort, user), compress=True)


def unsign_rows(token, *, cohort, user, max_age=PAYLOAD_MAX_AGE):
    """The rows from `sign_rows`, checked again. Raises RosterFileError when the text was
    altered, comes from another cohort or user, or is older than `max_age` seconds."""
    return unsign_roster(token, cohort=cohort, user=user, max_age=max_age).rows


def unsign_roster(token, *, cohort, user, max_age=PAYLOAD_MAX_AGE):
    """Like `unsign_rows`, as a Roster that also carries the file's header."""
    try:
        payload = signing.loads(token, salt=_salt(cohort, user), max_age=max_age)
        rows = [
            RosterRow(number=int(number), values=dict(values), extra=dict(extra))
            for number, values, extra in payload["rows"]
        ]
        header = [[str(heading), name] for heading, name in payload.get("header", [])]
        if not all(
            isinstance(text, str)
            for row in rows
            for text in [*row.values.values(), *row.extra.values(), *row.extra]
        ) or not all(name is None or isinstance(name, str) for _heading, name in header):
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
    return Roster(rows=check_rows(rows), header=header)
