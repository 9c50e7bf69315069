"""The check-in pages: the cadence form, the answer page of a personal link (no login),
staff's overview with its filters and chart, a community's history, a logged call, the
coach's follow-up and the Team page's coaches; the home page's items; flat query counts."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import CohortRole, Membership
from cohorts.services import coaches
from copkit.models import OutboxMessage
from planning.checkins.services import answers, cycle, rules
from planning.models import Cadence, CheckIn, FollowUp
from tests import factories
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def set_cadence(world, starts_on=None, **extra):
    values = {
        "every_weeks": 2,
        "starts_on": starts_on or timezone.localdate() - timedelta(days=1),
        "paused": False,
        "remind_after_days": 3,
        "escalate_after_days": 7,
        **extra,
    }
    return rules.set_cadence(world.cohort, actor=world.staff, **values)


def open_checkin(world, community=None, participant=None, days_ago=1, period=None):
    """An asked, unanswered check-in of the leader, due `days_ago` days ago."""
    due = timezone.now() - days_ago * DAY
    return CheckIn.objects.create(
        community=community or world.community,
        participant=participant or world.leader_participant,
        leader=(participant or world.leader_participant).user,
        period=period or due.date().isoformat(),
        due_at=due,
        prompted_at=due,
    )


def answered(world, community=None, participant=None, scale=4, days_ago=3, **text):
    row = open_checkin(world, community, participant, days_ago=days_ago)
    return answers.answer(row, values={"scale": scale, **text})


# -- the cadence --


def test_staff_set_the_cohort_cadence_and_bad_input_is_shown_by_the_field(world, client_for):
    client = client_for("staff")
    url = reverse("planning:checkin-cadence", args=[world.cohort.slug])
    data = {
        "every_weeks": "0",
        "starts_on": "2026-03-02",
        "remind_after_days": "3",
        "escalate_after_days": "7",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Choose a number from 1 to 12." in response.content.decode()
    assert not Cadence.objects.exists()
    response = client.post(url, {**data, "every_weeks": "2", "escalate_after_days": "1"})
    assert "no sooner than the leader is reminded" in response.content.decode()
    assert not Cadence.objects.exists()
    response = client.post(url, {**data, "every_weeks": "2", "starts_on": "not a day"})
    assert response.status_code == 200
    assert not Cadence.objects.exists()
    response = client.post(url, {**data, "every_weeks": "2"})
    assert response.status_code == 302
    cadence = Cadence.objects.get()
    assert (cadence.every_weeks, cadence.starts_on) == (2, date(2026, 3, 2))
    assert cadence.community is None


def test_staff_pause_one_community_and_set_it_back(world, client_for):
    set_cadence(world)
    client = client_for("staff")
    url = reverse(
        "planning:community-checkin-cadence", args=[world.cohort.slug, world.community.slug]
    )
    page = client.get(url).content.decode()
    assert "follows the cohort" in page
    response = client.post(
        url,
        {
            "every_weeks": "4",
            "starts_on": "2026-03-02",
            "remind_after_days": "3",
            "escalate_after_days": "7",
            "paused": "on",
        },
    )
    assert response.status_code == 302
    own = Cadence.objects.get(community=world.community)
    assert own.paused and own.every_weeks == 4
    assert rules.rule_for(world.community).paused
    response = client.post(url, {"action": "follow"})
    assert response.status_code == 302
    assert not Cadence.objects.filter(community=world.community).exists()
    assert not rules.rule_for(world.community).paused


# -- the answer page --


def test_the_personal_link_answers_without_a_login(world, client):
    set_cadence(world)
    row = open_checkin(world)
    url = reverse("checkin-answer", args=[row.token])
    page = client.get(url).content.decode()
    assert "How is Board Builders doing?" in page
    assert "Lee Leader" in page
    assert "3 — Steady" in page

    # No scale: the error is next to it, nothing is saved.
    response = client.post(url, {"successes": "A good meeting"})
    assert response.status_code == 200
    assert "Choose how the COP is doing" in response.content.decode()
    row.refresh_from_db()
    assert row.answered_at is None and row.successes == ""

    response = client.post(
        url,
        {"scale": "4", "successes": "A good meeting", "support_wanted": "A grant guide"},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.answered_at is not None
    assert (row.scale, row.successes, row.how) == (4, "A good meeting", "web")
    assert FollowUp.objects.get(checkin=row).request == "A grant guide"
    page = client.get(url).content.decode()
    assert "You checked in on" in page


def test_an_unknown_link_is_not_found(client):
    assert client.get(reverse("checkin-answer", args=["nope"])).status_code == 404


def test_someone_else_opening_a_link_is_told_whose_it_is(world, client_for):
    row = open_checkin(world)
    page = client_for("participant").get(reverse("checkin-answer", args=[row.token]))
    assert "This personal link belongs to Lee Leader" in page.content.decode()


def test_an_archived_community_link_reads_but_does_not_save(world, client):
    row = answered(world, successes="Before the end")
    world.community.archived_at = timezone.now()
    world.community.save()
    url = reverse("checkin-answer", args=[row.token])
    assert "archived" in client.get(url).content.decode()
    client.post(url, {"scale": "1", "successes": "Changed"})
    row.refresh_from_db()
    assert row.successes == "Before the end"


# -- the overview --


def test_overview_lists_overdue_first_with_latest_answers_and_chart(world, client_for):
    set_cadence(world)
    calm = factories.CommunityFactory(cohort=world.cohort, name="Alpha Circle")
    lead = factories.ParticipantFactory(cohort=world.cohort, name="Ada Alpha")
    factories.MembershipFactory(community=calm, participant=lead, role=Membership.Role.LEADER)
    answered(world, calm, lead, scale=5, successes="Eight members came")
    open_checkin(world, days_ago=4)  # Board Builders: 4 days, reminder after 3: overdue
    page = client_for("staff").get(reverse("planning:checkins", args=[world.cohort.slug]))
    text = page.content.decode()
    assert text.index("Board Builders") < text.index("Alpha Circle")
    assert "checkin-overdue" in text
    assert "Eight members came" in text
    assert "<svg" in text and "How Alpha Circle is doing over time" in text
    assert "Waiting for Lee Leader" in text


def test_overview_filters(world, client_for):
    set_cadence(world)
    coach = factories.UserFactory(email="cam@tta.example", name="Cam Coach")
    factories.CohortRoleFactory(cohort=world.cohort, user=coach, role=CohortRole.Role.STAFF)
    other = factories.CommunityFactory(cohort=world.cohort, name="Grant Writers", phase="active")
    lead = factories.ParticipantFactory(cohort=world.cohort, name="Gina")
    factories.MembershipFactory(community=other, participant=lead, role=Membership.Role.LEADER)
    coaches.assign_coaches(world.cohort, actor=world.staff, coaches={other: coach})
    answered(world, other, lead, support_wanted="Help with a budget")
    open_checkin(world, days_ago=5)
    client = client_for("staff")
    url = reverse("planning:checkins", args=[world.cohort.slug])

    def names(**params):
        text = client.get(url, params).content.decode()
        return [n for n in ("Board Builders", "Grant Writers") if f">{n}</a>" in text]

    assert names() == ["Board Builders", "Grant Writers"]
    assert names(coach=coach.pk) == ["Grant Writers"]
    assert names(coach=world.staff.pk) == ["Board Builders"]  # the default coach
    assert names(phase="active") == ["Grant Writers"]
    assert names(overdue="1") == ["Board Builders"]
    assert names(support="1") == ["Grant Writers"]
    assert names(phase="nonsense") == ["Board Builders", "Grant Writers"]


# -- a community's history, calls and follow-ups --


def test_leader_reads_history_and_the_coach_reply(world, client_for):
    row = answered(world, challenges="Attendance dropped", support_wanted="Ideas to bring people")
    followup = FollowUp.objects.get(checkin=row)
    staff = client_for("staff")
    url = reverse("planning:followup-edit", args=[world.cohort.slug, followup.public_id])
    assert "Ideas to bring people" in staff.get(url).content.decode()
    response = staff.post(url, {"state": "nonsense", "reply": "x"})
    assert response.status_code == 200
    followup.refresh_from_db()
    assert followup.state == "new" and followup.reply == ""
    response = staff.post(url, {"state": "in_progress", "reply": "Try a buddy system."})
    assert response.status_code == 302
    assert OutboxMessage.objects.filter(kind="followup_reply", to_email=world.leader.email).exists()

    history = reverse("planning:community-checkins", args=[world.cohort.slug, world.community.slug])
    page = client_for("leader").get(history).content.decode()
    assert "Attendance dropped" in page
    assert "Try a buddy system." in page
    assert "In progress" in page
    assert "Sam Staff replied" in page


def test_a_stale_follow_up_form_shows_the_conflict(world, client_for):
    row = answered(world, support_wanted="A trainer")
    followup = FollowUp.objects.get(checkin=row)
    client = client_for("staff")
    url = reverse("planning:followup-edit", args=[world.cohort.slug, followup.public_id])
    fingerprint = client.get(url).context["form"]["edit_fingerprint"].value()
    answers.update_followup(followup, actor=world.staff, state="done", reply="Booked one.")
    response = client.post(
        url, {"state": "in_progress", "reply": "Looking", "edit_fingerprint": fingerprint}
    )
    assert response.status_code == 200
    assert "Someone else changed this" in response.content.decode()
    followup.refresh_from_db()
    assert followup.reply == "Booked one."


def test_staff_log_a_call(world, client_for):
    client = client_for("staff")
    url = reverse("planning:checkin-log", args=[world.cohort.slug, world.community.slug])
    page = client.get(url).content.decode()
    assert "Lee Leader" in page
    bad = client.post(url, {"how": "phone", "held_on": "2999-01-01", "scale": "3"})
    assert bad.status_code == 200
    assert not CheckIn.objects.exists()
    response = client.post(
        url,
        {
            "how": "phone",
            "held_on": timezone.localdate().isoformat(),
            "participant": str(world.leader_participant.public_id),
            "scale": "2",
            "challenges": "Two members left",
        },
    )
    assert response.status_code == 302
    row = CheckIn.objects.get()
    assert (row.how, row.logged_by, row.participant) == (
        "phone",
        world.staff,
        world.leader_participant,
    )


def test_the_community_page_shows_the_check_in_steps(world, client_for):
    row = open_checkin(world, days_ago=8)
    row.reminded_at = row.due_at + 3 * DAY
    row.escalated_at = row.due_at + 7 * DAY
    row.save()
    url = world.community.get_absolute_url()
    page = client_for("leader").get(url).content.decode()
    assert "Asked" in page and "Reminded" in page and "Coach told" in page
    assert "checkins-heading" not in client_for("participant").get(url).content.decode()


def test_the_leader_next_step_links_to_the_check_ins(world, client_for):
    world.community.phase = "active"
    world.community.save()
    history = reverse("planning:community-checkins", args=[world.cohort.slug, world.community.slug])
    page = client_for("leader").get(world.community.get_absolute_url()).content.decode()
    assert "tell your TTA coach how things are going" in page
    assert f'href="{history}"' in page


# -- the Team page's coaches --


def test_staff_choose_coaches_on_the_team_page(world, client_for):
    coach = factories.UserFactory(email="cam@tta.example", name="Cam Coach")
    factories.CohortRoleFactory(cohort=world.cohort, user=coach, role=CohortRole.Role.STAFF)
    client = client_for("staff")
    page = client.get(reverse("cohorts:team", args=[world.cohort.slug])).content.decode()
    assert "Default: Sam Staff" in page
    url = reverse("cohorts:team-coaches", args=[world.cohort.slug])
    field = f"coach-{world.community.slug}"
    client.post(url, {field: str(world.observer.pk)})  # not staff: not a choice
    world.community.refresh_from_db()
    assert world.community.coach_id is None
    client.post(url, {field: str(coach.pk)})
    world.community.refresh_from_db()
    assert world.community.coach == coach


# -- home page --


def test_home_asks_the_leader_and_lists_the_coach_follow_ups(world, client_for):
    row = open_checkin(world)
    page = client_for("leader").get(reverse("home")).content.decode()
    assert reverse("checkin-answer", args=[row.token]) in page
    answers.answer(row, values={"scale": 3, "support_wanted": "Find a speaker"})
    page = client_for("leader").get(reverse("home")).content.decode()
    assert reverse("checkin-answer", args=[row.token]) not in page
    page = client_for("staff").get(reverse("home")).content.decode()
    assert "Follow-ups for you" in page and "Find a speaker" in page


# -- query counts --


def grow(world, n, start=0):
    """n more communities, each with a leader, an answered check-in with support wanted
    (a follow-up), an open one, and a coach; the persona's community gets history too."""
    for i in range(start, start + n):
        community = factories.CommunityFactory(cohort=world.cohort)
        person = factories.ParticipantFactory(cohort=world.cohort)
        factories.MembershipFactory(
            community=community, participant=person, role=Membership.Role.LEADER
        )
        answered(world, community, person, scale=1 + i % 5, support_wanted=f"Help {i}")
        open_checkin(world, community, person, days_ago=5, period=f"p-{i}")
        mine = CheckIn.objects.create(
            community=world.community,
            period=f"call-{i}",
            due_at=timezone.now() - (i + 2) * DAY,
            answered_at=timezone.now() - (i + 2) * DAY,
            scale=1 + i % 5,
            successes=f"Success {i}",
            how="phone",
            logged_by=world.staff,
        )
        FollowUp.objects.create(checkin=mine, community=world.community, request=f"Ask {i}")
        if i % 2:
            coaches.assign_coaches(
                world.cohort, actor=world.staff, coaches={community: world.staff}
            )


def _flat(world, client, url):
    grow(world, 1)
    small, _ = count_queries(client, url)
    grow(world, 20, start=1)
    large, response = count_queries(client, url)
    assert large == small, f"{url}: {small} queries with 1 row, {large} with 21"
    return response


def test_overview_query_count_is_flat(world, client_for):
    set_cadence(world)
    response = _flat(
        world, client_for("staff"), reverse("planning:checkins", args=[world.cohort.slug])
    )
    assert response.content.decode().count("<svg") >= 20


def test_history_query_count_is_flat(world, client_for):
    set_cadence(world)
    url = reverse("planning:community-checkins", args=[world.cohort.slug, world.community.slug])
    response = _flat(world, client_for("leader"), url)
    assert "Success 20" in response.content.decode()


def test_answer_query_count_is_flat(world, client):
    row = answered(world, support_wanted="Something")
    response = _flat(world, client, reverse("checkin-answer", args=[row.token]))
    assert "Something" in response.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "planning:checkin-cadence",
        "planning:community-checkin-cadence",
        "planning:checkin-log",
        "planning:followup-edit",
    ],
)
def test_form_query_count_is_flat(name, world, client_for):
    from tests.matrix_checkins import url_for

    set_cadence(world)
    _flat(world, client_for("staff"), url_for(name, world))


def test_leader_home_and_community_page_stay_flat(world, client_for):
    """The items the check-ins add to the home page and the community page do not grow
    with check-ins or follow-ups."""
    open_checkin(world)
    _flat(world, client_for("leader"), reverse("home"))
    _flat(world, client_for("staff"), reverse("home"))
    _flat(world, client_for("staff"), world.community.get_absolute_url())


def test_the_sweep_time_zone_is_the_cohort_s(world):
    """A check-in opened by the sweep is due at 9 a.m. in the cohort's zone."""
    world.cohort.time_zone = "America/Los_Angeles"
    world.cohort.save()
    set_cadence(world, starts_on=date(2026, 7, 6))
    cycle.run_cycle(datetime(2026, 7, 6, 16, tzinfo=UTC))
    assert CheckIn.objects.get().due_at == datetime(2026, 7, 6, 16, tzinfo=UTC)


def test_any_staff_member_follows_up_not_only_the_coach(world, client_for, client):
    """The coach is who is asked first; every staff member of the cohort may act."""
    row = answered(world, support_wanted="A facilitator")
    followup = FollowUp.objects.get(checkin=row)
    other = factories.UserFactory(email="ola@tta.example", name="Ola Other")
    factories.CohortRoleFactory(cohort=world.cohort, user=other, role=CohortRole.Role.STAFF)
    client.force_login(other)
    url = reverse("planning:followup-edit", args=[world.cohort.slug, followup.public_id])
    assert client.post(url, {"state": "done", "reply": "Found one."}).status_code == 302
    followup.refresh_from_db()
    assert (followup.state, followup.replied_by) == ("done", other)
    # Only the coach (Sam, the default) has it on the home page, not Ola.
    row2 = answered(world, support_wanted="Another", days_ago=20)
    assert FollowUp.objects.filter(checkin=row2).exists()
    assert "Another" not in client.get(reverse("home")).content.decode()
    assert "Another" in client_for("staff").get(reverse("home")).content.decode()


def test_the_chart_is_escaped_and_labelled():
    from planning.checkins.chart import scale_chart

    svg = scale_chart([("May 1", 2), ("May 15", 4)], label="<b>Board</b> & co")
    assert "&lt;b&gt;Board&lt;/b&gt; &amp; co" in svg
    assert "<b>" not in svg
    assert svg.count("<circle") == 2
    assert "May 15: 4" in svg


def test_an_archived_community_s_follow_up_is_read_only(world, client_for):
    row = answered(world, support_wanted="A room")
    followup = FollowUp.objects.get(checkin=row)
    world.community.archived_at = timezone.now()
    world.community.save()
    client = client_for("staff")
    url = reverse("planning:followup-edit", args=[world.cohort.slug, followup.public_id])
    response = client.post(url, {"state": "done", "reply": "Late"})
    assert response.status_code == 200
    assert "archived" in response.content.decode()
    followup.refresh_from_db()
    assert followup.state == "new"
