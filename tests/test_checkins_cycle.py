"""The check-in cycle: cadence periods (across daylight saving time), the rows each period
opens, prompts, reminders and escalation to the coach each sent once however many sweeps
run, pauses and overrides, answers, logged calls and follow-ups."""

from datetime import UTC, date, datetime, timedelta

import pytest

from cohorts.models import Activity, CohortRole, Membership
from cohorts.services import coaches
from copkit import later
from copkit.errors import ServiceError
from copkit.models import OutboxMessage
from planning.checkins.cadence import Rule
from planning.checkins.services import answers, cycle, rules
from planning.models import CheckIn, FollowUp
from tests import factories

pytestmark = pytest.mark.django_db

NEW_YORK = "America/New_York"
MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)


def utc(year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def emails(kind):
    return sorted(
        (m.to_email for m in OutboxMessage.objects.filter(kind=kind)),
    )


def rule(every_weeks=2, starts_on=date(2026, 3, 2), **extra):
    values = {
        "every_weeks": every_weeks,
        "starts_on": starts_on,
        "paused": False,
        "remind_after_days": 3,
        "escalate_after_days": 7,
        "time_zone": NEW_YORK,
        **extra,
    }
    return Rule(**values)


@pytest.fixture
def cohort(world):
    world.cohort.time_zone = NEW_YORK
    world.cohort.save()
    return world.cohort


@pytest.fixture
def cadence(world, cohort):
    """Every two weeks from Monday March 2, 2026, 9 a.m. in New York (14:00 UTC, EST)."""
    return rules.set_cadence(
        cohort,
        actor=world.staff,
        every_weeks=2,
        starts_on=date(2026, 3, 2),
        paused=False,
        remind_after_days=3,
        escalate_after_days=7,
    )


@pytest.fixture
def co_leader(world):
    person = factories.ParticipantFactory(cohort=world.cohort, email="cora@pantry.example")
    factories.MembershipFactory(
        community=world.community, participant=person, role=Membership.Role.CO_LEADER
    )
    return person


# -- periods --


def test_periods_keep_nine_in_the_morning_across_the_spring_change():
    """March 2 is EST (9:00 = 14:00 UTC); March 16 is EDT since March 8 (9:00 = 13:00 UTC)."""
    r = rule()
    assert r.period(0).due_at.astimezone(UTC) == utc(2026, 3, 2, 14)
    assert r.period(1).due_at.astimezone(UTC) == utc(2026, 3, 16, 13)
    assert r.period(1).key == "2026-03-16"
    assert r.current(utc(2026, 3, 16, 13) - MINUTE).key == "2026-03-02"
    assert r.current(utc(2026, 3, 16, 13)).key == "2026-03-16"


def test_periods_across_the_autumn_change():
    """October 26 is EDT (13:00 UTC); November 9 is EST since November 1 (14:00 UTC)."""
    r = rule(starts_on=date(2026, 10, 26))
    assert r.period(1).due_at.astimezone(UTC) == utc(2026, 11, 9, 14)
    assert r.current(utc(2026, 11, 9, 14) - MINUTE).key == "2026-10-26"
    assert r.next(utc(2026, 11, 9, 14)).key == "2026-11-23"


def test_no_period_before_the_first_and_none_next_while_paused():
    r = rule()
    assert r.current(utc(2026, 3, 2, 14) - MINUTE) is None
    assert r.next(utc(2026, 3, 1)).key == "2026-03-02"
    assert rule(paused=True).next(utc(2026, 3, 20)) is None


def test_reminder_and_escalation_count_local_days():
    """Due Friday March 6 9 a.m. EST; three days later is Monday 9 a.m. EDT (13:00 UTC)."""
    r = rule(every_weeks=1, starts_on=date(2026, 3, 6))
    due = r.period(0).due_at.astimezone(UTC)
    assert r.reminder_due(due).astimezone(UTC) == utc(2026, 3, 9, 13)
    assert r.escalation_due(due).astimezone(UTC) == utc(2026, 3, 13, 13)
    assert r.still_current(due, utc(2026, 3, 13, 12, 59))
    assert not r.still_current(due, utc(2026, 3, 13, 13))


# -- prompts --


def test_prompt_goes_to_each_leader_and_co_leader_once(world, cadence, co_leader):
    due = utc(2026, 3, 2, 14)
    cycle.run_cycle(due - MINUTE)
    assert CheckIn.objects.count() == 0
    assert emails("checkin_prompt") == []

    cycle.run_cycle(due)
    rows = CheckIn.objects.filter(community=world.community)
    assert sorted(rows.values_list("participant__email", flat=True)) == [
        "cora@pantry.example",
        "lee@pantry.example",
    ]
    assert {row.period for row in rows} == {"2026-03-02"}
    assert all(row.prompted_at == due for row in rows)
    assert emails("checkin_prompt") == ["cora@pantry.example", "lee@pantry.example"]
    lee = rows.get(participant=world.leader_participant)
    message = OutboxMessage.objects.get(kind="checkin_prompt", to_email="lee@pantry.example")
    assert f"/k/{lee.token}/" in message.body_text
    assert "Board Builders" in message.subject

    # Sweeping again, any number of times, opens and sends nothing more.
    for _ in range(3):
        cycle.run_cycle(due + MINUTE)
    assert CheckIn.objects.count() == 2
    assert len(emails("checkin_prompt")) == 2
    # The plain member was never asked.
    assert not CheckIn.objects.filter(participant=world.participant_participant).exists()


def test_a_row_read_by_two_sweeps_is_claimed_by_one(world, cadence):
    """Two workers read the same due row; only the first conditional UPDATE wins."""
    due = utc(2026, 3, 2, 14)
    first_read = cycle.due_prompts(due)
    second_read = cycle.due_prompts(due)
    assert [row.pk for row in first_read] == [row.pk for row in second_read]
    assert cycle.checkin_prompts.take(first_read[0], due) == 1
    assert cycle.checkin_prompts.take(second_read[0], due) is None
    assert len(emails("checkin_prompt")) == 1


def test_a_failing_handler_rolls_its_claim_back(world, cadence, monkeypatch):
    due = utc(2026, 3, 2, 14)

    def broken(row, now):
        raise RuntimeError("mail template missing")

    sweep = later.Sweep(
        name="broken prompts",
        due=cycle.due_prompts,
        column="prompted_at",
        handle=broken,
    )
    swept = sweep.run(due)
    assert swept.failed == 1
    assert CheckIn.objects.get().prompted_at is None
    assert cycle.checkin_prompts.run(due).queued == 1


def test_the_next_period_opens_new_rows(world, cadence):
    cycle.run_cycle(utc(2026, 3, 2, 14))
    cycle.run_cycle(utc(2026, 3, 16, 13))
    assert sorted(CheckIn.objects.values_list("period", flat=True)) == [
        "2026-03-02",
        "2026-03-16",
    ]
    assert len(emails("checkin_prompt")) == 2


def test_a_cadence_set_late_asks_now_not_in_the_past(world, cohort):
    """Set on March 10 with a first day of March 2: the current period's row is due when
    it is made, so it is not already days late."""
    rules.set_cadence(
        cohort,
        actor=world.staff,
        every_weeks=2,
        starts_on=date(2026, 3, 2),
        paused=False,
        remind_after_days=3,
        escalate_after_days=7,
    )
    now = utc(2026, 3, 10, 15)
    cycle.run_cycle(now)
    row = CheckIn.objects.get()
    assert row.due_at == now
    cycle.run_cycle(now + 2 * DAY)
    assert emails("checkin_reminder") == []


def test_paused_cohort_and_paused_community(world, cohort, cadence):
    other = factories.CommunityFactory(cohort=cohort, name="Grant Writers")
    leader = factories.ParticipantFactory(cohort=cohort, email="gina@grants.example")
    factories.MembershipFactory(community=other, participant=leader, role=Membership.Role.LEADER)
    rules.set_cadence(
        cohort,
        actor=world.staff,
        community=other,
        every_weeks=2,
        starts_on=date(2026, 3, 2),
        paused=True,
        remind_after_days=3,
        escalate_after_days=7,
    )
    cycle.run_cycle(utc(2026, 3, 2, 14))
    assert emails("checkin_prompt") == ["lee@pantry.example"]

    # Pausing the cohort stops the chase of the open check-in too.
    cadence.paused = True
    cadence.save()
    cycle.run_cycle(utc(2026, 3, 12, 14))
    assert emails("checkin_reminder") == []
    assert emails("checkin_escalation") == []

    # The community follows the cohort again; the cohort runs again.
    rules.follow_cohort(other, actor=world.staff)
    cadence.paused = False
    cadence.save()
    cycle.run_cycle(utc(2026, 3, 16, 13))
    assert "gina@grants.example" in emails("checkin_prompt")


def test_an_archived_or_closed_community_is_not_asked(world, cadence):
    world.community.phase = "closed"
    world.community.save()
    cycle.run_cycle(utc(2026, 3, 2, 14))
    assert CheckIn.objects.count() == 0


# -- reminders and escalation --


def test_late_check_in_is_reminded_then_escalated_to_the_default_coach(world, cadence):
    due = utc(2026, 3, 2, 14)
    cycle.run_cycle(due)
    cycle.run_cycle(due + 3 * DAY - MINUTE)
    assert emails("checkin_reminder") == []

    cycle.run_cycle(due + 3 * DAY)
    assert emails("checkin_reminder") == ["lee@pantry.example"]
    row = CheckIn.objects.get()
    assert row.reminded_at == due + 3 * DAY
    assert row.escalated_at is None

    # Seven days in New York: 9 a.m. EDT on March 9 (the clocks changed on March 8).
    escalation = utc(2026, 3, 9, 13)
    cycle.run_cycle(escalation - MINUTE)
    assert emails("checkin_escalation") == []
    cycle.run_cycle(escalation)
    # No coach chosen: the cohort's first staff member, Sam.
    assert emails("checkin_escalation") == ["sam@tta.example"]
    message = OutboxMessage.objects.get(kind="checkin_escalation")
    assert "Lee Leader" in message.body_text
    assert "7 days late" in message.body_text

    for _ in range(2):
        cycle.run_cycle(due + 8 * DAY)
    assert len(emails("checkin_reminder")) == 1
    assert len(emails("checkin_escalation")) == 1
    assert Activity.objects.filter(verb="escalated check-in").count() == 1


def test_escalation_goes_to_the_chosen_coach(world, cadence):
    coach = factories.UserFactory(email="cam@tta.example", name="Cam Coach")
    factories.CohortRoleFactory(cohort=world.cohort, user=coach, role=CohortRole.Role.STAFF)
    coaches.assign_coaches(world.cohort, actor=world.staff, coaches={world.community: coach})
    due = utc(2026, 3, 2, 14)
    cycle.run_cycle(due)
    cycle.run_cycle(due + 7 * DAY)
    assert emails("checkin_escalation") == ["cam@tta.example"]


def test_an_answered_check_in_is_not_chased(world, cadence):
    due = utc(2026, 3, 2, 14)
    cycle.run_cycle(due)
    row = CheckIn.objects.get()
    answers.answer(row, values={"scale": 4, "successes": "Six came"})
    cycle.run_cycle(due + 8 * DAY)
    assert emails("checkin_reminder") == []
    assert emails("checkin_escalation") == []


def test_a_missed_period_is_not_chased_once_the_next_begins(world, cohort):
    rules.set_cadence(
        cohort,
        actor=world.staff,
        every_weeks=1,
        starts_on=date(2026, 3, 2),
        paused=False,
        remind_after_days=3,
        escalate_after_days=10,
    )
    due = utc(2026, 3, 2, 14)
    cycle.run_cycle(due)
    cycle.run_cycle(due + 3 * DAY)
    cycle.run_cycle(due + 11 * DAY)
    assert emails("checkin_escalation") == []  # March 2's period ended on March 9
    # The March 9 row (prompted on March 13, when it was next swept) is chased itself.
    assert len(emails("checkin_prompt")) == 2


def test_a_call_logged_for_the_leader_stops_the_chase(world, cadence):
    due = utc(2026, 3, 2, 14)
    cycle.run_cycle(due)
    answers.log_call(
        world.community,
        actor=world.staff,
        how="phone",
        held_on=date(2026, 3, 3),
        participant=world.leader_participant,
        values={"scale": 2, "challenges": "Only two came"},
    )
    row = CheckIn.objects.get()
    assert row.how == "phone"
    assert row.logged_by == world.staff
    assert row.answered_at is not None
    cycle.run_cycle(due + 8 * DAY)
    assert emails("checkin_reminder") == []


def test_a_logged_call_refuses_a_non_leader_and_a_bad_scale(world):
    with pytest.raises(ServiceError) as error:
        answers.log_call(
            world.community,
            actor=world.staff,
            how="phone",
            held_on=date(2026, 3, 3),
            participant=world.participant_participant,
            values={"scale": 3},
        )
    assert error.value.field == "participant"
    with pytest.raises(ServiceError) as error:
        answers.log_call(
            world.community,
            actor=world.staff,
            how="phone",
            held_on=date(2026, 3, 3),
            values={"scale": 9},
        )
    assert error.value.field == "scale"
    assert CheckIn.objects.count() == 0
    # The same call with a leader and a real scale is logged.
    answers.log_call(
        world.community,
        actor=world.staff,
        how="call",
        held_on=date(2026, 3, 3),
        participant=world.leader_participant,
        values={"scale": 3},
    )
    assert CheckIn.objects.get().period == "2026-03-03"


# -- follow-ups --


def test_support_wanted_becomes_a_follow_up_the_coach_answers(world, cadence):
    cycle.run_cycle(utc(2026, 3, 2, 14))
    row = CheckIn.objects.get()
    answers.answer(row, values={"scale": 3, "support_wanted": "Help recruiting board members"})
    followup = FollowUp.objects.get()
    assert followup.request == "Help recruiting board members"
    assert followup.state == FollowUp.State.NEW
    assert emails("followup_new") == ["sam@tta.example"]

    # Changing the answer while the follow-up is new changes its words, sends nothing new.
    answers.answer(row, values={"scale": 3, "support_wanted": "Board recruitment, please"})
    followup.refresh_from_db()
    assert followup.request == "Board recruitment, please"
    assert len(emails("followup_new")) == 1

    answers.update_followup(
        followup, actor=world.staff, state="in_progress", reply="I will send a guide."
    )
    assert emails("followup_reply") == ["lee@pantry.example"]
    reply = OutboxMessage.objects.get(kind="followup_reply")
    assert "I will send a guide." in reply.body_text
    # Moving it on without a new reply sends nothing more.
    followup.refresh_from_db()
    answers.update_followup(followup, actor=world.staff, state="done", reply="I will send a guide.")
    followup.refresh_from_db()
    assert followup.state == FollowUp.State.DONE
    assert len(emails("followup_reply")) == 1


def test_no_follow_up_without_support_wanted(world, cadence):
    cycle.run_cycle(utc(2026, 3, 2, 14))
    answers.answer(CheckIn.objects.get(), values={"scale": 5, "successes": "All good"})
    assert FollowUp.objects.count() == 0
    assert emails("followup_new") == []


def test_a_coach_leaving_the_team_falls_back_to_the_default(world):
    coach = factories.UserFactory(email="cam@tta.example", name="Cam Coach")
    role = factories.CohortRoleFactory(cohort=world.cohort, user=coach, role="staff")
    coaches.assign_coaches(world.cohort, actor=world.staff, coaches={world.community: coach})
    assert coaches.coach_of(world.community) == coach
    from cohorts.services import cohorts as cohort_services

    cohort_services.remove_team_member(world.cohort, actor=world.staff, cohort_role=role)
    world.community.refresh_from_db()
    assert coaches.coach_of(world.community) == world.staff


def test_only_staff_can_coach(world):
    with pytest.raises(ServiceError):
        coaches.assign_coaches(
            world.cohort, actor=world.staff, coaches={world.community: world.observer}
        )
    world.community.refresh_from_db()
    assert world.community.coach_id is None


def test_cadence_refuses_bad_values_and_saves_good_ones(world, cohort):
    values = {
        "every_weeks": 0,
        "starts_on": date(2026, 3, 2),
        "paused": False,
        "remind_after_days": 3,
        "escalate_after_days": 7,
    }
    with pytest.raises(ServiceError) as error:
        rules.set_cadence(cohort, actor=world.staff, **values)
    assert error.value.field == "every_weeks"
    with pytest.raises(ServiceError) as error:
        rules.set_cadence(
            cohort, actor=world.staff, **{**values, "every_weeks": 2, "escalate_after_days": 1}
        )
    assert error.value.field == "escalate_after_days"
    assert rules.cohort_cadence(cohort) is None
    rules.set_cadence(cohort, actor=world.staff, **{**values, "every_weeks": 2})
    assert rules.cohort_cadence(cohort).every_weeks == 2


# -- many workers at once (PostgreSQL) --


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_cycles_open_and_prompt_each_check_in_exactly_once(world):
    import dataclasses
    import threading
    from collections import Counter

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so nothing would race")
    world.cohort.time_zone = NEW_YORK
    world.cohort.save()
    for i in range(30):
        community = factories.CommunityFactory(cohort=world.cohort, name=f"COP {i}")
        person = factories.ParticipantFactory(cohort=world.cohort, email=f"lead{i}@x.example")
        factories.MembershipFactory(
            community=community, participant=person, role=Membership.Role.LEADER
        )
    rules.set_cadence(
        world.cohort,
        actor=world.staff,
        every_weeks=2,
        starts_on=date(2026, 3, 2),
        paused=False,
        remind_after_days=3,
        escalate_after_days=7,
    )
    calls = Counter()
    lock = threading.Lock()

    def counting(row, now):
        with lock:
            calls[row.pk] += 1
        return cycle.send_prompt(row, now)

    sweep = dataclasses.replace(cycle.checkin_prompts, handle=counting, after=None)
    workers = 4
    start = threading.Barrier(workers)
    results, errors = [], []

    def run():
        try:
            start.wait(timeout=10)
            results.append(sweep.run(utc(2026, 3, 2, 14)))
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    rows = CheckIn.objects.all()
    assert rows.count() == 31  # Lee and the 30 new leaders, one row each
    assert calls == Counter({row.pk: 1 for row in rows})
    assert OutboxMessage.objects.filter(kind="checkin_prompt").count() == 31
