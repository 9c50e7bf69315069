"""The COP workspace in Chromium: a member on a phone starts a thread mentioning a leader,
with a PDF attached; the leader gets the email, opens its reply link (logging in on the way)
and replies; the leader then announces to the COP, and the member sees the announcement on
their home page and closes it. Staff look at the workspace and its files on a laptop. axe on
every page, and no page scrolls sideways on the phone or the laptop.

With WORKSPACE_SHOTS set to a folder, every page is also saved there as a screenshot."""

import os
import re
from pathlib import Path

import pytest
from django.urls import reverse

from copkit.models import OutboxMessage
from planning.workspace.models import Reply, WorkspaceFile
from tests import factories
from tests.browser.conftest import assert_no_horizontal_scroll, check_a11y, login, submit
from tests.workspace_helpers import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

SHOTS = os.environ.get("WORKSPACE_SHOTS")


def look(page, name, width=1280):
    """axe, no sideways scroll at the page's width, and a screenshot when asked for."""
    check_a11y(page, name)
    assert_no_horizontal_scroll(page, width)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_a_thread_with_a_mention_and_a_file_a_reply_by_email_and_an_announcement(
    world, live_server, new_page, sweeps, tmp_path
):
    agenda = tmp_path / "retreat-agenda.pdf"
    agenda.write_bytes(PDF)

    # Pat, on a phone, starts a thread from the community page.
    phone = new_page("phone")
    login(phone, live_server, world.participant.email, world.password)
    phone.goto(live_server.url + world.community.get_absolute_url())
    look(phone, "member-community-phone", 375)
    submit(phone, phone.get_by_role("link", name="Open the workspace"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Workspace")
    look(phone, "member-workspace-empty-phone", 375)
    submit(phone, phone.get_by_role("link", name="Start a thread"))
    expect(phone.get_by_text("@Lee Leader")).to_be_visible()
    phone.get_by_label("Title").fill("Our board retreat agenda")
    phone.get_by_label("Message").fill("@Lee Leader, could you look at the agenda before Friday?")
    phone.get_by_label("Attach a file (optional)").set_input_files(str(agenda))
    expect(phone.locator("[data-mention-preview]")).to_have_text(
        "You mention Lee Leader: they get an email."
    )
    look(phone, "member-thread-form-phone", 375)
    submit(phone, phone.get_by_role("button", name="Post"))
    expect(phone.locator(".alert-success")).to_contain_text(
        "We emailed the people you mentioned: Lee Leader."
    )
    expect(phone.get_by_role("link", name="retreat-agenda.pdf")).to_have_count(1)
    expect(phone.locator(".workspace-files")).to_contain_text("retreat-agenda.pdf")
    look(phone, "member-thread-phone", 375)
    with phone.expect_download() as download:
        phone.locator(".workspace-files a").first.click()
    assert download.value.suggested_filename == "retreat-agenda.pdf"
    assert WorkspaceFile.objects.get().name == "retreat-agenda.pdf"

    # Lee gets the email, and replies through its link: log in, then the reply box.
    mail = OutboxMessage.objects.get(to_email=world.leader.email, kind="workspace_mention")
    link = re.search(r"https?://\S+/w/\S+/", mail.body_text).group(0)
    laptop = new_page("desktop")
    laptop.goto(live_server.url + link[link.index("/w/") :])
    assert "/accounts/login/" in laptop.url
    laptop.fill('input[name="login"]', world.leader.email)
    laptop.fill('input[name="password"]', world.password)
    with laptop.expect_navigation():
        laptop.locator("main form").get_by_role("button", name="Log in").click()
    laptop.wait_for_load_state()
    assert laptop.url.endswith("#reply"), laptop.url
    expect(laptop.get_by_role("heading", level=1)).to_have_text("Our board retreat agenda")
    look(laptop, "leader-thread-from-email-desktop")
    laptop.get_by_label("Your reply").fill("Looks good. @Pat Participant, add a break at noon.")
    submit(laptop, laptop.get_by_role("button", name="Post reply"))
    expect(laptop.locator(".workspace-reply")).to_contain_text("add a break at noon")
    assert Reply.objects.get().author == world.leader
    thread_url = Reply.objects.get().thread.get_absolute_url()
    assert OutboxMessage.objects.filter(
        to_email=world.participant.email, kind="workspace_mention"
    ).exists()

    # Lee announces to the COP.
    laptop.goto(
        live_server.url
        + reverse("planning:workspace", args=[world.cohort.slug, world.community.slug])
    )
    submit(laptop, laptop.get_by_role("link", name="Announce to everyone"))
    look(laptop, "leader-announce-desktop")
    laptop.get_by_label("Title").fill("No meeting on the 14th")
    laptop.get_by_label("Message").fill("We meet again on the 28th. Enjoy the break!")
    submit(laptop, laptop.get_by_role("button", name="Send the announcement"))
    expect(laptop.locator(".alert-success")).to_contain_text("1 member gets an email")
    look(laptop, "leader-workspace-desktop")

    # Pat sees it at home, on the phone, and closes it.
    phone.goto(live_server.url + reverse("home"))
    expect(phone.locator(".home-announcement")).to_contain_text("No meeting on the 14th")
    look(phone, "member-home-announcement-phone", 375)
    submit(phone, phone.locator(".home-announcement").get_by_role("button", name="Close"))
    expect(phone.locator(".home-announcement")).to_have_count(0)
    phone.goto(
        live_server.url
        + reverse("planning:workspace-files", args=[world.cohort.slug, world.community.slug])
    )
    look(phone, "member-files-phone", 375)

    # Pat attaches the agenda to the next meeting, from the meeting's page.
    meeting = factories.MeetingFactory(community=world.community, title="June meeting")
    phone.goto(live_server.url + meeting.get_absolute_url())
    phone.locator("#attachments summary").click()
    phone.locator("#attachments").get_by_label("File").set_input_files(str(agenda))
    phone.locator("#attachments").get_by_label("Title (optional)").fill("Agenda for June")
    submit(phone, phone.locator("#attachments").get_by_role("button", name="Upload"))
    expect(phone.locator("#attachments .workspace-files")).to_contain_text("Agenda for June")
    look(phone, "member-meeting-attachments-phone", 375)

    # Staff read the workspace and its files on a laptop.
    staff = new_page("desktop")
    login(staff, live_server, world.staff.email, world.password)
    staff.goto(
        live_server.url
        + reverse("planning:workspace", args=[world.cohort.slug, world.community.slug])
    )
    expect(staff.locator(".workspace-threads")).to_contain_text("Our board retreat agenda")
    look(staff, "staff-workspace-desktop")
    staff.goto(
        live_server.url
        + reverse("planning:workspace-files", args=[world.cohort.slug, world.community.slug])
    )
    look(staff, "staff-files-desktop")
    staff.goto(live_server.url + reverse("cohorts:dashboard", args=[world.cohort.slug]))
    submit(staff, staff.get_by_role("link", name="Announce to your COPs"))
    look(staff, "staff-announce-all-desktop")
    staff.goto(live_server.url + thread_url)
    look(staff, "staff-thread-desktop")
