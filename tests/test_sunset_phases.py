"""A COP's phase follows its state (members and a leader, the plan approved, the cohort's
transition date, the sunset plan agreed) unless staff set it; the transition's nudges go
out once each, however many sweeps run; and a COP that continues on its own gets none of
the TTA team's prompts while its own meetings go on. Every clock is given explicitly."""

import datetime
from datetime import UTC, timedelta

import pytest
import time_machine

from cohorts.models import Community, Membership
from cohorts.services import communities as community_services
from copkit.errors import ServiceError
from copkit.models import OutboxMessage
from planning.checkins.services import cycle, rules
from planning.deeper import reminders as deeper_reminders
from planning.deeper import services as deeper_services
from planning.evaluations.services import evaluations
from planning.knowledge import services as knowledge_services
from planning.meetings.services import reminders as meeting_reminders
from planning.models import ActionPlan, PlanVersion, SunsetState
from planning.sunset import phases, summaries, timeline
from tests import factories

pytestmark = pytest.mark.django_db

Phase = Community.Phase
# The world's cohort ends on June 30, 2027; eight weeks before is May 5.
START = datetime.date(2027, 5, 5)
SUN = Phase.SUNSETTING


def noon(day):
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=UTC)


def approve_plan(community):
    plan, _ = ActionPlan.objects.get_or_create(community=community)
    plan.status = ActionPlan.Status.APPROVED
    plan.save()
    PlanVersion.objects.create(plan=plan, number=1, outcome=PlanVersion.Outcome.APPROVED)
    return plan


def set_timeline(world, starts_on=START, **values):
    with time_machine.travel(noon(starts_on - timedelta(days=30)), tick=False):
        return timeline.save_timeline(
            world.cohort,
            actor=world.staff,
            starts_on=starts_on,
            start_plans_by=values.get("start_plans_by", starts_on + timedelta(weeks=3)),
            finish_plans_by=values.get("finish_plans_by", datetime.date(2027, 6, 16)),
            message=values.get("message", timeline.default_message()),
        )


def sent(kind):
    return sorted(OutboxMessage.objects.filter(kind=kind).values_list("to_email", flat=True))


# -- deriving the phase ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({"has_leader": False, "others": 3, "plan_approved": False}, Phase.FORMING),
        ({"has_leader": True, "others": 0, "plan_approved": False}, Phase.FORMING),
        ({"has_leader": True, "others": 1, "plan_approved": False}, Phase.DEFINING),
        ({"has_leader": True, "others": 1, "plan_approved": True}, Phase.ACTIVE),
        ({"has_leader": True, "others": 1, "plan_approved": True, "sunsetting": True}, SUN),
        ({"has_leader": False, "others": 0, "plan_approved": False, "sunsetting": True}, SUN),
        ({"has_leader": True, "others": 1, "plan_approved": True, "agreed": True}, "continuing"),
        (
            {"has_leader": True, "others": 1, "plan_approved": True, "override": Phase.CLOSED},
            Phase.CLOSED,
        ),
    ],
)
def test_derive(facts, expected):
    assert phases.derive(**facts) == expected


def test_the_phase_moves_with_members_and_the_plan(world):
    community = factories.CommunityFactory(cohort=world.cohort, name="Grant Writers")
    assert phases.refresh(community) == Phase.FORMING
    lead = factories.ParticipantFactory(cohort=world.cohort)
    member = factories.ParticipantFactory(cohort=world.cohort)
    community_services.add_member(
        community, actor=world.staff, participant=lead, role=Membership.Role.LEADER
    )
    community.refresh_from_db()
    assert community.phase == Phase.FORMING  # a leader alone is not a group yet
    membership = community_services.add_member(community, actor=world.staff, participant=member)
    community.refresh_from_db()
    assert community.phase == Phase.DEFINING
    approve_plan(community)
    assert phases.refresh(community) == Phase.ACTIVE
    community_services.remove_member(membership, actor=world.staff)
    community.refresh_from_db()
    assert community.phase == Phase.FORMING


def test_approving_the_plan_makes_the_community_active(world):
    from planning.plans.services import review

    plan = ActionPlan.objects.create(community=world.community, status=ActionPlan.Status.SUBMITTED)
    PlanVersion.objects.create(plan=plan, number=1)
    phases.refresh(world.community)
    assert world.community.phase == Phase.DEFINING
    review.review(plan, actor=world.staff, approve=True)
    world.community.refresh_from_db()
    assert world.community.phase == Phase.ACTIVE


def test_staff_override_wins_until_cleared(world):
    approve_plan(world.community)
    phases.refresh(world.community)
    phases.set_override(world.community, Phase.CLOSED, actor=world.staff)
    world.community.refresh_from_db()
    assert (world.community.phase, world.community.phase_set_by_staff) == (Phase.CLOSED, True)
    # An event that would move the phase leaves the override alone.
    phases.refresh(world.community)
    world.community.refresh_from_db()
    assert world.community.phase == Phase.CLOSED
    with pytest.raises(ServiceError):
        phases.set_override(world.community, "nonsense", actor=world.staff)
    phases.set_override(world.community, "", actor=world.staff)
    world.community.refresh_from_db()
    assert (world.community.phase, world.community.phase_set_by_staff) == (Phase.ACTIVE, False)
    assert world.cohort.activities.filter(verb="let the phase follow the state").exists()


def test_the_transition_date_and_the_agreed_sunset_plan(world):
    approve_plan(world.community)
    set_timeline(world)
    world.community.refresh_from_db()
    assert world.community.phase == Phase.ACTIVE  # the date is still to come
    with time_machine.travel(noon(START), tick=False):
        phases.refresh(world.community)
        assert world.community.phase == Phase.SUNSETTING
        assert not phases.sunset_agreed(world.community)
        phases.mark_sunset_started(world.community)
        assert summaries.progress_by_community([world.community.pk])[world.community.pk] == (
            SunsetState.Progress.DRAFTING
        )
        assert phases.mark_sunset_agreed(world.community) == Phase.CONTINUING
        assert phases.sunset_agreed(world.community)
        world.community.refresh_from_db()
        assert world.community.phase == Phase.CONTINUING
        assert phases.clear_sunset_agreed(world.community) == Phase.SUNSETTING


def test_a_start_date_already_past_moves_the_phase_when_saved(world):
    approve_plan(world.community)
    with time_machine.travel(noon(START + timedelta(days=2)), tick=False):
        timeline.save_timeline(
            world.cohort,
            actor=world.staff,
            starts_on=START,
            start_plans_by=None,
            finish_plans_by=None,
            message="Our program ends soon.",
        )
    world.community.refresh_from_db()
    assert world.community.phase == Phase.SUNSETTING
    assert world.cohort.transition.message == "Our program ends soon."


def test_the_default_message_is_not_stored(world):
    transition = set_timeline(world)
    assert transition.message == ""
    assert "end of the program does not have to be the end" in timeline.message_of(transition)


# -- the nudges ------------------------------------------------------------------------------


def test_no_nudge_before_the_date_or_without_a_timeline(world):
    assert timeline.run_nudges(noon(START))["transition messages"].queued == 0
    set_timeline(world)
    assert timeline.run_nudges(noon(START - timedelta(days=1)))["transition messages"].queued == 0
    assert OutboxMessage.objects.count() == 0


def test_every_member_gets_the_message_once_then_the_leaders_the_prompts(world):
    set_timeline(world, message="We are winding down.\n\nThink about what you want next.")
    first = timeline.run_nudges(noon(START))
    second = timeline.run_nudges(noon(START))
    assert first["transition messages"].queued == 2
    assert second["transition messages"].queued == 0
    assert sent("sunset_transition") == ["lee@pantry.example", "pat@pantry.example"]
    message = OutboxMessage.objects.get(kind="sunset_transition", to_email="pat@pantry.example")
    assert "Think about what you want next." in message.body_text
    world.community.refresh_from_db()
    assert world.community.phase == Phase.SUNSETTING
    # A week later, the leaders (not the members) are asked to start the sunset plan, once.
    early = timeline.run_nudges(noon(START + timedelta(days=6)))
    assert early["sunset plan start prompts"].queued == 0
    timeline.run_nudges(noon(START + timedelta(days=7)))
    timeline.run_nudges(noon(START + timedelta(days=8)))
    assert sent("sunset_prompt") == ["lee@pantry.example"]
    start = OutboxMessage.objects.get(kind="sunset_prompt")
    assert "start your sunset plan" in start.subject
    # Two weeks before the finish-by day (June 16), the leaders are asked to finish it.
    timeline.run_nudges(noon(datetime.date(2027, 6, 1)))
    timeline.run_nudges(noon(datetime.date(2027, 6, 2)))
    assert sent("sunset_prompt") == ["lee@pantry.example", "lee@pantry.example"]
    assert OutboxMessage.objects.filter(subject__contains="finish your sunset plan").count() == 1
    assert world.cohort.activities.filter(verb="started sunsetting").count() == 1


def test_two_sweeps_that_read_the_same_rows_send_once(world):
    set_timeline(world)
    now = noon(START)
    first = timeline.announcements.due(now)
    second = timeline.announcements.due(now)  # read by another process before the claim
    assert [timeline.announcements.take(row, now) for row in first] == [2]
    assert [timeline.announcements.take(row, now) for row in second] == [None]
    assert len(sent("sunset_transition")) == 2


def test_a_plan_started_or_sent_skips_its_prompt(world):
    set_timeline(world)
    timeline.run_nudges(noon(START))
    phases.mark_sunset_started(world.community, noon(START))
    timeline.run_nudges(noon(START + timedelta(days=7)))
    assert sent("sunset_prompt") == []
    phases.mark_sunset_submitted(world.community, noon(START))
    timeline.run_nudges(noon(datetime.date(2027, 6, 2)))
    assert sent("sunset_prompt") == []


def test_no_nudge_to_a_closed_an_agreed_or_an_archived_community(world):
    set_timeline(world)
    closed = factories.CommunityFactory(cohort=world.cohort, phase_override=Phase.CLOSED)
    factories.MembershipFactory(community=closed, role=Membership.Role.LEADER)
    phases.refresh(closed)
    archived = factories.CommunityFactory(cohort=world.cohort)
    factories.MembershipFactory(community=archived, role=Membership.Role.LEADER)
    archived.archived_at = noon(START)
    archived.save()
    phases.mark_sunset_agreed(world.community, noon(START))
    assert timeline.run_nudges(noon(START))["transition messages"].queued == 0
    assert OutboxMessage.objects.count() == 0


def test_the_prompt_links_to_the_sunset_plan(world):
    from django.urls import reverse

    args = [world.cohort.slug, world.community.slug]
    expected = reverse("planning:sunset-plan", args=args)
    assert timeline.sunset_plan_path(world.community) == expected


# -- continuing on its own: the TTA team's prompts stop, the COP's own work goes on ----------------


def continuing(world):
    with time_machine.travel(noon(START), tick=False):
        set_timeline(world)
        phases.mark_sunset_agreed(world.community, noon(START))
    world.community.refresh_from_db()
    assert world.community.phase == Phase.CONTINUING


def test_no_check_in_for_a_continuing_community(world):
    rules.set_cadence(
        world.cohort,
        actor=world.staff,
        every_weeks=2,
        starts_on=datetime.date(2027, 5, 10),
        paused=False,
        remind_after_days=3,
        escalate_after_days=7,
    )
    continuing(world)
    evening = datetime.datetime(2027, 5, 10, 22, tzinfo=UTC)
    cycle.run_cycle(evening)
    assert world.community.checkins.count() == 0
    # The control: the same cohort's active community is asked.
    other = factories.CommunityFactory(cohort=world.cohort, phase=Phase.ACTIVE)
    factories.MembershipFactory(community=other, role=Membership.Role.LEADER)
    cycle.run_cycle(evening)
    assert other.checkins.count() == 1


def test_no_evaluation_opens_for_a_continuing_community(world):
    with time_machine.travel(noon(datetime.date(2027, 5, 1)), tick=False):
        evaluation_round = evaluations.schedule(
            world.cohort,
            actor=world.staff,
            title="Final evaluation",
            form="discussion",
            opens_on=datetime.date(2027, 6, 1),
            closes_on=None,
            communities=[world.community],
        )
    assert len(evaluations.due_to_open(noon(evaluation_round.opens_on))) == 1
    continuing(world)
    assert evaluations.due_to_open(noon(evaluation_round.opens_on)) == []


def test_no_activity_reminder_for_a_continuing_community(world):
    deeper_services.ensure_starters(world.cohort)
    with time_machine.travel(noon(datetime.date(2027, 5, 1)), tick=False):
        deeper_services.suggest(
            world.cohort.deeper_activities.get(starter="case-study"),
            actor=world.staff,
            communities=[world.community],
            training="Capacity building",
            due_on=datetime.date(2027, 6, 10),
        )
    assert len(deeper_reminders.due_suggestions(noon(datetime.date(2027, 6, 5)))) == 1
    continuing(world)
    assert deeper_reminders.due_suggestions(noon(datetime.date(2027, 6, 5))) == []


def test_staff_cannot_ask_a_continuing_community_for_knowledge_items(world):
    continuing(world)
    with time_machine.travel(noon(datetime.date(2027, 6, 1)), tick=False):
        with pytest.raises(ServiceError) as refused:
            knowledge_services.request_items(
                world.cohort,
                actor=world.staff,
                communities=[world.community],
                kind="",
                note="",
                due_on=datetime.date(2027, 6, 20),
            )
        assert refused.value.field == "to"
        other = factories.CommunityFactory(cohort=world.cohort, phase=Phase.ACTIVE)
        asked = knowledge_services.request_items(
            world.cohort,
            actor=world.staff,
            communities=[world.community, other],
            kind="",
            note="",
            due_on=datetime.date(2027, 6, 20),
        )
    assert [row.community_id for row in asked.created] == [other.pk]


def test_a_continuing_communitys_own_meetings_are_still_reminded(world):
    continuing(world)
    after_the_end = datetime.datetime(2027, 7, 14, 17, tzinfo=UTC)
    with time_machine.travel(after_the_end - timedelta(days=3), tick=False):
        factories.MeetingFactory(community=world.community, starts_at=after_the_end)
    meeting_reminders.meeting_reminders.run(after_the_end - timedelta(hours=20))
    assert sent("meeting_reminder") == ["lee@pantry.example", "pat@pantry.example"]


def test_no_survey_reminder_for_a_continuing_community(world):
    from planning.models import Survey
    from planning.surveys.services import surveys as survey_services

    survey = factories.SurveyFactory(
        cohort=world.cohort,
        community=world.community,
        title="Final evaluation",
        status=Survey.Status.DRAFT,
        reminder_limit=2,
        reminder_interval_days=3,
    )
    factories.QuestionFactory(survey=survey)
    with time_machine.travel(noon(datetime.date(2027, 5, 1)), tick=False):
        survey_services.send_survey(survey, [world.participant_participant], actor=world.staff)
    later_on = noon(datetime.date(2027, 5, 10))
    assert len(survey_services.due_recipients(later_on)) == 1
    continuing(world)
    assert survey_services.due_recipients(later_on) == []
    # A cohort-wide survey (no community) is still reminded.
    survey.refresh_from_db()
    survey.community = None
    survey.save()
    assert len(survey_services.due_recipients(later_on)) == 1


def test_the_phase_follows_when_formation_publishes_groups(world):
    from cohorts.formation.services.publishing import publish
    from tests.test_formation_publish_people import grouped_round, person

    people = [person(world, "Ana"), person(world, "Ben"), person(world, "Cy")]
    published = publish(grouped_round(world, people), actor=world.staff)
    assert [c.phase for c in published] == [Phase.FORMING]  # nobody leads it yet
    (community,) = published
    leader = community.memberships.first()
    community_services.change_membership(
        leader, actor=world.staff, role=Membership.Role.LEADER, title=""
    )
    community.refresh_from_db()
    assert community.phase == Phase.DEFINING
