"""The live poll's full-screen presenter view, for a projector or a shared screen in a
webinar: no site navigation, the question and its results in large type, the join address,
code and a QR code of the phone link beside them, and the controls small at the bottom.

The QR code is drawn on the server as inline SVG (segno), so the page needs no script, no
image service and no network; the CSP's "no inline style" holds, since segno writes only
presentation attributes."""

import segno
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from cohorts.access import cohort_view
from planning.surveys.views.live import SCREEN, _session_for, present_context


def qr_svg(url):
    """An inline SVG QR code of `url`, sized by its CSS class (no width or height of its
    own), named for screen readers by the address it holds."""
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(omitsize=True, svgclass="live-qr", border=2, dark="#000", light="#fff")
    label = escape(_("QR code of %(url)s") % {"url": url})
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))  # noqa: S308 (segno's own markup, the label escaped)


@cohort_view("cohort.manage")
def live_screen(request, access, session_id):
    session = _session_for(access, session_id)
    context = present_context(request, access, session)
    context["view"] = SCREEN
    if session.is_open:
        context["qr"] = qr_svg(context["direct_url"])
    return render(request, "planning/surveys/live/screen.html", context)
