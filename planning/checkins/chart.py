"""The check-in scale over time as a small SVG drawn on the server (no script, no
library): one point per answered check-in, oldest on the left, 1 at the bottom, 5 at the
top. Text is escaped; the result is safe to put in a page."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH, HEIGHT, PAD = 160, 44, 6
LEFT = 14  # room for the "5" and "1" at the left of the lines
LINE = "#0b5394"
GRID = "#c8ced3"
MUTED = "#57606a"


def _num(value):
    return f"{value:.1f}".rstrip("0").rstrip(".")


def scale_chart(points, *, label, id_prefix="scale", width=WIDTH, height=HEIGHT):
    """`points`: [(day text, scale 1-5)] oldest first. Returns the inline <svg> markup."""
    title = escape(label)
    values = ", ".join(f"{day}: {scale}" for day, scale in points)
    desc = escape(values) if points else escape("—")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" role="img" class="scale-chart"'
        f' aria-labelledby="{id_prefix}-title {id_prefix}-desc">',
        f'<title id="{id_prefix}-title">{title}</title>',
        f'<desc id="{id_prefix}-desc">{desc}</desc>',
    ]
    inner_h = height - 2 * PAD
    for level in (1, 3, 5):
        y = PAD + inner_h * (5 - level) / 4
        out.append(
            f'<line x1="{LEFT}" y1="{_num(y)}" x2="{width - PAD}" y2="{_num(y)}"'
            f' stroke="{GRID}" stroke-width="1"/>'
        )
        if level != 3:
            out.append(
                f'<text x="2" y="{_num(y + 3)}" font-size="9" fill="{MUTED}"'
                f' aria-hidden="true">{level}</text>'
            )
    if points:
        step = (width - LEFT - PAD - 4) / max(len(points) - 1, 1)
        coords = []
        for index, (day, scale) in enumerate(points):
            x = LEFT + 4 + step * index if len(points) > 1 else (width + LEFT) / 2
            y = PAD + inner_h * (5 - scale) / 4
            coords.append((x, y, day, scale))
        if len(coords) > 1:
            path = " ".join(f"{_num(x)},{_num(y)}" for x, y, _d, _s in coords)
            out.append(f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="2"/>')
        for x, y, day, scale in coords:
            out.append(
                f'<circle cx="{_num(x)}" cy="{_num(y)}" r="3" fill="{LINE}">'
                f"<title>{escape(day)}: {scale}</title></circle>"
            )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped
