"""Collective TTA requests, their pages: filing on the community's form (errors beside the
field), the community's list and one request with the reply and its history, staff's
triage page (filters, overdue first, one form per request) and one request's triage page,
the dashboard (observers: counts, no text), the community page's section, the leader's home
step, another COP's member, and flat query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Membership
from copkit.models import OutboxMessage
from planning.models import TTARequest, TTARequestEvent
from planning.support.requests import services
from tests import factories
from tests.matrix_tta_requests import MATRIX, request_of, url_for
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

State = TTARequest.State


def create_url(world):
    return reverse("planning:tta-request-create", args=[world.cohort.slug, world.community.slug])


def triage_url(world, row):
    return reverse("planning:tta-request-triage", args=[world.cohort.slug, row.public_id])


def list_url(world):
    return reverse("planning:tta-requests", args=[world.cohort.slug])


VALID = {
    "what": "A training on recruiting board members",
    "why_now": "Three of us are recruiting this spring.",
    "who": "everyone",
    "format": "training",
    "timing": "a Tuesday afternoon",
}


# -- filing --------------------------------------------------------------------------------


def test_a_leader_files_a_request_and_reads_it(world, client_for):
    client = client_for("leader")
    page = client.get(create_url(world)).content.decode()
    assert "Why now?" in page and "Pat Participant" in page  # members to pick
    response = client.post(create_url(world), VALID)
    row = TTARequest.objects.get()
    assert response.status_code == 302 and response.url == row.get_absolute_url()
    page = client.get(row.get_absolute_url()).content.decode()
    assert "Three of us are recruiting this spring." in page
    assert "has not answered yet" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"what": ""}, "Say what help the group wants."),
        ({"why_now": "   "}, "Say why the group needs it now."),
        ({"format": ""}, "Choose the form the help should take."),
        ({"format": "other", "format_other": ""}, "Say what form the help should take."),
        ({"who": "some"}, "Choose the members it is for"),
        ({"serves": "not-a-member", "who": "some"}, "Choose members of your group."),
        ({"wanted_by": "2000-01-01"}, "Choose today or a later date."),
        ({"wanted_by": "9999-99-99"}, "Enter a date"),
        ({"what": "\x00"}, ""),
        ({"what": "x" * 5000}, "characters"),
    ],
)
def test_bad_input_comes_back_beside_the_field(world, client_for, change, message):
    client = client_for("leader")
    response = client.post(create_url(world), {**VALID, **change})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "is-invalid" in response.content.decode()
    assert not TTARequest.objects.exists()
    assert client.post(create_url(world), VALID).status_code == 302


def test_a_script_in_the_text_is_shown_as_text(world, client_for):
    client = client_for("leader")
    client.post(create_url(world), {**VALID, "what": "<script>alert(1)</script>"})
    page = client.get(TTARequest.objects.get().get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_an_archived_community_cannot_file(world, client_for):
    world.community.archived_at = timezone.now()
    world.community.save()
    response = client_for("leader").post(create_url(world), VALID)
    assert response.status_code == 302 and not TTARequest.objects.exists()


def test_another_communitys_member_is_refused(world, client_for):
    other = factories.CommunityFactory(cohort=world.cohort, name="Fund Finders")
    stranger = factories.MembershipFactory(community=other, role=Membership.Role.LEADER)
    user = factories.UserFactory()
    stranger.participant.user = user
    stranger.participant.save()
    row = request_of(world)
    client = client_for(None)
    client.force_login(user)
    assert client.get(row.get_absolute_url()).status_code == 403
    assert client.get(create_url(world)).status_code == 403
    assert client.post(create_url(world), VALID).status_code == 403
    assert client.get(triage_url(world, row)).status_code == 403
    assert not TTARequest.objects.exclude(pk=row.pk).exists()


# -- triage --------------------------------------------------------------------------------


def post_triage(client, world, row, **values):
    prefix = f"r{row.pk}-"
    page = client.get(triage_url(world, row)).context["form"]
    data = {prefix + "edit_fingerprint": page.stored_fingerprint, prefix + "state": "accepted"}
    data.update({prefix + name: value for name, value in values.items()})
    return client.post(triage_url(world, row), data)


def test_staff_accept_and_reply_and_the_members_read_it(world, client_for):
    row = request_of(world)
    client = client_for("staff")
    response = post_triage(
        client, world, row, assignee=world.staff.pk, reply="Yes: we will run it in May."
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.state == State.ACCEPTED and row.assignee == world.staff
    assert OutboxMessage.objects.filter(kind="tta_request_update").count() == 2
    client.force_login(world.participant)
    page = client.get(row.get_absolute_url()).content.decode()
    assert "Yes: we will run it in May." in page
    assert "Sam Staff" in page  # the history names who changed it


def test_a_decline_without_reason_comes_back_beside_the_field(world, client_for):
    row = request_of(world)
    client = client_for("staff")
    response = post_triage(client, world, row, state="declined")
    assert response.status_code == 200
    assert "Say why the request is declined" in response.content.decode()
    assert TTARequest.objects.get().state == State.NEW
    assert not TTARequestEvent.objects.exists()
    response = post_triage(client, world, row, state="declined", decline_reason="Out of scope.")
    assert response.status_code == 302


def test_a_meeting_of_another_community_is_not_a_choice(world, client_for):
    row = request_of(world)
    other = factories.CommunityFactory(cohort=world.cohort)
    meeting = factories.MeetingFactory(
        community=other, starts_at=timezone.now() + datetime.timedelta(days=3)
    )
    response = post_triage(client_for("staff"), world, row, meeting=meeting.pk)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_a_stale_form_shows_what_changed(world, client_for):
    row = request_of(world)
    client = client_for("staff")
    prefix = f"r{row.pk}-"
    token = client.get(triage_url(world, row)).context["form"].stored_fingerprint
    services.triage(row, actor=world.staff, state=State.ACCEPTED, reply="First.")
    response = client.post(
        triage_url(world, row),
        {prefix + "edit_fingerprint": token, prefix + "state": "accepted", prefix + "reply": "Me"},
    )
    assert response.status_code == 200
    assert "Someone else changed this" in response.content.decode()
    assert TTARequest.objects.get().reply == "First."


def test_the_triage_page_puts_overdue_first_and_filters(world, client_for):
    today = timezone.localdate()
    later = request_of(world, what="Later one", due_on=today + datetime.timedelta(days=9))
    late = request_of(world, what="Overdue one", due_on=today - datetime.timedelta(days=2))
    undated = request_of(world, what="Undated one")
    request_of(world, what="Done one", state=State.DELIVERED)
    other = factories.CommunityFactory(cohort=world.cohort, name="Fund Finders")
    TTARequest.objects.create(
        community=other, what="Theirs", why_now="x", format="resource", assignee=world.staff
    )
    client = client_for("staff")
    page = client.get(list_url(world)).content.decode()
    assert page.index("Overdue one") < page.index("Later one") < page.index("Undated one")
    assert page.index("Undated one") < page.index("Done one")
    assert "overdue since" in page
    page = client.get(list_url(world), {"state": "open"}).content.decode()
    assert "Done one" not in page and "Overdue one" in page
    page = client.get(list_url(world), {"community": other.slug}).content.decode()
    assert "Theirs" in page and "Overdue one" not in page
    page = client.get(list_url(world), {"assignee": str(world.staff.pk)}).content.decode()
    assert "Theirs" in page and "Later one" not in page
    page = client.get(list_url(world), {"assignee": "none", "state": "bogus"}).content.decode()
    assert "Later one" in page  # a bad filter shows everything rather than failing
    assert late.state == later.state == undated.state == State.NEW


def test_saving_from_the_list_goes_back_to_the_list(world, client_for):
    row = request_of(world)
    client = client_for("staff")
    prefix = f"r{row.pk}-"
    token = client.get(list_url(world)).context["rows"][0].form.stored_fingerprint
    response = client.post(
        triage_url(world, row),
        {prefix + "edit_fingerprint": token, prefix + "state": "accepted", "next": "list"},
    )
    assert response.status_code == 302 and response.url == list_url(world)


# -- other pages ---------------------------------------------------------------------------


def test_the_dashboard_shows_observers_counts_and_no_text(world, client_for):
    row = request_of(world, what="A secret plan about Pat")
    services.triage(row, actor=world.staff, state=State.ACCEPTED)
    url = reverse("cohorts:dashboard", args=[world.cohort.slug])
    page = client_for("observer").get(url).content.decode()
    assert "TTA requests" in page and "1 open request" in page
    assert "A secret plan" not in page
    assert "fewer than 5 answered" in page
    page = client_for("staff").get(url).content.decode()
    assert "first answer after" in page and "Triage them" in page


def test_the_community_page_and_the_leaders_home_show_the_reply(world, client_for):
    row = request_of(world)
    services.triage(row, actor=world.staff, state=State.ACCEPTED, reply="See you in May.")
    client = client_for("leader")
    page = client.get(world.community.get_absolute_url()).content.decode()
    assert "Requests to your TTA team" in page and str(row) in page
    home = client.get(reverse("home")).content.decode()
    assert "Your TTA team answered your request" in home
    client.get(row.get_absolute_url())  # reading it
    assert "Your TTA team answered your request" not in client.get(reverse("home")).content.decode()


def test_a_member_reading_does_not_clear_the_leaders_step(world, client_for):
    row = request_of(world)
    services.triage(row, actor=world.staff, state=State.ACCEPTED, reply="See you in May.")
    client_for("participant").get(row.get_absolute_url())
    assert TTARequest.objects.get().reply_seen_at is None


# -- query counts --------------------------------------------------------------------------


def grow(world, n):
    other = factories.CommunityFactory(cohort=world.cohort)
    for i in range(n):
        row = request_of(
            world,
            what=f"Request {i}",
            due_on=timezone.localdate() + datetime.timedelta(days=i - 3),
            assignee=world.staff,
        )
        row.serves.add(world.participant_participant)
        services.triage(row, actor=world.staff, state=State.ACCEPTED, reply=f"Reply {i}")
        TTARequest.objects.create(community=other, what=f"Other {i}", why_now="x", format="other")
        factories.MeetingFactory(
            community=world.community, starts_at=timezone.now() + datetime.timedelta(days=i + 1)
        )


PAGES = [
    (name, persona)
    for name, (_method, expected) in MATRIX.items()
    for persona, status in expected.items()
    if status == 200
]


@pytest.mark.parametrize(("name", "persona"), PAGES, ids=[f"{n}-{p}" for n, p in PAGES])
def test_query_count_is_flat(name, persona, world, client_for):
    client = client_for(persona)
    url = url_for(name, world)
    grow(world, 1)
    small, _ = count_queries(client, url)
    grow(world, 20)
    large, response = count_queries(client, url)
    assert large == small, f"{name} as {persona}: {small} queries with 1 row, {large} with 21"
    assert len(response.content) > 2000


@pytest.mark.parametrize("persona", ["staff", "observer"])
def test_the_dashboard_count_stays_flat_with_requests(world, client_for, persona):
    client = client_for(persona)
    url = reverse("cohorts:dashboard", args=[world.cohort.slug])
    grow(world, 1)
    small, _ = count_queries(client, url)
    grow(world, 20)
    large, _ = count_queries(client, url)
    assert large == small


def test_the_home_page_count_stays_flat_with_replies(world, client_for):
    client = client_for("leader")
    grow(world, 1)
    small, _ = count_queries(client, reverse("home"))
    grow(world, 20)
    large, response = count_queries(client, reverse("home"))
    assert large == small
    assert response.content.decode().count("Read the reply") == 21
