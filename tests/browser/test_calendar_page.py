"""My calendar in a browser: a participant on a phone finds their feed address, turns a
community's reminders off, and makes a new address; the old one stops answering."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from planning.models import CalendarFeed, MeetingSettings
from tests import factories
from tests.browser.conftest import assert_no_horizontal_scroll, check_a11y, login, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect


def test_participant_subscribes_turns_reminders_off_and_renews_the_address(
    world, live_server, phone_page
):
    page = phone_page
    MeetingSettings.objects.create(community=world.community, location="https://meet.example/b")
    factories.MeetingFactory(
        community=world.community,
        title="Board roles and who does what",
        starts_at=(timezone.now() + timedelta(days=3)).replace(microsecond=0),
    )
    login(page, live_server, world.participant.email, world.password)
    page.goto(live_server.url + reverse("planning:my-calendar", args=[world.cohort.slug]))
    expect(page.get_by_role("heading", level=1)).to_have_text("My calendar")
    address = page.get_by_label("Copy this address into your calendar app")
    old = address.input_value()
    assert old.startswith(live_server.url + "/cal/")
    expect(page.get_by_role("link", name="Open in my calendar app")).to_have_attribute(
        "href", "webcal://" + old.split("://", 1)[1]
    )
    expect(
        page.get_by_role("link", name="Board roles and who does what", exact=True)
    ).to_be_visible()
    check_a11y(page, "my calendar (phone)")
    assert_no_horizontal_scroll(page)

    submit(page, page.get_by_role("button", name="Turn off reminders"))
    assert page.url.endswith(reverse("planning:my-calendar", args=[world.cohort.slug]))
    expect(page.get_by_text("Reminders for Board Builders are off")).to_be_visible()
    expect(page.get_by_role("button", name="Turn on reminders")).to_be_visible()
    world.member_membership.refresh_from_db()
    assert world.member_membership.meeting_reminders is False

    assert page.request.get(old).status == 200
    submit(page, page.get_by_role("button", name="Make a new address"))
    expect(page.get_by_text("Your calendar has a new address")).to_be_visible()
    new = page.get_by_label("Copy this address into your calendar app").input_value()
    assert new != old
    assert new.endswith(CalendarFeed.objects.get().token + ".ics")
    assert page.request.get(old).status == 404
    feed = page.request.get(new)
    assert feed.status == 200
    assert "Board roles and who does what" in feed.text()
    check_a11y(page, "my calendar after a new address (phone)")
    assert_no_horizontal_scroll(page)
