"""The leaders' circle's pages: who sees what, scheduling, drafting and editing an agenda,
notes and attendance, posting and replying, edit conflicts, bad input, and query counts that
stay flat as convenings, leaders, posts and check-ins grow."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Activity, Membership
from copkit.models import OutboxMessage
from planning.models import CheckIn, CirclePost, CircleReply, Convening, ConveningAttendance
from tests import factories
from tests.matrix_support import MATRIX, convening_of, post_of, url_for
from tests.queries import count_queries

pytestmark = pytest.mark.django_db


def circle_url(world, name="planning:circle", **kwargs):
    return reverse(name, kwargs={"cohort_slug": world.cohort.slug, **kwargs})


def grow(world, n):
    """n more of everything the circle's pages list: communities with a leader and an
    answered check-in, past convenings with attendance, upcoming ones, posts with replies."""
    now = timezone.now()
    for i in range(n):
        community = factories.CommunityFactory(cohort=world.cohort, topic=world.topic)
        leader = factories.MembershipFactory(community=community, role=Membership.Role.LEADER)
        CheckIn.objects.create(
            community=community,
            period=f"p{i}",
            answered_at=now - timedelta(days=2, minutes=i),
            successes=f"Success {i}",
            challenges="Recruiting board members" if i % 2 else f"Challenge number {i}",
        )
        past = convening_of(world, starts_at=now - timedelta(days=40 + i))
        past.attendance.create(participant=leader.participant, status="present")
        convening_of(world, starts_at=now + timedelta(days=30 + i))
        post = post_of(world, author=leader.participant.user or world.staff)
        CircleReply.objects.create(post=post, author=world.leader, body=f"Reply {i}")


PERSONA = {
    "planning:circle-post-edit": "leader",
    "planning:circle-posts": "leader",
    "planning:circle-post": "leader",
}


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_query_count_is_flat(name, world, client_for):
    client = client_for(PERSONA.get(name, "staff"))
    url = url_for(name, world)
    post = CirclePost.objects.order_by("pk").last()  # the post url_for made, if any

    def more(n):
        grow(world, n)
        if post is not None:
            for i in range(n):
                CircleReply.objects.create(post=post, author=world.staff, body=f"r{i}")

    more(1)
    small, _ = count_queries(client, url)
    more(30)
    large, _response = count_queries(client, url)
    assert large == small, f"{name}: {small} queries with 1 row, {large} with 31"


# -- who sees what -------------------------------------------------------------------------


def test_nav_shows_the_circle_to_staff_and_leaders_only(world, client_for):
    community_url = world.community.get_absolute_url()
    link = circle_url(world)
    for persona, shown in (("staff", True), ("leader", True), ("participant", False)):
        client = client_for(persona)
        assert (f'href="{link}"' in client.get(community_url).content.decode()) is shown, persona
        client.logout()


def test_a_co_leader_is_in_the_circle_and_a_member_is_not(world, client):
    world.member_membership.role = Membership.Role.CO_LEADER
    world.member_membership.save()
    client.force_login(world.participant)
    assert client.get(circle_url(world)).status_code == 200
    world.member_membership.role = Membership.Role.MEMBER
    world.member_membership.save()
    assert client.get(circle_url(world)).status_code == 403


def test_another_cohorts_convening_is_404(world, client_for):
    elsewhere = Convening.objects.create(
        cohort=world.other_cohort, title="Elsewhere", starts_at=timezone.now()
    )
    client = client_for("staff")
    url = circle_url(world, "planning:convening-detail", convening_id=elsewhere.public_id)
    assert client.get(url).status_code == 404
    mine = convening_of(world)
    url = circle_url(world, "planning:convening-detail", convening_id=mine.public_id)
    assert client.get(url).status_code == 200


# -- scheduling -----------------------------------------------------------------------------


def schedule_data(world, **extra):
    start = world.cohort.starts_on
    return {
        "first_date": start.isoformat(),
        "frequency": "monthly",
        "week_of_month": "1",
        "weekday": "2",
        "start_time": "15:00",
        "length_minutes": "60",
        "mode": "virtual",
        "location": "https://meet.example/circle",
        "until": (start + timedelta(days=100)).isoformat(),
        "action": "create",
        **extra,
    }


def test_staff_schedule_monthly_convenings(world, client_for):
    client = client_for("staff")
    response = client.post(circle_url(world, "planning:circle-schedule"), schedule_data(world))
    assert response.status_code == 302
    convenings = list(world.cohort.convenings.order_by("starts_at"))
    assert 3 <= len(convenings) <= 4
    zone = world.cohort.time_zone
    for convening in convenings:
        local = convening.starts_at.astimezone(ZoneInfo(zone))
        assert (local.weekday(), local.hour, local.day <= 7) == (2, 15, True)
        assert convening.location == "https://meet.example/circle"
    # Scheduling again skips the days that have a convening already.
    client.post(circle_url(world, "planning:circle-schedule"), schedule_data(world))
    assert world.cohort.convenings.count() == len(convenings)
    assert Activity.objects.filter(verb="scheduled convenings").count() == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("week_of_month", "", "Choose the week of the month"),
        ("until", "1999-01-01", "The last date must be on or after the first date"),
        ("start_time", "25:99", "Enter a valid time"),
        ("first_date", "not a date", "Enter a valid date"),
        ("length_minutes", "5", "at least 15 minutes"),
    ],
)
def test_bad_schedule_input_is_shown_next_to_the_field(world, client_for, field, value, message):
    client = client_for("staff")
    url = circle_url(world, "planning:circle-schedule")
    response = client.post(url, schedule_data(world, **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not world.cohort.convenings.exists()
    assert client.post(url, schedule_data(world)).status_code == 302  # the valid one saves


def test_a_one_off_convening(world, client_for):
    client = client_for("staff")
    response = client.post(
        circle_url(world, "planning:convening-create"),
        {
            "title": "Extra circle: year-end",
            "date": (world.cohort.starts_on + timedelta(days=3)).isoformat(),
            "start_time": "10:00",
            "duration_minutes": "60",
            "mode": "call",
            "location": "",
            "agenda": "",
        },
    )
    convening = world.cohort.convenings.get()
    assert response.url == convening.get_absolute_url()
    assert convening.title == "Extra circle: year-end"
    assert convening.mode == "call"


def test_moving_a_convening_bumps_the_sequence_and_reminds_again(world, client_for):
    convening = convening_of(world, starts_at=timezone.now() + timedelta(days=5))
    Convening.objects.filter(pk=convening.pk).update(reminded_at=timezone.now())
    client = client_for("staff")
    url = circle_url(world, "planning:convening-edit", convening_id=convening.public_id)
    page = client.get(url)
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(date=(timezone.now() + timedelta(days=6)).date().isoformat(), start_time="09:00")
    data.pop("cancelled")
    assert client.post(url, data).status_code == 302
    convening.refresh_from_db()
    assert convening.sequence == 1
    assert convening.reminded_at is None


# -- the agenda -----------------------------------------------------------------------------


def test_staff_draft_edit_and_save_the_agenda(world, client_for):
    other = factories.CommunityFactory(cohort=world.cohort, name="Governance Circle")
    factories.MembershipFactory(community=other, role=Membership.Role.LEADER)
    convening = convening_of(world, starts_at=timezone.now() + timedelta(days=3))
    for community, challenge in (
        (world.community, "Board recruitment"),
        (other, "Recruiting board members"),
    ):
        CheckIn.objects.create(
            community=community,
            period="now",
            answered_at=timezone.now() - timedelta(days=1),
            successes="We met",
            challenges=challenge,
        )
    client = client_for("staff")
    url = circle_url(world, "planning:convening-agenda", convening_id=convening.public_id)
    page = client.get(url)
    drafted = page.context["form"]["agenda"].value()
    assert "- Board recruitment (Board Builders, Governance Circle)" in drafted
    assert "Challenges several communities name" in page.content.decode()
    convening.refresh_from_db()
    assert convening.agenda == ""  # nothing saved until staff save
    fingerprint = page.context["form"]["edit_fingerprint"].value()
    edited = drafted + "\nA word from the funder"
    response = client.post(url, {"agenda": edited, "edit_fingerprint": fingerprint})
    assert response.status_code == 302
    convening.refresh_from_db()
    assert convening.agenda.endswith("A word from the funder")
    leader_page = client_for("leader").get(convening.get_absolute_url()).content.decode()
    assert "A word from the funder" in leader_page


def test_redraft_replaces_the_agenda(world, client_for):
    convening = convening_of(world, agenda="Old agenda")
    client = client_for("staff")
    url = circle_url(world, "planning:convening-agenda", convening_id=convening.public_id)
    assert client.post(url, {"action": "draft"}).status_code == 302
    convening.refresh_from_db()
    assert convening.agenda.startswith("Welcome")
    assert convening.agenda_drafted_at is not None


def test_two_people_editing_the_agenda_do_not_lose_a_change(world, client):
    convening = convening_of(world, agenda="First item")
    url = circle_url(world, "planning:convening-agenda", convening_id=convening.public_id)
    client.force_login(world.staff)
    fingerprint = client.get(url).context["form"]["edit_fingerprint"].value()
    Convening.objects.filter(pk=convening.pk).update(agenda="Someone else's item")
    response = client.post(url, {"agenda": "My item", "edit_fingerprint": fingerprint})
    assert response.status_code == 200
    assert "Someone else changed this" in response.content.decode()
    convening.refresh_from_db()
    assert convening.agenda == "Someone else's item"
    fresh = response.context["form"]["edit_fingerprint"].value()
    assert client.post(url, {"agenda": "My item", "edit_fingerprint": fresh}).status_code == 302
    convening.refresh_from_db()
    assert convening.agenda == "My item"


def test_notes_are_saved_and_read_by_leaders(world, client_for):
    convening = convening_of(world)
    client = client_for("staff")
    url = circle_url(world, "planning:convening-notes", convening_id=convening.public_id)
    fingerprint = client.get(url).context["form"]["edit_fingerprint"].value()
    bad = client.post(url, {"notes": "Nul\x00", "edit_fingerprint": fingerprint})
    assert bad.status_code == 200
    assert "Null characters are not allowed" in bad.content.decode()
    notes = "  Three communities will share board job descriptions.\n"
    assert client.post(url, {"notes": notes, "edit_fingerprint": fingerprint}).status_code == 302
    convening.refresh_from_db()
    assert convening.notes == "Three communities will share board job descriptions."
    assert (
        "board job descriptions"
        in client_for("leader").get(convening.get_absolute_url()).content.decode()
    )


def test_attendance_of_the_leaders(world, client_for):
    convening = convening_of(world)
    client = client_for("staff")
    url = circle_url(world, "planning:convening-attendance", convening_id=convening.public_id)
    page = client.get(url)
    assert [person.name for person, _field in page.context["form"].rows()] == ["Lee Leader"]
    key = f"p-{world.leader_participant.public_id}"
    assert client.post(url, {key: "present"}).status_code == 302
    assert ConveningAttendance.objects.get().status == "present"
    # A member who leads nothing cannot be marked: nothing is saved, no 500.
    stranger = f"p-{world.participant_participant.public_id}"
    response = client.post(url, {key: "absent", stranger: "present"})
    assert response.status_code == 200
    assert "only be recorded for the cohort&#x27;s leaders" in response.content.decode()
    assert ConveningAttendance.objects.get().status == "present"
    response = client.post(url, {key: "sleeping"})
    assert response.status_code == 200
    assert ConveningAttendance.objects.get().status == "present"


def test_attendance_waits_for_the_start(world, client_for):
    convening = convening_of(world, starts_at=timezone.now() + timedelta(days=2))
    client = client_for("staff")
    url = circle_url(world, "planning:convening-attendance", convening_id=convening.public_id)
    key = f"p-{world.leader_participant.public_id}"
    response = client.post(url, {key: "present"})
    assert response.status_code == 200
    assert "once the convening starts" in response.content.decode()
    assert not ConveningAttendance.objects.exists()


# -- the discussion -------------------------------------------------------------------------


def test_a_leader_posts_the_others_get_an_email_and_one_replies(world, client_for):
    other = factories.CommunityFactory(cohort=world.cohort)
    co = factories.MembershipFactory(community=other, role=Membership.Role.CO_LEADER)
    client = client_for("leader")
    response = client.post(
        circle_url(world, "planning:circle-post-create"),
        {"title": "Board retreat ideas?", "body": "Who has run one?"},
    )
    post = CirclePost.objects.get()
    assert response.url == post.get_absolute_url()
    emails = OutboxMessage.objects.filter(kind="circle_post")
    assert [m.to_email for m in emails] == [co.participant.email]  # not the author
    assert emails[0].key == f"circle_post:{post.pk}:{co.participant.pk}"
    assert "Board retreat ideas?" in emails[0].subject
    staff = client_for("staff")
    reply = staff.post(post.get_absolute_url(), {"body": "We did one last May."})
    assert reply.status_code == 302
    assert (
        "We did one last May." in client_for("leader").get(post.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "body": "Something"}, "Give the post a title."),
        ({"title": "   ", "body": "Something"}, "Give the post a title."),
        ({"title": "Hi", "body": "\x00 "}, "Null characters are not allowed"),
        ({"title": "Hi", "body": "   "}, "Write a message."),
        ({"title": "x" * 201, "body": "Something"}, "200 characters or fewer"),
    ],
)
def test_a_bad_post_says_why_and_saves_nothing(world, client_for, data, message):
    client = client_for("leader")
    url = circle_url(world, "planning:circle-post-create")
    response = client.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CirclePost.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert client.post(url, {"title": "Hi", "body": "Something"}).status_code == 302


def test_an_empty_reply_is_refused(world, client_for):
    post = post_of(world)
    response = client_for("staff").post(post.get_absolute_url(), {"body": "  "})
    assert response.status_code == 200
    assert "Write a reply." in response.content.decode()
    assert not post.replies.exists()


def test_only_the_author_edits_a_post_and_conflicts_are_caught(world, client_for):
    post = post_of(world)
    url = circle_url(world, "planning:circle-post-edit", post_id=post.public_id)
    assert client_for("staff").get(url).status_code == 403
    client = client_for("leader")
    fingerprint = client.get(url).context["form"]["edit_fingerprint"].value()
    CirclePost.objects.filter(pk=post.pk).update(body="Changed in another tab")
    data = {"title": post.title, "body": "My new words", "edit_fingerprint": fingerprint}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Someone else changed this" in response.content.decode()
    data["edit_fingerprint"] = response.context["form"]["edit_fingerprint"].value()
    assert client.post(url, data).status_code == 302
    post.refresh_from_db()
    assert post.body == "My new words"
    assert post.edited_at is not None


def test_the_home_page_shows_the_next_convening_past_ones_and_posts(world, client_for):
    now = timezone.now()
    past = convening_of(world, starts_at=now - timedelta(days=30), title="March circle")
    past.attendance.create(participant=world.leader_participant, status="present")
    convening_of(world, starts_at=now + timedelta(days=3), title="April circle")
    convening_of(world, starts_at=now + timedelta(days=1), title="Called off", cancelled_at=now)
    post_of(world)
    page = client_for("leader").get(circle_url(world))
    assert page.context["next_one"].title == "April circle"
    assert [c.title for c in page.context["past"]] == ["March circle"]
    html = page.content.decode()
    assert "1 leader came" in html
    convening_of(world, starts_at=now - timedelta(days=60), title="February circle")
    assert "Attendance not recorded" in client_for("leader").get(circle_url(world)).content.decode()
    assert "Who has run a board retreat?" in html
    assert "Schedule convenings" not in html  # a leader schedules nothing


def test_every_staff_member_runs_the_circle_not_only_a_coach(world, client):
    """The circle is the cohort's, not one community's: a second staff member, coach of no
    community, has the staff's pages; a leader of another cohort gets 404."""
    second = factories.UserFactory(email="sue@tta.example", name="Sue Second")
    factories.CohortRoleFactory(cohort=world.cohort, user=second, role="staff")
    client.force_login(second)
    for name in ("planning:circle-schedule", "planning:convening-agenda"):
        assert client.get(url_for(name, world)).status_code == 200, name
    elsewhere = factories.CommunityFactory(cohort=world.other_cohort)
    foreign = factories.MembershipFactory(community=elsewhere, role=Membership.Role.LEADER)
    foreign_user = factories.UserFactory(email="fay@elsewhere.example")
    foreign.participant.user = foreign_user
    foreign.participant.save()
    client.force_login(foreign_user)
    assert client.get(circle_url(world)).status_code == 404
    assert client.get(reverse("planning:circle", args=[world.other_cohort.slug])).status_code == 200
