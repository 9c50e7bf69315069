"""The web of needs and expertise drawn as an SVG picture: the paper drawing a COP makes after
the ball-of-twine game, made from the confirmed connections.

Pure Python: it takes plain data (people and threads), knows nothing of requests or the
database, and returns a complete standalone SVG document as a string.

- Members are nodes on a circle. Up to 30 their names sit level beside the node; beyond
  that the names run along the spokes (a chord-diagram layout) so 60 or more stay legible.
  Font size, node size and radius scale with the number of members; long names are
  shortened, with the full name in the node's <title>.
- Each helper of a need is an arrow from the member with the need to the helper; two
  members who help each other get two curved arrows instead of one line drawn twice.
- Members with no connection either way are drawn with a dashed outline; a legend says so.
- Only presentation attributes (fill, stroke, font-size...), never a style attribute, so the
  SVG can sit inline in a page under a strict Content Security Policy.
- The same input gives the same output, byte for byte.
"""

import math
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape as _escape

# Palette (contrast checked on white): ink for text, brand for connected members and arrows.
INK = "#212529"
MUTED = "#5c636a"
BRAND = "#1f4e79"
CONNECTED_FILL = "#d6e4f0"
ARROW = "#2b6a9e"
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"

LEVEL_LABELS_UP_TO = 30  # beyond this many members, names run along the spokes
CHAR_WIDTH = 0.6  # a generous estimate of a character's width, in ems
MARGIN = 16


@dataclass(frozen=True)
class Person:
    """A member: `key` identifies them in threads; `name` is shown."""

    key: str
    name: str


@dataclass(frozen=True)
class Thread:
    """A confirmed connection: `helper` can help `need_owner` with `topic`."""

    need_owner: str
    helper: str
    topic: str = ""


@dataclass(frozen=True)
class Labels:
    """The words of the picture, so a caller can pass them translated."""

    title: str = "Web of needs and expertise"
    empty: str = "No members yet."
    connected: str = "Member with at least one connection"
    unconnected: str = "Not yet connected (dashed outline)"
    arrow: str = "Arrow: from the member with a need to the member who can help"
    thread: str = "{owner} needs help with {topic}; {helper} can help"
    thread_no_topic: str = "{owner} gets help from {helper}"
    summary: str = (
        "Members: {members}. Connections: {connections}. Not yet connected: {unconnected}."
    )


@dataclass
class Node:
    person: Person
    x: float
    y: float
    angle: float
    label: str
    connected: bool
    label_x: float = 0.0
    label_y: float = 0.0
    anchor: str = "middle"
    rotate: float | None = None


@dataclass
class Layout:
    """Where everything goes: nodes (in drawing order), sizes and the picture's bounds."""

    nodes: list[Node]
    font_size: float
    node_radius: float
    radius: float
    level_labels: bool
    min_x: float = 0.0
    min_y: float = 0.0
    width: float = 0.0
    height: float = 0.0
    legend_y: float = 0.0


# -- text --------------------------------------------------------------------------------

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text):
    """One line of text without the characters XML cannot hold."""
    return " ".join(_NOT_XML.sub("", str(text)).split())


def text(value):
    """Escape for element content."""
    return _escape(clean(value))


def attr(value):
    """Escape for a double-quoted attribute value."""
    return _escape(clean(value), {'"': "&quot;"})


def shorten(name, limit):
    """`name` cut to `limit` characters with an ellipsis when it is longer."""
    name = clean(name)
    if len(name) <= limit:
        return name
    return name[: limit - 1].rstrip() + "\u2026"


def num(value):
    """A coordinate as short, stable text: one decimal, no '-0'."""
    out = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if out in {"-0", ""} else out


# -- layout ------------------------------------------------------------------------------


def sizes(n):
    """Font size, node radius, ring radius and name length for `n` members."""
    font = round(max(11.0, 15.0 - n / 10), 1)
    node_radius = round(max(6.0, 13.0 - n / 6), 1)
    if n <= LEVEL_LABELS_UP_TO:
        limit = 20
        # Room along the ring for a node and a line of text between neighbours, and, near
        # the top and bottom where level names stack up, enough rise between neighbours.
        radius = max(150.0, n * 13.0, n * font * 2.4 / (2 * math.pi), font * n * n / 45)
    else:
        limit = 22
        radius = max(200.0, n * 5.0, n * font * 1.5 / (2 * math.pi))
    return font, node_radius, radius, limit


def layout(people, threads, labels=None):
    """Place `people` (sorted by name, then key, so the order never depends on the input's)
    on a circle and work out the picture's bounds. Returns a Layout."""
    labels = labels or Labels()
    people = sorted(
        {p.key: p for p in people}.values(), key=lambda p: (clean(p.name).casefold(), p.key)
    )
    keys = {p.key for p in people}
    linked = set()
    for thread in threads:
        if (
            thread.need_owner in keys
            and thread.helper in keys
            and thread.need_owner != thread.helper
        ):
            linked.update((thread.need_owner, thread.helper))
    n = len(people)
    font, node_radius, radius, limit = sizes(n)
    level = n <= LEVEL_LABELS_UP_TO
    gap = node_radius + 5
    nodes = []
    for index, person in enumerate(people):
        # Start at the top and go clockwise (SVG's y axis points down).
        angle = -math.pi / 2 + 2 * math.pi * index / n if n else 0.0
        x, y = (radius * math.cos(angle), radius * math.sin(angle)) if n > 1 else (0.0, 0.0)
        node = Node(
            person=person,
            x=x,
            y=y,
            angle=angle,
            label=shorten(person.name, limit),
            connected=person.key in linked,
        )
        cos, sin = math.cos(angle), math.sin(angle)
        if n == 1:
            node.label_x, node.label_y, node.anchor = 0.0, gap + font, "middle"
        elif level:
            # Level names beside the node, pointing away from the centre.
            node.label_x = x + cos * gap
            node.label_y = y + sin * gap
            if cos > 0.2:
                node.anchor = "start"
                node.label_y += font * 0.35
            elif cos < -0.2:
                node.anchor = "end"
                node.label_y += font * 0.35
            else:
                node.anchor = "middle"
                node.label_y += font * 0.9 if sin > 0 else -font * 0.25
        else:
            # Names along the spokes, turned so they never read upside down.
            node.label_x = x + cos * gap
            node.label_y = y + sin * gap
            degrees = math.degrees(angle)
            if cos >= 0:
                node.anchor, node.rotate = "start", degrees
            else:
                node.anchor, node.rotate = "end", degrees + 180
        nodes.append(node)
    result = Layout(
        nodes=nodes, font_size=font, node_radius=node_radius, radius=radius, level_labels=level
    )
    _bounds(result, labels)
    return result


def _label_box(node, font):
    """The rough box (x0, y0, x1, y1) of a node's name."""
    width = len(node.label) * font * CHAR_WIDTH
    if node.rotate is not None:
        # Along the spoke: the far end sits `width` further out.
        cos, sin = math.cos(node.angle), math.sin(node.angle)
        far_x, far_y = node.label_x + cos * width, node.label_y + sin * width
        return (
            min(node.label_x, far_x) - font / 2,
            min(node.label_y, far_y) - font / 2,
            max(node.label_x, far_x) + font / 2,
            max(node.label_y, far_y) + font / 2,
        )
    if node.anchor == "start":
        x0 = node.label_x
    elif node.anchor == "end":
        x0 = node.label_x - width
    else:
        x0 = node.label_x - width / 2
    return (x0, node.label_y - font, x0 + width, node.label_y + font * 0.3)


def _legend_width(labels, font):
    longest = max(len(labels.connected), len(labels.unconnected), len(labels.arrow))
    return 40 + longest * font * CHAR_WIDTH


def _bounds(result, labels):
    font = result.font_size
    if result.nodes:
        boxes = [_label_box(node, font) for node in result.nodes]
        r = result.radius + result.node_radius
        x0 = min([-r, *(b[0] for b in boxes)])
        y0 = min([-r, *(b[1] for b in boxes)])
        x1 = max([r, *(b[2] for b in boxes)])
        y1 = max([r, *(b[3] for b in boxes)])
    else:
        x0, y0, x1, y1 = -150.0, -30.0, 150.0, 30.0
    # The picture is centred on the ring; the legend goes underneath, left-aligned.
    half = max(-x0, x1, _legend_width(labels, font) / 2)
    result.min_x = math.floor(-half - MARGIN)
    result.min_y = math.floor(y0 - MARGIN)
    result.width = math.ceil(2 * (half + MARGIN))
    result.legend_y = y1 + MARGIN + font
    legend_height = 3 * font * 1.8 if result.nodes else 0
    result.height = math.ceil(result.legend_y + legend_height - result.min_y + MARGIN)


# -- drawing -----------------------------------------------------------------------------


def _arrow_path(a, b, node_radius, curved):
    """The path `d` from node `a` to node `b`, stopping short of both circles."""
    dx, dy = b.x - a.x, b.y - a.y
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    if not curved:
        sx, sy = a.x + ux * (node_radius + 2), a.y + uy * (node_radius + 2)
        ex, ey = b.x - ux * (node_radius + 3), b.y - uy * (node_radius + 3)
        return f"M{num(sx)} {num(sy)}L{num(ex)} {num(ey)}"
    # Bend to the left of the direction of travel: the arrow back bends the other way.
    bend = 0.18 * length
    px, py = uy, -ux
    cx, cy = (a.x + b.x) / 2 + px * bend, (a.y + b.y) / 2 + py * bend
    start = _towards(a, cx, cy, node_radius + 2)
    end = _towards(b, cx, cy, node_radius + 3)
    return f"M{num(start[0])} {num(start[1])}Q{num(cx)} {num(cy)} {num(end[0])} {num(end[1])}"


def _towards(node, x, y, distance):
    dx, dy = x - node.x, y - node.y
    length = math.hypot(dx, dy) or 1.0
    return node.x + dx / length * distance, node.y + dy / length * distance


def arrows(result, threads, labels):
    """One arrow per (owner, helper) pair, its tooltip naming every topic it carries.
    Returns (owner node, helper node, curved, tooltip) in a stable order."""
    by_key = {node.person.key: node for node in result.nodes}
    topics = {}
    for thread in threads:
        if (
            thread.need_owner in by_key
            and thread.helper in by_key
            and thread.need_owner != thread.helper
        ):
            topics.setdefault((thread.need_owner, thread.helper), set()).add(clean(thread.topic))
    order = {node.person.key: index for index, node in enumerate(result.nodes)}
    drawn = []
    for owner, helper in sorted(topics, key=lambda pair: (order[pair[0]], order[pair[1]])):
        owner_node, helper_node = by_key[owner], by_key[helper]
        named = sorted((t for t in topics[(owner, helper)] if t), key=str.casefold)
        if named:
            tip = labels.thread.format(
                owner=clean(owner_node.person.name),
                helper=clean(helper_node.person.name),
                topic="; ".join(named),
            )
        else:
            tip = labels.thread_no_topic.format(
                owner=clean(owner_node.person.name), helper=clean(helper_node.person.name)
            )
        drawn.append((owner_node, helper_node, (helper, owner) in topics, tip))
    return drawn


def render_svg(people, threads, *, title="", labels=None, id_prefix="web"):
    """The complete standalone SVG document of the web, as a string."""
    labels = labels or Labels()
    result = layout(people, threads, labels)
    drawn = arrows(result, threads, labels)
    font = result.font_size
    unconnected = sum(1 for node in result.nodes if not node.connected)
    title = title or labels.title
    summary = labels.summary.format(
        members=len(result.nodes), connections=len(drawn), unconnected=unconnected
    )
    view_box = f"{num(result.min_x)} {num(result.min_y)} {num(result.width)} {num(result.height)}"
    marker = f"{id_prefix}-arrowhead"
    out = [
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1"'
        f' width="{num(result.width)}" height="{num(result.height)}" viewBox="{view_box}"'
        f' role="img" aria-labelledby="{id_prefix}-title {id_prefix}-desc"'
        f' font-family="{attr(FONT_FAMILY)}" font-size="{num(font)}" class="web-svg">',
        f'<title id="{id_prefix}-title">{text(title)}</title>',
        f'<desc id="{id_prefix}-desc">{text(summary)}</desc>',
        "<defs>",
        f'<marker id="{marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="10"'
        ' markerHeight="10" markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
        f'<path d="M0 0L10 5L0 10z" fill="{ARROW}"/></marker>',
        "</defs>",
        f'<rect x="{num(result.min_x)}" y="{num(result.min_y)}" width="{num(result.width)}"'
        f' height="{num(result.height)}" fill="#ffffff"/>',
    ]
    if not result.nodes:
        out.append(
            f'<text x="0" y="0" text-anchor="middle" fill="{MUTED}">{text(labels.empty)}</text>'
        )
        out.append("</svg>")
        return "\n".join(out) + "\n"

    out.append(f'<g class="web-arrows" fill="none" stroke="{ARROW}" stroke-width="1.6">')
    for owner_node, helper_node, curved, tip in drawn:
        d = _arrow_path(owner_node, helper_node, result.node_radius, curved)
        out.append(
            f'<path class="web-arrow" d="{d}" marker-end="url(#{marker})">'
            f"<title>{text(tip)}</title></path>"
        )
    out.append("</g>")

    out.append(f'<g class="web-nodes" fill="{INK}">')
    for node in result.nodes:
        state = "connected" if node.connected else "unconnected"
        circle = f'<circle cx="{num(node.x)}" cy="{num(node.y)}" r="{num(result.node_radius)}"' + (
            f' fill="{CONNECTED_FILL}" stroke="{BRAND}" stroke-width="2"/>'
            if node.connected
            else f' fill="#ffffff" stroke="{MUTED}" stroke-width="2" stroke-dasharray="4 3"/>'
        )
        transform = ""
        if node.rotate is not None:
            transform = (
                f' transform="rotate({num(node.rotate)} {num(node.label_x)} {num(node.label_y)})"'
                ' dominant-baseline="central"'
            )
        label = (
            f'<text x="{num(node.label_x)}" y="{num(node.label_y)}"'
            f' text-anchor="{node.anchor}"{transform}>{text(node.label)}</text>'
        )
        out.append(
            f'<g class="web-node web-node-{state}"><title>{text(node.person.name)}</title>'
            f"{circle}{label}</g>"
        )
    out.append("</g>")
    out.extend(_legend(result, labels, marker))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _legend(result, labels, marker):
    font = result.font_size
    r = min(result.node_radius, font * 0.6)
    x = result.min_x + MARGIN
    step = font * 1.8
    y = result.legend_y
    rows = [
        f'<g class="web-legend" fill="{INK}">',
        f'<circle cx="{num(x + 12)}" cy="{num(y)}" r="{num(r)}" fill="{CONNECTED_FILL}"'
        f' stroke="{BRAND}" stroke-width="2"/>',
        f'<text x="{num(x + 34)}" y="{num(y + font * 0.35)}">{text(labels.connected)}</text>',
        f'<circle cx="{num(x + 12)}" cy="{num(y + step)}" r="{num(r)}" fill="#ffffff"'
        f' stroke="{MUTED}" stroke-width="2" stroke-dasharray="4 3"/>',
        f'<text x="{num(x + 34)}" y="{num(y + step + font * 0.35)}">'
        f"{text(labels.unconnected)}</text>",
        f'<path d="M{num(x)} {num(y + 2 * step)}L{num(x + 26)} {num(y + 2 * step)}"'
        f' stroke="{ARROW}" stroke-width="1.6" fill="none" marker-end="url(#{marker})"/>',
        f'<text x="{num(x + 34)}" y="{num(y + 2 * step + font * 0.35)}">'
        f"{text(labels.arrow)}</text>",
        "</g>",
    ]
    return rows
