"""Participation figures from attendance (planning/meetings/participation.py) and where they show:
the community page and the staff dashboard."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Membership
from planning.meetings import participation
from planning.models import ActionPlan, Attendance
from tests import factories
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 3, 20, 15, 0, tzinfo=NY)
P, A, E = Attendance.Status.PRESENT, Attendance.Status.ABSENT, Attendance.Status.EXCUSED


def at(*args):
    return datetime(*args, tzinfo=NY)


def meeting(community, starts_at, rows=(), **fields):
    made = factories.MeetingFactory(community=community, starts_at=starts_at, **fields)
    for participant, status in rows:
        Attendance.objects.create(meeting=made, participant=participant, status=status)
    return made


@pytest.fixture
def known(world):
    """Board Builders: Lee (leader) and Pat since before the meetings, Quinn who joined on
    February 15th, Ria who joined after the last meeting. Meetings:

    - Jan 31, 9 pm local (Feb 1 in UTC): Lee present, Pat absent
    - Feb 10: Lee present, Pat present
    - Feb 24: Lee present, Pat excused (Quinn not recorded)
    - Mar 3, cancelled, with rows (never counts)
    - Mar 10: no attendance recorded
    - Mar 27, in the future, with a row (never counts)
    """
    lee, pat = world.leader_participant, world.participant_participant
    world.leader_membership.created_at = world.member_membership.created_at = at(2025, 12, 1)
    world.leader_membership.save()
    world.member_membership.save()
    quinn = factories.ParticipantFactory(cohort=world.cohort, name="Quinn Quill")
    ria = factories.ParticipantFactory(cohort=world.cohort, name="Ria Rivers")
    factories.MembershipFactory(
        community=world.community, participant=quinn, created_at=at(2026, 2, 15)
    )
    factories.MembershipFactory(
        community=world.community, participant=ria, created_at=at(2026, 3, 15)
    )
    c = world.community
    meeting(c, at(2026, 1, 31, 21), [(lee, P), (pat, A)])
    meeting(c, at(2026, 2, 10, 19), [(lee, P), (pat, P)])
    meeting(c, at(2026, 2, 24, 19), [(lee, P), (pat, E)])
    meeting(c, at(2026, 3, 3, 19), [(lee, P), (pat, P)], cancelled_at=at(2026, 3, 1))
    meeting(c, at(2026, 3, 10, 19), title="Unrecorded")
    upcoming = meeting(c, at(2026, 3, 27, 19), [(pat, P)], title="Spring planning")
    return world, upcoming


def test_summary_counts_held_recorded_meetings_only(known):
    world, upcoming = known
    summary = participation.community_summary(world.community, now=NOW)
    assert (summary.held, summary.not_recorded) == (3, 1)
    assert (summary.rows, summary.present, summary.excused) == (6, 4, 1)
    assert summary.rate == 67
    assert summary.last_meeting == at(2026, 3, 10, 19)
    assert summary.next_meeting == upcoming


def test_member_rates_count_from_joining_and_sort_lowest_first(known):
    world, _ = known
    rates = participation.member_rates(world.community, now=NOW)
    table = [(r.participant.name, r.held, r.present, r.excused, r.rate) for r in rates]
    assert table == [
        ("Quinn Quill", 1, 0, 0, 0),  # joined Feb 15: only the Feb 24 meeting concerns them
        ("Pat Participant", 3, 1, 1, 33),  # the excused meeting counts as not present
        ("Lee Leader", 3, 3, 0, 100),
        ("Ria Rivers", 0, 0, 0, None),  # nothing to count yet: last
    ]
    assert rates[1].absent == 1


def test_member_rates_since(known):
    world, _ = known
    rates = participation.member_rates(world.community, since=at(2026, 2, 1), now=NOW)
    by_name = {r.participant.name: (r.held, r.present) for r in rates}
    assert by_name["Pat Participant"] == (2, 1)
    assert by_name["Lee Leader"] == (2, 2)


def test_months_group_in_local_time_and_show_unrecorded_months(known):
    world, _ = known
    months = participation.community_rate_by_month(world.community, months=6, now=NOW)
    table = [
        (m.month.isoformat(), m.meetings, m.not_recorded, m.rows, m.present, m.rate) for m in months
    ]
    assert table == [
        ("2026-01-01", 1, 0, 2, 1, 50),  # 9 pm on Jan 31 in New York is January
        ("2026-02-01", 2, 0, 4, 3, 75),
        ("2026-03-01", 0, 1, 0, 0, None),
    ]
    assert months[1].excused == 1
    assert months[0].label == "January 2026"
    # Two months back from March: January drops out.
    recent = participation.community_rate_by_month(world.community, months=2, now=NOW)
    assert [m.month.month for m in recent] == [2, 3]


def test_cohort_rates_per_active_community_in_the_window(known):
    world, _ = known
    quiet = factories.CommunityFactory(cohort=world.cohort, name="Quiet Circle")
    gone = factories.CommunityFactory(cohort=world.cohort, name="Archived Group")
    gone.archived_at = NOW
    gone.save()
    meeting(gone, at(2026, 2, 10, 19), [(world.leader_participant, P)])
    rates = participation.cohort_rates(world.cohort, months=3, now=NOW)
    table = {
        r.community.name: (r.held, r.not_recorded, r.rows, r.present, r.rate, r.last_meeting)
        for r in rates
    }
    assert table == {
        "Board Builders": (3, 1, 6, 4, 67, at(2026, 3, 10, 19)),
        "Quiet Circle": (0, 0, 0, 0, None, None),
    }
    # One month back (since Feb 20): only Feb 24 is recorded, Mar 10 is not.
    recent = participation.cohort_rates(world.cohort, months=1, now=NOW)
    board = next(r for r in recent if r.community == world.community)
    assert (board.held, board.not_recorded, board.rows, board.present) == (1, 1, 2, 1)
    assert [r.community.name for r in participation.needing_attention(rates)] == [
        "Quiet Circle",
        "Board Builders",
    ]
    assert quiet


def test_same_day_months_ago_keeps_the_day_or_the_months_last():
    assert participation.same_day_months_ago(NOW, 3) == at(2025, 12, 20, 15)
    assert participation.same_day_months_ago(at(2026, 5, 31, 9), 3) == at(2026, 2, 28, 9)
    assert participation.same_day_months_ago(at(2026, 3, 31, 9), 1) == at(2026, 2, 28, 9)


def test_plan_statuses_count_complete_parts(world):
    other = factories.CommunityFactory(cohort=world.cohort)
    none = factories.CommunityFactory(cohort=world.cohort)
    plan = factories.ActionPlanFactory(community=world.community)
    factories.PlanPartFactory(plan=plan, key="potential")
    factories.PlanPartFactory(plan=plan, key="resources", data={"resources": "A shared drive"})
    factories.PlanPartFactory(plan=plan, key="goals", data={"goals": [{"goal": "Half done"}]})
    factories.ActionPlanFactory(community=other, status=ActionPlan.Status.SUBMITTED)
    with CaptureQueriesContext(connection) as queries:
        statuses = participation.plan_statuses([world.community, other, none])
    assert len(queries) == 2
    assert (statuses[world.community.pk].status, statuses[world.community.pk].complete) == (
        "draft",
        2,
    )
    assert str(statuses[world.community.pk].label) == "Being written: 2 of 12 parts"
    assert str(statuses[other.pk].label) == "Submitted for review"
    assert str(statuses[none.pk].label) == "No plan yet"
    # Reopened after an approval: the draft is a revision of the approved plan.
    plan.versions.create(number=1, outcome="approved")
    statuses = participation.plan_statuses([world.community])
    assert str(statuses[world.community.pk].label) == "Revising the approved plan: 2 of 12 parts"


# --- the pages -----------------------------------------------------------------------------


def recent(world):
    """Relative to today: two recorded meetings (Lee present twice, Pat present then
    excused), one past meeting without attendance, one cancelled, one upcoming."""
    now = timezone.now()
    lee, pat = world.leader_participant, world.participant_participant
    c = world.community
    meeting(c, now - timedelta(days=20), [(lee, P), (pat, P)])
    meeting(c, now - timedelta(days=10), [(lee, P), (pat, E)])
    meeting(c, now - timedelta(days=5), title="Forgotten")
    meeting(c, now - timedelta(days=3), [(lee, A)], cancelled_at=now - timedelta(days=4))
    return meeting(c, now + timedelta(days=6), title="Next get-together")


def section(response, heading_id):
    html = response.content.decode()
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_community_page_shows_leaders_every_members_attendance(world, client_for):
    upcoming = recent(world)
    factories.ActionPlanFactory(community=world.community)
    response = client_for("leader").get(world.community.get_absolute_url())
    part = section(response, "participation-heading")
    words = text(part)
    assert "75%" in words  # 3 present of 4 recorded rows
    assert "over 2 meetings with attendance recorded" in words
    assert "1 excused absence" in words
    assert "1 past meeting has no attendance recorded" in words
    assert "Record who came" in words
    assert "Being written: 0 of 12 parts" in words
    assert reverse("planning:plan", args=[world.cohort.slug, world.community.slug]) in part
    assert reverse("planning:meetings", args=[world.cohort.slug, world.community.slug]) in part
    assert str(upcoming.public_id) in part and "Next get-together" in words
    assert "Month by month" in words
    rows = re.findall(r'class="stack-title">([^<]+)</td>\s*<td data-label="Came">([^<]+)', part)
    assert [(name, came.strip()) for name, came in rows] == [
        ("Pat Participant", "1 of 2"),
        ("Lee Leader", "2 of 2"),
    ]
    assert "(1 excused)" in words and "50%" in words and "100%" in words


def test_community_page_shows_a_member_only_their_own_attendance(world, client_for):
    recent(world)
    words = text(
        section(
            client_for("participant").get(world.community.get_absolute_url()),
            "participation-heading",
        )
    )
    assert "You came to 1 of 2 meetings (50%)." in words
    assert "Each member's attendance" not in words and "Lee Leader" not in words
    assert "Month by month" in words


def five_recorded(world):
    """Three more members, present at one more recorded meeting: with Lee and Pat, five
    people's attendance is recorded (6 present of 7 rows)."""
    c = world.community
    people = [factories.ParticipantFactory(cohort=world.cohort) for _ in range(3)]
    for person in people:
        factories.MembershipFactory(community=c, participant=person)
    meeting(c, timezone.now() - timedelta(days=15), [(person, P) for person in people])


def test_community_page_shows_observers_the_overall_rate_without_names(world, client_for):
    recent(world)
    five_recorded(world)
    response = client_for("observer").get(world.community.get_absolute_url())
    part = section(response, "participation-heading")
    words = text(part)
    assert "86%" in words and "No plan yet" in words
    for hidden in ("Lee Leader", "Pat Participant", "Month by month", "You came"):
        assert hidden not in words
    assert "/plan/" not in part and "/meetings/" not in part  # pages observers may not open


def test_observers_see_no_attendance_rate_of_fewer_than_five_people(world, client_for):
    """Lee's and Pat's attendance alone: an observer (or a participant of another community)
    sees that fewer than 5 people's attendance is recorded, not the rate; members see it."""
    recent(world)
    other = factories.CommunityFactory(cohort=world.cohort, name="Other Circle")
    outsider = factories.UserFactory()
    factories.MembershipFactory(
        community=other,
        participant=factories.ParticipantFactory(cohort=world.cohort, user=outsider),
    )
    url = world.community.get_absolute_url()
    for client in (client_for("observer"), None):
        if client is None:
            client = client_for("anonymous")
            client.force_login(outsider)
        words = text(section(client.get(url), "participation-heading"))
        assert "Fewer than 5 people's attendance is recorded" in words
        assert not re.search(r"\d%", words) and "1 excused absence" not in words
    assert "75%" in text(section(client_for("leader").get(url), "participation-heading"))
    dashboard = reverse("cohorts:dashboard", args=[world.cohort.slug])
    words = text(section(client_for("observer").get(dashboard), "attendance-heading"))
    assert "75%" not in words and "fewer than 5 people" in words
    words = text(section(client_for("staff").get(dashboard), "attendance-heading"))
    assert "75%" in words


def test_community_page_without_meetings(world, client_for):
    words = text(
        section(
            client_for("leader").get(world.community.get_absolute_url()), "participation-heading"
        )
    )
    assert "No attendance recorded yet." in words and "None scheduled." in words
    assert "Start the action plan" in words


@pytest.mark.parametrize("persona", ["staff", "observer"])
def test_dashboard_lists_meetings_attendance_and_plan_status(world, client_for, persona):
    recent(world)
    five_recorded(world)
    factories.ActionPlanFactory(community=world.community, status=ActionPlan.Status.RETURNED)
    quiet = factories.CommunityFactory(cohort=world.cohort, name="Quiet Circle")
    response = client_for(persona).get(reverse("cohorts:dashboard", args=[world.cohort.slug]))
    part = section(response, "attendance-heading")
    words = text(part)
    rows = re.findall(r'class="stack-title"><a href="[^"]+">([^<]+)</a>', part)
    assert rows == ["Quiet Circle", "Board Builders"]  # nothing recorded first
    assert "86%" in words and "+1 not recorded" in words and "none recorded" in words
    assert "Returned with comments" in words and "No plan yet" in words
    assert "1 meeting in that time has no attendance recorded." in words
    plan_list = reverse("planning:plan-list", args=[world.cohort.slug])
    assert (plan_list in part) == (persona == "staff")  # observers may not open it
    assert quiet.name in words


# --- query counts --------------------------------------------------------------------------


def grow(world, n):
    """n more members, each with a recorded meeting, and n more communities with a meeting,
    attendance and a plan."""
    now = timezone.now()
    for i in range(n):
        person = factories.ParticipantFactory(cohort=world.cohort)
        factories.MembershipFactory(community=world.community, participant=person)
        meeting(
            world.community,
            now - timedelta(days=1 + i * 5),
            [(person, P), (world.leader_participant, E if i % 3 else A)],
        )
        if i % 4 == 0:
            meeting(world.community, now - timedelta(days=2 + i * 5))  # not recorded
        meeting(world.community, now + timedelta(days=1 + i))
        other = factories.CommunityFactory(cohort=world.cohort)
        factories.MembershipFactory(
            community=other, participant=person, role=Membership.Role.LEADER
        )
        meeting(other, now - timedelta(days=3 + i), [(person, P if i % 2 else A)])
        plan = factories.ActionPlanFactory(community=other)
        factories.PlanPartFactory(plan=plan)


@pytest.mark.parametrize(
    ("persona", "page"),
    [
        ("leader", "community"),
        ("participant", "community"),
        ("observer", "community"),
        ("staff", "dashboard"),
        ("observer", "dashboard"),
    ],
)
def test_query_count_stays_flat(world, client_for, persona, page):
    client = client_for(persona)
    if page == "community":
        url = world.community.get_absolute_url()
    else:
        url = reverse("cohorts:dashboard", args=[world.cohort.slug])
    grow(world, 1)
    small, _ = count_queries(client, url)
    grow(world, 49)
    large, response = count_queries(client, url)
    assert large == small, (small, large)
    words = text(
        section(response, "participation-heading" if page == "community" else "attendance-heading")
    )
    if (persona, page) == ("observer", "dashboard"):
        # The dashboard shows the lowest rates first: the new one-person communities, whose
        # rates an observer may not see.
        assert "fewer than 5 people" in words
    else:
        assert "%" in words


def test_the_functions_run_a_fixed_number_of_queries(known):
    world, _ = known
    checks = [
        (lambda: participation.community_summary(world.community, now=NOW), 2),
        (lambda: participation.member_rates(world.community, now=NOW), 1),
        (lambda: participation.community_rate_by_month(world.community, now=NOW), 1),
        (lambda: participation.cohort_rates(world.cohort, now=NOW), 1),
    ]
    for call, expected in checks:
        with CaptureQueriesContext(connection) as queries:
            result = call()
            if isinstance(result, list):
                for row in result:
                    getattr(row, "participant", None)
        assert len(queries) == expected, call
