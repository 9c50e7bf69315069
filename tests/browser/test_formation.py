"""Forming communities in rounds, in a real browser: one journey per method, from setting up
the round to publishing its groups as communities (issue 5, "Done when").

Staff work on a desktop page (the review board is also checked on a 375 px phone);
participants answer through their personal links on phones. Each journey checks its
outcome in the database (entries, proposals, communities, memberships, the outbox) as well
as on the page, and runs axe on each page it visits for the first time.
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

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
from tests.browser.conftest import assert_no_horizontal_scroll, check_a11y, login, menu_link, submit

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


def start_round(
    page, live_server, world, name, method_label, *, low=None, high=None, groups=None, deadline=None
):
    """The cohort's Formation menu -> Start a round -> fill the form -> the round's page."""
    page.goto(live_server.url + reverse("cohorts:dashboard", args=[world.cohort.slug]))
    menu_link(page, "Formation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forming communities")
    page.get_by_role("link", name="Start a round", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a formation round")
    page.get_by_label("Name of the round").fill(name)
    page.get_by_label(method_label, exact=True).check()
    if groups is not None:
        page.get_by_label("A number of groups").check()
        page.get_by_role("spinbutton", name="Number of groups").fill(str(groups))
    else:
        page.get_by_label("Smallest group").fill(str(low))
        page.get_by_label("Largest group").fill(str(high))
    if deadline is not None:
        page.get_by_label("Deadline for participants").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
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


def drag(page, person, group):
    """Drag `person` onto `group`'s card with the mouse, as staff would: picked up by their
    name (the rest of the item is their "Move to…" form), dropped on the card's header.
    Both are scrolled on screen first, since a scroll during a drag loses what is dragged."""
    name = page.locator(f"#m-{person.public_id} span.fw-semibold")
    target = card(page, group)
    page.evaluate(
        """([a, b]) => {
            const top = Math.min(a.getBoundingClientRect().top, b.getBoundingClientRect().top);
            window.scrollBy({top: top - 80, behavior: "instant"});  // Bootstrap scrolls smoothly
        }""",
        [name.element_handle(), target.element_handle()],
    )
    name.drag_to(target, target_position={"x": 40, "y": 12})


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
    drag(staff, people["Ana"], away)
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

    # A new, empty group takes a person dropped on it.
    count = len(groups) + 1
    staff.get_by_role("button", name="Add a group").click()
    expect(staff.locator("#groups-heading")).to_have_text(f"{count} groups")
    expect(staff.locator("#groups-heading")).to_be_focused()
    added = proposal.groups.order_by("-position").first()
    expect(card(staff, added)).to_contain_text("No one yet")
    drag(staff, people["Raj"], added)
    expect(card(staff, added).locator(f"#m-{people['Raj'].public_id}")).to_have_count(1)
    expect(card(staff, added)).to_contain_text("Below the smallest size (2)")
    assert group_of(proposal, people["Raj"]) == added

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
    # The focus stays in the lock form (not lost to the page) for the next lock.
    expect(staff.locator("#locks").get_by_label("This person*", exact=True)).to_be_focused()
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


# -- 2. topic choice -------------------------------------------------------------------------


def ranking_of(formation_round, person):
    entry = FormationEntry.objects.get(round=formation_round, participant=person)
    names = {str(t.public_id): t.name for t in formation_round.topics.all()}
    return [names[pid] for pid in entry.ranking]


def test_topic_choice_from_setup_to_communities(world, live_server, new_page, sweeps):
    people = add_people(world)
    funds = factories.TopicFactory(cohort=world.cohort, name="Raising funds")
    factories.TopicFactory(cohort=world.cohort, name="Keeping staff")
    staff = staff_page(new_page, live_server, world)
    csp = watch_csp(staff)

    deadline = timezone.localtime(timezone.now() + timedelta(days=5)).replace(hour=17, minute=0)
    fr = start_round(
        staff, live_server, world, "Spring topics", "Topic choice", low=2, high=4, deadline=deadline
    )
    expect(staff.locator(".messages")).to_contain_text("Check the subject areas and their caps")
    assert fr.deadline is not None

    # The cohort's topics are there; give Raising funds a cap.
    staff.get_by_role("link", name="Subject areas and caps").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Subject areas")
    check_a11y(staff, "subject areas page")
    staff.get_by_label("Most people in Raising funds").fill("4")
    submit(staff, staff.get_by_role("button", name="Save caps"))
    expect(staff.locator(".messages")).to_contain_text("Caps saved.")
    assert fr.topics.get(name="Raising funds").cap == 4
    assert fr.topics.get(name="Raising funds").topic == funds
    staff.get_by_role("link", name="Back to the round").click()
    expect(staff.locator("#step-setup").locator("xpath=..")).to_contain_text("at most 4 people")
    send_links(staff, fr)

    # Li chose first; Ana sees that on her phone, ranks, then changes her mind.
    li = new_page("phone")
    li.goto(answer_url(live_server, fr, people["Li"]))
    li.get_by_label("First choice").select_option(label="Raising funds")
    submit(li, li.get_by_role("button", name="Save my choices"))
    expect(li.locator(".messages")).to_contain_text("You can change your choices until")
    assert ranking_of(fr, people["Li"]) == ["Raising funds"]

    ana = new_page("phone")
    csp += watch_csp(ana)
    ana.goto(answer_url(live_server, fr, people["Ana"]))
    expect(ana.locator("main")).to_contain_text("Choices close on")
    funds_card = ana.locator(".card", has=ana.get_by_role("heading", name="Raising funds"))
    expect(funds_card).to_contain_text("4 places · 1 person has it as first choice")
    funds_card.get_by_text("Who chose it first").click()
    expect(funds_card.get_by_role("listitem")).to_have_text(["Li Chen"])
    check_a11y(ana, "topic choice answer page (phone)")
    assert_no_horizontal_scroll(ana)
    ana.get_by_label("First choice").select_option(label="Raising funds")
    ana.get_by_label("Second choice").select_option(label="Keeping staff")
    submit(ana, ana.get_by_role("button", name="Save my choices"))
    expect(ana.get_by_role("heading", name="Your saved choices")).to_be_visible()
    assert ranking_of(fr, people["Ana"]) == ["Raising funds", "Keeping staff"]
    expect(funds_card).to_contain_text("2 people have it as first choice")

    # Changing her mind before the deadline: a choice used twice is refused first.
    ana.get_by_label("First choice").select_option(label="Board development")
    ana.get_by_label("Second choice").select_option(label="Board development")
    submit(ana, ana.get_by_role("button", name="Save my changes"))
    expect(ana.locator("#error-summary")).to_contain_text("You already chose Board development")
    assert ranking_of(fr, people["Ana"]) == ["Raising funds", "Keeping staff"]
    ana.get_by_label("Second choice").select_option(label="Raising funds")
    submit(ana, ana.get_by_role("button", name="Save my changes"))
    expect(ana.locator(".messages")).to_contain_text("Saved.")
    assert ranking_of(fr, people["Ana"]) == ["Board development", "Raising funds"]
    assert_no_horizontal_scroll(ana)

    # Staff remind those who have not answered, then form the groups.
    staff.goto(live_server.url + fr.get_absolute_url())
    expect(staff.locator("main")).to_contain_text("2 of 8 answered")
    submit(staff, staff.get_by_role("button", name="Remind those who have not answered"))
    expect(staff.locator(".messages")).to_contain_text("6 people reminded.")
    assert OutboxMessage.objects.filter(key__contains="remind").count() == 6
    form_groups(staff)
    check_a11y(staff, "review board (topic choice)")
    proposal = newest(fr)
    groups = list(proposal.groups.select_related("topic"))
    assert all(g.topic is not None for g in groups)
    for group in groups:
        expect(card(staff, group)).to_contain_text(f"Topic: {group.topic.name}")
    ana_group = group_of(proposal, people["Ana"])
    assert ana_group.topic.name == "Board development"
    assert group_of(proposal, people["Li"]).topic.name == "Raising funds"
    expect(figure(staff, "Got their first choice")).to_have_text(
        str(proposal.scores["first_choice"])
    )
    # Once the groups are formed, Ana's page says choices are closed (and nothing else).
    ana.reload()
    expect(ana.locator(".alert-secondary")).to_contain_text("Choices are closed")
    expect(ana.locator("main")).not_to_contain_text("Choices close on")
    expect(ana.get_by_role("button", name="Save my changes")).to_have_count(0)

    # Rename Ana's group; an empty name is refused beside the field.
    name_box = card(staff, ana_group).get_by_label(f"Name of the group “{ana_group.name}”")
    name_box.fill("")
    card(staff, ana_group).get_by_role("button", name="Save the name").click()
    expect(card(staff, ana_group)).to_contain_text("Give the group a name.")
    name_box = card(staff, ana_group).get_by_label(re.compile("Name of the group"))
    name_box.fill("Boards that work")
    card(staff, ana_group).get_by_role("button", name="Save the name").click()
    expect(staff.locator("#board-live")).to_contain_text("to Boards that work")
    expect(card(staff, ana_group).get_by_label(re.compile("Name of the group"))).to_be_focused()
    ana_group.refresh_from_db()
    assert ana_group.name == "Boards that work"

    publish(staff, len(groups))
    assert_published(fr)
    community = Community.objects.get(cohort=world.cohort, name="Boards that work")
    assert community.topic == world.topic
    assert Membership.objects.filter(community=community, participant=people["Ana"]).exists()
    # Ana's link now says where she is.
    ana.reload()
    expect(ana.locator("main")).to_contain_text("You are in Boards that work.")
    assert not csp, csp


# -- 3. criteria -----------------------------------------------------------------------------


def test_criteria_from_setup_to_communities(world, live_server, new_page, sweeps):
    people = add_people(world)
    formats = ["virtual", "in_person"]
    for index, person in enumerate(people.values()):
        person.format_preference = formats[index % 2]
        person.save(update_fields=["format_preference"])
    staff = staff_page(new_page, live_server, world)
    csp = watch_csp(staff)
    fr = start_round(staff, live_server, world, "Criteria groups", "Criteria", low=3, high=5)
    expect(staff.locator(".messages")).to_contain_text("Choose the criteria next.")

    staff.get_by_role("link", name="Choose criteria").click()
    check_a11y(staff, "criteria page")
    # Nothing ticked: a clear message, nothing saved.
    submit(staff, staff.get_by_role("button", name="Save criteria"))
    expect(staff.locator("main")).to_contain_text("Choose at least one criterion")
    fmt = staff.get_by_role("group", name="Virtual or in-person preference")
    fmt.get_by_label("Virtual or in-person preference").check()
    fmt.get_by_label("Rule").select_option(label="Keep similar")
    commitment = staff.get_by_role("group", name="Commitment level")
    commitment.get_by_label("Commitment level").check()
    commitment.get_by_label("Rule").select_option(label="Mix")
    commitment.get_by_label("Weight (1 to 5)").select_option("2")
    custom = staff.get_by_role("group", name="Your own question")
    custom.get_by_label("Your own question").check()
    custom.get_by_label("Your question").fill("Which day suits you for meetings?")
    custom.get_by_label("Its answers").fill("Tuesday\nThursday")
    submit(staff, staff.get_by_role("button", name="Save criteria"))
    expect(staff.locator(".messages")).to_contain_text("Criteria saved.")
    fr.refresh_from_db()
    assert fr.criteria == [
        {"attribute": "format", "rule": "similar", "weight": 3},
        {"attribute": "commitment", "rule": "mix", "weight": 2},
        {"attribute": "custom", "rule": "similar", "weight": 3},
    ]
    assert fr.custom_question == "Which day suits you for meetings?"
    send_links(staff, fr)

    # Two people answer on phones; a missing answer is pointed out first.
    days = {"Ana": "Tuesday", "Li": "Thursday"}
    for first_name, day in days.items():
        phone = new_page("phone")
        csp += watch_csp(phone)
        phone.goto(answer_url(live_server, fr, people[first_name]))
        expect(phone.get_by_role("heading", name="Your answers")).to_be_visible()
        if first_name == "Ana":
            check_a11y(phone, "criteria answer page (phone)")
            assert_no_horizontal_scroll(phone)
            phone.get_by_label("Four hours a month or more").check()
            submit(phone, phone.get_by_role("button", name="Save my answers"))
            expect(phone.locator("#error-summary")).to_be_focused()
            expect(phone.locator("#error-summary")).to_contain_text("Please choose an answer.")
        else:
            phone.get_by_label("An hour a month or less").check()
        phone.get_by_label(day).check()
        submit(phone, phone.get_by_role("button", name="Save my answers"))
        expect(phone.get_by_role("heading", name="Your saved answers")).to_be_visible()
        expect(phone.locator("main")).to_contain_text(day)
        assert_no_horizontal_scroll(phone)
    ana = FormationEntry.objects.get(round=fr, participant=people["Ana"])
    assert ana.answers == {"commitment": 3, "custom": "Tuesday"}
    # Raj answered on paper; staff type it in.
    staff.goto(live_server.url + fr.get_absolute_url())
    submit(
        staff, staff.locator("tr", has_text="Raj Patel").get_by_role("link", name="Enter on paper")
    )
    staff.get_by_label("Two or three hours a month").check()
    staff.get_by_label("Thursday").check()
    submit(staff, staff.get_by_role("button", name="Save", exact=True))
    expect(staff.locator(".messages")).to_contain_text("Saved what Raj Patel put on paper.")
    raj = FormationEntry.objects.get(round=fr, participant=people["Raj"])
    assert raj.answers == {"commitment": 2, "custom": "Thursday"}
    assert raj.entered_by == world.staff
    # The others' paper forms are entered in bulk.
    for index, entry in enumerate(fr.entries.filter(submitted_at__isnull=True)):
        entry.answers = {
            "commitment": 1 + index % 3,
            "custom": ["Tuesday", "Thursday"][index % 2],
        }
        entry.submitted_at = timezone.now()
        entry.save(update_fields=["answers", "submitted_at"])

    staff.goto(live_server.url + fr.get_absolute_url())
    form_groups(staff)
    check_a11y(staff, "review board (criteria)")
    proposal = newest(fr)
    groups = list(proposal.groups.all())
    assert len(groups) == 2
    expect(figure(staff, "Worst group's score")).to_be_visible()
    labels = {
        "format": "Virtual or in-person preference",
        "commitment": "Commitment level",
        "custom": "Which day suits you for meetings?",
    }
    for group in groups:
        lines = card(staff, group).locator(".formation-figures")
        # Eight people, four of each format and two days: two groups of four can meet every
        # criterion, and the engine finds that split.
        assert group.details["criteria"] == {"format": True, "commitment": True, "custom": True}
        expect(lines).to_contain_text("Meets: " + ", ".join(labels.values()))
        expect(lines).not_to_contain_text("Misses")
        expect(lines).to_contain_text(f"Score: {round(100 * group.details['score'])}%")
    expect(figure(staff, "Groups meeting “Commitment level”")).to_have_text(
        f"{round(100 * proposal.scores['commitment'])}%"
    )

    publish(staff, len(groups))
    assert len(assert_published(fr)) == 2
    assert not csp, csp


# -- 4. map ----------------------------------------------------------------------------------

RICHMOND = [(37.54, -77.43), (37.60, -77.50), (37.48, -77.36)]
ROANOKE = [(37.27, -79.94), (37.30, -80.00), (37.22, -79.88), (37.35, -79.90)]


def test_map_from_setup_to_communities(world, live_server, new_page, sweeps):
    people = add_people(world, names=EXTRA_PEOPLE[:5])
    # Lee and Pat share the pantry in Richmond; the others are spread over two cities.
    world.organization.latitude, world.organization.longitude = RICHMOND[0]
    world.organization.save()
    east = [people["Ana"], people["Li"]]
    west = [people["Sam"], people["Dana"], people["Mia"]]
    for person, (lat, lon) in zip(east + west, RICHMOND[1:] + ROANOKE, strict=False):
        org = person.organization
        org.latitude, org.longitude = lat, lon
        org.save()
    # An earlier round published a "Group 1" already: the new groups are named around it.
    factories.CommunityFactory(cohort=world.cohort, name="Group 1")
    staff = staff_page(new_page, live_server, world)
    csp = watch_csp(staff)
    fr = start_round(staff, live_server, world, "Neighbours", "Map", low=3, high=4)
    # A map round asks participants nothing: no collecting step, no links to send.
    expect(staff.get_by_role("heading", name="2. Form the groups")).to_be_visible()
    expect(staff.get_by_role("button", name="Send personal links")).to_have_count(0)
    form_groups(staff)
    check_a11y(staff, "review board (map)")

    proposal = newest(fr)
    groups = list(proposal.groups.order_by("position"))
    assert len(groups) == 2
    assert "Group 1" not in {g.name for g in groups}
    assert group_of(proposal, people["Lee"]) == group_of(proposal, people["Ana"])
    assert len({group_of(proposal, p).pk for p in west}) == 1
    svg = staff.locator("figure.formation-map svg")
    expect(svg).to_be_visible()
    expect(svg.locator("circle[data-id]")).to_have_count(7)
    table = staff.locator("table", has=staff.get_by_text("How spread out each group is"))
    spread_km = groups[0].details["spread_km"]
    # A cohort in a US time zone reads miles first; kilometres are a click away, and back.
    expect(table.locator("tbody tr").first).to_contain_text(f"{spread_km / 1.609344:,.1f} mi")
    staff.get_by_role("link", name="km").click()
    expect(table.locator("tbody tr").first).to_contain_text(f"{spread_km:,.1f} km")
    expect(figure(staff, "Largest distance to the group's centre")).to_contain_text(" km")

    staff.get_by_role("link", name="miles").click()
    expect(table.locator("tbody tr").first).to_contain_text(f"{spread_km / 1.609344:,.1f} mi")
    expect(figure(staff, "Largest distance to the group's centre")).to_contain_text(" mi")
    for part in (table.locator("tbody"), staff.locator(".formation-scores, .formation-figures")):
        expect(part.first).not_to_contain_text(" km")
    # A move keeps the miles: Li goes west, where there is room.
    mover = staff.locator(f"#m-{people['Li'].public_id}")
    west_group = group_of(proposal, people["Sam"])
    mover.get_by_label("Move Li Chen to").select_option(label=west_group.name)
    mover.get_by_role("button", name="Move").click()
    expect(card(staff, west_group).locator(f"#m-{people['Li'].public_id}")).to_have_count(1)
    expect(table.locator("tbody")).to_contain_text(" mi")
    expect(table.locator("tbody")).not_to_contain_text(" km")
    expect(card(staff, west_group).locator(".formation-figures")).to_contain_text(" mi across")
    assert group_of(proposal, people["Li"]) == west_group

    phone = staff_page(new_page, live_server, world, "phone")
    phone.goto(staff.url)
    expect(phone.locator("figure.formation-map svg")).to_be_visible()
    assert_no_horizontal_scroll(phone)

    publish(staff, 2)
    assert len(assert_published(fr)) == 2
    assert Membership.objects.get(participant=people["Li"], community__name=west_group.name)
    assert not csp, csp


# -- 5. pre-assign ---------------------------------------------------------------------------


def upload_csv(page, text):
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "groups.csv", "mimeType": "text/csv", "buffer": text.encode("utf-8")}]
    )
    submit(page, page.get_by_role("button", name="Upload"))


def test_preassign_with_a_csv_from_setup_to_communities(world, live_server, new_page, sweeps):
    people = add_people(world)
    staff = staff_page(new_page, live_server, world)
    csp = watch_csp(staff)
    fr = start_round(staff, live_server, world, "Placed by hand", "Pre-assign", low=3, high=5)
    form_groups(staff)
    assert newest(fr).number == 1

    staff.get_by_role("link", name="Upload a CSV").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Upload the groups as a CSV")
    check_a11y(staff, "upload page")
    north = ["Lee", "Pat", "Ana", "Li"]
    south = ["Sam", "Dana", "Mia", "Raj"]
    good = "email,group\n" + "".join(
        f"{people[n].email},{'North team' if n in north else 'South team'}\n" for n in north + south
    )
    bad = good.replace(people["Raj"].email, "nobody@nowhere.example")
    upload_csv(staff, bad)
    errors = staff.get_by_role("alert")
    expect(errors).to_contain_text("problem in the file, so nothing has been saved")
    row = errors.locator("tr", has_text="nobody@nowhere.example")
    expect(row).to_contain_text("Nobody in this round has the email nobody@nowhere.example")
    expect(row.locator("td").first).to_have_text("9")
    check_a11y(staff, "upload page with row errors")
    assert fr.proposals.count() == 1

    # The current groups download as a CSV of the same shape.
    with staff.expect_download() as download:
        staff.get_by_role("link", name="Download the current groups as a CSV").click()
    rows = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert rows[0] == "name,email,group"
    assert sorted(row.split(",")[1] for row in rows[1:]) == sorted(p.email for p in people.values())

    upload_csv(staff, good)
    expect(staff.locator(".messages")).to_contain_text("The groups from your file are proposal 2.")
    proposal = newest(fr)
    assert proposal.number == 2
    assert proposal.source == FormationProposal.Source.CSV
    by_group = {g.name: {m.participant_id for m in g.members.all()} for g in proposal.groups.all()}
    assert by_group == {
        "North team": {people[n].pk for n in north},
        "South team": {people[n].pk for n in south},
    }
    expect(staff.locator("#board")).to_contain_text("North team")

    publish(staff, 2)
    communities = {c.name: c for c in assert_published(fr)}
    # The review page now links each group to its community.
    staff.goto(
        live_server.url
        + reverse("cohorts:formation-review", args=[world.cohort.slug, fr.public_id])
    )
    expect(staff.locator("#board .alert-success")).to_contain_text("were published as communities")
    expect(staff.locator("#board select")).to_have_count(0)
    submit(staff, staff.get_by_role("link", name="North team"))
    expect(staff.get_by_role("heading", level=1)).to_contain_text("North team")
    assert set(communities) == {"North team", "South team"}
    assert set(
        Membership.objects.filter(community=communities["South team"]).values_list(
            "participant_id", flat=True
        )
    ) == {people[n].pk for n in south}
    assert not csp, csp


# -- bad input and the board's refusals ------------------------------------------------------


def test_bad_input_gets_a_clear_message_and_changes_nothing(world, live_server, new_page, sweeps):
    people = add_people(world, names=EXTRA_PEOPLE[:4])  # 6 people
    staff = staff_page(new_page, live_server, world)
    csp = watch_csp(staff)

    # The round form: sizes the wrong way round are refused beside the field.
    staff.goto(live_server.url + reverse("cohorts:formation-create", args=[world.cohort.slug]))
    staff.get_by_label("Name of the round").fill("Backwards")
    staff.get_by_label("Pre-assign", exact=True).check()
    staff.get_by_label("Smallest group").fill("5")
    staff.get_by_label("Largest group").fill("3")
    submit(staff, staff.get_by_role("button", name="Start the round"))
    expect(staff.get_by_label("Largest group")).to_have_class(re.compile("is-invalid"))
    expect(staff.locator("main")).to_contain_text(
        "The largest group can't be smaller than the smallest."
    )
    check_a11y(staff, "round form with an error")
    assert not FormationRound.objects.filter(name="Backwards").exists()

    # More groups than people: said on the round's page, no proposal made.
    fr = start_round(staff, live_server, world, "Too many groups", "Pre-assign", groups=9)
    submit(staff, staff.get_by_role("button", name="Form groups"))
    expect(staff.locator(".messages")).to_contain_text(
        "6 people cannot make 9 groups. Ask for fewer groups."
    )
    assert not fr.proposals.exists()

    # An empty round: everyone is untaken on the People page; forming is not offered.
    check_a11y(staff, "review page without groups, after a refusal")
    crumbs = staff.get_by_role("navigation", name="Breadcrumb")
    crumbs.get_by_role("link", name="Too many groups").click()
    expect(staff).to_have_url(re.compile(r"/formation/[0-9a-f-]+/$"))
    staff.get_by_role("link", name="Who takes part").click()
    # Wait for the People page before the audit: axe on a page still navigating finds no document.
    expect(staff).to_have_url(re.compile(r"/people/$"))
    check_a11y(staff, "who takes part")
    staff.locator("thead").get_by_label("Tick everyone on this page").uncheck()
    submit(staff, staff.get_by_role("button", name="Save who takes part").last)
    expect(staff.locator(".messages")).to_contain_text("Saved: 0 added, 6 removed.")
    assert fr.entries.count() == 0
    staff.goto(live_server.url + fr.get_absolute_url())
    expect(staff.get_by_role("button", name="Form groups")).to_be_disabled()
    expect(staff.locator("main")).to_contain_text(
        "No one takes part yet: add people on the Participants page."
    )

    # A choice naming someone taken out of the round is left out, and the board says so.
    fr = start_round(staff, live_server, world, "Choices", "Speed matching", low=2, high=4)
    FormationEntry.objects.filter(round=fr, participant=people["Ana"]).update(
        choices=[str(people["Sam"].public_id)], submitted_at=timezone.now()
    )
    staff.get_by_role("link", name="Who takes part").click()
    staff.get_by_label("Sam Okafor takes part").uncheck()
    submit(staff, staff.get_by_role("button", name="Save who takes part").last)
    expect(staff.locator(".messages")).to_contain_text("Saved: 0 added, 1 removed.")
    staff.get_by_role("link", name="Back to the round").click()
    form_groups(staff)
    expect(staff.locator("#board .alert-warning")).to_contain_text(
        "Ana Ruiz chose Sam Okafor, who is not in this round; that choice is left out."
    )
    assert not ProposedMember.objects.filter(proposal__round=fr, participant=people["Sam"]).exists()

    # The board refuses a move that breaks a lock, and says why; nothing moves.
    fr = start_round(staff, live_server, world, "Locked pair", "Pre-assign", low=2, high=4)
    form_groups(staff)
    proposal = newest(fr)
    ana_home = group_of(proposal, people["Ana"])
    partner = next(
        m.participant for m in ana_home.members.all() if m.participant_id != people["Ana"].pk
    )
    locks = staff.locator("#locks")
    locks.get_by_label("This person*", exact=True).select_option(str(people["Ana"].public_id))
    locks.get_by_label("and this person*", exact=True).select_option(str(partner.public_id))
    locks.get_by_role("button", name="Add the lock").click()
    expect(locks.get_by_role("listitem")).to_have_count(1)
    other = next(g for g in proposal.groups.all() if g != ana_home)
    ana_item = staff.locator(f"#m-{people['Ana'].public_id}")
    ana_item.get_by_label("Move Ana Ruiz to").select_option(label=other.name)
    ana_item.get_by_role("button", name="Move").click()
    error = staff.locator("#board-error")
    expect(error).to_contain_text("are locked together")
    expect(error).to_be_focused()
    assert group_of(proposal, people["Ana"]) == ana_home
    check_a11y(staff, "review board with a refused move")
    # Without the lock the move goes through.
    staff.locator("#locks").get_by_role("button", name=re.compile("^Remove")).click()
    expect(staff.locator("#locks")).to_contain_text("No locks yet.")
    expect(staff.locator("#locks-heading")).to_be_focused()
    assert fr.locks.count() == 0
    ana_item.get_by_label("Move Ana Ruiz to").select_option(label=other.name)
    ana_item.get_by_role("button", name="Move").click()
    expect(card(staff, other).locator(f"#m-{people['Ana'].public_id}")).to_have_count(1)
    assert group_of(proposal, people["Ana"]) == other

    # A lock of a person with themselves is refused beside the field.
    locks = staff.locator("#locks")
    locks.get_by_label("This person*", exact=True).select_option(str(people["Li"].public_id))
    locks.get_by_label("and this person*", exact=True).select_option(str(people["Li"].public_id))
    locks.get_by_role("button", name="Add the lock").click()
    expect(staff.locator("#locks")).to_contain_text("Choose two different people.")
    assert fr.locks.count() == 0

    # Moving someone to a new group of their own leaves it too small: publishing says so.
    li_item = staff.locator(f"#m-{people['Li'].public_id}")
    li_item.get_by_label("Move Li Chen to").select_option(label="A new group")
    count = proposal.groups.count() + 1
    li_item.get_by_role("button", name="Move").click()
    expect(staff.locator("#groups-heading")).to_have_text(f"{count} groups")
    lone = group_of(proposal, people["Li"])
    expect(card(staff, lone)).to_contain_text("Below the smallest size (2)")
    staff.locator("#publish summary").click()
    expect(staff.locator("#publish")).to_contain_text("outside the size limits")
    staff.get_by_label("I have checked the groups").check()
    submit(staff, staff.get_by_role("button", name=re.compile(r"^Publish \d+ communities$")))
    expect(staff.locator(".messages")).to_contain_text("Move people between groups first.")
    fr.refresh_from_db()
    assert not fr.is_published
    assert not Community.objects.filter(name=lone.name).exists()

    # An older proposal is shown read-only.
    submit(staff, staff.get_by_role("button", name="Re-run around the locks"))
    staff.get_by_label("Show proposal").select_option("1")
    submit(staff, staff.get_by_role("button", name="Show", exact=True))
    expect(staff.locator("#board")).to_contain_text("This is an older proposal")
    expect(staff.locator("#board select[name='group']")).to_have_count(0)
    expect(staff.locator("#publish")).to_have_count(0)
    assert not csp, csp


# -- a large round runs in the background ----------------------------------------------------


def test_a_large_round_shows_its_progress_and_then_its_groups(
    world, live_server, new_page, sweeps, monkeypatch
):
    """Rounds above BACKGROUND_FROM people run in Celery; here the threshold is lowered and
    the queued task is run by the test, while the review page polls its progress."""
    from cohorts import tasks
    from cohorts.formation.services import runs as formation

    queued = []
    monkeypatch.setattr(formation, "BACKGROUND_FROM", 3)
    monkeypatch.setattr(
        tasks.run_formation_round, "delay_on_commit", lambda *args, **kwargs: queued.append(args)
    )
    add_people(world, names=EXTRA_PEOPLE[:4])
    staff = staff_page(new_page, live_server, world)
    csp = watch_csp(staff)
    fr = start_round(staff, live_server, world, "Big kickoff", "Pre-assign", low=2, high=3)
    submit(staff, staff.get_by_role("button", name="Form groups"))
    expect(staff.locator(".messages")).to_contain_text("copkit is forming the groups")
    progress = staff.locator("#formation-progress")
    expect(progress).to_contain_text("Waiting for a free worker…")
    expect(progress.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "0")
    check_a11y(staff, "review page while the groups are formed")
    assert len(queued) == 1
    fr.refresh_from_db()
    assert fr.run_state == FormationRound.RunState.QUEUED

    # The worker picks it up; the page notices by itself and shows the groups.
    tasks.run_formation_round(*queued[0])
    expect(staff.locator("#board")).to_be_visible(timeout=10_000)
    expect(staff.locator("#formation-progress")).to_have_count(0)
    expect(staff.locator("#groups-heading")).to_have_text(re.compile(r"^\d+ groups$"))
    fr.refresh_from_db()
    assert fr.run_state == FormationRound.RunState.IDLE
    assert newest(fr).members.count() == 6
    assert not csp, csp
