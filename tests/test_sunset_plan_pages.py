"""The sunset plan's pages: the leader writes it part by part (autosave), submits it, staff
return and approve it on its versions page; the community page shows where it stands; the
staff's tab of sunset plans; and every page's query count stays flat."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from cohorts.models import Community, Membership
from planning.models import ActionPlan, PlanComment, PlanVersion
from planning.plans.kinds import SUNSET
from planning.plans.services import plans as plan_services
from planning.plans.services import review as review_services
from tests import factories
from tests.matrix_sunset_plan import MATRIX, PINNED, url_for
from tests.queries import count_queries
from tests.sunset_plan_data import as_post, fill_sunset, sunset_answers

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
Status = ActionPlan.Status


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def page(world, name, *rest):
    return reverse(f"planning:{name}", args=[world.cohort.slug, world.community.slug, *rest])


def test_the_leader_sees_the_sunset_plan_and_its_parts(world, client_for):
    html = client_for("leader").get(page(world, "sunset-plan")).content.decode()
    assert '<h1 class="mb-0">Sunset plan</h1>' in html
    assert "the community need not end with it" in html
    for part in SUNSET.parts:
        assert str(part.title) in html
        assert page(world, "sunset-plan-part", part.key) in html
    assert page(world, "sunset-plan-submit") in html
    assert page(world, "plan-submit") not in html  # no link into the action plan's forms


def test_an_action_plan_part_is_not_a_page_of_the_sunset_plan(world, client_for):
    client = client_for("leader")
    assert client.get(page(world, "sunset-plan-part", "goals")).status_code == 404
    assert client.get(page(world, "plan-part", "handoff")).status_code == 404
    assert client.get(page(world, "sunset-plan-part", "handoff")).status_code == 200


def test_autosave_then_save_and_next(world, client_for):
    client = client_for("leader")
    part = SUNSET.part("group_kind")
    save = page(world, "sunset-plan-part-save", "group_kind")
    response = client.post(save, {"revision": "0", "group_kind": "lighter"}, **HTMX)
    assert response.status_code == 200 and "Saved" in response.content.decode()
    stored = plan_services.get_plan(world.community, "sunset").parts.get(key="group_kind")
    assert stored.data["group_kind"] == "lighter" and not stored.complete
    data = as_post(part, sunset_answers(world)["group_kind"], stored.revision)
    data["action"] = "next"
    response = client.post(page(world, "sunset-plan-part", "group_kind"), data)
    assert response.status_code == 302
    assert response["Location"] == page(world, "sunset-plan-part", "leadership")
    stored.refresh_from_db()
    assert stored.complete and stored.revision == 2


def test_a_bad_answer_is_shown_next_to_the_field(world, client_for):
    client = client_for("leader")
    response = client.post(
        page(world, "sunset-plan-part", "meeting_plan"),
        {"revision": "0", "frequency": "every-decade", "platforms": ["video"]},
    )
    assert response.status_code == 200
    assert "Not saved yet" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "is-invalid" in response.content.decode()
    assert not plan_services.get_plan(world.community, "sunset").parts.exists()


def test_submit_return_revise_approve(world):
    Community.objects.filter(pk=world.community.pk).update(phase=Community.Phase.SUNSETTING)
    leader, staff = logged_in(world.leader), logged_in(world.staff)
    plan = fill_sunset(world)
    response = leader.post(page(world, "sunset-plan-submit"))
    assert response["Location"] == page(world, "sunset-plan")
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED
    # The leader may not review; the refusal came from the rule, staff may.
    review = page(world, "sunset-plan-review")
    assert leader.post(review, {"review-action": "approve"}).status_code == 403
    response = staff.post(review, {"review-action": "return", "review-comment": ""})
    assert response.status_code == 200  # the comment a return needs, asked for beside it
    assert "Say what the leaders should change" in response.content.decode()
    response = staff.post(
        review, {"review-action": "return", "review-comment": "Who keeps the files?"}
    )
    assert response["Location"] == page(world, "sunset-plan-versions")
    plan.refresh_from_db()
    assert plan.status == Status.RETURNED
    html = leader.get(page(world, "sunset-plan")).content.decode()
    assert "Who keeps the files?" in html
    leader.post(page(world, "sunset-plan-submit"))
    staff.post(review, {"review-action": "approve"})
    plan.refresh_from_db()
    world.community.refresh_from_db()
    assert plan.status == Status.APPROVED
    assert world.community.phase == Community.Phase.CONTINUING
    html = leader.get(world.community.get_absolute_url()).content.decode()
    assert "Continuing on its own" in html
    assert page(world, "sunset-plan") in html


def test_a_comment_on_a_sunset_part_goes_back_to_that_part(world, client_for):
    client = client_for("participant")
    back = page(world, "sunset-plan-part", "handoff")
    response = client.post(
        page(world, "sunset-plan-comment"),
        {"text": "Add the shared drive's address.", "part_key": "handoff", "next": back},
    )
    assert response["Location"] == back + "#comments"
    comment = PlanComment.objects.get()
    assert comment.plan.kind == "sunset" and comment.part_key == "handoff"
    # A part of the other plan is refused, and nothing is stored.
    response = client.post(page(world, "sunset-plan-comment"), {"text": "x", "part_key": "goals"})
    assert response.status_code == 400
    assert PlanComment.objects.count() == 1


def test_the_community_page_shows_the_sunset_plan_when_it_is_time(world):
    leader = logged_in(world.leader)
    html = leader.get(world.community.get_absolute_url()).content.decode()
    assert "sunset-plan-section" not in html  # active, no sunset plan: nothing to say yet
    staff_html = logged_in(world.staff).get(world.community.get_absolute_url()).content.decode()
    assert "Start the sunset plan" in staff_html  # staff may start one early
    Community.objects.filter(pk=world.community.pk).update(phase=Community.Phase.SUNSETTING)
    html = leader.get(world.community.get_absolute_url()).content.decode()
    assert "Start the sunset plan" in html
    fill_sunset(world, skip=("handoff", "learning"))
    html = leader.get(world.community.get_absolute_url()).content.decode()
    assert "5 of 7 parts complete" in html and "Open the sunset plan" in html
    observer = logged_in(world.observer).get(world.community.get_absolute_url()).content.decode()
    assert "5 of 7 parts complete" in observer
    assert page(world, "sunset-plan") not in observer  # no link to the members' words


def test_the_staff_tab_lists_sunset_plans(world, client_for):
    plan = fill_sunset(world)
    review_services.submit(plan, actor=world.leader)
    html = client_for("staff").get(url_for("planning:sunset-plan-list", world)).content.decode()
    assert "Sunset plans" in html
    assert page(world, "sunset-plan-versions") in html
    assert "1 plan is waiting for your review." in html


def test_the_pdf_is_named_for_the_sunset_plan(world, client_for):
    fill_sunset(world)
    response = client_for("participant").get(page(world, "sunset-plan-pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert "sunset-plan-board-builders.pdf" in response["Content-Disposition"]


# -- query counts ------------------------------------------------------------------------------


def grow(world, n):
    """n more of what the sunset plan pages list: members, communities with sunset plans at
    every stage, versions and comments of the persona's own plan."""
    plan = plan_services.get_plan(world.community, "sunset")
    for _i in range(n):
        factories.MembershipFactory(community=world.community)
        community = factories.CommunityFactory(cohort=world.cohort)
        factories.MembershipFactory(community=community, role=Membership.Role.LEADER)
        other = ActionPlan.objects.create(community=community, kind="sunset")
        factories.PlanPartFactory(plan=other, key="handoff", data={"handoff": "Ask Lee"})
        number = plan.versions.count() + 1
        PlanVersion.objects.create(
            plan=plan, number=number, texts={"handoff": "x"}, outcome="returned"
        )
        PlanComment.objects.create(plan=plan, part_key="handoff", author=world.staff, text="?")
        PlanComment.objects.create(plan=plan, author=world.leader, text="!")


GET_PAGES = sorted(PINNED)


@pytest.mark.parametrize("name", GET_PAGES)
def test_query_count_is_flat(world, client_for, name):
    persona = "staff" if MATRIX[name][1]["leader"] == 403 else "leader"
    client = client_for(persona)
    fill_sunset(world)
    url = url_for(name, world)
    grow(world, 1)
    small, _ = count_queries(client, url)
    grow(world, 49)
    large, _ = count_queries(client, url)
    assert small == large, f"{name} as {persona}: {small} queries for 1, {large} for 50"
