"""The going-deeper due-date reminder: a week before the date to do a suggested activity by,
the leaders of a community that has not put it on a meeting get one email, once, however
many sweeps run; counted in the cohort's time zone. The clock is given to each sweep."""

import datetime
import zoneinfo

import pytest

from cohorts.models import Membership
from copkit import later
from copkit.models import OutboxMessage
from planning.deeper import reminders, services
from planning.models import DeeperSuggestion
from tests import factories

pytestmark = pytest.mark.django_db

LOS_ANGELES = zoneinfo.ZoneInfo("America/Los_Angeles")
DUE = datetime.date(2027, 4, 20)


def at(day, hour):
    """A moment in Los Angeles, as the cohort reads it."""
    return datetime.datetime(2027, 4, day, hour, tzinfo=LOS_ANGELES)


@pytest.fixture
def suggestion(world):
    world.cohort.time_zone = "America/Los_Angeles"
    world.cohort.save()
    factories.MembershipFactory(community=world.community, role=Membership.Role.CO_LEADER)
    services.ensure_starters(world.cohort)
    made = services.suggest(
        world.cohort.deeper_activities.get(starter="case-study"),
        actor=world.staff,
        communities=[world.community],
        training="Capacity building",
        due_on=DUE,
    ).created[0]
    OutboxMessage.objects.all().delete()  # the suggestion's own emails
    return made


def reminded():
    return list(OutboxMessage.objects.filter(kind="activity_due").order_by("to_email"))


def test_the_sweep_is_registered():
    assert reminders.activity_due_reminders in later.registered()


def test_due_a_week_before_in_the_cohorts_zone(world, suggestion):
    # April 12, 23:30 in Los Angeles is already April 13 in UTC: not due yet.
    assert reminders.activity_due_reminders.run(at(12, 23)).queued == 0
    swept = reminders.activity_due_reminders.run(at(13, 0))
    assert swept.queued == 2
    emails = reminded()
    assert {e.to_email for e in emails} == {
        m.participant.email
        for m in world.community.memberships.filter(role__in=Membership.LEADING_ROLES)
    }
    email = emails[0]
    assert "7 days left" in email.body_text and "Tuesday, April 20, 2027" in email.body_text
    assert suggestion.get_absolute_url() in email.body_text
    assert email.key.startswith(f"activity_due:{suggestion.public_id}:")


def test_once_however_many_sweeps(world, suggestion):
    for _ in range(3):
        reminders.activity_due_reminders.run(at(14, 9))
    assert len(reminded()) == 2
    suggestion.refresh_from_db()
    assert suggestion.reminded_at is not None


def test_no_reminder_once_planned_done_or_declined(world, suggestion):
    meeting = factories.MeetingFactory(community=world.community)
    services.plan(suggestion, actor=world.leader, meeting=meeting)
    assert reminders.activity_due_reminders.run(at(14, 9)).queued == 0
    assert not reminded()


def test_a_suggestion_planned_after_it_was_read_is_not_reminded(world, suggestion):
    read = reminders.due_suggestions(at(14, 9))
    assert [s.pk for s in read] == [suggestion.pk]
    DeeperSuggestion.objects.filter(pk=suggestion.pk).update(state=DeeperSuggestion.State.PLANNED)
    assert reminders.activity_due_reminders.take(read[0], at(14, 9)) is None
    assert not reminded()


def test_an_archived_community_gets_no_reminder(world, suggestion):
    world.community.archived_at = at(1, 9)
    world.community.save()
    assert reminders.activity_due_reminders.run(at(14, 9)).queued == 0
