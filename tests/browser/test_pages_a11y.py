"""Every main page, as the persona who uses it, at desktop and phone width: axe-core finds no
serious or critical violation, the phone layout never scrolls sideways, and the browser
reports no Content Security Policy violation.

The pages are only read, so the busy cohort they show is built once per module (once per
xdist worker), committed, served by a live server of the module's own and flushed when the
module is done; each persona logs in once, and every case opens a fresh browser context with
that login's cookies. Building the cohort and logging in again for each of the ~160 cases
took most of this module's time.
"""

from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.urls import reverse

from cohorts.models import CohortRole, Membership
from devtools.demo.planning import add_planning_data
from planning.surveys.services.live import start_session
from tests import factories
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    TIMEOUT_MS,
    assert_no_horizontal_scroll,
    check_a11y,
    login,
    menu_link,
)
from tests.conftest import build_world, fixed_clock

# django_db (not transactional): it tells pytest-django to create the test database, and each
# case runs in a transaction of its own that the live server, on its own connection, never
# sees; the cohort the pages show is committed by `site`.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]
expect = pytest.importorskip("playwright.sync_api").expect

# (URL name, persona who uses the page). Anonymous pages have persona None.
PAGES = [
    ("home", "staff"),
    ("home", "participant"),
    ("cohorts:dashboard", "staff"),
    ("cohorts:dashboard", "observer"),
    ("cohorts:participant-list", "staff"),
    ("cohorts:organization-list", "staff"),
    ("cohorts:organization-edit", "staff"),
    ("cohorts:topic-list", "staff"),
    ("cohorts:topic-edit", "staff"),
    ("cohorts:team", "staff"),
    ("cohorts:community-list", "staff"),
    ("cohorts:community-list", "participant"),
    ("cohorts:community-detail", "staff"),
    ("cohorts:community-detail", "leader"),
    ("cohorts:community-detail", "participant"),
    ("cohorts:community-edit", "staff"),
    ("cohorts:community-edit", "leader"),
    ("cohorts:community-create", "staff"),
    ("cohorts:cohort-create", "staff"),
    ("cohorts:cohort-edit", "staff"),
    ("cohorts:my-profile", "participant"),
    ("cohorts:participant-edit", "staff"),
    ("cohorts:roster-import", "staff"),
    ("account_login", None),
    ("account_reset_password", None),
    # Needs and expertise (planning), on the demo's planning data (busy_world).
    ("planning:survey-list", "staff"),
    ("planning:survey-create", "staff"),
    ("planning:survey-detail", "staff"),
    ("planning:survey-edit", "staff"),
    ("planning:question-add", "staff"),
    ("planning:question-edit", "staff"),
    ("planning:survey-recipients", "staff"),
    ("planning:survey-results", "staff"),
    ("planning:survey-results", "observer"),
    ("planning:my-surveys", "participant"),
    ("survey-answer", None),
    ("planning:live-present", "staff"),
    ("live-join", None),
    ("live-vote", None),
    ("planning:inventory", "leader"),
    ("planning:inventory", "participant"),
    ("planning:web", "participant"),
    ("planning:common-needs", "leader"),
    ("planning:common-needs", "participant"),
    ("planning:interviews", "participant"),
    ("planning:interviews-setup", "leader"),
    # Action plans and meetings.
    ("planning:plan", "leader"),
    ("planning:plan", "participant"),
    ("planning:plan-part", "leader"),
    ("planning:plan-part", "participant"),
    ("planning:plan-versions", "staff"),
    ("planning:plan-print", "leader"),
    ("planning:plan-list", "staff"),
    ("planning:plan-template", "staff"),
    ("planning:plan-template-part", "staff"),
    ("planning:meetings", "leader"),
    ("planning:meetings", "participant"),
    ("planning:meeting-schedule", "leader"),
    ("planning:meeting-settings", "leader"),
    ("planning:meeting-create", "leader"),
    ("planning:meeting-detail", "leader"),
    ("planning:meeting-edit", "leader"),
    ("planning:my-calendar", "participant"),
    # Formation rounds (busy_world.formation): setting up, personal links, the review board.
    ("cohorts:formation-list", "staff"),
    ("cohorts:formation-create", "staff"),
    ("cohorts:formation-detail", "staff"),
    ("cohorts:formation-edit", "staff"),
    ("cohorts:formation-people", "staff"),
    ("cohorts:formation-topics", "staff"),
    ("cohorts:formation-criteria", "staff"),
    ("cohorts:formation-entry", "staff"),
    ("cohorts:formation-review", "staff"),
    ("cohorts:formation-review@map", "staff"),
    ("cohorts:formation-upload", "staff"),
    ("formation-answer", None),
    ("formation-answer@topic", None),
    ("formation-answer@criteria", None),
]

CSP_MARKER = "Content Security Policy"


def url_for(name, world):
    if "formation" in name:
        return formation_url_for(name, world)
    if name.startswith("planning:") or name in {"survey-answer", "live-join", "live-vote"}:
        return planning_url_for(name, world)
    if name in {"home", "cohorts:cohort-create", "account_login", "account_reset_password"}:
        return reverse(name)
    kwargs = {"cohort_slug": world.cohort.slug}
    if name in {"cohorts:community-detail", "cohorts:community-edit"}:
        kwargs["community_slug"] = world.community.slug
    if name == "cohorts:participant-edit":
        kwargs["participant_id"] = world.participant_participant.public_id
    if name == "cohorts:organization-edit":
        kwargs["organization_id"] = world.organization.public_id
    if name == "cohorts:topic-edit":
        kwargs["topic_slug"] = world.topic.slug
    return reverse(name, kwargs=kwargs)


def planning_url_for(name, world):
    survey = world.planning.needs_survey
    if name == "survey-answer":
        recipient = survey.recipients.get(participant=world.participant_participant)
        return reverse(name, kwargs={"token": recipient.token})
    if name == "live-join":
        return reverse(name)
    if name == "live-vote":
        return reverse(name, kwargs={"code": world.live.code})
    kwargs = {"cohort_slug": world.cohort.slug}
    if name.startswith(("planning:survey-", "planning:question-")) and name not in {
        "planning:survey-list",
        "planning:survey-create",
    }:
        kwargs["survey_id"] = survey.public_id
    if name == "planning:question-edit":
        kwargs["question_id"] = survey.questions.first().public_id
    if name == "planning:live-present":
        kwargs["session_id"] = world.live.public_id
    if name in {"planning:plan-part", "planning:plan-template-part"}:
        kwargs["part_key"] = "goals"
    if name in {"planning:meeting-detail", "planning:meeting-edit"}:
        kwargs["meeting_id"] = world.community.meetings.order_by("starts_at").first().public_id
    if name.startswith(("planning:plan", "planning:meeting")) and name not in {
        "planning:plan-list",
        "planning:plan-template",
        "planning:plan-template-part",
    }:
        kwargs["community_slug"] = world.community.slug
    if name in {
        "planning:inventory",
        "planning:web",
        "planning:common-needs",
        "planning:interviews",
        "planning:interviews-setup",
    }:
        kwargs["community_slug"] = world.community.slug
    return reverse(name, kwargs=kwargs)


def formation_url_for(name, world):
    """A formation page of busy_world's rounds; "name@method" picks the round of that method
    (speed matching when none is given)."""
    name, _sep, method = name.partition("@")
    rounds = world.formation
    formation_round = rounds[method or "matching"]
    if name == "formation-answer":
        return formation_round.entries.order_by("participant__name").first().get_answer_url()
    if name in {"cohorts:formation-list", "cohorts:formation-create"}:
        return reverse(name, args=[world.cohort.slug])
    if name == "cohorts:formation-topics":
        formation_round = rounds["topic"]
    elif name == "cohorts:formation-criteria":
        formation_round = rounds["criteria"]
    kwargs = {"cohort_slug": world.cohort.slug, "round_id": formation_round.public_id}
    if name == "cohorts:formation-entry":
        kwargs["entry_id"] = formation_round.entries.order_by("participant__name").first().public_id
    return reverse(name, kwargs=kwargs)


def add_formation_rounds(world):
    """A round of each kind the pages need: speed matching with choices and formed groups,
    topic choice and criteria open for input, and a map round with formed groups."""
    from cohorts.formation.services import proposals, runs, setup
    from cohorts.models import FormationRound

    cohort, staff = world.cohort, world.staff
    Method = FormationRound.Method
    for index, org in enumerate(cohort.organizations.order_by("pk")):
        org.latitude, org.longitude = 37.5 + index * 0.3, -77.4 - index * 0.5
        org.save(update_fields=["latitude", "longitude"])
    rounds = {}
    for method, name in (
        (Method.MATCHING, "Kickoff speed matching for the Riverbend cohort"),
        (Method.TOPIC, "Spring topics"),
        (Method.CRITERIA, "Criteria groups"),
        (Method.MAP, "Neighbours"),
    ):
        rounds[method] = setup.create_round(
            cohort,
            staff,
            name=name,
            method=method,
            scope=FormationRound.Scope.ALL,
            size_mode=FormationRound.SizeMode.RANGE,
            size_min=2,
            size_max=3,
            group_count=None,
            deadline=None,
            instructions="Mark the people you would like to keep talking with.",
        )
    setup.save_criteria(
        rounds[Method.CRITERIA],
        staff,
        criteria=[
            {"attribute": "format", "rule": "similar", "weight": 3},
            {"attribute": "priorities", "rule": "similar", "weight": 2},
            {"attribute": "commitment", "rule": "mix", "weight": 2},
            {"attribute": "custom", "rule": "similar", "weight": 3},
        ],
        custom_question="Which day suits you for meetings?",
        custom_options="Tuesday\nThursday",
    )
    FormationRound.objects.filter(pk__in=[r.pk for r in rounds.values()]).update(
        status=FormationRound.Status.COLLECTING
    )
    matching = rounds[Method.MATCHING]
    entries = list(matching.entries.select_related("participant"))
    for entry, other in zip(entries, entries[1:] + entries[:1], strict=True):
        entry.choices = [str(other.participant.public_id)]
        entry.save(update_fields=["choices"])
    topic = rounds[Method.TOPIC]
    first = topic.topics.first()
    topic.entries.update(ranking=[str(first.public_id)])
    for method in (Method.MATCHING, Method.MAP):
        rounds[method].refresh_from_db()
        runs.run_round(rounds[method], actor=staff)
    proposals.add_lock(
        matching, entries[0].participant, entries[1].participant, "apart", actor=staff
    )
    return {str(method): r for method, r in rounds.items()}


def build_busy_world(world):
    """The personas' cohort with the long names, long emails and mixed statuses that break
    layouts: an invited participant, one not invited, an expired invitation, a co-leader
    with a custom role, a second topic and community, a team of three."""
    cohort = world.cohort
    long_org = factories.OrganizationFactory(
        cohort=cohort,
        name="Eastside Community Development Corporation of Greater Riverbend",
        zip_code="20002",
        state="DC",
    )
    invited = factories.ParticipantFactory(
        cohort=cohort,
        organization=long_org,
        name="Maria-Fernanda Castillo-Rodriguez",
        email="maria-fernanda.castillo-rodriguez@eastside-community-development.example",
        expertise="grant writing, volunteer recruitment, board development, budgeting",
    )
    factories.InvitationFactory(participant=invited, invited_by=world.staff)
    factories.ParticipantFactory(
        cohort=cohort, organization=long_org, name="Dana Kim", email="dana.kim@eastside.example"
    )
    expired = factories.ParticipantFactory(cohort=cohort, organization=world.organization)
    factories.InvitationFactory(
        participant=expired, expires_at=expired.created_at, invited_by=world.staff
    )
    topic = factories.TopicFactory(
        cohort=cohort,
        name="Raising funds from individual donors",
        description="Annual appeals, major gifts and keeping donors year after year.",
    )
    volunteers = factories.CommunityFactory(
        cohort=cohort,
        name="Volunteer Power: Recruiting and Keeping Volunteers",
        topic=topic,
        description="Organizations that run on volunteers and want them to stay.",
    )
    factories.MembershipFactory(
        community=volunteers,
        participant=invited,
        role=Membership.Role.CO_LEADER,
        title="Note-taker and timekeeper",
    )
    factories.MembershipFactory(
        community=world.community, participant=invited, role=Membership.Role.MEMBER
    )
    factories.CohortRoleFactory(
        cohort=cohort,
        user=factories.UserFactory(
            email="jordan.whitfield-okonkwo@tta-provider-national.example",
            name="Jordan Whitfield-Okonkwo",
        ),
        role=CohortRole.Role.STAFF,
    )
    for verb in ("imported the roster", "created community", "invited participants"):
        factories.ActivityFactory(cohort=cohort, actor=world.staff, verb=verb, target="Cohort")
    # Surveys sent and answered, a live poll, inventories, votes and interview rounds.
    world.planning = add_planning_data(cohort, staff=world.staff)
    world.live = start_session(world.planning.poll_survey, world.staff)
    world.formation = add_formation_rounds(world)
    return world


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, browser):
    """The busy cohort, committed, behind a live server of this module's own, with each
    persona's login cookies: SimpleNamespace(url=, urls={page name: path}, logins={persona:
    storage state}). Everything is flushed when the module is done.

    Not the `live_server` fixture: asking for it makes every test transactional, and the
    flush after each test would empty the cohort the next one needs."""
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock(), fixed_clock():
        server = None
        try:
            world = build_busy_world(build_world())
            urls = {name: url_for(name, world) for name, _persona in PAGES}
            server = LiveServer("localhost")
            server._live_server_modified_settings.enable()
            logins = {}
            for persona in {persona for _name, persona in PAGES if persona}:
                context = browser.new_context(**DESKTOP)
                context.set_default_timeout(TIMEOUT_MS)
                login(context.new_page(), server, world.users[persona].email, world.password)
                logins[persona] = context.storage_state()
                context.close()
            yield SimpleNamespace(url=server.url, urls=urls, logins=logins)
        finally:
            if server is not None:
                server._live_server_modified_settings.disable()
                server.stop()
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def open_page(site, browser):
    """open_page(persona, kind) -> (page, CSP messages): a fresh context, logged in as
    `persona` (None: anonymous), at desktop or phone size."""
    contexts = []

    def make(persona, kind):
        options = PHONE if kind == "phone" else DESKTOP
        state = site.logins[persona] if persona else None
        context = browser.new_context(**options, storage_state=state)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        csp_messages = []
        page.on(
            "console",
            lambda message: (
                csp_messages.append(message.text) if CSP_MARKER in message.text else None
            ),
        )
        return page, csp_messages

    yield make
    for context in contexts:
        context.close()


@pytest.mark.parametrize("kind", ["desktop", "phone"])
@pytest.mark.parametrize(
    ("name", "persona"), PAGES, ids=[f"{name}-{persona or 'anonymous'}" for name, persona in PAGES]
)
def test_page_is_accessible(name, persona, kind, site, open_page):
    page, csp_messages = open_page(persona, kind)
    url = site.urls[name]
    response = page.goto(site.url + url)
    assert response.status == 200, f"{url} as {persona}: {response.status}"
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    check_a11y(page, f"{name} as {persona or 'anonymous'} ({kind})")
    # Nothing past the right edge at either width (a staff member's menu of every stage once
    # ran past it on a desktop).
    assert_no_horizontal_scroll(page, 375 if kind == "phone" else 1280)
    assert not csp_messages, f"CSP violations on {url}: {csp_messages}"


def test_no_content_security_policy_violations(site, open_page):
    """Walk the pages and their small behaviours (menu toggle, select-all, a confirm dialog,
    a form with errors) and fail on any CSP report in the console: the policy forbids inline
    script and style, and a violation means something silently does not work."""
    page, csp_messages = open_page("staff", "phone")
    for name, persona in PAGES:
        if persona == "staff":
            page.goto(site.url + site.urls[name])
            page.wait_for_load_state("load")

    # The collapsed menu opens (Bootstrap's JS runs under the CSP).
    toggler = page.get_by_role("button", name="Show menu")
    toggler.click()
    expect(menu_link(page, "Team")).to_be_visible()

    # Select-all ticks every row (copkit.js runs under the CSP). At desktop width: on a
    # phone the table header, and the select-all box in it, is visually hidden.
    page, desktop_csp = open_page("staff", "desktop")
    page.goto(site.url + site.urls["cohorts:participant-list"])
    page.get_by_label("Select all on this page").check()
    boxes = page.locator('input[type="checkbox"][name="participants"]')
    assert boxes.count() > 1
    for index in range(boxes.count()):
        expect(boxes.nth(index)).to_be_checked()

    # A form with errors re-renders with its messages.
    page.goto(site.url + site.urls["cohorts:community-create"])
    with page.expect_navigation():
        page.get_by_role("button", name="Create community").click()
    expect(page.locator(".invalid-feedback, .errorlist").first).to_be_visible()

    # An anonymous visitor's pages too.
    anonymous, anonymous_csp = open_page(None, "desktop")
    for url in (reverse("account_login"), reverse("account_reset_password")):
        anonymous.goto(site.url + url)
        anonymous.wait_for_load_state("load")

    everything = csp_messages + desktop_csp + anonymous_csp
    assert not everything, "\n".join(everything)
