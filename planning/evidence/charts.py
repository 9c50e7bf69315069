"""Run charts: one or more values per month, drawn on the server, no script or library.

`RunChart` works out the geometry once (points in a box `width` wide and `height` high); `svg()`
writes it as inline SVG for the pages (with a title and a description, the table beside it
saying the same in text), and `planning.evidence.exports` draws the same lines with fpdf2. A
single line gets its median as a dashed line, as run charts do: a run of points above or
below it shows a change that is more than noise. A month with nothing to show (no figure, or
a figure hidden from the viewer) leaves a gap in the line.
"""

from dataclasses import dataclass
from statistics import median

from django.utils.html import escape
from django.utils.safestring import mark_safe

GRID = "#c8ced3"
MUTED = "#57606a"
COLORS = ("#0b5394", "#2e7d32", "#b26a00", "#b3261e", "#6f42c1")
LEFT, RIGHT, TOP, BOTTOM = 40, 24, 10, 22


def _num(value):
    return f"{value:.1f}".rstrip("0").rstrip(".")


@dataclass
class Series:
    name: str
    values: list  # one per label; None: nothing to show
    color: str = COLORS[0]


class RunChart:
    def __init__(self, labels, series, *, title, unit="", top=None, width=560, height=200):
        self.labels = list(labels)
        self.series = list(series)
        self.title = title
        self.unit = unit
        self.width, self.height = width, height
        shown = [v for s in self.series for v in s.values if v is not None]
        self.top = top if top is not None else max([*shown, 1])
        self.top = max(self.top, 1)
        self.legend = self._legend() if len(self.series) > 1 else []
        self.height += 18 * len({y for _x, y, _s in self.legend})
        self.plot_height = height
        self.median = None
        if len(self.series) == 1:
            values = [v for v in self.series[0].values if v is not None]
            self.median = median(values) if values else None

    # -- geometry --

    def _legend(self):
        """[(x, row, series)]: the legend's items, wrapped into rows under the chart."""
        items, x, row = [], LEFT, 0
        for series in self.series:
            wide = 18 + 7 * len(series.name)
            if x + wide > self.width - RIGHT and x > LEFT:
                x, row = LEFT, row + 1
            items.append((x, row, series))
            x += wide
        return items

    def x(self, index):
        inner = self.width - LEFT - RIGHT
        if len(self.labels) < 2:
            return LEFT + inner / 2
        return LEFT + inner * index / (len(self.labels) - 1)

    def y(self, value):
        inner = self.plot_height - TOP - BOTTOM
        return TOP + inner * (1 - value / self.top)

    def segments(self, series):
        """The runs of consecutive points of `series`: [[(x, y, label, value)]]."""
        runs, run = [], []
        for index, value in enumerate(series.values):
            if value is None:
                if run:
                    runs.append(run)
                run = []
                continue
            run.append((self.x(index), self.y(value), self.labels[index], value))
        if run:
            runs.append(run)
        return runs

    def axis_labels(self):
        """[(index, label)] of the months written under the axis: about six, the last one
        always, none so close to it that they overlap."""
        last = len(self.labels) - 1
        step = max(1, len(self.labels) // 6)
        return [
            (index, label)
            for index, label in enumerate(self.labels)
            if index == last or (index % step == 0 and last - index >= step)
        ]

    def gridlines(self):
        return [(0, self.y(0)), (self.top, self.y(self.top))]

    def description(self):
        parts = []
        for s in self.series:
            values = ", ".join(
                f"{label} {'—' if v is None else _num(v) + self.unit}"
                for label, v in zip(self.labels, s.values, strict=True)
            )
            parts.append(f"{s.name}: {values}" if len(self.series) > 1 else values)
        return "; ".join(parts)

    # -- SVG --

    def svg(self, id_prefix):
        w, h = self.width, self.height
        out = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img"'
            f' class="run-chart"'
            f' aria-labelledby="{id_prefix}-title {id_prefix}-desc">',
            f'<title id="{id_prefix}-title">{escape(self.title)}</title>',
            f'<desc id="{id_prefix}-desc">{escape(self.description())}</desc>',
        ]
        for value, y in self.gridlines():
            out.append(
                f'<line x1="{LEFT}" y1="{_num(y)}" x2="{w - RIGHT}" y2="{_num(y)}"'
                f' stroke="{GRID}" stroke-width="1"/>'
                f'<text x="{LEFT - 4}" y="{_num(y + 4)}" font-size="11" fill="{MUTED}"'
                f' text-anchor="end" aria-hidden="true">{_num(value)}{escape(self.unit)}</text>'
            )
        for index, label in self.axis_labels():
            anchor = "end" if index == len(self.labels) - 1 and index else "middle"
            out.append(
                f'<text x="{_num(self.x(index))}" y="{self.plot_height - 6}" font-size="11"'
                f' fill="{MUTED}"'
                f' text-anchor="{anchor}" aria-hidden="true">{escape(label)}</text>'
            )
        if self.median is not None:
            y = _num(self.y(self.median))
            out.append(
                f'<line x1="{LEFT}" y1="{y}" x2="{w - RIGHT}" y2="{y}" stroke="{MUTED}"'
                f' stroke-width="1" stroke-dasharray="4 3"/>'
            )
        for s in self.series:
            for run in self.segments(s):
                if len(run) > 1:
                    points = " ".join(f"{_num(x)},{_num(y)}" for x, y, _l, _v in run)
                    out.append(
                        f'<polyline points="{points}" fill="none" stroke="{s.color}"'
                        f' stroke-width="2"/>'
                    )
                for x, y, label, value in run:
                    out.append(
                        f'<circle cx="{_num(x)}" cy="{_num(y)}" r="3" fill="{s.color}">'
                        f"<title>{escape(s.name)} · {escape(label)}: {_num(value)}"
                        f"{escape(self.unit)}</title></circle>"
                    )
        for x, row, series in self.legend:
            y = self.plot_height + 12 + 18 * row
            out.append(
                f'<circle cx="{x + 5}" cy="{y - 4}" r="5" fill="{series.color}"/>'
                f'<text x="{x + 14}" y="{y}" font-size="12" fill="#212529">'
                f"{escape(series.name)}</text>"
            )
        out.append("</svg>")
        return mark_safe("".join(out))  # noqa: S308 - every text above is escaped


def value_of(figure):
    """A Figure's number for a chart: None when hidden or empty."""
    if figure is None or figure.hidden or figure.value is None:
        return None
    return figure.value
