"""How formation deadlines read on pages and in lines that name a round: "Choices close on
Friday 4 December at 5 pm". Used by the answer page and by the home page's list of rounds."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def _time_words(moment):
    """ "5 pm", "5:30 pm", "noon"."""
    if moment.minute == 0 and moment.hour == 12:
        return _("noon")
    if moment.minute == 0 and moment.hour == 0:
        return _("midnight")
    hour = moment.hour % 12 or 12
    suffix = _("am") if moment.hour < 12 else _("pm")
    if moment.minute:
        return f"{hour}:{moment.minute:02d} {suffix}"
    return f"{hour} {suffix}"


def _when(deadline, now):
    local = timezone.localtime(deadline)
    day = date_format(local, "l j F")
    if local.year != timezone.localtime(now).year:
        day = date_format(local, "l j F Y")
    return {"day": day, "time": _time_words(local)}


def deadline_words(deadline, now=None):
    """ "Choices close on Friday 4 December at 5 pm" (or "closed on ..." once past)."""
    if deadline is None:
        return ""
    now = now or timezone.now()
    if deadline <= now:
        return _("Choices closed on %(day)s at %(time)s") % _when(deadline, now)
    return _("Choices close on %(day)s at %(time)s") % _when(deadline, now)


def closes_words(deadline, now=None):
    """ "closes on Friday 4 December at 5 pm", for a line that names the round first."""
    if deadline is None:
        return ""
    return _("closes on %(day)s at %(time)s") % _when(deadline, now or timezone.now())


def names_text(items, shown=10):
    """Names as one line: the first `shown` of them, then "and N more"."""
    items = list(items)
    text = ", ".join(items[:shown])
    if len(items) > shown:
        text += " " + _("and %(count)s more") % {"count": len(items) - shown}
    return text
