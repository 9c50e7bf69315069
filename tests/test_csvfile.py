"""copkit's CSV writer makes formula-looking text inert, and `unescape_cell` reads it back."""

import csv
import io

import pytest

from copkit.csvfile import unescape_cell, writer


@pytest.mark.parametrize("text", ["=HYPERLINK(1)", "+1", "-North", "@here", "\tx", "plain", ""])
def test_what_the_writer_escapes_reads_back_as_written(text):
    stream = io.StringIO()
    writer(stream).writerow([text])
    (cell,) = next(csv.reader(io.StringIO(stream.getvalue())))
    assert unescape_cell(cell) == text


@pytest.mark.parametrize("text", ["'quoted", "'", "it's", "'a=b"])
def test_an_apostrophe_before_anything_else_stays(text):
    assert unescape_cell(text) == text
