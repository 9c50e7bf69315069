"""How dates read wherever people see them, on pages and in emails alike.

- `{{ value|zoned }}`: a moment (a deadline, a closing time, a meeting) in the active zone,
  naming it: "Tuesday, March 3, 2027, 7:00 p.m. EST". An optional argument is another date
  format; the zone's abbreviation always follows it.
- `{{ value|day }}`: a day: "March 3, 2027" (a datetime is read in the active zone first).
- `{{ value|nostop }}`: a text value without its trailing full stop, for a value set inside a
  sentence that ends with its own ("... for Riverbend program." not "program..").

Views under `cohorts.access.cohort_view` run with the cohort's zone active, and emails are
rendered in it (`copkit.outbox.render_email`), so the same deadline reads the same in both.
`when_text` and `day_text` are the same helpers for sentences built in Python."""

from datetime import date, datetime

from django import template
from django.utils import formats, timezone

register = template.Library()

WHEN_FORMAT = "l, F j, Y, g:i a"
DAY_FORMAT = "F j, Y"


def when_text(value, date_format=WHEN_FORMAT):
    """ "Tuesday, March 3, 2027, 7:00 p.m. EST": `value` in the active zone, naming it."""
    if not isinstance(value, datetime):
        return value
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    text = formats.date_format(local, date_format)
    name = local.tzname()
    return f"{text} {name}" if name else without_stop(text)


def day_text(value):
    """ "March 3, 2027": the day of `value` (a datetime's in the active zone)."""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    if not isinstance(value, date):
        return value
    return formats.date_format(value, DAY_FORMAT)


def without_stop(value):
    """`value` as text without one trailing full stop (an ellipsis is kept)."""
    text = "" if value is None else str(value).rstrip()
    if text.endswith(".") and not text.endswith(".."):
        return text[:-1]
    return text


@register.filter
def zoned(value, date_format=WHEN_FORMAT):
    return when_text(value, date_format)


@register.filter
def day(value):
    return day_text(value)


@register.filter(is_safe=True)
def nostop(value):
    return without_stop(value)
