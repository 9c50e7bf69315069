"""Forming communities in rounds, in a real browser: one journey per method, from setting up
the round to publishing its groups as communities (issue 5, "Done when").

Staff work on a desktop page (the review board is also checked on a 375 px phone);
participants answer through their personal links on phones. Each journey checks its
outcome in the database (entries, proposals, communities, memberships, the outbox) as well
as on the page, and runs axe on each page it visits for the first time.
"""

import re

import pytest
from django.urls import reverse

from cohorts.models import (
    Community,
    FormationEntry,
    FormationLock,
    FormationProposal,
    FormationRound,
    Membership,
    ProposedMember,
)
from copkit.models import OutboxMessage
from tests import factories
from tests.browser.conftest import assert_no_horizontal_scroll, check_a11y, login, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

CSP_MARKER = "Content Security Policy"
EXTRA_PEOPLE = ["Ana Ruiz", "Li Chen", "Sam Okafor", "Dana Brooks", "Mia Novak", "Raj Patel"]


# -- helpers ---------------------------------------------------------------------------------


def watch_csp(page):
    messages = []
    page.on("console", lambda m: messages.append(m.text) if CSP_MARKER in m.text else None)
    return messages


def add_people(world, names=EXTRA_PEOPLE, **fields):
    """Participants of the world's cohort, each from their own organization; returns them by
    first name (with Lee and Pat of the world)."""
    people = {
        "Lee": world.leader_participant,
        "Pat": world.participant_participant,
    }
    for index, name in enumerate(names):
        org = factories.OrganizationFactory(cohort=world.cohort, name=f"{name.split()[1]} Center")
        person = factories.ParticipantFactory(
            cohort=world.cohort,
            organization=org,
            name=name,
            email=f"{name.split()[0].lower()}@member{index}.example",
            **fields,
        )
        people[name.split()[0]] = person
    return people


def staff_page(new_page, live_server, world, kind="desktop"):
    page = new_page(kind)
    login(page, live_server, world.staff.email, world.password)
    return page


def start_round(page, live_server, world, name, method_label, *, low=None, high=None, groups=None):
    """The cohort's Formation menu -> Start a round -> fill the form -> the round's page."""
    page.goto(live_server.url + reverse("cohorts:dashboard", args=[world.cohort.slug]))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Formation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forming communities")
    page.get_by_role("link", name="Start a round", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a formation round")
    page.get_by_label("Name of the round").fill(name)
    page.get_by_label(method_label, exact=True).check()
    if groups is not None:
        page.get_by_label("A number of groups").check()
        page.get_by_label("Number of groups").fill(str(groups))
    else:
        page.get_by_label("Smallest group").fill(str(low))
        page.get_by_label("Largest group").fill(str(high))
    submit(page, page.get_by_role("button", name="Start the round"))
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    return FormationRound.objects.get(name=name)


def send_links(page, formation_round):
    submit(page, page.get_by_role("button", name="Send personal links"))
    people = formation_round.entries.count()
    expect(page.locator(".messages")).to_contain_text(
        f"Personal links on their way to {people} people."
    )
    invites = OutboxMessage.objects.filter(key__startswith="formation-invite:")
    assert invites.count() == people
    formation_round.refresh_from_db()
    assert formation_round.status == FormationRound.Status.COLLECTING


def answer_url(live_server, formation_round, person):
    entry = FormationEntry.objects.get(round=formation_round, participant=person)
    return live_server.url + entry.get_answer_url()


def form_groups(page):
    """On the round's page: Form groups -> the review page with the new proposal."""
    submit(page, page.get_by_role("button", name="Form groups"))
    expect(page.locator(".messages")).to_contain_text("New groups are ready")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("#board")).to_be_visible()


def newest(formation_round):
    return FormationProposal.objects.filter(round=formation_round).order_by("-number").first()


def group_of(proposal, person):
    return (
        ProposedMember.objects.select_related("group")
        .get(proposal=proposal, participant=person)
        .group
    )


def figure(page, label):
    """The value beside `label` in the board's "How well these groups fit"."""
    return page.locator(".formation-scores dt", has_text=label).locator(
        "xpath=following-sibling::dd[1]"
    )


def card(page, group):
    return page.locator(f'section[data-group="{group.public_id}"]')


def publish(page, count):
    page.locator("#publish summary").click()
    page.get_by_label("I have checked the groups").check()
    submit(page, page.get_by_role("button", name=f"Publish {count} communities"))
    expect(page.locator(".messages")).to_contain_text("are now communities")


def assert_published(formation_round):
    """Each group of the newest proposal is a community with exactly its members, and each
    member has one email about it in the outbox. Returns the communities."""
    formation_round.refresh_from_db()
    assert formation_round.status == FormationRound.Status.PUBLISHED
    proposal = newest(formation_round)
    communities = []
    for group in proposal.groups.all():
        members = {m.participant_id for m in group.members.all()}
        if not members:
            continue
        assert group.community is not None, group.name
        community = group.community
        assert community.name == group.name
        assert (
            set(
                Membership.objects.filter(community=community).values_list(
                    "participant_id", flat=True
                )
            )
            == members
        )
        communities.append(community)
    everyone = list(ProposedMember.objects.filter(proposal=proposal).select_related("participant"))
    published = OutboxMessage.objects.filter(
        key__startswith=f"formation-published:{formation_round.pk}:"
    )
    assert published.count() == len(everyone)
    assert sorted(published.values_list("to_email", flat=True)) == sorted(
        m.participant.email for m in everyone
    )
    return communities


# -- 1. speed matching -----------------------------------------------------------------------


def test_speed_matching_from_setup_to_communities(world, live_server, new_page, sweeps):
    people = add_people(world)
    staff = staff_page(new_page, live_server, world)
    csp = watch_csp(staff)

    # Bad input first: a smallest group larger than the people count.
    fr = start_round(staff, live_server, world, "Too big", "Speed matching", low=12, high=14)
    submit(staff, staff.get_by_role("button", name="Form groups"))
    expect(staff.locator(".messages")).to_contain_text(
        "8 people cannot make groups of 12 to 14. Widen the group sizes"
    )
    assert not fr.proposals.exists()
    check_a11y(staff, "round page with a size that cannot work")

    fr = start_round(staff, live_server, world, "Kickoff matches", "Speed matching", low=2, high=5)
    expect(staff.locator(".messages")).to_contain_text("Round created with 8 people taking part.")
    check_a11y(staff, "round page (speed matching)")
    send_links(staff, fr)

    # Two participants mark their matches on phones, using the filter box.
    ana = new_page("phone")
    csp += watch_csp(ana)
    ana.goto(answer_url(live_server, fr, people["Ana"]))
    expect(ana.get_by_role("heading", level=1)).to_have_text("Kickoff matches")
    check_a11y(ana, "speed matching answer page (phone)")
    assert_no_horizontal_scroll(ana)
    filter_box = ana.get_by_label("Find a person by name or organization")
    filter_box.fill("okafor")
    expect(ana.locator('input[name="choices"]:visible')).to_have_count(1)
    ana.get_by_label(re.compile("Sam Okafor")).check()
    filter_box.fill("chen")
    ana.get_by_label(re.compile("Li Chen")).check()
    filter_box.fill("nobody-like-this")
    expect(ana.get_by_text("Nobody on the list matches that.")).to_be_visible()
    filter_box.fill("")
    expect(ana.locator("[data-formation-count]")).to_have_text("You marked 2 people.")
    submit(ana, ana.get_by_role("button", name="Save my choices"))
    expect(ana.locator(".messages")).to_contain_text("Saved.")
    expect(ana.get_by_role("heading", name="The people you marked")).to_be_visible()
    assert_no_horizontal_scroll(ana)

    sam = new_page("phone")
    sam.goto(answer_url(live_server, fr, people["Sam"]))
    sam.get_by_label("Find a person by name or organization").fill("ruiz")
    sam.get_by_label(re.compile("Ana Ruiz")).check()
    submit(sam, sam.get_by_role("button", name="Save my choices"))
    expect(sam.locator(".messages")).to_contain_text("Saved.")

    entries = {e.participant_id: e for e in fr.entries.all()}
    assert set(entries[people["Ana"].pk].choices) == {
        str(people["Sam"].public_id),
        str(people["Li"].public_id),
    }
    assert entries[people["Sam"].pk].choices == [str(people["Ana"].public_id)]

    # Staff enter Dana's paper list.
    staff.goto(live_server.url + fr.get_absolute_url())
    row = staff.locator("tr", has_text="Dana Brooks")
    submit(staff, row.get_by_role("link", name="Enter on paper"))
    expect(staff.get_by_role("heading", level=1)).to_have_text("Enter Dana Brooks's input")
    check_a11y(staff, "paper entry page")
    staff.get_by_label(re.compile("Mia Novak")).check()
    staff.get_by_label(re.compile("Raj Patel")).check()
    submit(staff, staff.get_by_role("button", name="Save", exact=True))
    expect(staff.locator(".messages")).to_contain_text("Saved what Dana Brooks put on paper.")
    dana = FormationEntry.objects.get(round=fr, participant=people["Dana"])
    assert dana.entered_by == world.staff
    assert set(dana.choices) == {str(people["Mia"].public_id), str(people["Raj"].public_id)}

    # Form the groups: the mutual pair and the kept choices show.
    form_groups(staff)
    check_a11y(staff, "review board (speed matching)")
    proposal = newest(fr)
    assert group_of(proposal, people["Ana"]) == group_of(proposal, people["Sam"])
    kept = proposal.scores["choices_kept"]
    expect(figure(staff, "Choices kept")).to_have_text(
        re.compile(rf"^{kept} of {proposal.scores['choices_total']} ")
    )
    expect(figure(staff, "Mutual pairs kept together")).to_have_text(re.compile(r"^1 of 1 "))
    groups = list(proposal.groups.order_by("position"))
    assert len(groups) >= 2

    # Drag Ana onto another group: the board and its figures update.
    home = group_of(proposal, people["Ana"])
    away = min((g for g in groups if g != home), key=lambda g: g.members.count())
    ana_item = staff.locator(f"#m-{people['Ana'].public_id}")
    # A person is picked up by their name (the rest of the item is the "Move to…" form) and
    # dropped on the top of the other group's card, both on screen as a person would see them.
    staff.evaluate("document.getElementById('groups-heading').scrollIntoView()")
    ana_item.locator("span.fw-semibold").drag_to(
        card(staff, away), target_position={"x": 40, "y": 12}
    )
    expect(card(staff, away).locator(f"#m-{people['Ana'].public_id}")).to_have_count(1)
    assert group_of(proposal, people["Ana"]) == away
    expect(figure(staff, "Mutual pairs kept together")).to_have_text(re.compile(r"^0 of 1 "))
    expect(staff.locator("#board-live")).to_contain_text("Ana Ruiz moved to")

    # The keyboard way: Ana goes back to Sam with "Move to…" and Move.
    ana_item.get_by_label("Move Ana Ruiz to").select_option(label=home.name)
    ana_item.get_by_role("button", name="Move").click()
    expect(card(staff, home).locator(f"#m-{people['Ana'].public_id}")).to_have_count(1)
    expect(figure(staff, "Mutual pairs kept together")).to_have_text(re.compile(r"^1 of 1 "))
    assert group_of(proposal, people["Ana"]) == home
    expect(staff.locator(f"#m-{people['Ana'].public_id}")).to_be_focused()

    # Lock Dana and Mia together and re-run around the lock.
    locks = staff.locator("#locks")
    locks.get_by_label("This person*", exact=True).select_option(
        label="Dana Brooks (Brooks Center)"
    )
    locks.get_by_label("and this person*", exact=True).select_option(
        label="Mia Novak (Novak Center)"
    )
    locks.get_by_label("Together").check()
    locks.get_by_role("button", name="Add the lock").click()
    expect(staff.locator("#locks")).to_contain_text("Dana Brooks together with Mia Novak")
    assert FormationLock.objects.filter(
        round=fr, first=people["Dana"], second=people["Mia"], kind="together"
    ).exists()
    submit(staff, staff.get_by_role("button", name="Re-run around the locks"))
    expect(staff.locator(".messages")).to_contain_text("proposal 2")
    proposal = newest(fr)
    assert proposal.number == 2
    assert group_of(proposal, people["Dana"]) == group_of(proposal, people["Mia"])

    # The board on a phone does not scroll sideways.
    phone = staff_page(new_page, live_server, world, "phone")
    phone.goto(
        live_server.url
        + reverse("cohorts:formation-review", args=[world.cohort.slug, fr.public_id])
    )
    expect(phone.locator("#board")).to_be_visible()
    assert_no_horizontal_scroll(phone)
    check_a11y(phone, "review board (phone)")

    count = proposal.groups.count()
    publish(staff, count)
    communities = assert_published(fr)
    assert len(communities) == count
    assert Community.objects.filter(cohort=world.cohort).count() == count + 1  # + Board Builders
    assert not csp, csp
