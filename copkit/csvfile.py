"""One CSV writer for every export in copkit.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a formula by
spreadsheet programs; a participant who names themself `=HYPERLINK(...)` must not put a live
formula into a TTA provider's spreadsheet. Such text gets a leading apostrophe, which the
spreadsheet shows as plain text (the OWASP advice for CSV injection). Numbers stay numbers.

Reading a file back (an upload of what was downloaded), `unescape_cell` takes that apostrophe
off again, so a name or a group that starts with one of those characters round-trips.
"""

import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value as it should go into a cell: formula-looking text is made inert."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def unescape_cell(text):
    """A cell as read from a file `writer` wrote: `'=...` (or `'+`, `'-`, `'@`, a tab or a
    carriage return after the apostrophe) is the text without the apostrophe; any other
    cell is left as it is."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


class SafeWriter:
    """`csv.writer` with every cell passed through `safe_cell`."""

    def __init__(self, stream, **kwargs):
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(stream, **kwargs):
    """A CSV writer for `stream` (a file, a StringIO or an HttpResponse) that escapes formulas."""
    return SafeWriter(stream, **kwargs)
