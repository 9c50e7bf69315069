"""Reading a roster file: CSV or XLSX bytes decoded into cells, the header row found and
its headings matched to roster fields, one RosterRow per participant line."""

import csv
import io
import re
import warnings
import zipfile
from pathlib import PurePath

import openpyxl
from django.conf import settings
from django.utils.translation import gettext as _

from copkit.csvfile import unescape_cell

from .checking import check_rows
from .columns import (
    COLUMN_LABELS,
    FIRST_NAME,
    LAST_NAME,
    NAME,
    REQUIRED_COLUMNS,
    field_for_header,
    is_problem_column,
)
from .errors import RosterFileError
from .rows import Roster, RosterRow

HEADER_SEARCH_ROWS = 10  # a title line or two may sit above the header
ALLOWED_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm"}

# Bounds that keep a hostile or runaway file from costing minutes: checked before the work
# they bound, so such a file is refused at once.
MAX_COLUMNS = 200  # columns with anything in them
MAX_CELLS_PER_ROW = 1000  # cells a row may carry, empty ones to the right included
XLSX_MAX_UNZIPPED = 20 * 1024 * 1024  # bytes, all the workbook's parts together
XLSX_MAX_RATIO = 100  # how much tighter than this one part of a workbook may be packed
XLSX_MAX_PARTS = 500


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
    _check_unzipped_size(data, unreadable)
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
        # The sheet's own claim of its size would pad every row to it (to 16,384 cells for
        # a claim of A1:XFD1); without it, a row is as long as its last cell.
        sheet.reset_dimensions()
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > 2 * max_rows + 1000:
                raise RosterFileError(too_many_rows_message(max_rows))
            _check_width(number, values)
            yield number, _trimmed([_cell_text(value) for value in values], number)
    except RosterFileError:
        raise
    except Exception as exc:  # damaged sheet XML
        raise RosterFileError(unreadable) from exc
    finally:
        workbook.close()


def _check_unzipped_size(data, unreadable):
    """Refuse a workbook that would unpack to far more than a roster needs, from the sizes its
    zip directory declares (zipfile never hands out more than a part declares), before
    openpyxl reads any of it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise RosterFileError(unreadable) from exc
    too_much = _(
        "This Excel file unpacks to far more than a roster needs (more than %(size)s, or "
        "packed unusually tightly). Copy the participant rows into a new workbook, or save "
        "them as CSV, then upload that file."
    ) % {"size": _size(XLSX_MAX_UNZIPPED)}
    if len(parts) > XLSX_MAX_PARTS:
        raise RosterFileError(too_much)
    if sum(part.file_size for part in parts) > XLSX_MAX_UNZIPPED:
        raise RosterFileError(too_much)
    for part in parts:
        if part.file_size > 1024 * 1024 and part.file_size > XLSX_MAX_RATIO * max(
            part.compress_size, 1
        ):
            raise RosterFileError(too_much)


def _check_width(number, cells):
    if len(cells) > MAX_CELLS_PER_ROW:
        raise RosterFileError(
            _(
                "Row %(row)s has %(count)s cells; a roster row may have at most %(max)s. Delete "
                "the empty columns to the right of the participants' columns, save the file and "
                "upload it again."
            )
            % {"row": number, "count": f"{len(cells):,}", "max": f"{MAX_CELLS_PER_ROW:,}"}
        )


def _trimmed(cells, number):
    """The row without its empty cells on the right; refused if it still has more than
    MAX_COLUMNS columns."""
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    if end > MAX_COLUMNS:
        raise RosterFileError(
            _(
                "Row %(row)s has something in column %(column)s; a roster may have at most "
                "%(max)s columns. Keep only the columns about the participants and upload "
                "the file again."
            )
            % {"row": number, "column": end, "max": MAX_COLUMNS}
        )
    return cells[:end]


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
            _check_width(number, cells)
            # A file copkit wrote (the skipped rows) marks formula-looking text with an apostrophe.
            yield number, _trimmed([unescape_cell(cell.strip()) for cell in cells], number)
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
    fields, extras, columns, order = _map_header(header)
    ignored = {index for index, heading in enumerate(header) if is_problem_column(heading)}

    rows = []
    for number, cells in table:
        if not any(cells):
            continue
        if len(rows) >= max_rows:
            raise RosterFileError(too_many_rows_message(max_rows))
        values, extra = {}, {}
        for index, cell in enumerate(cells):
            if not cell or index in ignored:
                continue
            if index in fields:
                values[fields[index]] = cell
            else:
                extra[extras.get(index) or f"column {index + 1}"] = cell
        rows.append(RosterRow(number=number, values=values, extra=extra))
    if not rows:
        raise RosterFileError(_("The file has a header row but no participants under it."))
    return Roster(rows=rows, columns=columns, extra_columns=list(extras.values()), header=order)


def _map_header(header):
    fields, extras, columns, order = {}, {}, {}, []
    labels = set()  # the extra columns' labels, to tell copies apart in linear time
    for index, heading in enumerate(header):
        name = field_for_header(heading) if heading else None
        if name is None and is_problem_column(heading):
            continue  # the reason column of a skipped-rows file, fixed and sent again
        if name is None:
            base = label = heading or f"column {index + 1}"
            copy = 1
            while label in labels:
                copy += 1
                label = f"{base} ({copy})"
            extras[index] = label
            labels.add(label)
            order.append([label, None])
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
        order.append([heading, name])
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
    return fields, extras, columns, order


def _column_list(names):
    return ", ".join(str(COLUMN_LABELS[name]) for name in names)
