"""`manage.py seed_demo`: the demo cohort, its logins, and running it twice."""

from datetime import UTC, date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.test import override_settings

from cohorts.models import (
    Cohort,
    CohortRole,
    Community,
    Invitation,
    Membership,
    Organization,
    Participant,
    Topic,
)
from copkit.models import User
from devtools import demo
from devtools.demo import managing as demo_managing
from devtools.demo import plans as demo_plans
from planning.models import (
    Cadence,
    CheckIn,
    CirclePost,
    CircleReply,
    Convening,
    ConveningAttendance,
    DeeperActivity,
    DeeperSuggestion,
    FollowUp,
)

MODELS = [User, EmailAddress, Cohort, CohortRole, Organization, Participant, Invitation, Topic]
MODELS += [Community, Membership]
MODELS += [Cadence, CheckIn, FollowUp, Convening, ConveningAttendance, CirclePost, CircleReply]
MODELS += [DeeperActivity, DeeperSuggestion]


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def row_counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def seeded(db):
    output = seed()
    return Cohort.objects.get(slug=demo.DEMO_COHORT_SLUG), output


# The demo follows today's date (its program is this school year's). Tests that check what
# the demo shows at one point of the year build it on a fixed day: November 20, 2026, when the
# personas' community has met three times (a kick-off and two monthly meetings).
DEMO_DAY = datetime(2026, 11, 20, 17, 0, tzinfo=UTC)


@pytest.fixture
def seeded_in_november(db):
    with time_machine.travel(DEMO_DAY, tick=True):
        output = seed()
        yield Cohort.objects.get(slug=demo.DEMO_COHORT_SLUG), output


def test_demo_cohort_is_realistic(seeded):
    cohort, _ = seeded
    assert cohort.name.startswith("Mid-Atlantic Capacity Builders 20")
    assert cohort.starts_on < cohort.ends_on
    assert 55 <= cohort.participants.count() <= 65
    assert 38 <= cohort.organizations.count() <= 45
    assert cohort.topics.count() == 6
    assert all(topic.description for topic in cohort.topics.all())
    assert 4 <= cohort.communities.count() <= 5

    orgs = cohort.organizations.all()
    assert len({org.state for org in orgs}) >= 5
    assert all(org.latitude and org.longitude and org.city and org.kind for org in orgs)
    alexandria = orgs.get(zip_code="22301")
    assert (alexandria.state, alexandria.city) == ("VA", "Alexandria")
    assert round(alexandria.latitude, 2) == 38.82

    people = cohort.participants.all()
    assert all(p.job_title and p.state for p in people)
    assert people.exclude(expertise="").count() > 30
    assert people.exclude(format_preference="").count() > 30
    joined = people.filter(user__isnull=False)
    pending = people.filter(user__isnull=True, invitation__isnull=False)
    not_invited = people.filter(invitation__isnull=True)
    assert joined.count() >= 10 and pending.count() >= 10 and not_invited.count() >= 10
    assert not joined.filter(invitation__accepted_at__isnull=True).exists()
    assert cohort.participants.without_community().count() >= 10

    phases = set(cohort.communities.values_list("phase", flat=True))
    assert len(phases) >= 3
    for community in cohort.communities.annotate(n=Count("memberships")):
        roles = list(community.memberships.values_list("role", flat=True))
        assert roles.count(Membership.Role.LEADER) == 1, community
        assert community.n >= 5
        # Whoever leads a COP can log in.
        leader = community.memberships.get(role=Membership.Role.LEADER).participant
        assert leader.user_id is not None
    assert Membership.objects.filter(
        community__cohort=cohort, role=Membership.Role.CO_LEADER
    ).exists()


def test_each_role_has_a_login_with_the_printed_password(seeded, client):
    cohort, output = seeded
    for login in demo.DEMO_LOGINS.values():
        assert login.email in output
        user = User.objects.get(email=login.email)
        assert EmailAddress.objects.get(user=user, email=login.email).verified
        assert client.login(email=login.email, password=demo.DEMO_PASSWORD), login.email
        client.logout()
    assert demo.DEMO_PASSWORD in output

    staff = User.objects.get(email="staff@copkit.example")
    assert staff.can_create_cohorts
    assert cohort.roles.get(user=staff).role == CohortRole.Role.STAFF
    assert cohort.roles.get(user__email="observer@copkit.example").role == "observer"
    admin = User.objects.get(email="admin@copkit.example")
    assert admin.is_superuser and admin.is_staff

    leader = cohort.participants.get(user__email="leader@copkit.example")
    member = cohort.participants.get(user__email="participant@copkit.example")
    leading = leader.memberships.get()
    assert leading.role == Membership.Role.LEADER
    assert member.memberships.get().community == leading.community
    assert member.memberships.get().role == Membership.Role.MEMBER


def test_second_run_creates_nothing_and_prints_the_logins_again(seeded):
    before = row_counts()
    output = seed()
    assert row_counts() == before
    assert "nothing created" in output
    for login in demo.DEMO_LOGINS.values():
        assert login.email in output
    assert demo.DEMO_PASSWORD in output


def test_second_run_recreates_a_deleted_login_only(seeded):
    User.objects.filter(email="observer@copkit.example").delete()
    before = row_counts()
    output = seed()
    assert "re-created missing logins: observer@copkit.example" in output
    after = row_counts()
    assert after["User"] == before["User"] + 1
    assert after["Participant"] == before["Participant"]


def test_passwords_are_reset_only_when_asked(seeded, client):
    user = User.objects.get(email="leader@copkit.example")
    user.set_password("something else entirely")
    user.save()
    seed()
    assert not client.login(email=user.email, password=demo.DEMO_PASSWORD)
    output = seed("--reset-passwords")
    assert "back to the one below" in output
    assert client.login(email=user.email, password=demo.DEMO_PASSWORD)


def test_refuses_to_run_in_production(db):
    with override_settings(PRODUCTION=True), pytest.raises(CommandError, match="PRODUCTION"):
        seed()
    assert not User.objects.exists() and not Cohort.objects.exists()
    seed()
    assert Cohort.objects.filter(slug=demo.DEMO_COHORT_SLUG).exists()


def test_program_dates_follow_the_school_year():
    assert demo.program_dates(date(2026, 11, 23)) == (date(2026, 9, 15), date(2027, 6, 30))
    assert demo.program_dates(date(2027, 3, 1)) == (date(2026, 9, 15), date(2027, 6, 30))


def test_demo_planning_data_is_valid_and_shows(seeded, client):
    """Every seeded answer is one the survey form itself would accept, each community has
    an inventory, candidates for the dot vote and a complete interview rotation, and the
    needs survey's results page shows the seeded responses."""
    from django.urls import reverse

    from planning.models import Answer, InterviewRotation, Survey
    from planning.surveys.questions import clean_value

    cohort = Cohort.objects.get(slug=demo.DEMO_COHORT_SLUG)
    answers = Answer.objects.filter(response__survey__cohort=cohort).select_related("question")
    assert answers.count() > 200
    for answer in answers:
        raw = answer.value if isinstance(answer.value, list) else str(answer.value)
        assert clean_value(answer.question, raw) == answer.value, answer.question.kind
    for community in cohort.communities.all():
        members = community.memberships.count()
        rotation = InterviewRotation.objects.get(community=community)
        met = {
            frozenset((pair.first_id, pair.second_id))
            for pair in rotation.pairs.filter(second__isnull=False)
        }
        assert len(met) == members * (members - 1) // 2, community.name
        assert community.common_needs.exists(), community.name
    needs = cohort.surveys.get(kind=Survey.Kind.NEEDS, status=Survey.Status.OPEN)
    client.force_login(User.objects.get(email=demo.DEMO_LOGINS["staff"].email))
    page = client.get(
        reverse(
            "planning:survey-results",
            kwargs={"cohort_slug": cohort.slug, "survey_id": needs.public_id},
        )
    )
    submitted = needs.responses.filter(submitted_at__isnull=False).count()
    assert submitted > 20
    assert str(submitted) in page.content.decode()


def test_demo_plans_and_meetings_are_valid_and_show(seeded_in_november, client):
    """Plans at every stage with answers that pass the parts' own checks and name real
    members; monthly meetings over the program with attendance at the past ones but one;
    the leader's community page shows the figures."""
    from django.utils import timezone

    from planning.models import ActionPlan, Attendance, CalendarFeed, Meeting, PlanVersion
    from planning.plans.parts import GROUP, MEMBER, PARTS, PER_MEMBER, as_text, part_by_key

    cohort, _ = seeded_in_november
    plans = {
        plan.community.name: plan
        for plan in ActionPlan.objects.filter(community__cohort=cohort).select_related("community")
    }
    home = plans["Board Builders"]
    assert home.status == ActionPlan.Status.DRAFT  # reopened after approval
    first = home.versions.get()
    assert first.outcome == PlanVersion.Outcome.APPROVED and first.reviewed_by is not None
    changed = home.parts.get(revision=2)
    assert changed.data != first.data[changed.key]
    statuses = sorted(plan.status for plan in plans.values())
    assert statuses == ["draft", "draft", "returned", "submitted"]
    assert cohort.communities.count() - len(plans) == 1  # one not started
    returned = next(p for p in plans.values() if p.status == ActionPlan.Status.RETURNED)
    assert returned.versions.get().review_comment and returned.comments.exists()
    half = next(p for p in plans.values() if p.status == "draft" and p is not home)
    done = [p for p in half.parts.all() if is_done(p)]
    assert len(done) == 5 and half.parts.count() == 6 and not half.versions.exists()

    for plan in plans.values():
        members = {
            str(pid)
            for pid in plan.community.memberships.values_list("participant__public_id", flat=True)
        }
        names = dict(
            plan.community.memberships.values_list("participant__public_id", "participant__name")
        )
        names = {str(k): v for k, v in names.items()}
        for part in plan.parts.all():
            spec = part_by_key(part.key)
            if plan is not half:
                assert is_done(part), (plan.community.name, part.key)
            for field in spec.fields:
                value = part.data.get(field.name)
                if field.kind == PER_MEMBER:
                    assert set(value) <= members
                if field.kind == GROUP:
                    assert len(value) <= field.max_items
                    for entry in value:
                        for sub in field.fields:
                            if sub.kind == MEMBER:
                                assert entry[sub.name] in members
        for version in plan.versions.all():
            assert set(version.data) == {part.key for part in PARTS}
            for part in PARTS:
                text = as_text(part, version.data[part.key], names)
                assert version.texts[part.key] == text and text
                assert "(a former member)" not in text

    now = timezone.now()
    meetings = Meeting.objects.filter(community__cohort=cohort)
    for community in cohort.communities.all():
        assert community.meeting_settings.location
        mine = meetings.filter(community=community)
        assert mine.count() >= 10  # a kick-off, then monthly to the end
        # Every meeting keeps its plan's wall-clock start across the daylight-saving changes.
        zone = ZoneInfo(community.meeting_settings.time_zone)
        starts = {m.starts_at.astimezone(zone).time() for m in mine}
        assert len(starts) == 1 and starts <= {rule[2] for rule in demo_plans.RULES}, starts
        assert timezone.localtime(mine.last().starts_at).date() <= cohort.ends_on
    assert meetings.filter(cancelled_at__isnull=False).exists()
    rows = Attendance.objects.filter(meeting__community__cohort=cohort)
    assert not rows.filter(meeting__starts_at__gte=now).exists()
    past = meetings.filter(starts_at__lt=now, cancelled_at__isnull=True)
    # On DEMO_DAY the personas' community has met three times and its leader has not
    # recorded the latest meeting's attendance.
    assert past.filter(community=home.community).count() == 3
    assert past.filter(attendance__isnull=True).distinct().count() == 1
    if rows.exists():
        present = rows.filter(status=Attendance.Status.PRESENT).count()
        assert 0.65 <= present / rows.count() <= 0.92
    member = cohort.participants.get(user__email=demo.DEMO_LOGINS["participant"].email)
    assert CalendarFeed.objects.filter(participant=member).exists()

    client.force_login(User.objects.get(email=demo.DEMO_LOGINS["leader"].email))
    page = client.get(home.community.get_absolute_url()).content.decode()
    assert "Revising the approved plan: 12 of 12 parts" in page
    assert "1 past meeting has no attendance recorded" in page
    assert "Each member's attendance" in page


def is_done(part):
    from planning.plans.parts import is_complete, part_by_key

    return is_complete(part_by_key(part.key), part.data)


# Days that stress the relative dates: the fixed demo day, a fifth Wednesday (the monthly
# circle falls back to "the last"), and a week before the program ends.
MANAGING_DAYS = [DEMO_DAY, datetime(2027, 3, 31, 15, 0, tzinfo=UTC)]
MANAGING_DAYS += [datetime(2027, 6, 23, 14, 0, tzinfo=UTC)]


@pytest.mark.parametrize("day", MANAGING_DAYS, ids=lambda d: d.date().isoformat())
def test_demo_managing_data(db, client, day):
    """Check-ins over four periods with follow-ups, one overdue and one phone call; a
    leaders' circle that met once with its agenda, notes and attendance, more to come and a
    discussion; going-deeper activities at each stage. The pages show them."""
    from django.urls import reverse
    from django.utils import timezone

    from planning.checkins.services.overview import cohort_rows

    with time_machine.travel(day, tick=True):
        output = seed()
        cohort = Cohort.objects.get(slug=demo.DEMO_COHORT_SLUG)
        now = timezone.now()
        for line in ("32 check-ins", "6 check-in follow-ups", "3 circle posts"):
            assert line in output
        assert "5 circle replies" in output and "5 going-deeper suggestions" in output

        cadence = cohort.checkin_cadences.get(community__isnull=True)
        assert cadence.every_weeks == 2 and not cadence.paused
        checkins = CheckIn.objects.filter(community__cohort=cohort)
        for community in cohort.communities.all():
            periods = set(checkins.filter(community=community).values_list("period", flat=True))
            assert len(periods) == 4, community.name
        answered = checkins.filter(answered_at__isnull=False)
        assert not answered.filter(answered_at__gt=now).exists()
        assert {c.scale for c in answered} <= set(range(1, 6))
        assert len({c.scale for c in answered}) >= 4
        assert not checkins.filter(answered_at__isnull=True, prompted_at__isnull=True).exists()
        call = answered.get(how=CheckIn.How.PHONE)
        assert call.logged_by.email == demo.DEMO_LOGINS["staff"].email
        assert call.community.name == demo_managing.CALLED_IN and call.period != call.due_at

        rows, _staff = cohort_rows(cohort, now=now)
        overdue = [row for row in rows if row.overdue]
        assert [row.community.name for row in overdue] == [demo_managing.OVERDUE_IN]
        assert len(overdue[0].waiting) == 1

        followups = FollowUp.objects.filter(community__cohort=cohort)
        assert followups.count() == 6
        replied = followups.exclude(reply="")
        assert {f.community.name for f in replied} == set(demo_managing.FOLLOWUP_REPLIES)
        assert all(f.replied_at > f.created_at for f in replied)
        assert followups.filter(state=FollowUp.State.NEW).count() == 4

        convenings = cohort.convenings.order_by("starts_at")
        past = convenings.filter(starts_at__lt=now)
        assert past.count() == 1 and convenings.filter(starts_at__gt=now).count() >= 2
        met = past.get()
        assert met.notes and met.agenda_drafted_at < met.starts_at
        assert "Challenges several communities name" in met.agenda
        assert "Board recruitment (Board Builders, Fundraising Circle)" in met.agenda
        assert met.attendance.count() == 8  # every leader and co-leader
        leaders = met.attendance.filter(
            participant__memberships__role=Membership.Role.LEADER
        ).values_list("participant__memberships__community__name", "status")
        assert sorted(dict(leaders).values()) == ["excused"] + ["present"] * 4
        assert dict(leaders)[demo_managing.CALLED_IN] == "excused"  # as the notes say

        posts = CirclePost.objects.filter(cohort=cohort)
        assert posts.count() == 3
        assert all(post.replies.exists() for post in posts)
        assert not CircleReply.objects.filter(post__cohort=cohort, created_at__gt=now).exists()

        assert cohort.deeper_activities.count() >= 6
        suggestions = DeeperSuggestion.objects.filter(community__cohort=cohort)
        states = dict(suggestions.values_list("community__name", "state"))
        home = cohort.communities.get(name="Board Builders")
        # Planned onto its next meeting; accepted only, once the program has no meeting left.
        coming = home.meetings.filter(starts_at__gt=now, cancelled_at__isnull=True).first()
        assert states == {
            "Board Builders": "planned" if coming else "accepted",
            "Fundraising Circle": "accepted",
            "Measuring What Matters": "done",
            "New Managers Roundtable": "suggested",
            "Volunteer Champions": "suggested",
        }
        if coming:
            assert suggestions.get(state="planned", community=home).meeting == coming
        done = suggestions.get(state="done")
        assert done.what_we_did and done.what_we_learned and done.done_at < now

        client.force_login(User.objects.get(email=demo.DEMO_LOGINS["staff"].email))
        page = client.get(reverse("planning:checkins", args=[cohort.slug])).content.decode()
        assert demo_managing.OVERDUE_IN in page
        page = client.get(met.get_absolute_url()).content.decode()
        assert "Board recruitment" in page
        client.force_login(User.objects.get(email=demo.DEMO_LOGINS["leader"].email))
        page = client.get(
            reverse("planning:community-checkins", args=[cohort.slug, home.slug])
        ).content.decode()
        assert "recruitment packets" in page
        page = client.get(reverse("planning:circle-posts", args=[cohort.slug])).content.decode()
        assert all(post.title.replace("'", "&#x27;") in page for post in posts)


def test_demo_managing_data_is_the_same_each_time(db):
    """Seeded: the answers, attendance and replies do not change from one build to the next."""

    def snapshot():
        cohort = Cohort.objects.get(slug=demo.DEMO_COHORT_SLUG)
        checkins = CheckIn.objects.filter(community__cohort=cohort).order_by(
            "community__name", "period", "participant__name"
        )
        attendance = ConveningAttendance.objects.filter(convening__cohort=cohort).order_by(
            "participant__name"
        )
        return (
            list(checkins.values_list("period", "scale", "successes", "anything_else")),
            list(attendance.values_list("participant__name", "status")),
        )

    with time_machine.travel(DEMO_DAY, tick=False):
        seed()
        first = snapshot()
        Cohort.objects.all().delete()
        User.objects.all().delete()  # the participants' accounts stay behind their cohort
        seed()
        assert snapshot() == first
