"""The offline map of a map round (cohorts/formation/mapsvg.py): a plain, accessible SVG."""

import random
import xml.etree.ElementTree as ET

import pytest

from cohorts.formation.mapsvg import PALETTE, km_to_miles, render_map_svg

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg):
    return ET.fromstring(svg)  # noqa: S314 -- our own output, not untrusted input


def pins(root):
    return root.findall(f".//{SVG}g[@class='pins']/{SVG}circle")


def virginia(n=12, groups=3):
    return [
        {
            "id": f"p{i}",
            "label": f"Org {i}",
            "lat": 37.0 + (i % 5) * 0.3,
            "lon": -78.0 - (i // 5) * 0.4,
            "group": i % groups,
        }
        for i in range(n)
    ]


def test_an_accessible_svg_with_one_pin_per_point():
    svg = render_map_svg(virginia(), title="Spring COPs by place")
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Spring COPs by place"
    desc = root.find(f"{SVG}desc").text
    assert desc.startswith("12 organizations in 3 groups") and "km" in desc and "miles" in desc
    assert len(pins(root)) == 12
    # Each pin says who it is and which group, for screen readers and on hover.
    titles = [c.find(f"{SVG}title").text for c in pins(root)]
    assert "Org 0 — Group 1" in titles and "Org 4 — Group 2" in titles
    assert {c.get("data-id") for c in pins(root)} == {f"p{i}" for i in range(12)}


def test_each_group_has_its_own_colour_and_number():
    root = parse(render_map_svg(virginia(n=24, groups=4), title="t"))
    by_group = {
        g.get("data-group"): g.get("fill") for g in root.iter(f"{SVG}g") if g.get("class") == "pins"
    }
    assert by_group == {str(i + 1): PALETTE[i] for i in range(4)}
    # Not colour alone: each group's outline carries its number, and so do small maps' pins.
    outline_numbers = [t.text for t in root.find(f".//{SVG}g[@class='groups']").iter(f"{SVG}text")]
    assert outline_numbers == ["1", "2", "3", "4"]
    pin_numbers = [t.text for t in root.find(f".//{SVG}g[@data-group='2']").iter(f"{SVG}text")]
    assert pin_numbers == ["2"] * 6
    assert len(root.findall(f".//{SVG}g[@class='groups']/{SVG}polygon")) == 4


def test_people_without_a_group_are_hollow_grey_pins():
    points = virginia(n=4)
    points[0]["group"] = None
    root = parse(render_map_svg(points, title="t"))
    ungrouped = root.find(f".//{SVG}g[@data-group='']")
    assert ungrouped.get("fill") == "#fff"
    assert ungrouped.find(f"{SVG}circle/{SVG}title").text == "Org 0 — No group"
    assert "(1 not in a group)" in root.find(f"{SVG}desc").text


def test_labels_and_titles_are_escaped():
    points = [
        {"id": '"><script>', "label": "<b>Tom & Jerry's</b>\x01", "lat": 40, "lon": -75, "group": 0}
    ]
    svg = render_map_svg(points, title="A < B & C")
    assert "<script>" not in svg and "<b>" not in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == "A < B & C"
    assert pins(root)[0].find(f"{SVG}title").text == "<b>Tom & Jerry's</b> — Group 1"
    assert pins(root)[0].get("data-id") == '"><script>'


def test_one_point_and_identical_points():
    root = parse(
        render_map_svg(
            [{"id": 1, "label": "Solo", "lat": 38.9, "lon": -77.0, "group": 0}], title="t"
        )
    )
    assert len(pins(root)) == 1
    assert root.find(f"{SVG}desc").text.startswith("1 organization in 1 group")
    same = [{"id": i, "label": f"O{i}", "lat": 38.9, "lon": -77.0, "group": 0} for i in range(5)]
    root = parse(render_map_svg(same, title="t"))
    spots = {(c.get("cx"), c.get("cy")) for c in pins(root)}
    assert len(spots) == 5  # spread around the spot so each can be seen


def test_graticule_is_labelled_in_degrees():
    root = parse(render_map_svg(virginia(), title="t"))
    labels = [t.text for t in root.find(f".//{SVG}g[@class='graticule-labels']")]
    assert "37°N" in labels and "78°W" in labels
    wide = [
        {"id": 1, "label": "", "lat": 47.6, "lon": -122.3, "group": 0},
        {"id": 2, "label": "", "lat": 25.8, "lon": -80.2, "group": 1},
    ]
    labels = [
        t.text
        for t in parse(render_map_svg(wide, title="t")).find(
            f".//{SVG}g[@class='graticule-labels']"
        )
    ]
    assert "120°W" in labels and "30°N" in labels and "121°W" not in labels


def test_the_same_input_draws_the_same_svg():
    assert render_map_svg(virginia(), title="t") == render_map_svg(virginia(), title="t")


def test_empty_gives_an_empty_state_svg_and_bad_points_raise():
    root = parse(render_map_svg([], title="Nobody yet"))
    assert root.get("role") == "img"
    assert "No organizations with a location" in root.find(f"{SVG}desc").text
    with pytest.raises(ValueError, match="point 1"):
        render_map_svg([{"id": 1, "label": "x", "lat": None, "lon": 3}], title="t")
    with pytest.raises(ValueError, match="off the globe"):
        render_map_svg([{"id": 1, "label": "x", "lat": 95, "lon": 3}], title="t")


def test_two_thousand_pins_small():
    rng = random.Random(5)
    points = [
        {
            "id": i,
            "label": f"Organization {i}",
            "lat": rng.uniform(25, 48),
            "lon": rng.uniform(-123, -70),
            "group": i // 10,
        }
        for i in range(2000)
    ]
    # How fast it renders is the benchmark's target (`formbench`), not a test's.
    svg = render_map_svg(points, title="Nationwide")
    root = parse(svg)
    assert len(pins(root)) == 2000
    # No visible per-pin text at this size; outlines keep each group's number.
    assert not root.findall(f".//{SVG}g[@class='pins']/{SVG}text")
    assert len(svg) < 400_000
    assert root.find(f".//{SVG}g[@class='legend']") is None  # 200 groups: no legend


def test_km_to_miles():
    assert km_to_miles(100) == pytest.approx(62.1371)
    assert km_to_miles(0) == 0
