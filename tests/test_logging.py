"""The request log: a 403 is one line (who was refused what), not a traceback; a 500 keeps
its traceback."""

import logging

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from copkit.logfilters import OneLineForbidden


def one_line(record):
    return logging.Formatter("%(levelname)s %(name)s %(message)s").format(record)


def test_a_403_is_logged_as_one_warning_line(world, client_for, caplog):
    caplog.set_level(logging.WARNING, logger="django.request")
    response = client_for("participant").get(reverse("cohorts:cohort-create"))
    assert response.status_code == 403

    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.WARNING
    assert record.status_code == 403
    assert record.exc_info is None
    line = one_line(record)
    assert "\n" not in line and "Traceback" not in line
    assert line == "WARNING django.request Forbidden (Permission denied): /c/new/"
    # The person still sees the page that says why.
    assert "Your role in this cohort does not allow this page" in response.content.decode()


def test_a_reason_given_with_the_403_stays_on_the_line():
    try:
        raise PermissionDenied("Notes are the pair's to write")
    except PermissionDenied as exc:
        record = _request_record(403, exc)
    assert OneLineForbidden().filter(record)
    assert record.exc_info is None
    assert one_line(record) == (
        "WARNING django.request Forbidden (Permission denied): /x/ (Notes are the pair's to write)"
    )


def test_a_server_error_keeps_its_traceback():
    try:
        raise ValueError("boom")
    except ValueError as exc:
        record = _request_record(500, exc, level=logging.ERROR, msg="Internal Server Error: %s")
    assert OneLineForbidden().filter(record)
    assert record.exc_info is not None
    assert "Traceback" in one_line(record)


def _request_record(status, exc, level=logging.WARNING, msg="Forbidden (Permission denied): %s"):
    record = logging.LogRecord(
        "django.request", level, __file__, 1, msg, ("/x/",), (type(exc), exc, exc.__traceback__)
    )
    record.status_code = status
    return record
