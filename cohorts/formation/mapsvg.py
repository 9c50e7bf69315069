"""Drawing a map round's organizations as an SVG, offline: no tiles, no JavaScript.

`render_map_svg(points, title=...)` takes the pins ({"id", "label", "lat", "lon", "group":
index or None}) and returns an accessible SVG (role="img", a <title> and a <desc> saying
how many organizations, groups and how far they spread). The projection is equirectangular,
scaled by the cosine of the points' mean latitude so distances east-west and north-south
look alike, and fitted to the points with some padding. The US states' outlines (Census
cartographic boundaries, public domain, shipped in `data/us_states.json`: see its README)
are drawn under the pins in the same projection, and a light graticule (every 1, 5 or 10
degrees, labelled) gives the coordinates; nothing is downloaded.

Colour is never the only cue: each group's pins share a colour from a colour-blind-safe
palette, and each group also gets an outline (its convex hull) labelled with its number;
on small maps each pin carries its group number too. Every pin has a <title>
("label — Group N") read out by screen readers and shown on hover.

An empty list of points gives an "empty state" SVG saying there is nothing to show (not an
error): a round whose people have no location yet still has a page to show.

Same input, same SVG: nothing here is random. No Django imports; plain Python.
"""

import json
import math
import re
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

__all__ = ["PALETTE", "km_to_miles", "render_map_svg"]

KM_PER_DEGREE = 111.195  # one degree of latitude (and of longitude at the equator)
MILES_PER_KM = 0.621371

# Okabe-Ito and Paul Tol's muted colours: told apart by people with the common forms of
# colour blindness, and each dark or saturated enough to read on white.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#D55E00",
    "#56B4E9",
    "#332288",
    "#117733",
    "#882255",
    "#999933",
    "#AA4499",
    "#44AA99",
)
NO_GROUP = "#6c757d"

WIDTH = 720
MIN_HEIGHT = 300
MAX_HEIGHT = 900
MARGIN = 36  # room for the graticule labels
PADDING = 0.08  # of the points' span, on each side
MIN_SPAN_DEGREES = 0.5  # one point, or points all in one place: show half a degree around
NUMBERED_PINS_UP_TO = 150  # above this, pins carry no text (the outline's number stays)
LEGEND_UP_TO = 36  # groups listed in the legend below the map

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def km_to_miles(km):
    """Kilometres in miles."""
    return km * MILES_PER_KM


def _text(value):
    """Text for an XML text node: control characters dropped, markup escaped."""
    return escape(_CONTROL.sub("", str(value)))


def _attr(value):
    """A quoted XML attribute value."""
    return quoteattr(_CONTROL.sub("", str(value)))


def _num(value):
    """A coordinate, short: 1 decimal place, no trailing zeros."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def colour(group):
    return NO_GROUP if group is None else PALETTE[group % len(PALETTE)]


def _check(points):
    cleaned = []
    for index, point in enumerate(points):
        try:
            lat, lon = float(point["lat"]), float(point["lon"])
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"point {index + 1} has no usable lat/lon") from error
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or math.isnan(lat + lon):
            raise ValueError(f"point {index + 1} is off the globe: {lat}, {lon}")
        group = point.get("group")
        if group is not None:
            group = int(group)
            if group < 0:
                raise ValueError(f"point {index + 1} has a negative group")
        cleaned.append(
            {
                "id": point.get("id", index),
                "label": point.get("label") or "",
                "lat": lat,
                "lon": lon,
                "group": group,
            }
        )
    return cleaned


class _Frame:
    """The fitted projection: degrees to SVG pixels."""

    def __init__(self, points):
        lats = [p["lat"] for p in points]
        lons = [p["lon"] for p in points]
        self.mean_lat = sum(lats) / len(lats)
        self.k = max(math.cos(math.radians(self.mean_lat)), 0.05)
        lat_lo, lat_hi = min(lats), max(lats)
        lon_lo, lon_hi = min(lons), max(lons)
        self.extent_km = (
            (lon_hi - lon_lo) * KM_PER_DEGREE * self.k,
            (lat_hi - lat_lo) * KM_PER_DEGREE,
        )
        # Projected spans (x in "degrees of latitude", so both axes share one unit).
        span_x = max((lon_hi - lon_lo) * self.k, MIN_SPAN_DEGREES * self.k)
        span_y = max(lat_hi - lat_lo, MIN_SPAN_DEGREES)
        span_x, span_y = span_x * (1 + 2 * PADDING), span_y * (1 + 2 * PADDING)
        centre_x = (lon_lo + lon_hi) / 2 * self.k
        centre_y = (lat_lo + lat_hi) / 2
        inner_w = WIDTH - 2 * MARGIN
        inner_h = inner_w * span_y / span_x
        inner_h = min(max(inner_h, MIN_HEIGHT - 2 * MARGIN), MAX_HEIGHT - 2 * MARGIN)
        # Keep one scale for both axes: widen the shorter span to the box's shape.
        scale = min(inner_w / span_x, inner_h / span_y)
        span_x, span_y = inner_w / scale, inner_h / scale
        self.scale = scale
        self.width = WIDTH
        self.map_height = inner_h + 2 * MARGIN
        self.x0 = centre_x - span_x / 2  # projected x at the left of the inner box
        self.y1 = centre_y + span_y / 2  # latitude at the top of the inner box
        self.lon_range = (self.x0 / self.k, (self.x0 + span_x) / self.k)
        self.lat_range = (centre_y - span_y / 2, self.y1)

    def xy(self, lat, lon):
        return (
            MARGIN + (lon * self.k - self.x0) * self.scale,
            MARGIN + (self.y1 - lat) * self.scale,
        )


def _step(span):
    if span <= 6:
        return 1
    if span <= 60:
        return 5
    return 10


def _degrees(value, positive, negative):
    hemisphere = positive if value >= 0 else negative
    return f"{abs(value):g}°{hemisphere}"


def _graticule(frame):
    parts = ['<g class="graticule" stroke="#dee2e6" stroke-width="1">']
    labels = ['<g class="graticule-labels" fill="#6c757d" font-size="11">']
    bottom = frame.map_height - MARGIN
    right = frame.width - MARGIN
    lon_lo, lon_hi = frame.lon_range
    lat_lo, lat_hi = frame.lat_range
    step = _step(max(lon_hi - lon_lo, lat_hi - lat_lo))
    lon = math.ceil(lon_lo / step) * step
    while lon <= lon_hi:
        x, _y = frame.xy(0, lon)
        parts.append(f'<line x1="{_num(x)}" y1="{MARGIN}" x2="{_num(x)}" y2="{_num(bottom)}"/>')
        labels.append(
            f'<text x="{_num(x)}" y="{_num(bottom + 16)}" text-anchor="middle">'
            f"{_degrees(lon, 'E', 'W')}</text>"
        )
        lon += step
    lat = math.ceil(lat_lo / step) * step
    while lat <= lat_hi:
        _x, y = frame.xy(lat, 0)
        parts.append(f'<line x1="{MARGIN}" y1="{_num(y)}" x2="{right}" y2="{_num(y)}"/>')
        labels.append(
            f'<text x="{MARGIN - 4}" y="{_num(y + 4)}" text-anchor="end">'
            f"{_degrees(lat, 'N', 'S')}</text>"
        )
        lat += step
    parts.append("</g>")
    labels.append("</g>")
    return parts + labels


STATES_FILE = Path(__file__).parent / "data" / "us_states.json"


@cache
def _states():
    """[(name, [ring of (lon, lat)], bounding box)] from the packaged outlines."""
    data = json.loads(STATES_FILE.read_text(encoding="utf-8"))
    states = []
    for state in data["states"]:
        for ring in state["rings"]:
            lons = [lon for lon, _lat in ring]
            lats = [lat for _lon, lat in ring]
            states.append((state["name"], ring, (min(lons), min(lats), max(lons), max(lats))))
    return states


def _state_outlines(frame):
    """The outlines of the states the map shows, clipped to its box, one <path> a state."""
    lon_lo, lon_hi = frame.lon_range
    lat_lo, lat_hi = frame.lat_range
    paths = {}
    for name, ring, (west, south, east, north) in _states():
        if east < lon_lo or west > lon_hi or north < lat_lo or south > lat_hi:
            continue
        xys = [frame.xy(lat, lon) for lon, lat in ring]
        d = "M" + "L".join(f"{_num(x)} {_num(y)}" for x, y in xys) + "Z"
        paths.setdefault(name, []).append(d)
    if not paths:
        return []
    out = [
        f'<clipPath id="map-box"><rect x="{MARGIN}" y="{MARGIN}" '
        f'width="{_num(frame.width - 2 * MARGIN)}" '
        f'height="{_num(frame.map_height - 2 * MARGIN)}"/></clipPath>',
        '<g class="states" clip-path="url(#map-box)" fill="#ffffff" stroke="#adb5bd" '
        'stroke-width="1" stroke-linejoin="round">',
    ]
    for name in sorted(paths):
        out.append(f'<path d="{"".join(paths[name])}" data-state={_attr(name)}/>')
    out.append("</g>")
    return out


def _convex_hull(xys):
    """Andrew's monotone chain; returns the hull's corners (fewer than 3 for degenerate)."""
    pts = sorted(set(xys))
    if len(pts) <= 2:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _spread_out(placed, radius):
    """Pins drawn at the same spot are set around it on a small spiral, in input order,
    so every one of them can be seen and hovered."""
    seen = {}
    out = []
    for x, y in placed:
        key = (round(x), round(y))
        n = seen.get(key, 0)
        seen[key] = n + 1
        if n:
            angle = n * 2.399963  # the golden angle, in radians
            distance = radius * 1.6 * math.sqrt(n)
            x, y = x + distance * math.cos(angle), y + distance * math.sin(angle)
        out.append((x, y))
    return out


def _group_name(group):
    return "No group" if group is None else f"Group {group + 1}"


def _empty_svg(title):
    return "".join(
        [
            '<svg xmlns="http://www.w3.org/2000/svg" role="img" '
            f'viewBox="0 0 {WIDTH} {MIN_HEIGHT}" class="formation-map" '
            'aria-labelledby="map-title map-desc">',
            f'<title id="map-title">{_text(title)}</title>',
            '<desc id="map-desc">No organizations with a location to show yet.</desc>',
            f'<rect x="0" y="0" width="{WIDTH}" height="{MIN_HEIGHT}" fill="#f8f9fa"/>',
            f'<text x="{WIDTH // 2}" y="{MIN_HEIGHT // 2}" text-anchor="middle" '
            'fill="#6c757d" font-size="16">No organizations with a location yet.</text>',
            "</svg>",
        ]
    )


def render_map_svg(points, *, title):
    """The pins of `points` on a plain map, as an SVG string (see the module's notes).
    Raises ValueError for a point without a usable latitude/longitude."""
    points = _check(points)
    if not points:
        return _empty_svg(title)
    frame = _Frame(points)
    count = len(points)
    numbered = count <= NUMBERED_PINS_UP_TO
    radius = 8 if numbered else (4 if count <= 600 else 3)
    placed = _spread_out([frame.xy(p["lat"], p["lon"]) for p in points], radius)

    groups = {}
    for point, xy in zip(points, placed, strict=True):
        groups.setdefault(point["group"], []).append((point, xy))
    ordered = sorted(groups, key=lambda g: (g is None, g if g is not None else 0))
    real_groups = [g for g in ordered if g is not None]

    legend_rows = ordered if len(ordered) <= LEGEND_UP_TO else []
    legend_h = 22 * math.ceil(len(legend_rows) / 4) + (12 if legend_rows else 0)
    height = frame.map_height + legend_h

    east_west, north_south = frame.extent_km
    description = (
        f"{count} organization{'s' if count != 1 else ''} in "
        f"{len(real_groups)} group{'s' if len(real_groups) != 1 else ''}"
        + (f" ({len(groups[None])} not in a group)" if None in groups else "")
        + f", spread over about {east_west:,.0f} km ({km_to_miles(east_west):,.0f} miles) "
        f"east to west and {north_south:,.0f} km ({km_to_miles(north_south):,.0f} miles) "
        "north to south."
    )

    out = [
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {frame.width} {_num(height)}" class="formation-map" '
        'aria-labelledby="map-title map-desc" font-family="system-ui, sans-serif">',
        f'<title id="map-title">{_text(title)}</title>',
        f'<desc id="map-desc">{_text(description)}</desc>',
        f'<rect x="{MARGIN}" y="{MARGIN}" width="{frame.width - 2 * MARGIN}" '
        f'height="{_num(frame.map_height - 2 * MARGIN)}" fill="#f8f9fa" stroke="#ced4da"/>',
    ]
    out += _state_outlines(frame)
    out += _graticule(frame)

    # Group outlines first, under the pins, each with its number.
    out.append('<g class="groups" stroke-width="1.5" stroke-dasharray="5 3">')
    for group in real_groups:
        members = groups[group]
        xys = [xy for _point, xy in members]
        hull = _convex_hull(xys)
        fill = colour(group)
        if len(hull) >= 3:
            corners = " ".join(f"{_num(x)},{_num(y)}" for x, y in hull)
            out.append(
                f'<polygon points="{corners}" fill="{fill}" fill-opacity="0.08" stroke="{fill}"/>'
            )
        elif len(hull) == 2:
            (xa, ya), (xb, yb) = hull
            out.append(
                f'<line x1="{_num(xa)}" y1="{_num(ya)}" x2="{_num(xb)}" y2="{_num(yb)}" '
                f'stroke="{fill}"/>'
            )
        cx = sum(x for x, _y in xys) / len(xys)
        top = min(y for _x, y in xys)
        out.append(
            f'<text x="{_num(cx)}" y="{_num(max(top - radius - 4, 12))}" text-anchor="middle" '
            f'font-size="13" font-weight="700" fill="{fill}" stroke="#fff" stroke-width="3" '
            f'stroke-dasharray="none" paint-order="stroke">{group + 1}</text>'
        )
    out.append("</g>")

    # Pins, one <g> per group so the colour is written once.
    for group in ordered:
        fill = colour(group)
        name = _group_name(group)
        hollow = group is None
        out.append(
            f'<g class="pins" data-group="{"" if hollow else group + 1}" '
            + (
                f'fill="#fff" stroke="{fill}" stroke-width="2">'
                if hollow
                else f'fill="{fill}" stroke="#fff" stroke-width="1">'
            )
        )
        for point, (x, y) in groups[group]:
            tip = _text(f"{point['label']} — {name}" if point["label"] else name)
            out.append(
                f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{radius}" data-id={_attr(point["id"])}>'
                f"<title>{tip}</title></circle>"
            )
            if numbered and not hollow:
                out.append(
                    f'<text x="{_num(x)}" y="{_num(y + 4)}" text-anchor="middle" font-size="10" '
                    f'fill="#fff" stroke="none" aria-hidden="true">{group + 1}</text>'
                )
        out.append("</g>")

    if legend_rows:
        out.append('<g class="legend" font-size="12" fill="#212529">')
        top = frame.map_height + 4
        column = (frame.width - 2 * MARGIN) / 4
        for index, group in enumerate(legend_rows):
            x = MARGIN + (index % 4) * column
            y = top + 22 * (index // 4)
            fill = colour(group)
            size = len(groups[group])
            if group is None:
                swatch = (
                    f'<circle cx="{_num(x + 7)}" cy="{_num(y + 8)}" r="6" fill="#fff" '
                    f'stroke="{fill}" stroke-width="2"/>'
                )
            else:
                swatch = (
                    f'<circle cx="{_num(x + 7)}" cy="{_num(y + 8)}" r="7" fill="{fill}"/>'
                    f'<text x="{_num(x + 7)}" y="{_num(y + 12)}" text-anchor="middle" '
                    f'font-size="10" fill="#fff">{group + 1}</text>'
                )
            out.append(
                swatch + f'<text x="{_num(x + 20)}" y="{_num(y + 12)}">'
                f"{_text(_group_name(group))} ({size})</text>"
            )
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)
