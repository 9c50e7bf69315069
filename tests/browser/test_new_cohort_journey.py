"""A brand-new cohort from an empty database to its first communities, in a real browser
(issue 12, "Done when"): a staff member who runs no cohort yet creates one, imports a roster
with one bad row (importing the good rows and skipping it), starts a needs assessment from the
template with its practice areas made topics, sends it, and three participants answer on
their phones; the dashboard shows their needs; a pre-assign round forms two groups, staff
choose a leader for each on the review board and publish; the communities' inventories list
their members' needs, and each leader, joining through the invitation in their email, finds
on the home page their community's real next steps, each link opening its page.

Nothing here comes from the shared personas or the demo: the only row before the journey
is the staff member's user. Every page is checked with axe-core."""

import re
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse

from cohorts.models import Cohort, Membership
from copkit import outbox
from planning.models import InventoryEntry, Question, Survey
from tests import factories
from tests.browser.conftest import assert_no_horizontal_scroll, check_a11y, login, submit
from tests.browser.test_formation import card, form_groups, newest, publish, start_round
from tests.browser.test_journeys import NEW_PASSWORD, PASSWORD_LABEL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

COHORT = "Piedmont Nonprofit Cohort 2027"
# name, email, organization, ZIP code, expertise: eleven good rows and one without an email.
ROSTER = [
    ("Ana Ruiz", "ana@riverbend.example", "Riverbend Food Pantry", "22301", "grant writing"),
    ("Ben Osei", "ben@riverbend.example", "Riverbend Food Pantry", "22301", "volunteers"),
    ("Cara Diaz", "cara@capitol.example", "Capitol Youth League", "20002", "youth programs"),
    ("Dev Shah", "dev@capitol.example", "Capitol Youth League", "20002", "budgets, audits"),
    ("Eva Lind", "eva@harbor.example", "Harbor Housing Alliance", "21201", "housing policy"),
    ("Finn Cole", "finn@harbor.example", "Harbor Housing Alliance", "21201", "board recruiting"),
    ("Gia Moreno", "gia@hillside.example", "Hillside Clinic", "21201", "health outreach"),
    ("Hal Berg", "hal@hillside.example", "Hillside Clinic", "21201", "data systems"),
    ("Ivy Tran", "ivy@southside.example", "Southside Arts", "20002", "events, donors"),
    ("Jon Park", "jon@southside.example", "Southside Arts", "20002", "marketing"),
    ("Kim Obi", "kim@eastend.example", "East End Literacy", "22301", "tutoring"),
    ("Lou Fox", "", "East End Literacy", "22301", "strategy"),
]
GOOD = [row for row in ROSTER if row[1]]
# Three people answer the needs assessment on their phones.
ANSWERS = {
    "Ana Ruiz": ["Raising funds", "Board development"],
    "Eva Lind": ["Raising funds"],
    "Ivy Tran": ["Board development"],
}


def roster_csv():
    lines = ["name,email,organization,zip,expertise,format preference"]
    for name, email, organization, zip_code, expertise in ROSTER:
        lines.append(f'{name},{email},{organization},{zip_code},"{expertise}",Either')
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture
def founder():
    """Someone who may create cohorts and runs none: the database's only row."""
    return factories.UserFactory(
        email="nora@tta.example", name="Nora Founder", can_create_cohorts=True
    )


def create_cohort(page):
    submit(page, page.get_by_role("link", name="New cohort"))
    expect(page.get_by_role("heading", level=1)).to_have_text("New cohort")
    check_a11y(page, "new cohort")
    page.get_by_label("Name").fill(COHORT)
    page.get_by_label("Description").fill("Food, youth, housing, health and arts groups.")
    page.get_by_label("Program starts").fill("2027-01-15")
    page.get_by_label("Program ends").fill("2027-12-15")
    submit(page, page.get_by_role("button", name="Create cohort"))
    expect(page.locator(".messages")).to_contain_text("Cohort created")
    check_a11y(page, "dashboard of the empty cohort")
    return Cohort.objects.get(name=COHORT)


def import_roster(page, cohort):
    submit(page, page.get_by_role("link", name="Import roster"))
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "roster.csv", "mimeType": "text/csv", "buffer": roster_csv()}]
    )
    submit(page, page.get_by_role("button", name="Check the file"))
    problems = page.get_by_role("alert")
    expect(problems).to_contain_text("1 row has a problem, so nothing has been saved yet.")
    expect(problems).to_contain_text("Row 13")
    assert cohort.participants.count() == 0, "the preview must not save anything"
    check_a11y(page, "roster preview with a bad row")
    submit(page, page.get_by_role("button", name="Import the 11 good rows and skip the 1"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Roster imported")
    expect(page.get_by_role("status")).to_contain_text("11 new participants")
    expect(page.get_by_role("status")).to_contain_text("1 row with a problem skipped")
    skipped = page.locator("#skipped-caption").locator("xpath=..")
    expect(skipped.locator("tbody tr")).to_have_count(1)
    expect(skipped.locator("tbody tr")).to_contain_text("Lou Fox")
    check_a11y(page, "roster imported, one row skipped")
    assert sorted(cohort.participants.values_list("name", flat=True)) == [r[0] for r in GOOD]
    ana = cohort.participants.get(name="Ana Ruiz")
    assert ana.expertise and "grant writing" in str(ana.expertise).lower()


def invite_everyone(page, cohort):
    submit(page, page.locator(".cohort-bar").get_by_role("link", name=cohort.name))
    submit(page, page.get_by_role("button", name="Invite the 11 participants not yet invited"))
    expect(page.locator(".messages")).to_contain_text("on their way to 11 participants")


def start_needs_survey(page, live_server, cohort):
    page.goto(live_server.url + reverse("planning:survey-create", args=[cohort.slug]))
    expect(page.get_by_label("Needs assessment")).to_be_checked()
    topics_box = page.get_by_label("Make these practice areas topics of the cohort")
    expect(topics_box).to_be_checked()
    check_a11y(page, "new needs assessment")
    submit(page, page.get_by_role("button", name="Create survey"))
    expect(page.locator(".messages")).to_contain_text("Survey created as a draft")
    assert cohort.topics.filter(name="Raising funds").exists()
    survey = Survey.objects.get(cohort=cohort)

    submit(page, page.get_by_role("link", name="Send and follow up"))
    check_a11y(page, "send the survey")
    submit(page, page.get_by_role("button", name="Send to everyone not sent yet (11)"))
    expect(page.locator(".messages")).to_contain_text("Survey on its way to 11 people")
    return survey


def answer_on_a_phone(new_page, live_server, survey, cohort):
    needs = survey.questions.get(fills=Question.Fills.NEEDS)
    for index, (name, areas) in enumerate(ANSWERS.items()):
        link = survey.recipients.get(participant__name=name)
        phone = new_page("phone")
        phone.goto(live_server.url + link.get_answer_url())
        question = phone.locator("fieldset", has_text=needs.text)
        for area in areas:
            question.get_by_label(area).check()
        expect(question.locator(".save-status")).to_have_text(re.compile("Saved"))
        if index == 0:
            assert_no_horizontal_scroll(phone)
            check_a11y(phone, "needs assessment answer page (phone)")
        with phone.expect_navigation():
            phone.get_by_role("button", name="Submit").click()
        expect(phone.get_by_role("heading", level=1)).to_contain_text("Thank you")
        if index == 0:
            check_a11y(phone, "needs assessment thanks (phone)")
    needs = InventoryEntry.objects.filter(participant__cohort=cohort, kind="need")
    assert needs.count() == sum(len(areas) for areas in ANSWERS.values())


def choose_leaders(page, proposal):
    """A leader per group, on the review board: an answerer of the survey where the group has
    one, else its first member by name. Returns {group name: leader}."""
    leaders = {}
    for group in proposal.groups.order_by("name"):
        members = sorted(
            (m.participant for m in group.members.select_related("participant")),
            key=lambda p: (p.name not in ANSWERS, p.name),
        )
        if not members:
            continue
        leader = members[0]
        board_card = card(page, group)
        board_card.get_by_label("Leader", exact=True).select_option(str(leader.public_id))
        board_card.get_by_role("button", name=re.compile("^Save.*the leaders of")).click()
        expect(page.locator("#board-live")).to_contain_text(
            f"{group.name} will be led by {leader.name}."
        )
        leaders[group.name] = leader
    return leaders


def accept_invitation(page, live_server, person):
    """The email about their community asks them to lead it and, since they have no account
    yet, carries their invitation link: open it and choose a password."""
    (email,) = [m for m in mail.outbox if m.to == [person.email] and "asked you to lead" in m.body]
    link = re.search(r"https?://\S+/invite/\S+/", email.body).group(0)
    page.goto(live_server.url + urlsplit(link).path)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Join {COHORT}")
    page.get_by_label(PASSWORD_LABEL).fill(NEW_PASSWORD)
    page.get_by_label("Password again").fill(NEW_PASSWORD)
    submit(page, page.get_by_role("button", name="Create my account and join"))
    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator(".messages")).to_contain_text(f"Welcome to {COHORT}!")


def test_a_brand_new_cohort_from_roster_to_led_communities(
    founder, live_server, page, new_page, sweeps
):
    login(page, live_server, founder.email, factories.PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome, Nora")
    check_a11y(page, "home of someone who runs no cohort")

    # 1-2. The cohort, its roster (the bad row skipped), and everyone invited.
    cohort = create_cohort(page)
    assert cohort.roles.filter(user=founder, role="staff").exists()
    import_roster(page, cohort)
    invite_everyone(page, cohort)

    # 3. A needs assessment from the template, its practice areas made topics, sent to
    # everyone; three people answer through their own links on phones.
    survey = start_needs_survey(page, live_server, cohort)
    answer_on_a_phone(new_page, live_server, survey, cohort)

    # 4. The dashboard shows their needs.
    page.goto(live_server.url + reverse("cohorts:dashboard", args=[cohort.slug]))
    main = page.locator("main")
    expect(main).to_contain_text("Raising funds")
    expect(main).to_contain_text("Board development")
    expect(main).to_contain_text("Ana Ruiz answered the survey Needs assessment")
    check_a11y(page, "dashboard with needs")

    # 5. A pre-assign round forms two groups; a leader for each; publish.
    formation_round = start_round(
        page,
        live_server,
        SimpleNamespace(cohort=cohort),
        "First communities",
        "Pre-assign",
        groups=2,
    )
    check_a11y(page, "the round's page")
    form_groups(page)
    check_a11y(page, "review board")
    proposal = newest(formation_round)
    leaders = choose_leaders(page, proposal)
    assert len(leaders) == 2
    expect(page.locator("#leaderless")).to_have_count(0)
    publish(page, 2)
    check_a11y(page, "review board after publishing")

    communities = {c.name: c for c in cohort.communities.all()}
    assert set(communities) == set(leaders)
    for name, leader in leaders.items():
        membership = Membership.objects.get(community=communities[name], participant=leader)
        assert membership.role == Membership.Role.LEADER

    # Each community's inventory lists what its members said they need.
    shown = 0
    for community in communities.values():
        page.goto(
            live_server.url
            + reverse(
                "planning:inventory",
                kwargs={"cohort_slug": cohort.slug, "community_slug": community.slug},
            )
        )
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        main = page.locator("main")
        members = community.memberships.values_list("participant__name", flat=True)
        for person in members:
            for area in ANSWERS.get(person, []):
                expect(main).to_contain_text(person)
                expect(main).to_contain_text(area)
                shown += 1
        check_a11y(page, f"inventory of {community.name}")
    assert shown == sum(len(areas) for areas in ANSWERS.values())

    # 6. Each leader joins through the invitation in their email and finds their
    # community's real next steps on the home page, each link opening its page.
    outbox.send_due()
    for name, leader in leaders.items():
        home = new_page("desktop")
        accept_invitation(home, live_server, leader)
        community_card = home.locator(".card", has=home.get_by_role("link", name=name))
        expect(community_card).to_contain_text("Leader")
        expect(community_card.get_by_role("heading", name="Your next steps")).to_be_visible()
        expect(community_card).not_to_contain_text("Next:")
        steps = community_card.locator(".next-steps li")
        expect(steps.first).to_be_visible()
        expect(steps).to_contain_text(["No meeting is scheduled"])
        check_a11y(home, f"home of the leader of {name}")
        for index in range(steps.count()):
            home.goto(live_server.url + "/")
            link = community_card.locator(".next-steps li").nth(index).get_by_role("link")
            label = link.inner_text()
            submit(home, link)
            expect(home.get_by_role("heading", level=1)).to_be_visible()
            expect(home.get_by_role("heading", level=1)).not_to_have_text("Page not found")
            assert "/accounts/login/" not in home.url, (label, home.url)
            check_a11y(home, f"{label} for {name}")
