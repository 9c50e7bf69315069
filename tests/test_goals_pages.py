"""Goals and their progress, the pages: the community page's Goals section, a goal's page with
its history and update form, the "How are your goals going?" block of a check-in and of a
logged call, the dashboard's figures, and the cohort's Goals page; who sees what; bad input
beside the field; flat query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from planning.evaluations.services import goals
from planning.models import CheckIn, GoalStatus, GoalUpdate
from tests import factories
from tests.matrix_goals import write_goals
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def pool_and_grant(world):
    today = timezone.localdate()
    return write_goals(
        world.community,
        ("Share one volunteer pool", "20 shared volunteers", (today + 30 * DAY).isoformat()),
        ("Write a joint grant", "A proposal sent", (today - 5 * DAY).isoformat()),
    )


def goal_url(world, goal, name="planning:goal"):
    return reverse(name, args=[world.cohort.slug, world.community.slug, goal.public_id])


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# -- the community page --


def test_the_community_page_shows_each_goal_its_status_and_missed_date(world, client_for):
    pool, _grant = pool_and_grant(world)
    goals.record_update(pool, status=GoalStatus.ON_TRACK, actor=world.leader, value=12)
    html = page(client_for("leader"), world.community.get_absolute_url())
    assert "Share one volunteer pool" in html and "How you will know: 20 shared volunteers" in html
    assert "On track" in html and "Latest value: 12" in html
    assert "Missed its date" in html  # the grant's date passed, not met
    assert goal_url(world, pool) + "#update" in html


def test_a_member_reads_the_goals_without_an_update_link(world, client_for):
    (_pool, _grant) = pool_and_grant(world)
    html = page(client_for("participant"), world.community.get_absolute_url())
    assert "Share one volunteer pool" in html
    assert "#update" not in html


def test_an_observer_reads_no_goal_on_the_community_page(world, client_for):
    pool_and_grant(world)
    html = page(client_for("observer"), world.community.get_absolute_url())
    assert "Share one volunteer pool" not in html and "shared volunteers" not in html


# -- a goal's page --


def test_a_leader_updates_a_goal_and_sees_it_in_the_history(world, client_for):
    pool, _grant = pool_and_grant(world)
    client = client_for("leader")
    html = page(client, goal_url(world, pool))
    assert 'name="value"' in html and "How you will know: 20 shared volunteers" in html
    response = client.post(
        goal_url(world, pool, "planning:goal-update"),
        {
            "status": "at_risk",
            "note": "Two pantries left the pool",
            "recorded_on": (timezone.localdate() - DAY).isoformat(),
            "value": "1,2",
        },
    )
    assert response.status_code == 302
    pool.refresh_from_db()
    assert (pool.status, pool.value) == (GoalStatus.AT_RISK, 12)
    html = page(client, goal_url(world, pool))
    assert "Two pantries left the pool" in html and "Measured: 12" in html
    assert "From the community page" in html and "Lee Leader" in html


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": ""}, "Choose where the goal stands."),
        ({"status": "finished"}, "Select a valid choice"),
        ({"value": "lots"}, "Enter a number, such as 12 or 3.5."),
        ({"recorded_on": "tomorrow"}, "Enter a date, such as 2026-05-01."),
        ({"recorded_on": "FUTURE"}, "The date cannot be in the future."),
        ({"note": "x" * 2001}, "Ensure this value has at most 2000 characters"),
    ],
)
def test_bad_input_comes_back_beside_the_field(world, client_for, change, message):
    pool, _grant = pool_and_grant(world)
    client = client_for("staff")
    valid = {"status": "on_track", "note": "", "recorded_on": timezone.localdate().isoformat()}
    if change.get("recorded_on") == "FUTURE":
        change = {"recorded_on": (timezone.localdate() + DAY).isoformat()}
    response = client.post(goal_url(world, pool, "planning:goal-update"), {**valid, **change})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "invalid-feedback" in html
    assert not GoalUpdate.objects.exists()
    # The same update, valid, goes through: the refusal came from the rule under test.
    response = client.post(goal_url(world, pool, "planning:goal-update"), valid)
    assert response.status_code == 302 and GoalUpdate.objects.count() == 1


def test_a_goal_that_counts_nothing_asks_for_no_value(world, client_for):
    (_pool, grant) = pool_and_grant(world)
    html = page(client_for("leader"), goal_url(world, grant))
    assert "Update this goal" in html and 'name="value"' not in html


def test_a_member_sees_the_history_without_the_form(world, client_for):
    pool, _grant = pool_and_grant(world)
    goals.record_update(pool, status=GoalStatus.ON_TRACK, actor=world.leader, note="Going well")
    html = page(client_for("participant"), goal_url(world, pool))
    assert "Going well" in html and "Update this goal" not in html


def test_an_archived_communitys_goal_is_read_not_changed(world, client_for):
    pool, _grant = pool_and_grant(world)
    world.community.archived_at = timezone.now()
    world.community.save(update_fields=["archived_at"])
    client = client_for("staff")
    assert "Update this goal" not in page(client, goal_url(world, pool))
    response = client.post(
        goal_url(world, pool, "planning:goal-update"),
        {"status": "met", "recorded_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302 and response.url == world.community.get_absolute_url()
    assert not GoalUpdate.objects.exists()


def test_another_communitys_goal_is_not_found(world, client_for):
    elsewhere = factories.CommunityFactory(cohort=world.cohort)
    (theirs,) = write_goals(elsewhere, ("Theirs", "", ""))
    client = client_for("staff")
    assert client.get(goal_url(world, theirs)).status_code == 404


# -- a check-in --


def open_checkin(world):
    due = timezone.now() - DAY
    return CheckIn.objects.create(
        community=world.community,
        participant=world.leader_participant,
        leader=world.leader,
        period=due.date().isoformat(),
        due_at=due,
        prompted_at=due,
    )


def test_the_checkin_asks_how_the_goals_are_going_and_records_them(world, client):
    pool, grant = pool_and_grant(world)
    row = open_checkin(world)
    url = reverse("checkin-answer", args=[row.token])
    html = page(client, url)
    assert "How are your goals going?" in html and "Share one volunteer pool" in html
    answer = {"scale": "4", f"goal_{pool.public_id}": "on_track"}
    response = client.post(url, {**answer, f"goal_{grant.public_id}_note": "Draft started"})
    assert response.status_code == 200
    assert "Choose where the goal stands to go with your note." in response.content.decode()
    assert not GoalUpdate.objects.exists()
    row.refresh_from_db()
    assert row.answered_at is None  # nothing of the check-in was saved either
    response = client.post(url, {**answer, f"goal_{pool.public_id}_note": "Twelve so far"})
    assert response.status_code == 302
    update = GoalUpdate.objects.get()
    assert (update.goal, update.checkin, update.note) == (pool, row, "Twelve so far")
    html = page(client, url)  # shown again with what was chosen
    assert 'value="on_track" selected' in html


def test_the_checkin_form_is_as_before_without_goals(world, client):
    row = open_checkin(world)
    url = reverse("checkin-answer", args=[row.token])
    assert "How are your goals going?" not in page(client, url)
    assert client.post(url, {"scale": "3"}).status_code == 302


def test_staff_logging_a_call_can_set_the_goals(world, client_for):
    pool, _grant = pool_and_grant(world)
    client = client_for("staff")
    url = reverse("planning:checkin-log", args=[world.cohort.slug, world.community.slug])
    html = page(client, url)
    assert "Share one volunteer pool" in html and "How are the goals going?" in html
    response = client.post(
        url,
        {
            "how": "phone",
            "held_on": timezone.localdate().isoformat(),
            "scale": "3",
            f"goal_{pool.public_id}": "met",
        },
    )
    assert response.status_code == 302
    pool.refresh_from_db()
    assert pool.status == GoalStatus.MET


# -- the dashboard and the cohort's Goals page --


def test_the_dashboard_counts_goals_and_links_staff_to_them(world, client_for):
    pool_and_grant(world)
    dashboard = reverse("cohorts:dashboard", args=[world.cohort.slug])
    html = page(client_for("staff"), dashboard)
    assert "2 goals in the communities' plans" in html and "1 missed their date" in html
    assert reverse("planning:goals", args=[world.cohort.slug]) in html
    observer = client_for("observer")
    members = world.community.memberships.count()
    assert members < 5  # a small community: its goal figures could point at its leaders
    html = page(observer, dashboard)
    assert "2 goals in the communities' plans" not in html
    assert "The communities with goals have fewer than 5 members" in html
    for _ in range(5 - members):
        factories.MembershipFactory(community=world.community)
    html = page(observer, dashboard)
    assert "2 goals in the communities' plans" in html and "1 missed their date" in html
    assert reverse("planning:goals", args=[world.cohort.slug]) not in html
    assert "Share one volunteer pool" not in html


def test_the_cohort_goals_page_filters_by_status_and_missed(world, client_for):
    pool, _grant = pool_and_grant(world)
    goals.record_update(pool, status=GoalStatus.ON_TRACK, actor=world.staff)
    client = client_for("staff")
    url = reverse("planning:goals", args=[world.cohort.slug])
    html = page(client, url)
    assert "Share one volunteer pool" in html and "Write a joint grant" in html
    assert f'href="{url}" aria-current="page">Goals</a>' in html  # in the staff menu
    html = page(client, url + "?missed=1")
    assert "Write a joint grant" in html and "Share one volunteer pool" not in html
    html = page(client, url + "?status=on_track")
    assert "Share one volunteer pool" in html and "Write a joint grant" not in html
    html = page(client, url + "?status=nonsense")  # an unknown status filters nothing
    assert "Share one volunteer pool" in html and "Write a joint grant" in html


# -- flat query counts --


def grow(world, n, start=0):
    """n more communities with two goals each, and n updates of the persona's first goal."""
    (first, _second) = pool_and_grant(world)
    for i in range(start, start + n):
        community = factories.CommunityFactory(cohort=world.cohort)
        write_goals(community, (f"Goal {i}", "10 things", ""), (f"Other {i}", "", ""))
        goals.record_update(
            first, status=GoalStatus.ON_TRACK, actor=world.leader, note=f"Note {i}", value=i
        )
    return first


def flat(world, client, url_of):
    first = grow(world, 1)
    small, _ = count_queries(client, url_of(first))
    grow(world, 20, start=1)
    large, response = count_queries(client, url_of(first))
    assert large == small, f"{small} queries with 1 row, {large} with 21"
    return response


def test_goal_page_query_count_is_flat(world, client_for):
    response = flat(world, client_for("leader"), lambda goal: goal_url(world, goal))
    assert "Note 20" in response.content.decode()


def test_cohort_goals_query_count_is_flat(world, client_for):
    url = reverse("planning:goals", args=[world.cohort.slug])
    response = flat(world, client_for("staff"), lambda goal: url)
    assert "Goal 20" in response.content.decode()


@pytest.mark.parametrize("persona", ["staff", "observer"])
def test_dashboard_query_count_is_flat_with_goals(world, client_for, persona):
    url = reverse("cohorts:dashboard", args=[world.cohort.slug])
    flat(world, client_for(persona), lambda goal: url)


def test_community_page_query_count_is_flat_with_goals(world, client_for):
    flat(world, client_for("leader"), lambda goal: world.community.get_absolute_url())
