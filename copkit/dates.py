"""The years a date typed into a form may fall in.

Dates and moments typed into a form are combined with a time zone or a length of time
(a meeting's start in its community's zone, a deadline stored in UTC, a schedule stepping
through months). At the ends of the calendar (9999-12-31, or 0001-01-01 east of UTC) that
arithmetic leaves what Python can represent and the request fails. No date of a capacity
building program is that far off: every date field of a form takes `sane_year`.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 1900
LAST_YEAR = 2200


def sane_year(value):
    """A validator for date and datetime fields: refuse years before 1900 or after 2200."""
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            _("Enter a date between the years %(first)d and %(last)d."),
            code="year_out_of_range",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )
