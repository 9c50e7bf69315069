"""The web of needs and expertise in a real browser: a member on a phone names a need, the
leader on a desktop confirms the suggested helper, and the web shows the arrow, downloads as
SVG and PNG, all under the strict CSP."""

import re

import pytest

from planning.models import Connection, InventoryEntry
from tests import factories
from tests.browser.conftest import assert_no_horizontal_scroll, check_a11y, login, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect


def watch_console(page):
    """Collect console errors (a CSP refusal shows up here)."""
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    return errors


def test_a_need_is_connected_and_drawn_on_the_web(world, live_server, phone_page, new_page):
    ana = factories.MembershipFactory(
        community=world.community, participant__name="Ana Alvarez"
    ).participant
    factories.InventoryEntryFactory(
        participant=ana, topic=world.topic, kind="expertise", description="ran our board search"
    )
    # A long unbroken word must not push the phone page sideways.
    factories.InventoryEntryFactory(
        participant=ana, topic=None, kind="need", description="Bylaws" + "-revision" * 8
    )
    base = f"{live_server.url}/c/{world.cohort.slug}/communities/{world.community.slug}"

    # Pat, on a phone, names a need.
    phone = phone_page
    login(phone, live_server, world.participant.email, world.password)
    phone.goto(f"{base}/needs/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Needs and expertise")
    check_a11y(phone, "inventory (phone)")
    assert_no_horizontal_scroll(phone)
    phone.get_by_label("A need of my organization").check()
    phone.get_by_label("Practice area").select_option(label="Board development")
    phone.get_by_label("In one sentence").fill("Recruit two new board members")
    submit(phone, phone.get_by_role("button", name="Add", exact=True))
    expect(phone.locator(".messages")).to_contain_text("Added to the inventory of Pat Participant")
    expect(phone.locator("#yours")).to_contain_text("Board development: Recruit two new board")
    expect(phone.locator("#suggestions")).to_contain_text("Suggested: Ana Alvarez")
    check_a11y(phone, "inventory with a need (phone)")
    assert_no_horizontal_scroll(phone)
    need = InventoryEntry.objects.get(participant=world.participant_participant)
    assert need.source == "self"

    # Lee, the leader, on a desktop, confirms the suggested connection.
    desk = new_page("desktop")
    errors = watch_console(desk)
    login(desk, live_server, world.leader.email, world.password)
    desk.goto(f"{base}/needs/")
    check_a11y(desk, "inventory (leader)")
    suggestion = desk.locator("#suggestions li li", has_text="Ana Alvarez")
    submit(desk, suggestion.get_by_role("button", name=re.compile("Confirm connection")))
    expect(desk.locator(".messages")).to_contain_text(
        "Connected: Ana Alvarez can help Pat Participant"
    )
    made = Connection.objects.get()
    assert (made.need, made.helper) == (need, ana)
    expect(desk.locator("#connections tbody tr")).to_have_count(1)
    expect(desk.locator("#unconnected")).to_contain_text("Lee Leader")
    check_a11y(desk, "inventory after confirming (leader)")

    # The web: one arrow, Lee dashed as not yet connected, the table as the text version.
    submit(desk, desk.get_by_role("link", name="See the web"))
    expect(desk.get_by_role("heading", level=1)).to_have_text("The web of Board Builders")
    expect(desk.locator("#web-picture svg .web-arrow")).to_have_count(1)
    expect(desk.locator("#web-picture svg .web-node")).to_have_count(3)
    expect(desk.locator("#web-picture svg .web-node-unconnected")).to_have_count(1)
    expect(desk.locator("#web-picture svg .web-node-unconnected title")).to_have_text("Lee Leader")
    expect(desk.locator("table tbody tr")).to_have_count(1)
    expect(desk.locator("table tbody tr")).to_contain_text("Ana Alvarez")
    box = desk.locator("#web-picture svg").bounding_box()
    assert box["width"] > 500, box  # fills the column
    check_a11y(desk, "web (leader)")

    with desk.expect_download() as svg_download:
        desk.get_by_role("link", name="Download SVG").click()
    download = svg_download.value
    assert download.suggested_filename == "board-builders-web.svg"
    with open(download.path(), encoding="utf-8") as handle:
        svg = handle.read()
    assert svg.startswith("<svg") and 'class="web-arrow"' in svg

    with desk.expect_download() as png_download:
        desk.get_by_role("button", name="Download PNG").click()
    png = png_download.value
    assert png.suggested_filename == "board-builders-web.png"
    with open(png.path(), "rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
    expect(desk.locator("[data-web-status]")).to_have_text("PNG saved.")

    # Print shows the title, the picture and the table, not the navigation or buttons.
    desk.emulate_media(media="print")
    expect(desk.locator("header")).to_be_hidden()
    expect(desk.get_by_role("button", name="Print")).to_be_hidden()
    expect(desk.locator("#web-picture svg")).to_be_visible()
    expect(desk.locator("table")).to_be_visible()
    desk.emulate_media(media="screen")
    assert not [e for e in errors if "Content Security Policy" in e], errors

    # Pat sees the same web on the phone without sideways scrolling of the page.
    phone.goto(f"{base}/web/")
    expect(phone.locator("#web-picture svg .web-arrow")).to_have_count(1)
    check_a11y(phone, "web (phone)")
    assert_no_horizontal_scroll(phone)
