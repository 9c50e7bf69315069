"""planning/needs/expertise_web.py: the web of needs and expertise drawn as a standalone SVG,
from plain data."""

import re
import xml.etree.ElementTree as ET

from planning.needs.expertise_web import (
    LEVEL_LABELS_UP_TO,
    Labels,
    Person,
    Thread,
    layout,
    render_svg,
    shorten,
)

NS = "{http://www.w3.org/2000/svg}"

PEOPLE = [
    Person("pat", "Pat Participant"),
    Person("lee", "Lee Leader"),
    Person("ana", "Ana Alvarez"),
    Person("mo", "Mo Moreno"),
]
THREADS = [
    Thread("pat", "ana", "Board development"),  # Pat needs, Ana helps
    Thread("ana", "pat", "Raising funds"),  # and back: two curved arrows
    Thread("lee", "ana", "Volunteers"),
    Thread("lee", "ana", "Board development"),  # same pair again: one arrow, both topics
]


def parse(svg):
    return ET.fromstring(svg)  # noqa: S314 (parsing copkit's own output in a test)


def node_groups(root, state=None):
    found = [g for g in root.iter(f"{NS}g") if "web-node" in g.get("class", "").split()]
    if state:
        found = [g for g in found if f"web-node-{state}" in g.get("class").split()]
    return found


def arrows(root):
    return root.findall(f".//{NS}path[@class='web-arrow']")


def test_every_node_and_arrow_is_drawn():
    root = parse(render_svg(PEOPLE, THREADS, title="Board Builders"))
    assert root.tag == f"{NS}svg"
    names = sorted(g.find(f"{NS}title").text for g in node_groups(root))
    assert names == ["Ana Alvarez", "Lee Leader", "Mo Moreno", "Pat Participant"]
    tips = sorted(path.find(f"{NS}title").text for path in arrows(root))
    assert tips == [
        "Ana Alvarez needs help with Raising funds; Pat Participant can help",
        "Lee Leader needs help with Board development; Volunteers; Ana Alvarez can help",
        "Pat Participant needs help with Board development; Ana Alvarez can help",
    ]
    for path in arrows(root):
        assert path.get("marker-end") == "url(#web-arrowhead)"
    assert root.find(f".//{NS}marker").get("id") == "web-arrowhead"


def test_two_people_helping_each_other_get_curved_arrows_one_way_gets_a_line():
    root = parse(render_svg(PEOPLE, THREADS))
    by_tip = {p.find(f"{NS}title").text.split(" needs")[0]: p.get("d") for p in arrows(root)}
    assert "Q" in by_tip["Pat Participant"] and "Q" in by_tip["Ana Alvarez"]
    assert "Q" not in by_tip["Lee Leader"] and "L" in by_tip["Lee Leader"]
    # The two curves bend to opposite sides: their control points differ.
    control = [
        re.search(r"Q(\S+ \S+)", by_tip[name]).group(1)
        for name in ("Pat Participant", "Ana Alvarez")
    ]
    assert control[0] != control[1]


def test_unconnected_members_are_dashed_and_the_legend_says_so():
    root = parse(render_svg(PEOPLE, THREADS))
    (mo,) = node_groups(root, "unconnected")
    assert mo.find(f"{NS}title").text == "Mo Moreno"
    assert mo.find(f"{NS}circle").get("stroke-dasharray")
    for group in node_groups(root, "connected"):
        assert group.find(f"{NS}circle").get("stroke-dasharray") is None
    legend = root.find(f".//{NS}g[@class='web-legend']")
    texts = [t.text for t in legend.iter(f"{NS}text")]
    assert "Not yet connected (dashed outline)" in texts
    assert any(c.get("stroke-dasharray") for c in legend.iter(f"{NS}circle"))
    assert root.find(f"{NS}desc").text == "Members: 4. Connections: 3. Not yet connected: 1."


def test_the_document_stands_alone_and_uses_no_style():
    svg = render_svg(PEOPLE, THREADS, title="Board Builders")
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("viewBox") and root.get("width") and root.get("height")
    assert root.get("aria-labelledby") == "web-title web-desc"
    assert root.find(f"{NS}title").text == "Board Builders"
    assert root.find(f"{NS}desc") is not None
    assert "style" not in svg  # no style= attributes, no <style> element
    assert "<script" not in svg


def test_same_input_same_output_whatever_the_order():
    first = render_svg(PEOPLE, THREADS, title="B")
    assert render_svg(PEOPLE, THREADS, title="B") == first
    assert render_svg(list(reversed(PEOPLE)), list(reversed(THREADS)), title="B") == first


def test_names_and_topics_are_escaped():
    people = [Person("a", '<Ana & "Bo">'), Person("b", "Bea </title><script>x</script>")]
    threads = [Thread("a", "b", "Boards & <budgets>")]
    svg = render_svg(people, threads, title='COP "<1>" & co')
    assert "<Ana" not in svg and "<script>" not in svg and "<budgets>" not in svg
    assert '<title>&lt;Ana &amp; "Bo"&gt;</title>' in svg
    root = parse(svg)
    assert root.find(f"{NS}title").text == 'COP "<1>" & co'
    names = sorted(g.find(f"{NS}title").text for g in node_groups(root))
    assert names == ['<Ana & "Bo">', "Bea </title><script>x</script>"]
    (arrow,) = arrows(root)
    assert "Boards & <budgets>" in arrow.find(f"{NS}title").text


def test_characters_xml_cannot_hold_are_dropped():
    root = parse(render_svg([Person("a", "Ann\x00\x07 Lee\x0b")], []))
    assert node_groups(root)[0].find(f"{NS}title").text == "Ann Lee"


def test_long_names_are_shortened_with_the_full_name_in_the_title():
    long_name = "Alexandria Montgomery-Washington of the Eastern Shore"
    root = parse(render_svg([Person("a", long_name), Person("b", "Bo")], []))
    group = next(g for g in node_groups(root) if g.find(f"{NS}title").text == long_name)
    label = group.find(f"{NS}text").text
    assert label.endswith("\u2026") and len(label) <= 20
    assert shorten("Bo", 20) == "Bo"


def test_sixty_members_give_a_valid_svg_with_sixty_nodes():
    people = [Person(f"p{i}", f"Member number {i:02d} of a long list") for i in range(60)]
    threads = [Thread(f"p{i}", f"p{(i * 7 + 3) % 60}", "Board development") for i in range(60)]
    svg = render_svg(people, threads, title="Big COP")
    root = parse(svg)
    assert len(node_groups(root)) == 60
    assert len(arrows(root)) == 60
    # Beyond 30 members, names run along the spokes (rotated), and the font shrinks.
    assert all(
        g.find(f"{NS}text").get("transform", "").startswith("rotate(") for g in node_groups(root)
    )
    big, small = layout(people, threads), layout(people[:20], [])
    assert big.font_size < small.font_size
    assert big.radius > small.radius
    assert not big.level_labels and small.level_labels
    assert LEVEL_LABELS_UP_TO == 30


def test_labels_stay_inside_the_picture():
    for n in (1, 2, 5, 20, 30, 31, 60):
        people = [Person(str(i), f"Person with a name {i}") for i in range(n)]
        result = layout(people, [])
        for node in result.nodes:
            assert result.min_x <= node.label_x <= result.min_x + result.width, n
            assert result.min_y <= node.label_y <= result.min_y + result.height, n


def test_no_members_and_no_threads():
    root = parse(render_svg([], [], labels=Labels(empty="Nobody here")))
    assert root.find(f"{NS}text").text == "Nobody here"
    lonely = parse(render_svg([Person("a", "Ann")], [Thread("a", "a", "x"), Thread("a", "ghost")]))
    assert arrows(lonely) == []
    assert len(node_groups(lonely, "unconnected")) == 1


def test_a_thread_without_topic_says_who_helps_whom():
    root = parse(render_svg(PEOPLE[:2], [Thread("pat", "lee", "")]))
    assert arrows(root)[0].find(f"{NS}title").text == "Pat Participant gets help from Lee Leader"
