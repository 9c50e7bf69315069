"""Collective TTA requests, their services: filing (with its checks and the staff's email),
triage (states, a decline needs a reason, what can be linked), the history of changes, one
email per member per change, edit conflicts, and an archived community's refusal."""

import datetime

import pytest
from django.utils import timezone

from cohorts.models import Activity, Membership
from copkit import kinds
from copkit.concurrency import EditConflict
from copkit.errors import ServiceError
from copkit.models import OutboxMessage
from planning.models import Convening, TTARequest, TTARequestEvent
from planning.support.requests import services, summaries
from planning.support.requests.forms import TriageForm
from tests import factories

pytestmark = pytest.mark.django_db

State = TTARequest.State
Format = TTARequest.Format


def file(world, **extra):
    values = {
        "what": "A training on recruiting board members",
        "why_now": "Three of us are recruiting this spring.",
        "format": Format.TRAINING,
    }
    values.update(extra)
    return services.file_request(world.community, actor=world.leader, **values)


def triage(row, world, **extra):
    values = {"state": State.ACCEPTED}
    values.update(extra)
    return services.triage(row, actor=world.staff, **values)


# -- filing ------------------------------------------------------------------------------


def test_a_leader_files_a_request_and_staff_are_told_once(world):
    row = file(world, wanted_by=timezone.localdate() + datetime.timedelta(days=20))
    assert row.state == State.NEW and row.for_everyone and row.filed_by == world.leader
    assert Activity.objects.filter(verb="filed a TTA request").count() == 1
    mail = OutboxMessage.objects.get(kind="tta_request_filed")
    assert mail.to_email == world.staff.email
    assert "Board Builders" in mail.subject
    assert services._tell_staff(row, world.leader) == 0  # keyed: never twice
    assert kinds.get("tta_request_filed").optional
    assert kinds.get("tta_request_update").optional


def test_a_request_for_some_members_names_them(world):
    row = file(world, for_everyone=False, serves=[world.participant_participant])
    assert list(row.serves.all()) == [world.participant_participant]
    assert not row.for_everyone


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"what": "  "}, "what"),
        ({"why_now": ""}, "why_now"),
        ({"what": "x" * 5000}, "what"),
        ({"format": "webinar"}, "format"),
        ({"format": Format.OTHER, "format_other": ""}, "format_other"),
        ({"wanted_by": datetime.date(2000, 1, 1)}, "wanted_by"),
        ({"for_everyone": False, "serves": []}, "serves"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_saved(world, extra, field):
    with pytest.raises(ServiceError) as refused:
        file(world, **extra)
    assert refused.value.field == field
    assert not TTARequest.objects.exists()
    assert not OutboxMessage.objects.exists()
    file(world)  # the valid request goes through: the refusal came from the rule
    assert TTARequest.objects.count() == 1


def test_a_person_outside_the_community_cannot_be_named(world):
    stranger = factories.ParticipantFactory(cohort=world.cohort)
    with pytest.raises(ServiceError) as refused:
        file(world, for_everyone=False, serves=[stranger])
    assert refused.value.field == "serves"


def test_an_archived_community_files_nothing(world):
    world.community.archived_at = timezone.now()
    world.community.save()
    with pytest.raises(ServiceError, match="archived"):
        file(world)
    assert not TTARequest.objects.exists()


# -- triage ------------------------------------------------------------------------------


def test_triage_records_each_change_and_tells_every_member_once(world):
    row = file(world)
    OutboxMessage.objects.all().delete()
    meeting = factories.MeetingFactory(
        community=world.community, starts_at=timezone.now() + datetime.timedelta(days=7)
    )
    event = triage(
        row,
        world,
        state=State.SCHEDULED,
        assignee=world.staff,
        meeting=meeting,
        reply="We will run it at your next meeting.",
    )
    row.refresh_from_db()
    assert row.state == State.SCHEDULED and row.meeting == meeting
    assert row.first_answer_at is not None and row.replied_at is not None
    fields = [change["field"] for change in event.changes]
    assert fields == ["state", "assignee", "meeting", "reply"]
    assert event.actor == world.staff
    assert event.changes[0] == {"field": "state", "before": "New", "after": "Scheduled"}
    mails = OutboxMessage.objects.filter(kind="tta_request_update")
    assert sorted(m.to_email for m in mails) == sorted(
        [world.leader.email, world.participant.email]
    )
    assert "We will run it at your next meeting." in mails[0].body_text
    # Saving the same values again changes nothing: no history row, no email.
    assert (
        triage(
            row,
            world,
            state=State.SCHEDULED,
            assignee=world.staff,
            meeting=meeting,
            reply="We will run it at your next meeting.",
        )
        is None
    )
    assert TTARequestEvent.objects.count() == 1
    assert mails.count() == 2
    assert services._tell_members(row, event, world.staff) == 0  # keyed by the event


def test_first_answer_is_kept_from_the_first_change(world):
    row = file(world)
    triage(row, world)
    first = TTARequest.objects.get().first_answer_at
    triage(row, world, state=State.DELIVERED)
    assert TTARequest.objects.get().first_answer_at == first


def test_a_decline_needs_a_reason(world):
    row = file(world)
    with pytest.raises(ServiceError) as refused:
        triage(row, world, state=State.DECLINED, decline_reason="  ")
    assert refused.value.field == "decline_reason"
    assert TTARequest.objects.get().state == State.NEW
    assert not TTARequestEvent.objects.exists()
    triage(row, world, state=State.DECLINED, decline_reason="Another program covers it.")
    assert TTARequest.objects.get().decline_reason == "Another program covers it."


def test_a_reason_is_dropped_when_the_request_is_no_longer_declined(world):
    row = file(world)
    triage(row, world, state=State.DECLINED, decline_reason="Not now.")
    triage(row, world, state=State.ACCEPTED, decline_reason="Not now.")
    assert TTARequest.objects.get().decline_reason == ""


def test_scheduled_says_when(world):
    row = file(world)
    with pytest.raises(ServiceError) as refused:
        triage(row, world, state=State.SCHEDULED)
    assert refused.value.field == "meeting"
    triage(row, world, state=State.SCHEDULED, training="Board recruiting webinar, May 4")
    assert TTARequest.objects.get().state == State.SCHEDULED


@pytest.mark.parametrize("what", ["assignee", "meeting", "convening"])
def test_only_this_cohorts_people_and_events_can_be_linked(world, what):
    row = file(world)
    other = factories.CommunityFactory(cohort=world.other_cohort)
    wrong = {
        "assignee": world.outsider,
        "meeting": factories.MeetingFactory(community=other),
        "convening": Convening.objects.create(
            cohort=world.other_cohort, title="Circle", starts_at=timezone.now()
        ),
    }[what]
    with pytest.raises(ServiceError) as refused:
        triage(row, world, **{what: wrong})
    assert refused.value.field == what


def test_an_archived_community_is_not_triaged(world):
    row = file(world)
    world.community.archived_at = timezone.now()
    world.community.save()
    with pytest.raises(ServiceError, match="archived"):
        triage(row, world)
    assert TTARequest.objects.get().state == State.NEW


def test_a_change_made_since_the_form_was_opened_is_not_overwritten(world):
    row = file(world)
    form = TriageForm(record=row, staff=[world.staff], meetings=[], convenings=[])
    token = form.stored_fingerprint
    triage(row, world, reply="First answer.")  # another staff member, meanwhile
    with pytest.raises(EditConflict) as conflict:
        triage(row, world, reply="Second answer.", token=token)
    assert "reply" in conflict.value.names
    assert TTARequest.objects.get().reply == "First answer."
    # Read again (as the form shows the change), the second person's save goes through.
    fresh = TTARequest.objects.get()
    again = TriageForm(record=fresh, staff=[world.staff], meetings=[], convenings=[])
    triage(fresh, world, reply="Second answer.", token=again.stored_fingerprint)
    assert TTARequest.objects.get().reply == "Second answer."


def test_the_actor_is_not_emailed_about_their_own_change(world):
    row = file(world)
    factories.CohortRoleFactory(cohort=world.cohort, user=world.leader, role="staff")
    OutboxMessage.objects.all().delete()
    services.triage(row, actor=world.leader, state=State.ACCEPTED)
    assert list(OutboxMessage.objects.values_list("to_email", flat=True)) == [
        world.participant.email
    ]


# -- what other pages read ---------------------------------------------------------------


def test_the_leaders_step_shows_until_the_reply_is_read(world):
    row = file(world)
    assert summaries.leader_steps([world.community.pk]) == {}
    triage(row, world, reply="Yes, in May.")
    steps = summaries.leader_steps([world.community.pk])
    assert steps[world.community.pk][0]["label"] == "Read the reply"
    row.refresh_from_db()
    assert services.mark_reply_seen(row)
    assert summaries.leader_steps([world.community.pk]) == {}
    triage(row, world, reply="Yes, in May; the date is set.")
    assert summaries.leader_steps([world.community.pk])


def test_the_dashboard_averages_hours_to_a_first_answer(world, time_machine):
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    a = file(world)
    b = file(world, what="A guide to board term limits")
    file(world, what="Still waiting")
    time_machine.move_to(start + datetime.timedelta(hours=2), tick=False)
    triage(a, world)
    time_machine.move_to(start + datetime.timedelta(hours=6), tick=False)
    triage(b, world, state=State.DECLINED, decline_reason="Covered elsewhere.")
    figures = summaries.dashboard(world.cohort, sees_people=True)
    (row,) = figures["rows"]
    assert (row.requests_total, row.requests_open, row.requests_new) == (3, 2, 1)
    assert row.wait_hours == 4.0
    assert figures["totals"]["wait_hours"] == 4.0 and figures["totals"]["open"] == 2
    hidden = summaries.dashboard(world.cohort, sees_people=False)
    assert hidden["rows"][0].wait_hidden and hidden["totals"]["wait_hidden"]


def test_member_roles_all_get_the_email(world):
    co = factories.MembershipFactory(community=world.community, role=Membership.Role.CO_LEADER)
    row = file(world)
    triage(row, world)
    assert OutboxMessage.objects.filter(
        kind="tta_request_update", to_email=co.participant.email
    ).exists()
