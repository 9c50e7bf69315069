"""The knowledge journey in Chromium: a member on a phone writes a case study from its
template, shares it and attaches a file to it; two members respond; a leader on a phone
marks a promising practice as agreed by the group; staff on a laptop publish it to every
cohort; a participant of another cohort finds it in the library by a word from its text; an
observer sees counts only; anyone reads a public item without logging in. axe on every page,
and no page scrolls sideways (375 px on the phone, 1280 px on the laptop).

With KNOWLEDGE_SHOTS set to a folder, every page is also saved there as a screenshot."""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from cohorts.models import Membership
from planning.knowledge import services
from planning.knowledge.models import KnowledgeItem, Scope
from planning.workspace.models import WorkspaceFile
from tests import factories
from tests.browser.conftest import assert_no_horizontal_scroll, check_a11y, login, menu_link, submit
from tests.matrix_knowledge import item_of
from tests.workspace_helpers import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

SHOTS = os.environ.get("KNOWLEDGE_SHOTS")


def look(page, name, phone=False):
    check_a11y(page, name)
    assert_no_horizontal_scroll(page, 375 if phone else 1280)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_write_respond_agree_publish_and_find(world, live_server, page, new_page, tmp_path):
    max_user = factories.UserFactory(email="max@pantry.example", name="Max Member")
    max_person = factories.ParticipantFactory(
        cohort=world.cohort, user=max_user, name=max_user.name, email=max_user.email
    )
    factories.MembershipFactory(community=world.community, participant=max_person)
    community_url = reverse(
        "planning:knowledge-community", args=[world.cohort.slug, world.community.slug]
    )

    # Pat, on a phone, writes a case study from the template and shares it.
    pat = new_page("phone")
    login(pat, live_server, world.participant.email, world.password)
    pat.goto(live_server.url + world.community.get_absolute_url())
    submit(pat, pat.get_by_role("link", name="Read and write them"))
    look(pat, "member-community-phone", phone=True)
    submit(pat, pat.get_by_role("link", name="Write a case study"))
    pat.get_by_label("Title").fill("Volunteers who leave after a month")
    pat.get_by_label("Context").fill("A food pantry run by volunteers.")
    pat.get_by_label("What you have tried").fill("Thank-you notes and a lunch.")
    pat.get_by_label("Your question for the group").fill("How do you keep volunteers?")
    submit(pat, pat.get_by_role("button", name="Share it"))
    # The problem was left empty: nothing is saved, and the field says why.
    expect(pat.locator("main")).to_contain_text("Answer “The problem” before you share it.")
    assert not KnowledgeItem.objects.exists()
    look(pat, "member-case-study-error-phone", phone=True)
    pat.get_by_label("The problem", exact=True).fill("Half of the new volunteers stop coming.")
    submit(pat, pat.get_by_role("button", name="Share it"))
    expect(pat.locator(".alert-success")).to_contain_text("Shared")
    case = KnowledgeItem.objects.get(kind="case_study")
    assert case.is_shared and case.scope == Scope.COMMUNITY
    # Pat attaches the volunteer schedule the case study talks about.
    schedule = tmp_path / "volunteer-schedule.pdf"
    schedule.write_bytes(PDF)
    pat.locator("#attachments summary").click()
    pat.locator("#attachments").get_by_label("File").set_input_files(str(schedule))
    pat.locator("#attachments").get_by_label("Title (optional)").fill("Our volunteer schedule")
    submit(pat, pat.locator("#attachments").get_by_role("button", name="Upload"))
    expect(pat.locator("#attachments")).to_contain_text("Our volunteer schedule")
    assert WorkspaceFile.objects.get().attached_to == case
    look(pat, "member-case-study-phone", phone=True)

    # Two members respond: the leader on a phone, Max on a laptop.
    lee = new_page("phone")
    login(lee, live_server, world.leader.email, world.password)
    lee.goto(live_server.url + case.get_absolute_url())
    lee.get_by_label("Your response").fill("Pair each new volunteer with a regular.")
    submit(lee, lee.get_by_role("button", name="Add your response"))
    max_page = new_page("desktop")
    login(max_page, live_server, max_user.email, world.password)
    max_page.goto(live_server.url + case.get_absolute_url())
    max_page.get_by_label("Your response").fill("Call them at the end of week two.")
    submit(max_page, max_page.get_by_role("button", name="Add your response"))
    expect(max_page.locator("main")).to_contain_text("Pair each new volunteer with a regular.")
    look(max_page, "member-case-study-responses-desktop")
    assert case.comments.count() == 2

    # The leader marks Pat's promising practice as agreed by the group.
    practice = item_of(world)
    lee.goto(live_server.url + practice.get_absolute_url())
    look(lee, "leader-practice-phone", phone=True)
    submit(lee, lee.get_by_role("button", name="The group agrees"))
    expect(lee.locator(".knowledge-agreed")).to_have_text("Agreed by the group")
    look(lee, "leader-practice-agreed-phone", phone=True)

    # Staff, on a laptop, publish it to every cohort.
    login(page, live_server, world.staff.email, world.password)
    page.goto(live_server.url + reverse("cohorts:dashboard", args=[world.cohort.slug]))
    expect(page.locator("#knowledge")).to_contain_text("Board Builders")
    submit(page, menu_link(page, "Knowledge"))
    look(page, "staff-overview-desktop")
    submit(page, page.get_by_role("link", name=practice.title))
    page.get_by_label("Who can read it").select_option("provider")
    submit(page, page.get_by_role("button", name="Save who can read it"))
    expect(page.locator(".alert-success")).to_contain_text("Every cohort")
    practice.refresh_from_db()
    assert practice.scope == Scope.PROVIDER
    look(page, "staff-practice-desktop")
    page.goto(live_server.url + community_url)
    look(page, "staff-community-desktop")
    page.goto(live_server.url + reverse("library"))
    look(page, "staff-library-desktop")
    page.goto(live_server.url + case.get_library_url())
    look(page, "staff-library-item-desktop")

    # A participant of another cohort finds it in the library by a word from its text.
    nia = factories.UserFactory(email="nia@later.example", name="Nia Newcomer")
    factories.ParticipantFactory(
        cohort=world.other_cohort, user=nia, name=nia.name, email=nia.email
    )
    reader = new_page("phone")
    login(reader, live_server, nia.email, world.password)
    reader.goto(live_server.url + reverse("library"))
    look(reader, "reader-library-phone", phone=True)
    reader.get_by_label("Search", exact=True).fill("guests")
    submit(reader, reader.get_by_role("button", name="Search"))
    expect(reader.locator("main")).to_contain_text(practice.title)
    expect(reader.locator("main")).not_to_contain_text(case.title)
    look(reader, "reader-library-search-phone", phone=True)
    submit(reader, reader.get_by_role("link", name=practice.title))
    expect(reader.locator(".knowledge-agreed")).to_be_visible()
    look(reader, "reader-item-phone", phone=True)

    # The observer sees counts only.
    observer = new_page("desktop")
    login(observer, live_server, world.observer.email, world.password)
    observer.goto(
        live_server.url + reverse("planning:knowledge-overview", args=[world.cohort.slug])
    )
    expect(observer.locator("main")).not_to_contain_text(practice.title)
    look(observer, "observer-overview-desktop")

    # Published for anyone: the public page, with no login and no names.
    services.set_scope(practice, actor=world.staff, scope=Scope.PUBLIC)
    anonymous = new_page("phone")
    anonymous.goto(live_server.url + practice.get_public_url())
    expect(anonymous.get_by_role("heading", level=1)).to_have_text(practice.title)
    expect(anonymous.locator("main")).not_to_contain_text("Pat Participant")
    look(anonymous, "public-item-phone", phone=True)
    desktop = new_page("desktop")
    desktop.goto(live_server.url + practice.get_public_url())
    look(desktop, "public-item-desktop")


def test_staff_ask_for_items_and_add_a_resource(world, live_server, page, new_page, sweeps):
    factories.MembershipFactory(
        community=factories.CommunityFactory(cohort=world.cohort, name="Fund Finders"),
        role=Membership.Role.LEADER,
    )
    login(page, live_server, world.staff.email, world.password)
    page.goto(live_server.url + reverse("planning:knowledge-request", args=[world.cohort.slug]))
    look(page, "staff-request-desktop")
    page.get_by_label("What to share").select_option("lesson")
    page.get_by_label("Share by").fill("2099-01-31")
    submit(page, page.get_by_role("button", name="Send the request"))
    expect(page.locator(".alert-success")).to_contain_text("Asked 2 communities")
    page.goto(live_server.url + reverse("planning:resource-create", args=[world.cohort.slug]))
    page.get_by_label("Title").fill("Running an online meeting")
    page.get_by_label("What it is").fill("For leaders who host their group on a video call.")
    page.get_by_label("Link (optional if you write the text below)").fill(
        "https://example.org/online-meetings"
    )
    page.get_by_label("Practice areas").fill("Board development")
    look(page, "staff-resource-form-desktop")
    submit(page, page.get_by_role("button", name="Save to the library"))
    look(page, "staff-resource-desktop")

    # The leader sees the request among the next steps; Pat, with a need in the area, sees
    # the resource suggested on the home page.
    lee = new_page("phone")
    login(lee, live_server, world.leader.email, world.password)
    expect(lee.locator(".next-steps")).to_contain_text("share a lesson learned")
    look(lee, "leader-home-phone", phone=True)
    factories.InventoryEntryFactory(
        participant=world.participant_participant, topic=world.topic, kind="need"
    )
    pat = new_page("phone")
    login(pat, live_server, world.participant.email, world.password)
    expect(pat.locator("main")).to_contain_text("Running an online meeting")
    look(pat, "member-home-phone", phone=True)
