"""The sunset plan's services: a second plan of the community beside its action plan, with
its own parts, submitted and reviewed the same way; agreeing it moves the community to
"continuing on its own"; nothing of the action plan (its goals, its status, the participation
figures) reads it."""

import datetime
import io
from dataclasses import astuple

import pytest
from django.utils import timezone
from pypdf import PdfReader

from cohorts.models import Activity, Community
from copkit.errors import ServiceError
from copkit.models import OutboxMessage
from planning.meetings.participation import plan_statuses
from planning.models import ActionPlan, Goal, Transition
from planning.plans.kinds import ACTION, KINDS, SUNSET, kind_of
from planning.plans.pdf import plan_pdf
from planning.plans.services import overview
from planning.plans.services import plans as plan_services
from planning.plans.services import review as review_services
from planning.sunset import phases
from planning.sunset.plan_parts import PARTS
from tests import factories
from tests.sunset_plan_data import fill_sunset, sunset_answers

pytestmark = pytest.mark.django_db

Status = ActionPlan.Status


def test_the_sunset_plan_is_a_second_plan_beside_the_action_plan(world):
    action = plan_services.get_plan(world.community)
    sunset = plan_services.get_plan(world.community, "sunset")
    assert action.pk != sunset.pk
    assert (action.kind, sunset.kind) == ("action", "sunset")
    assert plan_services.get_plan(world.community, "sunset").pk == sunset.pk  # made once
    assert world.community.action_plan == action
    assert kind_of(sunset) is SUNSET and kind_of(action) is ACTION
    assert [row.part.key for row in plan_services.progress(sunset)] == [p.key for p in PARTS]


def test_every_sunset_part_has_a_prompt_help_text_and_a_key_of_its_own():
    action_keys = {part.key for part in ACTION.parts}
    for part in PARTS:
        assert part.prompt and part.help_text and part.fields
        assert part.key not in action_keys  # one PlanTemplate holds the wording of both
        assert any(spec.required for spec in part.fields)


def test_a_sunset_part_saves_and_counts_as_done(world):
    plan = plan_services.get_plan(world.community, "sunset")
    answers = sunset_answers(world)
    saved = plan_services.save_part(
        plan, "leadership", answers["leadership"], base_revision=0, actor=world.leader
    )
    assert saved.revision == 1 and saved.complete
    assert Activity.objects.filter(verb="edited the sunset plan").count() == 1
    assert not Activity.objects.filter(verb="edited the action plan").exists()
    with pytest.raises(ServiceError):  # an action plan part is no part of the sunset plan
        plan_services.save_part(plan, "goals", {}, base_revision=0, actor=world.leader)
    assert not plan.parts.filter(key="goals").exists()


def test_an_unfinished_sunset_plan_cannot_be_submitted(world):
    plan = fill_sunset(world, skip=("handoff",))
    with pytest.raises(review_services.IncompletePlan) as refused:
        review_services.submit(plan, actor=world.leader)
    assert refused.value.missing == ["Handoff notes"]
    plan.refresh_from_db()
    assert plan.status == Status.DRAFT and not plan.versions.exists()


def test_submitting_freezes_a_version_and_tells_staff_of_the_sunset_plan(world):
    plan = fill_sunset(world)
    version = review_services.submit(plan, actor=world.leader)
    assert version.number == 1
    assert set(version.data) == {part.key for part in PARTS}
    assert "Each January" in version.texts["leadership"]
    message = OutboxMessage.objects.get(kind="plan_submitted")
    assert message.to_email == world.staff.email
    assert "Sunset plan to review: Board Builders" in message.subject
    assert "/sunset-plan/versions/" in message.body_text
    assert Activity.objects.filter(verb="submitted the sunset plan").count() == 1


def test_returning_keeps_the_phase_and_approving_moves_the_community_on(world):
    # The cohort's transition began yesterday: the community is sunsetting.
    Transition.objects.create(
        cohort=world.cohort, starts_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    phases.refresh(world.community)
    assert world.community.phase == Community.Phase.SUNSETTING
    plan = fill_sunset(world)
    review_services.submit(plan, actor=world.leader)
    with pytest.raises(ServiceError):  # returning needs a comment
        review_services.review(plan, actor=world.staff, approve=False)
    review_services.review(plan, actor=world.staff, approve=False, comment="Name a keeper.")
    world.community.refresh_from_db()
    assert world.community.phase == Community.Phase.SUNSETTING
    returned = OutboxMessage.objects.get(kind="plan_reviewed")
    assert "sunset plan" in returned.subject and "Name a keeper." in returned.body_text

    plan.refresh_from_db()
    review_services.submit(plan, actor=world.leader)
    review_services.review(plan, actor=world.staff, approve=True)
    world.community.refresh_from_db()
    plan.refresh_from_db()
    assert plan.status == Status.APPROVED
    assert world.community.phase == Community.Phase.CONTINUING
    assert Activity.objects.filter(verb="approved the sunset plan").count() == 1
    moved = Activity.objects.get(verb="moved to continuing on its own")
    assert moved.actor == world.staff
    approved = OutboxMessage.objects.filter(kind="plan_reviewed").latest("pk")
    assert "continues on its own" in approved.body_text
    # The action plan did not move.
    assert plan_services.get_plan(world.community).status == Status.DRAFT


def test_the_goals_and_participation_read_the_action_plan_only(world):
    action = plan_services.get_plan(world.community)
    factories.PlanPartFactory(
        plan=action, key="goals", data={"goals": [{"goal": "Fill seats", "indicator": "Seats"}]}
    )
    plan = fill_sunset(world)
    review_services.submit(plan, actor=world.leader)
    review_services.review(plan, actor=world.staff, approve=True)
    status = plan_statuses([world.community])[world.community.pk]
    assert status.status == Status.DRAFT  # the action plan's, not the approved sunset plan's
    assert status.complete == 1  # the action plan's one done part, none of the seven others
    assert status.total == len(ACTION.parts)
    assert not Goal.objects.filter(community=world.community).exists()  # not synced on approval


def test_the_staff_list_of_sunset_plans_is_its_own(world):
    plan_services.get_plan(world.community)  # an action plan only
    other = factories.CommunityFactory(cohort=world.cohort, name="Grant Seekers")
    rows = {row.community: row for row in overview.plan_rows(world.cohort, "sunset")}
    assert rows[world.community].state == "none"
    plan = fill_sunset(world)
    review_services.submit(plan, actor=world.leader)
    rows = {row.community: row for row in overview.plan_rows(world.cohort, "sunset")}
    assert rows[world.community].state == "submitted"
    assert (rows[world.community].done, rows[world.community].total) == (7, 7)
    assert rows[world.community].last_version == 1
    assert rows[other].state == "none"
    action_rows = {row.community: row for row in overview.plan_rows(world.cohort)}
    assert action_rows[world.community].state == "draft"
    assert action_rows[world.community].total == len(ACTION.parts)


def test_the_cohort_rewords_sunset_parts_in_the_same_template(world):
    plan_services.save_wording(
        world.cohort, "handoff", title="Notes for newcomers", actor=world.staff, kind="sunset"
    )
    assert plan_services.wordings(world.cohort, "sunset")["handoff"]["title"] == (
        "Notes for newcomers"
    )
    with pytest.raises(ServiceError):  # not a part of the action plan
        plan_services.save_wording(world.cohort, "handoff", title="X", actor=world.staff)
    plan = fill_sunset(world, skip=("handoff",))
    with pytest.raises(review_services.IncompletePlan) as refused:
        review_services.submit(plan, actor=world.leader)
    assert refused.value.missing == ["Notes for newcomers"]


def test_the_sunset_plan_reads_as_a_pdf(world):
    plan = fill_sunset(world)
    doc = overview.printable(plan, world.community)
    assert [part.key for part in doc.parts] == [part.key for part in PARTS]
    assert all(part.done for part in doc.parts)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(plan_pdf(doc))).pages)
    assert "Sunset plan of Board Builders" in text
    assert "Each January the convener hands over to the back-up." in text
    assert "Lee Leader" in text  # a member field reads as the member's name
    # Before anyone opened it, the sunset plan prints empty, with its own parts.
    empty = overview.printable(None, factories.CommunityFactory(cohort=world.cohort), "sunset")
    assert [part.key for part in empty.parts] == [part.key for part in PARTS]


def test_every_verb_of_every_kind_is_an_activity_action():
    for kind in KINDS.values():
        assert set(astuple(kind.verbs)) <= set(Activity.Action.values)


def test_the_sunset_plans_life_shows_in_the_communitys_sunset_state(world):
    """Its first part starts it, submitting sends it, approval agrees it, and reopening an
    agreed plan takes the community back to sunsetting: what the Transition page and the
    nudges read."""
    Transition.objects.create(
        cohort=world.cohort, starts_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    plan = plan_services.get_plan(world.community, "sunset")
    state = phases.state_of(world.community)
    assert state.sunset_started_at is None
    key, data = next(iter(sunset_answers(world).items()))
    plan_services.save_part(plan, key, data, base_revision=0, actor=world.leader)
    state.refresh_from_db()
    assert state.sunset_started_at is not None and state.sunset_submitted_at is None
    plan = fill_sunset(world, skip=(key,))
    review_services.submit(plan, actor=world.leader)
    state.refresh_from_db()
    assert state.sunset_submitted_at is not None and state.sunset_agreed_at is None
    review_services.review(plan, actor=world.staff, approve=True)
    state.refresh_from_db()
    assert state.sunset_agreed_at is not None
    plan.refresh_from_db()
    assert plan_services.reopen(plan, world.leader)
    state.refresh_from_db()
    world.community.refresh_from_db()
    assert state.sunset_agreed_at is None
    assert world.community.phase == Community.Phase.SUNSETTING
