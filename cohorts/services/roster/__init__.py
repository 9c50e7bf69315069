"""The participant roster import: read a CSV or XLSX file, check every row, show what would
change, then write it all in one transaction.

    roster = read_roster(filename, data)           # RosterFileError when the file is refused
    plan = plan_import(cohort, roster.rows)        # marks each row new / update / unchanged
    result = import_roster(cohort, roster.rows, actor)
    # or import the good rows and skip the rest, then hand back the skipped ones as CSV:
    result = import_roster(cohort, roster.rows, actor, skip_bad_rows=True)
    write_skipped_rows(stream, roster.header, roster.bad_rows)

The web page and `manage.py importroster` both go through these functions. Between the
preview and the confirmation, the rows travel as a signed payload (`sign_rows` /
`unsign_rows`) that holds only what was read from the file; it is checked again on confirm.

By concern: `columns` (roster fields and how headings and formats are spelled), `rows` (the
row and roster types), `reading` (file bytes to rows), `checking` (row problems, the signed
payload), `saving` (comparing with the cohort, writing), `skipped` (the rows left out,
as a CSV file). Import from this package, not from
its modules.
"""

from .checking import (
    MAX_CELL_CHARS,
    PAYLOAD_MAX_AGE,
    check_rows,
    sign_rows,
    unsign_roster,
    unsign_rows,
)
from .columns import (
    BLANK_SPELLINGS,
    COLUMN_ALIASES,
    COLUMN_LABELS,
    EMAIL,
    EXPERTISE,
    FIRST_NAME,
    FORMAT,
    FORMAT_SPELLINGS,
    JOB_TITLE,
    LAST_NAME,
    NAME,
    ORGANIZATION,
    ORGANIZATION_KIND,
    PROBLEM_HEADING,
    REQUIRED_COLUMNS,
    STATE,
    ZIP_CODE,
    field_for_header,
)
from .errors import RosterConflict, RosterFileError, RosterHasErrors
from .reading import (
    ALLOWED_SUFFIXES,
    HEADER_SEARCH_ROWS,
    read_roster,
    too_big_message,
    too_many_rows_message,
)
from .rows import Roster, RosterRow
from .saving import (
    BATCH_SIZE,
    ORG_PLACE_FIELDS,
    ImportPlan,
    ImportResult,
    import_roster,
    plan_import,
)
from .skipped import write_skipped_rows

__all__ = [
    "ALLOWED_SUFFIXES",
    "BATCH_SIZE",
    "BLANK_SPELLINGS",
    "COLUMN_ALIASES",
    "COLUMN_LABELS",
    "EMAIL",
    "EXPERTISE",
    "FIRST_NAME",
    "FORMAT",
    "FORMAT_SPELLINGS",
    "HEADER_SEARCH_ROWS",
    "JOB_TITLE",
    "LAST_NAME",
    "MAX_CELL_CHARS",
    "NAME",
    "ORGANIZATION",
    "ORGANIZATION_KIND",
    "ORG_PLACE_FIELDS",
    "PAYLOAD_MAX_AGE",
    "PROBLEM_HEADING",
    "REQUIRED_COLUMNS",
    "STATE",
    "ZIP_CODE",
    "ImportPlan",
    "ImportResult",
    "Roster",
    "RosterConflict",
    "RosterFileError",
    "RosterHasErrors",
    "RosterRow",
    "check_rows",
    "field_for_header",
    "import_roster",
    "plan_import",
    "read_roster",
    "sign_rows",
    "too_big_message",
    "too_many_rows_message",
    "unsign_roster",
    "unsign_rows",
    "write_skipped_rows",
]
