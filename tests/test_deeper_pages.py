"""Going-deeper activities, their pages: the cohort's list (seeded on first visit), staff
adding, editing and suggesting, a leader's answer, meeting and reflection, what members,
observers and another cohort see, the home and community pages, and query counts."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Membership
from copkit.concurrency import FIELD_NAME
from copkit.models import OutboxMessage
from planning.deeper import services
from planning.models import DeeperSuggestion
from tests import factories
from tests.matrix_deeper import MATRIX, url_for
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

State = DeeperSuggestion.State


def cohort_url(world, name, *args):
    return reverse(f"planning:{name}", args=[world.cohort.slug, *args])


def community_url(world, name, *args):
    return reverse(f"planning:{name}", args=[world.cohort.slug, world.community.slug, *args])


def texts(response):
    if response.status_code == 302:
        response = response.client.get(response.url)
    return [str(m) for m in get_messages(response.wsgi_request)]


def grant_review(world):
    services.ensure_starters(world.cohort)
    return world.cohort.deeper_activities.get(starter="grant-review")


def suggested(world, **extra):
    return services.suggest(
        grant_review(world),
        actor=world.staff,
        communities=[world.community],
        training="Grant writing, March 3",
        due_on=timezone.localdate() + datetime.timedelta(days=30),
        **extra,
    ).created[0]


def due_text(days=30):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


# -- the cohort's list -----------------------------------------------------------------


def test_the_list_is_seeded_on_first_visit_and_staff_may_manage_it(world, client_for):
    response = client_for("staff").get(cohort_url(world, "deeper-activities"))
    page = response.content.decode()
    assert "Review each other&#x27;s grant proposals" in page
    assert "Work through a case study together" in page
    assert "Suggest it" in page and "Add an activity" in page
    assert world.cohort.deeper_activities.count() == 6


def test_a_participant_reads_the_list_without_the_staffs_buttons(world, client_for):
    response = client_for("participant").get(cohort_url(world, "deeper-activities"))
    page = response.content.decode()
    assert "Work through a case study together" in page
    assert "Suggest it" not in page and "Add an activity" not in page


def test_staff_add_an_activity_and_a_missing_step_is_named_beside_the_field(world, client_for):
    client = client_for("staff")
    data = {"title": "Visit a member's site", "training": "", "description": "Host the group."}
    response = client.post(cohort_url(world, "deeper-activity-create"), {**data, "steps": " "})
    assert response.status_code == 200
    assert "Write at least one step." in response.content.decode()
    assert not world.cohort.deeper_activities.filter(title=data["title"]).exists()
    response = client.post(
        cohort_url(world, "deeper-activity-create"), {**data, "steps": "Pick a host\nVisit"}
    )
    activity = world.cohort.deeper_activities.get(title=data["title"])
    assert response.status_code == 302 and response.url == activity.get_absolute_url()
    assert activity.step_list == ["Pick a host", "Visit"]


def test_two_staff_editing_an_activity_lose_nothing(world, client_for):
    activity = grant_review(world)
    client = client_for("staff")
    url = cohort_url(world, "deeper-activity-edit", activity.public_id)
    page = client.get(url)
    fingerprint = page.context["form"][FIELD_NAME].value()
    # Someone else saves a new title meanwhile.
    services.update_activity(
        activity,
        actor=world.staff,
        title="Grant drafts, read by peers",
        training=activity.training,
        description=activity.description,
        steps=activity.steps,
    )
    data = {
        "title": "My title",
        "training": activity.training,
        "description": activity.description,
        "steps": activity.steps,
        FIELD_NAME: fingerprint,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Grant drafts, read by peers" in response.content.decode()
    activity.refresh_from_db()
    assert activity.title == "Grant drafts, read by peers"
    # Posting again with the fresh fingerprint saves.
    data[FIELD_NAME] = response.context["form"].data[FIELD_NAME]
    assert client.post(url, data).status_code == 302
    activity.refresh_from_db()
    assert activity.title == "My title"


def test_retiring_hides_the_activity_from_the_list_and_from_suggesting(world, client_for):
    activity = grant_review(world)
    client = client_for("staff")
    response = client.post(cohort_url(world, "deeper-activity-retire", activity.public_id))
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.is_retired
    response = client.get(cohort_url(world, "deeper-suggest", activity.public_id))
    assert response.status_code == 302 and "retired" in " ".join(texts(response))
    page = client.get(cohort_url(world, "deeper-activities")).content.decode()
    assert page.index("Retired") < page.index("Review each other&#x27;s grant proposals")


# -- suggesting ------------------------------------------------------------------------


def test_staff_suggest_to_every_community(world, client_for):
    other = factories.CommunityFactory(cohort=world.cohort, name="Fund Finders")
    factories.MembershipFactory(community=other, role=Membership.Role.LEADER)
    activity = grant_review(world)
    url = cohort_url(world, "deeper-suggest", activity.public_id)
    client = client_for("staff")
    page = client.get(url).content.decode()
    assert "Every active community (2)" in page and "grant writing" in page
    response = client.post(
        url, {"to": "all", "training": "Grant writing, March 3", "due_on": due_text()}
    )
    assert response.status_code == 302
    assert "Suggested to 2 communities" in " ".join(texts(response))
    assert DeeperSuggestion.objects.filter(activity=activity).count() == 2
    assert OutboxMessage.objects.filter(kind="activity_suggested").count() == 2


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"due_on": "2020-01-01"}, "due_on", "Choose today or a later date."),
        ({"due_on": "31/31/2027"}, "due_on", "Enter a date"),
        ({"due_on": "9999-12-31"}, "due_on", "between the years"),
        ({"training": "  "}, "training", "Name the training"),
        ({"to": "not-a-community"}, "to", "Choose every community, or one of them."),
    ],
)
def test_bad_suggestions_are_named_beside_the_field_and_nothing_is_saved(
    world, client_for, change, field, message
):
    activity = grant_review(world)
    url = cohort_url(world, "deeper-suggest", activity.public_id)
    data = {"to": str(world.community.public_id), "training": "Grants", "due_on": due_text()}
    response = client_for("staff").post(url, {**data, **change})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not DeeperSuggestion.objects.exists() and not OutboxMessage.objects.exists()
    # The same form with good values goes through: the refusal came from the value.
    assert client_for("staff").post(url, data).status_code == 302
    assert DeeperSuggestion.objects.count() == 1


# -- the leaders' way ------------------------------------------------------------------


def test_the_leader_sees_it_at_home_and_on_the_community_page(world, client_for):
    suggestion = suggested(world)
    client = client_for("leader")
    home = client.get(reverse("home")).content.decode()
    assert "Your TTA team suggests an activity to go deeper" in home
    assert suggestion.get_absolute_url() in home
    page = client.get(world.community.get_absolute_url()).content.decode()
    assert 'id="deeper-heading"' in page and suggestion.get_absolute_url() in page


def test_accept_plan_and_mark_done_through_the_pages(world, client_for):
    suggestion = suggested(world)
    meeting = factories.MeetingFactory(community=world.community, title="April meeting")
    client = client_for("leader")
    page = client.get(suggestion.get_absolute_url()).content.decode()
    assert "Will the group do it?" in page and "Mark it done" not in page

    response = client.post(
        community_url(world, "deeper-answer", suggestion.public_id), {"answer": "accept"}
    )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.state == State.ACCEPTED
    home = client.get(reverse("home")).content.decode()
    assert "Plan “Review each other&#x27;s grant proposals” onto one of your meetings" in home
    page = client.get(suggestion.get_absolute_url()).content.decode()
    assert "April meeting" in page and "Will the group do it?" not in page

    response = client.post(
        community_url(world, "deeper-plan", suggestion.public_id), {"meeting": meeting.public_id}
    )
    assert "it shows on that meeting's agenda" in " ".join(texts(response))
    detail = client.get(meeting.get_absolute_url()).content.decode()
    assert "Going deeper:" in detail and "Review each other&#x27;s grant proposals" in detail
    assert "Share a draft or section" not in detail  # the starter's own wording below
    assert "Before the meeting, each member who wants a review shares a draft" in detail

    # A member sees what is planned, on the community page and the meeting.
    member = client_for("participant")
    page = member.get(world.community.get_absolute_url()).content.decode()
    assert "On the agenda of “April meeting”" in page

    client = client_for("leader")
    response = client.post(
        community_url(world, "deeper-done", suggestion.public_id),
        {"what_we_did": "Three drafts, read in pairs.", "what_we_learned": "Shorter is better."},
    )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.state == State.DONE
    page = client.get(suggestion.get_absolute_url()).content.decode()
    assert "Shorter is better." in page and "Mark it done" not in page
    assert "Marked done by Lee Leader" in page and "suggested by Sam Staff" in page


def test_declining_without_a_reason_is_named_beside_the_field(world, client_for):
    suggestion = suggested(world)
    client = client_for("leader")
    url = community_url(world, "deeper-answer", suggestion.public_id)
    response = client.post(url, {"answer": "decline", "reason": ""})
    assert response.status_code == 200
    assert "why the group will not do it" in " ".join(
        response.context["answer_form"].errors["reason"]
    )
    suggestion.refresh_from_db()
    assert suggestion.state == State.SUGGESTED
    response = client.post(url, {"answer": "decline", "reason": "We did one in May."})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.state == State.DECLINED and suggestion.decline_reason == "We did one in May."
    # Staff read the reason on the activity's page.
    page = client_for("staff").get(suggestion.activity.get_absolute_url()).content.decode()
    assert "We did one in May." in page


def test_planning_onto_another_communitys_meeting_is_refused(world, client_for):
    suggestion = suggested(world)
    theirs = factories.MeetingFactory(community=factories.CommunityFactory(cohort=world.cohort))
    url = community_url(world, "deeper-plan", suggestion.public_id)
    response = client_for("leader").post(url, {"meeting": theirs.public_id})
    assert response.status_code == 200
    assert "coming meetings" in " ".join(response.context["plan_form"].errors["meeting"])
    suggestion.refresh_from_db()
    assert suggestion.state == State.SUGGESTED
    ours = factories.MeetingFactory(community=world.community)
    assert client_for("leader").post(url, {"meeting": ours.public_id}).status_code == 302


def test_members_see_what_is_planned_not_what_is_weighed(world, client_for):
    suggestion = suggested(world)
    member = client_for("participant")
    assert member.get(suggestion.get_absolute_url()).status_code == 403
    page = member.get(community_url(world, "deeper-community")).content.decode()
    assert suggestion.get_absolute_url() not in page
    services.accept(suggestion, actor=world.leader)
    assert member.get(suggestion.get_absolute_url()).status_code == 200
    page = member.get(community_url(world, "deeper-community")).content.decode()
    assert suggestion.get_absolute_url() in page
    assert "Will the group do it?" not in member.get(suggestion.get_absolute_url()).content.decode()


def test_another_cohorts_suggestion_is_not_found(world, client_for):
    elsewhere = factories.CommunityFactory(cohort=world.other_cohort)
    services.ensure_starters(world.other_cohort)
    theirs = services.suggest(
        world.other_cohort.deeper_activities.first(),
        actor=world.outsider,
        communities=[elsewhere],
        training="Grants",
        due_on=timezone.localdate(),
    ).created[0]
    url = community_url(world, "deeper-suggestion", theirs.public_id)
    assert client_for("staff").get(url).status_code == 404
    assert client_for("staff").get(suggested(world).get_absolute_url()).status_code == 200


# -- the board -------------------------------------------------------------------------


def test_staff_see_which_community_did_which_activity(world, client_for):
    suggestion = suggested(world)
    services.mark_done(suggestion, actor=world.leader, what_we_did="x", what_we_learned="y")
    page = client_for("staff").get(cohort_url(world, "deeper-progress")).content.decode()
    assert "Board Builders" in page
    assert suggestion.get_absolute_url() in page
    assert ">Done<" in page


def test_observers_see_counts_only_and_none_from_fewer_than_five(world, client_for):
    activity = grant_review(world)
    communities = [world.community] + [
        factories.CommunityFactory(cohort=world.cohort, name=f"Circle {i}") for i in range(3)
    ]
    services.suggest(
        activity,
        actor=world.staff,
        communities=communities,
        training="Grants",
        due_on=timezone.localdate(),
    )
    client = client_for("observer")
    page = client.get(cohort_url(world, "deeper-progress")).content.decode()
    assert "fewer than 5 communities" in page
    assert "Board Builders" not in page and "Circle 1" not in page
    assert "4 communities" not in page
    fifth = factories.CommunityFactory(cohort=world.cohort, name="Circle 9")
    services.suggest(
        activity,
        actor=world.staff,
        communities=[fifth],
        training="Grants",
        due_on=timezone.localdate(),
    )
    page = client.get(cohort_url(world, "deeper-progress")).content.decode()
    assert "5 communities" in page and "Circle 9" not in page


# -- query counts ----------------------------------------------------------------------


def grow(world, n):
    """n more communities with a leader and a coming meeting, n more activities, and each
    activity suggested to the persona's community and the new ones, in every state."""
    services.ensure_starters(world.cohort)
    activity = world.cohort.deeper_activities.order_by("pk").first()  # the page's, if any
    states = list(State)
    for i in range(n):
        community = factories.CommunityFactory(cohort=world.cohort)
        factories.MembershipFactory(community=community, role=Membership.Role.LEADER)
        factories.MeetingFactory(community=world.community)
        factories.MeetingFactory(community=community)
        extra = services.add_activity(
            world.cohort,
            actor=world.staff,
            title=f"Activity {i}",
            training="",
            description="d",
            steps="s",
        )
        for target, state in ((world.community, states[i % 5]), (community, State.DONE)):
            DeeperSuggestion.objects.create(
                activity=extra,
                community=target,
                training="t",
                due_on=timezone.localdate(),
                state=state,
            )
        DeeperSuggestion.objects.create(
            activity=activity,
            community=community,
            training="t",
            due_on=timezone.localdate(),
            state=states[i % 5],
        )


# Every GET page, as each of staff, a leader and an observer who may open it.
PAGES = [
    (name, persona)
    for name, (method, expected) in sorted(MATRIX.items())
    for persona in ("staff", "leader", "observer")
    if method == "get" and expected[persona] == 200
]


@pytest.mark.parametrize(("name", "persona"), PAGES)
def test_query_count_is_flat(name, persona, world, client_for):
    client = client_for(persona)
    url = url_for(name, world)
    grow(world, 1)
    small, _ = count_queries(client, url)
    grow(world, 30)
    large, response = count_queries(client, url)
    assert large == small, f"{name} as {persona}: {small} queries with 1 row, {large} with 31"
    assert len(response.content) > 2000


def test_the_home_page_count_stays_flat_with_suggestions(world, client_for):
    client = client_for("leader")
    suggested(world)
    small, _ = count_queries(client, reverse("home"))
    for _i in range(20):
        community = factories.CommunityFactory(cohort=world.cohort)
        factories.MembershipFactory(
            community=community,
            participant=world.leader_participant,
            role=Membership.Role.LEADER,
        )
        services.suggest(
            grant_review(world),
            actor=world.staff,
            communities=[community],
            training="t",
            due_on=timezone.localdate(),
        )
    large, response = count_queries(client, reverse("home"))
    assert large == small
    assert response.content.decode().count("Accept or decline") == 21


# -- hostile input ---------------------------------------------------------------------

HOSTILE = ["\x00", "x" * 5000, "<script>alert(1)</script>", "9999-99-99", "\u2019" * 300]
# Values no text field takes (PostgreSQL cannot store a NUL; every text is kept under 4000).
REFUSED_EVERYWHERE = {"\x00", "x" * 5000}


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input_is_never_a_server_error(world, client_for, value):
    activity = grant_review(world)
    suggestion = suggested(world)
    staff = client_for("staff")
    posts = [
        (
            cohort_url(world, "deeper-activity-create"),
            {"title": value[:200], "training": value, "description": value, "steps": value},
        ),
        (
            cohort_url(world, "deeper-suggest", activity.public_id),
            {"to": value, "training": value, "due_on": value, "note": value},
        ),
        (community_url(world, "deeper-answer", suggestion.public_id), {"answer": value}),
        (community_url(world, "deeper-plan", suggestion.public_id), {"meeting": value}),
        (
            community_url(world, "deeper-done", suggestion.public_id),
            {"what_we_did": value, "what_we_learned": value},
        ),
    ]
    activities = world.cohort.deeper_activities.count()
    for url, data in posts:
        response = staff.post(url, data)
        assert response.status_code < 500, (url, data)
    # No suggestion is made from a bad recipient and date, whatever else was typed.
    assert DeeperSuggestion.objects.count() == 1
    suggestion.refresh_from_db()
    if value in REFUSED_EVERYWHERE:
        assert suggestion.state == State.SUGGESTED
        assert world.cohort.deeper_activities.count() == activities
    else:  # valid text: the reflection is taken, and shown escaped
        assert suggestion.state == State.DONE
        page = staff.get(suggestion.get_absolute_url()).content.decode()
        assert "<script>alert(1)</script>" not in page


def test_a_cancelled_meeting_asks_the_leader_to_plan_it_again(world, client_for):
    suggestion = suggested(world)
    meeting = factories.MeetingFactory(community=world.community)
    services.plan(suggestion, actor=world.leader, meeting=meeting)
    client = client_for("leader")
    assert suggestion.get_absolute_url() not in client.get(reverse("home")).content.decode()
    meeting.cancelled_at = timezone.now()
    meeting.save()
    home = client.get(reverse("home")).content.decode()
    assert "was planned for is cancelled: plan it again" in home
    assert suggestion.get_absolute_url() in home
