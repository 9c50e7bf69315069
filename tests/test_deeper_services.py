"""Going-deeper activities, their services: the starter set, the cohort's list kept by
staff, suggesting to one community or to all (with the leaders' emails), and a community's
way from the suggestion to the activity done."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from cohorts.models import Activity, Membership
from copkit import kinds
from copkit.errors import ServiceError
from copkit.models import OutboxMessage
from planning.deeper import services
from planning.deeper.starters import STARTERS
from planning.models import DeeperActivity, DeeperSuggestion
from tests import factories

pytestmark = pytest.mark.django_db

State = DeeperSuggestion.State


def due(days=30):
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def activity(world):
    services.ensure_starters(world.cohort)
    return world.cohort.deeper_activities.get(starter="grant-review")


def suggest(activity, world, communities=None, **extra):
    values = {"training": "Grant writing, March 3", "due_on": due()}
    values.update(extra)
    return services.suggest(
        activity,
        actor=world.staff,
        communities=communities or [world.community],
        **values,
    )


# -- the starter set and the list ------------------------------------------------------


def test_the_starter_set_is_added_once_and_covers_the_lessons_examples(world):
    assert services.ensure_starters(world.cohort) == len(STARTERS)
    assert services.ensure_starters(world.cohort) == 0
    rows = list(world.cohort.deeper_activities.order_by("position"))
    assert [row.starter for row in rows] == [starter.key for starter in STARTERS]
    keys = {row.starter for row in rows}
    # The lesson's examples: a grant review, a case study, peer feedback on work plans,
    # member-led trainings.
    assert {"grant-review", "case-study", "work-plan-feedback", "member-led-training"} <= keys
    assert all(row.description and len(row.step_list) >= 3 for row in rows)
    # Another cohort gets its own copy.
    assert services.ensure_starters(world.other_cohort) == len(STARTERS)
    assert DeeperActivity.objects.count() == 2 * len(STARTERS)


def test_a_cohort_with_its_own_activities_gets_no_starters(world):
    services.add_activity(
        world.cohort,
        actor=world.staff,
        title="Visit each other's sites",
        training="",
        description="Members host the group.",
        steps="Pick a host",
    )
    assert services.ensure_starters(world.cohort) == 0
    assert world.cohort.deeper_activities.count() == 1


def test_adding_needs_a_title_a_description_and_a_step(world):
    values = {"title": "Site visits", "training": "", "description": "Host.", "steps": "Go"}
    for name, message in (
        ("title", "title"),
        ("description", "Say what"),
        ("steps", "at least one step"),
    ):
        with pytest.raises(ServiceError, match=message) as refusal:
            services.add_activity(world.cohort, actor=world.staff, **{**values, name: "  \n "})
        assert refusal.value.field == name
    activity = services.add_activity(world.cohort, actor=world.staff, **values)
    assert activity.title == "Site visits" and activity.created_by == world.staff
    assert Activity.objects.filter(verb="added a going-deeper activity").count() == 1


def test_editing_keeps_the_changed_fields_and_logs_them(world, activity):
    changed = services.update_activity(
        activity,
        actor=world.staff,
        title="Review grant drafts",
        training=activity.training,
        description=activity.description,
        steps=activity.steps,
    )
    assert changed == ["title"]
    activity.refresh_from_db()
    assert activity.title == "Review grant drafts"
    entry = Activity.objects.get(verb="changed a going-deeper activity")
    assert entry.data["fields"] == ["title"]
    assert (
        services.update_activity(
            activity,
            actor=world.staff,
            title=activity.title,
            training=activity.training,
            description=activity.description,
            steps=activity.steps,
        )
        == []
    )


def test_a_retired_activity_cannot_be_suggested_until_restored(world, activity):
    assert services.set_retired(activity, actor=world.staff, retired=True)
    assert not services.set_retired(activity, actor=world.staff, retired=True)
    with pytest.raises(ServiceError, match="retired"):
        suggest(activity, world)
    assert not DeeperSuggestion.objects.exists()
    assert services.set_retired(activity, actor=world.staff, retired=False)
    assert len(suggest(activity, world).created) == 1


# -- suggesting ------------------------------------------------------------------------


def test_suggesting_to_all_emails_each_communitys_leaders_once(world, activity):
    second = factories.CommunityFactory(cohort=world.cohort, name="Fund Finders")
    co_leader = factories.MembershipFactory(community=second, role=Membership.Role.CO_LEADER)
    factories.MembershipFactory(community=second, role=Membership.Role.MEMBER)
    archived = factories.CommunityFactory(cohort=world.cohort, archived_at=timezone.now())
    everyone = list(world.cohort.communities.active())
    assert archived not in everyone

    result = suggest(activity, world, communities=everyone, note="Bring a real draft.")

    assert {s.community for s in result.created} == {world.community, second}
    emails = {m.to_email: m for m in OutboxMessage.objects.all()}
    assert set(emails) == {world.leader_participant.email, co_leader.participant.email}
    email = emails[world.leader_participant.email]
    assert email.kind == "activity_suggested"
    suggestion = DeeperSuggestion.objects.get(community=world.community)
    assert email.key == (
        f"activity_suggested:{suggestion.public_id}:{world.leader_participant.public_id}"
    )
    assert activity.title in email.subject and "Board Builders" in email.subject
    assert "Grant writing, March 3" in email.body_text
    assert "Bring a real draft." in email.body_text
    assert suggestion.get_absolute_url() in email.body_text
    assert suggestion.get_absolute_url() in email.body_html
    assert Activity.objects.get(verb="suggested a going-deeper activity").data["communities"] == [
        "Board Builders",
        "Fund Finders",
    ]

    # Suggesting again while it is open skips the communities and sends nothing.
    again = suggest(activity, world, communities=everyone)
    assert again.created == [] and {c.pk for c in again.skipped} == {world.community.pk, second.pk}
    assert OutboxMessage.objects.count() == 2


def test_the_email_kind_is_registered_and_optional():
    kind = kinds.get("activity_suggested")
    assert kind is not None and kind.optional


def test_a_rolled_back_suggestion_queues_no_email(world, activity):
    with pytest.raises(RuntimeError), transaction.atomic():
        suggest(activity, world)
        raise RuntimeError("the request failed after the suggestion")
    assert not DeeperSuggestion.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_a_suggestion_needs_its_training_and_stays_in_its_cohort(world, activity):
    with pytest.raises(ServiceError, match="training") as refusal:
        suggest(activity, world, training="  ")
    assert refusal.value.field == "training"
    elsewhere = factories.CommunityFactory(cohort=world.other_cohort)
    assert suggest(activity, world, communities=[elsewhere]).created == []
    assert not DeeperSuggestion.objects.filter(community=elsewhere).exists()
    assert len(suggest(activity, world).created) == 1


def test_once_done_the_same_activity_can_be_suggested_again(world, activity):
    first = suggest(activity, world).created[0]
    services.mark_done(first, actor=world.leader, what_we_did="Read", what_we_learned="Lots")
    assert len(suggest(activity, world, training="Grant writing II").created) == 1
    assert world.community.deeper_suggestions.count() == 2


# -- a community's answer --------------------------------------------------------------


@pytest.fixture
def suggestion(world, activity):
    return suggest(activity, world).created[0]


def test_accept_plan_and_mark_done(world, suggestion):
    meeting = factories.MeetingFactory(community=world.community)
    services.accept(suggestion, actor=world.leader)
    assert suggestion.state == State.ACCEPTED and suggestion.answered_by == world.leader
    services.plan(suggestion, actor=world.leader, meeting=meeting)
    suggestion.refresh_from_db()
    assert suggestion.state == State.PLANNED and suggestion.meeting == meeting
    services.mark_done(
        suggestion,
        actor=world.leader,
        what_we_did="Three members brought drafts; we reviewed in pairs.",
        what_we_learned="Our needs statements were too long.",
    )
    suggestion.refresh_from_db()
    assert suggestion.state == State.DONE and suggestion.done_by == world.leader
    assert suggestion.what_we_learned == "Our needs statements were too long."
    verbs = set(Activity.objects.filter(community=world.community).values_list("verb", flat=True))
    assert {
        "accepted a going-deeper activity",
        "planned a going-deeper activity",
        "did a going-deeper activity",
    } <= verbs


def test_a_second_leader_answering_is_told_it_was_answered(world, suggestion):
    stale = DeeperSuggestion.objects.get(pk=suggestion.pk)
    services.accept(suggestion, actor=world.leader)
    with pytest.raises(ServiceError, match="already “Accepted”"):
        services.accept(stale, actor=world.staff)
    stale.refresh_from_db()
    assert stale.answered_by == world.leader


def test_declining_needs_a_reason(world, suggestion):
    with pytest.raises(ServiceError, match="why") as refusal:
        services.decline(suggestion, actor=world.leader, reason=" ")
    assert refusal.value.field == "reason"
    suggestion.refresh_from_db()
    assert suggestion.state == State.SUGGESTED
    services.decline(suggestion, actor=world.leader, reason="We did one last month.")
    suggestion.refresh_from_db()
    assert suggestion.state == State.DECLINED
    assert suggestion.decline_reason == "We did one last month."
    with pytest.raises(ServiceError, match="declined"):
        services.accept(suggestion, actor=world.leader)


def test_planning_takes_a_coming_meeting_of_the_community_only(world, suggestion):
    past = factories.MeetingFactory(
        community=world.community, starts_at=timezone.now() - datetime.timedelta(days=1)
    )
    cancelled = factories.MeetingFactory(community=world.community, cancelled_at=timezone.now())
    other = factories.MeetingFactory(community=factories.CommunityFactory(cohort=world.cohort))
    for meeting in (past, cancelled, other, None):
        with pytest.raises(ServiceError) as refusal:
            services.plan(suggestion, actor=world.leader, meeting=meeting)
        assert refusal.value.field == "meeting"
    suggestion.refresh_from_db()
    assert suggestion.state == State.SUGGESTED and suggestion.meeting is None
    # Planning straight from a suggestion accepts it; planning again moves it.
    first = factories.MeetingFactory(community=world.community)
    services.plan(suggestion, actor=world.leader, meeting=first)
    assert suggestion.answered_by == world.leader
    second = factories.MeetingFactory(
        community=world.community, starts_at=first.starts_at + datetime.timedelta(days=30)
    )
    services.plan(suggestion, actor=world.leader, meeting=second)
    suggestion.refresh_from_db()
    assert suggestion.meeting == second and suggestion.state == State.PLANNED


def test_the_reflection_needs_both_answers_and_nothing_is_half_saved(world, suggestion):
    with pytest.raises(ServiceError) as refusal:
        services.mark_done(suggestion, actor=world.leader, what_we_did="", what_we_learned="x")
    assert refusal.value.field == "what_we_did"
    with pytest.raises(ServiceError) as refusal:
        services.mark_done(suggestion, actor=world.leader, what_we_did="x", what_we_learned="")
    assert refusal.value.field == "what_we_learned"
    suggestion.refresh_from_db()
    assert suggestion.state == State.SUGGESTED and suggestion.what_we_did == ""
    services.mark_done(suggestion, actor=world.leader, what_we_did="x", what_we_learned="y")
    with pytest.raises(ServiceError, match="already marked done"):
        services.mark_done(suggestion, actor=world.leader, what_we_did="x", what_we_learned="y")


def test_an_archived_community_refuses_changes(world, suggestion):
    world.community.archived_at = timezone.now()
    world.community.save()
    suggestion.community.archived_at = world.community.archived_at
    with pytest.raises(ServiceError, match="archived"):
        services.accept(suggestion, actor=world.leader)
    suggestion.refresh_from_db()
    assert suggestion.state == State.SUGGESTED
