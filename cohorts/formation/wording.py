"""How formation deadlines read on pages and in lines that name a round: "Choices close on
Friday, December 4, 2026, 5:00 p.m. EST", in the style of every date people read. Used by the answer
page and by the home page's list of rounds."""

import zoneinfo

from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.templatetags.zoned import when_text


def _when(deadline, zone=None):
    """The deadline in the one style of dates people read (see `cohorts.templatetags.zoned`),
    in `zone` (a zone name) when given, else in the active zone."""
    if not zone:
        return {"when": when_text(deadline)}
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        return {"when": when_text(deadline)}


def deadline_words(deadline, now=None, zone=None):
    """ "Choices close on Friday, December 4, 2026, 5:00 p.m. EST" (or "closed on ..." once
    past)."""
    if deadline is None:
        return ""
    now = now or timezone.now()
    if deadline <= now:
        return _("Choices closed on %(when)s") % _when(deadline, zone)
    return _("Choices close on %(when)s") % _when(deadline, zone)


def closes_words(deadline, now=None, zone=None):
    """ "closes on Friday, December 4, 2026, 5:00 p.m. EST", for a line naming the round."""
    if deadline is None:
        return ""
    return _("closes on %(when)s") % _when(deadline, zone)


def names_text(items, shown=10):
    """Names as one line: the first `shown` of them, then "and N more"."""
    items = list(items)
    text = ", ".join(items[:shown])
    if len(items) > shown:
        text += " " + _("and %(count)s more") % {"count": len(items) - shown}
    return text
