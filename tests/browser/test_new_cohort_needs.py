"""A brand-new cohort with no topics: staff start a needs assessment from the template with
"make these practice areas topics", send it, two participants answer through their links on
phones, and the community's inventory and the cohort's dashboard show their needs. Every
page is checked with axe-core, at desktop and phone width."""

import re

import pytest
from django.urls import reverse

from planning.models import InventoryEntry, Question, Survey
from tests import factories
from tests.browser.conftest import assert_no_horizontal_scroll, check_a11y, login, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect


@pytest.fixture
def new_cohort(world):
    cohort = factories.CohortFactory(name="Lakeshore Nonprofit Cohort")
    factories.CohortRoleFactory(cohort=cohort, user=world.staff, role="staff")
    community = factories.CommunityFactory(cohort=cohort, name="Harbor Circle", topic=None)
    people = []
    for name in ("Rosa Reyes", "Tom Tran"):
        person = factories.ParticipantFactory(cohort=cohort, name=name)
        factories.MembershipFactory(community=community, participant=person)
        people.append(person)
    assert not cohort.topics.exists()
    return cohort, community, people


def test_a_new_cohorts_needs_survey_fills_the_inventory(
    world, new_cohort, live_server, page, new_page, sweeps
):
    cohort, community, (rosa, tom) = new_cohort
    login(page, live_server, world.staff.email, world.password)
    page.goto(f"{live_server.url}{reverse('planning:survey-create', args=[cohort.slug])}")
    expect(page.get_by_label("Needs assessment")).to_be_checked()
    areas = page.locator("#practice-areas")
    expect(areas).to_contain_text("Board development")
    box = page.get_by_label("Make these practice areas topics of the cohort")
    expect(box).to_be_checked()  # the cohort has no topics: on by default
    check_a11y(page, "new survey in a cohort without topics")
    phone = new_page("phone")
    login(phone, live_server, world.staff.email, world.password)
    phone.goto(page.url)
    expect(phone.get_by_label("Make these practice areas topics of the cohort")).to_be_checked()
    assert_no_horizontal_scroll(phone)
    check_a11y(phone, "new survey in a cohort without topics (phone)")
    submit(page, page.get_by_role("button", name="Create survey"))
    expect(page.locator(".messages")).to_contain_text("Survey created as a draft")
    expect(page.locator(".messages")).not_to_contain_text("will not reach")
    assert cohort.topics.count() == 10

    survey = Survey.objects.get(cohort=cohort)
    submit(page, page.get_by_role("link", name="Send and follow up"))
    page.get_by_label("Select Rosa Reyes").check()
    page.get_by_label("Select Tom Tran").check()
    submit(page, page.get_by_role("button", name="Send to ticked"))
    expect(page.locator(".messages")).to_contain_text("Survey on its way to 2 people")

    needs_q = survey.questions.get(fills=Question.Fills.NEEDS)
    picks = {rosa: ["Raising funds", "Board development"], tom: ["Raising funds"]}
    for person, chosen in picks.items():
        link = survey.recipients.get(participant=person)
        phone = new_page("phone")
        phone.goto(f"{live_server.url}{link.get_answer_url()}")
        question = phone.locator("fieldset", has_text=needs_q.text)
        for area in chosen:
            question.get_by_label(area).check()
        expect(question.locator(".save-status")).to_have_text(re.compile("Saved"))
        with phone.expect_navigation():
            phone.get_by_role("button", name="Submit").click()
        expect(phone.get_by_role("heading", level=1)).to_contain_text("Thank you")

    assert InventoryEntry.objects.filter(participant__cohort=cohort).count() == 3

    # The community's inventory lists their needs, at desktop and phone width.
    inventory = reverse(
        "planning:inventory",
        kwargs={"cohort_slug": cohort.slug, "community_slug": community.slug},
    )
    page.goto(f"{live_server.url}{inventory}")
    main = page.locator("main")
    expect(main).to_contain_text("Rosa Reyes")
    expect(main).to_contain_text("Tom Tran")
    expect(main).to_contain_text("Raising funds")
    expect(main).to_contain_text("Board development")
    check_a11y(page, "inventory of the new cohort")

    # The dashboard counts them.
    page.goto(f"{live_server.url}{reverse('cohorts:dashboard', args=[cohort.slug])}")
    expect(page.locator("main")).to_contain_text("Raising funds")
    check_a11y(page, "dashboard of the new cohort")

    for path in (reverse("planning:survey-create", args=[cohort.slug]), inventory):
        phone.goto(live_server.url + path)
        assert_no_horizontal_scroll(phone)
        check_a11y(phone, f"{path} (phone)")
