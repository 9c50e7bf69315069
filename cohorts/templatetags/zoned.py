"""`{{ value|zoned }}`: a date and time people read, in the active zone and naming it.

Views under `cohorts.access.cohort_view` run with the cohort's zone active, and emails are
rendered in it (`copkit.outbox.render_email`), so a deadline reads as
"Mar 3, 2027, 5:00 p.m. CST" for a cohort in America/Chicago. An optional argument is a
date format ("F j, Y, P"); the zone's abbreviation follows it."""

from datetime import datetime

from django import template
from django.utils import formats, timezone

register = template.Library()


@register.filter
def zoned(value, date_format="DATETIME_FORMAT"):
    if not isinstance(value, datetime):
        return value
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    text = formats.date_format(local, date_format)
    name = local.tzname()
    return f"{text} {name}" if name else text
