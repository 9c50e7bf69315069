"""The rows an import skipped, written back out as a CSV file: each row's cells as the file had
them, under the file's own headings, and a last `problem` column saying why it was skipped.
Fixed and uploaded again, the file imports those rows (the `problem` column is ignored)."""

from copkit import csvfile

from .columns import PROBLEM_HEADING


def skipped_header(header, rows):
    """The headings of the skipped-rows file: the file's columns in their order, then any
    unnamed column a row ran on into, then `problem`."""
    headings = [list(pair) for pair in header]
    known = {heading for heading, name in headings if name is None}
    for row in rows:
        for name in row.values:
            if name not in {field for _heading, field in headings}:
                headings.append([name, name])  # a payload signed without its header
        for heading in row.extra:
            if heading not in known:
                known.add(heading)
                headings.append([heading, None])
    return headings


def write_skipped_rows(stream, header, rows):
    """Write `rows` (those with problems) to `stream` through copkit's CSV writer, which makes
    formula-looking cells inert."""
    headings = skipped_header(header, rows)
    writer = csvfile.writer(stream)
    writer.writerow([heading for heading, _name in headings] + [PROBLEM_HEADING])
    for row in rows:
        cells = [
            row.values.get(name, "") if name else row.extra.get(heading, "")
            for heading, name in headings
        ]
        writer.writerow([*cells, " ".join(row.errors)])
