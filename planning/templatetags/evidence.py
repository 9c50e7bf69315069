"""`{{ figure|fig }}`: an evidence figure as the viewer may read it: the number, "—" when
there is nothing to count, or "fewer than 5" when its group is too small for them."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from copkit.privacy import MIN_GROUP

register = template.Library()


@register.filter
def fig(figure, suffix=""):
    if figure is None:
        return "—"
    if figure.hidden:
        return format_html(
            '<span class="text-body-secondary fst-italic">{}</span>',
            _("fewer than %(n)s") % {"n": MIN_GROUP},
        )
    if figure.value is None:
        return "—"
    return f"{figure.value}{suffix}"


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
