"""The action plan, written part by part: the services (saving with revisions, conflicts,
a frozen plan, progress, the cohort's wording), the part forms, the pages (overview, part,
autosave, conflict, template) and their query counts."""

import re

import pytest
from django.contrib.messages import get_messages
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from cohorts.models import Activity, Membership
from cohorts.services.cohorts import ServiceError
from planning.models import ActionPlan, PlanComment, PlanPart, PlanTemplate
from planning.plans.forms import PartForm, initial_from
from planning.plans.parts import (
    DEFAULT_AGENDA,
    GOAL_QUESTIONS,
    PARTS,
    as_text,
    is_complete,
    part_by_key,
)
from planning.plans.services import plans as services
from tests import factories
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def ids(world):
    return str(world.leader_participant.public_id), str(world.participant_participant.public_id)


def full_plan(world):
    """A complete answer to every part, in the stored format."""
    lee, pat = ids(world)
    return {
        "potential": {"potential": "Ten pantries sharing one volunteer pool and one board."},
        "goals": {
            "goals": [
                {
                    "goal": "Recruit two new board members each",
                    "indicator": "Board seats filled",
                    "target_date": "2026-06-30",
                },
                {"goal": "Share one fundraising calendar", "indicator": "Calendar in use"},
            ]
        },
        "work_type": {"work_type": "problem_solving", "why": "We share the same gap."},
        "format": {
            "formats": ["check_ins", "peer_trainings"],
            "training_topics": "Board onboarding (Lee)",
        },
        "logistics": {
            "frequency": "monthly",
            "week_of_month": "2",
            "weekday": "1",
            "start_time": "14:30",
            "length_minutes": 90,
            "mode": "virtual",
        },
        "schedule": {"first_meeting": "2026-03-10", "notes": "No meeting in August."},
        "agenda": {"agenda": "Round of news\nMain session\nNext steps"},
        "commitments": {
            "commitments": {lee: "Lead the March session", pat: "Come to most meetings"}
        },
        "roles": {
            "roles": [
                {"role": "Convener", "member": lee},
                {"role": "Note-taker", "member": pat},
            ]
        },
        "resources": {"resources": "A shared folder; Pat keeps it tidy."},
        "success": {
            "funder": "More boards at full strength",
            "members": "Less time spent recruiting alone",
            "community": "Pantries open more hours",
        },
        "decisions": {"decisions": "Members choose topics; leaders set dates."},
    }


def as_post(part, data, revision):
    """The form fields a browser would post for a stored answer."""
    query = QueryDict(mutable=True)
    for name, value in initial_from(part, data).items():
        if isinstance(value, list):
            query.setlist(name, value)
        else:
            query[name] = str(value)
    query["revision"] = str(revision)
    return query


def members(world):
    return services.members(world.community)


def part_url(world, key, name="planning:plan-part"):
    return reverse(name, args=[world.cohort.slug, world.community.slug, key])


def plan_url(world):
    return reverse("planning:plan", args=[world.cohort.slug, world.community.slug])


def texts(response):
    if response.status_code == 302:
        response = response.client.get(response.url)
    return [str(m) for m in get_messages(response.wsgi_request)]


def revision_in(html):
    """The value of the page's hidden revision input (None when there is none)."""
    tag = re.search(r'<input[^>]*id="part-revision"[^>]*>', html)
    return int(re.search(r'value="(\d+)"', tag.group(0)).group(1)) if tag else None


def client_as(user):
    client = Client()
    client.force_login(user)
    return client


# -- services ------------------------------------------------------------------------------


def test_get_plan_makes_one_plan_per_community(world):
    first = services.get_plan(world.community)
    again = services.get_plan(world.community)
    assert first.pk == again.pk
    assert ActionPlan.objects.filter(community=world.community).count() == 1
    assert first.status == ActionPlan.Status.DRAFT


def test_save_part_creates_then_updates_with_a_new_revision(world):
    plan = services.get_plan(world.community)
    saved = services.save_part(
        plan, "potential", {"potential": "A first try"}, base_revision=0, actor=world.leader
    )
    assert (saved.revision, saved.data, saved.updated_by) == (
        1,
        {"potential": "A first try"},
        world.leader,
    )
    again = services.save_part(
        plan, "potential", {"potential": "Better"}, base_revision=1, actor=world.staff
    )
    assert again.revision == 2
    row = PlanPart.objects.get(plan=plan, key="potential")
    assert (row.data, row.revision, row.updated_by) == ({"potential": "Better"}, 2, world.staff)
    assert Activity.objects.filter(verb="edited the action plan").count() == 2


def test_autosaves_of_one_person_are_one_entry_in_the_activity_log(world):
    plan = services.get_plan(world.community)
    for revision, text in enumerate(["A", "AB", "ABC"]):
        services.save_part(
            plan, "potential", {"potential": text}, base_revision=revision, actor=world.leader
        )
    assert Activity.objects.filter(verb="edited the action plan").count() == 1


def test_two_saves_from_the_same_revision_the_second_is_a_conflict_and_changes_nothing(world):
    plan = services.get_plan(world.community)
    services.save_part(
        plan, "potential", {"potential": "Start"}, base_revision=0, actor=world.leader
    )
    services.save_part(
        plan, "potential", {"potential": "Lee's words"}, base_revision=1, actor=world.leader
    )
    with pytest.raises(services.PartConflict) as caught:
        services.save_part(
            plan, "potential", {"potential": "Sam's words"}, base_revision=1, actor=world.staff
        )
    current = caught.value.current
    assert (current.data, current.revision, current.updated_by) == (
        {"potential": "Lee's words"},
        2,
        world.leader,
    )
    row = PlanPart.objects.get(plan=plan, key="potential")
    assert (row.data, row.revision) == ({"potential": "Lee's words"}, 2)
    # From the current revision the same save goes through.
    services.save_part(
        plan, "potential", {"potential": "Sam's words"}, base_revision=2, actor=world.staff
    )
    assert PlanPart.objects.get(plan=plan, key="potential").data == {"potential": "Sam's words"}


def test_two_first_saves_the_second_is_a_conflict(world):
    plan = services.get_plan(world.community)
    services.save_part(
        plan, "resources", {"resources": "Drive"}, base_revision=0, actor=world.leader
    )
    with pytest.raises(services.PartConflict) as caught:
        services.save_part(
            plan, "resources", {"resources": "Email"}, base_revision=0, actor=world.staff
        )
    assert caught.value.current.data == {"resources": "Drive"}


def test_saving_what_is_already_there_is_no_conflict_and_no_new_revision(world):
    plan = services.get_plan(world.community)
    services.save_part(
        plan, "potential", {"potential": "Same"}, base_revision=0, actor=world.leader
    )
    saved = services.save_part(
        plan, "potential", {"potential": "Same"}, base_revision=0, actor=world.staff
    )
    assert saved.revision == 1
    assert saved.updated_by == world.leader


@pytest.mark.parametrize("status", [ActionPlan.Status.SUBMITTED, ActionPlan.Status.APPROVED])
def test_a_submitted_or_approved_plan_is_locked(world, status):
    plan = services.get_plan(world.community)
    ActionPlan.objects.filter(pk=plan.pk).update(status=status)  # the object is stale
    with pytest.raises(services.PlanLocked):
        services.save_part(
            plan, "potential", {"potential": "Late change"}, base_revision=0, actor=world.leader
        )
    assert not PlanPart.objects.filter(plan=plan).exists()


def test_a_returned_plan_can_be_edited_and_an_approved_one_reopened(world):
    plan = services.get_plan(world.community)
    ActionPlan.objects.filter(pk=plan.pk).update(status=ActionPlan.Status.RETURNED)
    services.save_part(
        plan, "potential", {"potential": "Fixed"}, base_revision=0, actor=world.leader
    )
    ActionPlan.objects.filter(pk=plan.pk).update(status=ActionPlan.Status.APPROVED)
    plan.refresh_from_db()
    assert services.reopen(plan, world.leader) is True
    assert plan.status == ActionPlan.Status.DRAFT
    assert ActionPlan.objects.get(pk=plan.pk).status == ActionPlan.Status.DRAFT
    assert services.reopen(plan, world.leader) is False  # a draft stays a draft
    services.save_part(
        plan, "potential", {"potential": "Revised"}, base_revision=1, actor=world.leader
    )
    assert Activity.objects.filter(verb="reopened the action plan").count() == 1


def test_an_unknown_part_is_refused(world):
    plan = services.get_plan(world.community)
    with pytest.raises(ServiceError):
        services.save_part(plan, "nope", {}, base_revision=0, actor=world.leader)


def test_progress_follows_is_complete_on_real_answers(world):
    plan = services.get_plan(world.community)
    answers = full_plan(world)
    rows = services.progress(plan)
    assert [row.part.key for row in rows] == [part.key for part in PARTS]
    assert not any(row.done for row in rows)
    assert all(row.updated_at is None and row.updated_by is None for row in rows)
    for key, data in answers.items():
        assert is_complete(part_by_key(key), data), key
        services.save_part(plan, key, data, base_revision=0, actor=world.leader)
    rows = services.progress(plan)
    assert all(row.done for row in rows)
    assert all(row.updated_by == world.leader for row in rows)
    # A goal without its indicator is not done; a half-filled logistics part neither.
    services.save_part(
        plan, "goals", {"goals": [{"goal": "Only a goal"}]}, base_revision=1, actor=world.leader
    )
    services.save_part(
        plan, "logistics", {"frequency": "monthly"}, base_revision=1, actor=world.leader
    )
    done = {row.part.key: row.done for row in services.progress(plan)}
    assert done["goals"] is False and done["logistics"] is False
    assert sum(done.values()) == 10


def test_wording_is_the_cohorts_or_copkits(world):
    part = part_by_key("potential")
    default = services.wording(world.cohort, part)
    assert default == {
        "title": str(part.title),
        "prompt": str(part.prompt),
        "help_text": str(part.help_text),
    }
    services.save_wording(
        world.cohort, "potential", title="What we could do together", actor=world.staff
    )
    changed = services.wording(world.cohort, part)
    assert changed["title"] == "What we could do together"
    assert changed["prompt"] == str(part.prompt)
    assert PlanTemplate.objects.get(cohort=world.cohort).parts == {
        "potential": {"title": "What we could do together"}
    }
    assert services.wordings(world.cohort)["potential"]["title"] == "What we could do together"
    # Another cohort keeps copkit's wording.
    assert services.wording(world.other_cohort, part)["title"] == str(part.title)
    # Blank, or copkit's own text, goes back to the default.
    services.save_wording(
        world.cohort, "potential", title="", prompt=str(part.prompt), actor=world.staff
    )
    assert services.wording(world.cohort, part) == default
    assert PlanTemplate.objects.get(cohort=world.cohort).parts == {}
    assert Activity.objects.filter(verb="edited the plan template").count() == 2


def test_member_names_are_the_current_members(world):
    lee, pat = ids(world)
    factories.ParticipantFactory(cohort=world.cohort, name="Not A Member")
    assert services.member_names(world.community) == {lee: "Lee Leader", pat: "Pat Participant"}
    assert [name for _id, name in services.members(world.community)] == [
        "Lee Leader",
        "Pat Participant",
    ]


# -- forms ---------------------------------------------------------------------------------


@pytest.mark.parametrize("key", [part.key for part in PARTS])
def test_every_part_round_trips_through_its_form(world, key):
    part = part_by_key(key)
    data = full_plan(world)[key]
    form = PartForm(part, members(world), as_post(part, data, 3))
    assert form.is_valid(), form.errors
    assert form.to_data() == data
    assert form.cleaned_data["revision"] == 3
    # And the unbound form shows the stored answer.
    shown = PartForm(part, members(world), stored=data)
    for name, value in initial_from(part, data).items():
        assert shown[name].value() == value


def test_form_values_are_stored_in_the_documented_types(world):
    part = part_by_key("logistics")
    form = PartForm(
        part,
        members(world),
        {
            "revision": "0",
            "frequency": "monthly",
            "weekday": "1",
            "start_time": "9:05",
            "length_minutes": "60",
            "mode": "call",
        },
    )
    assert form.is_valid(), form.errors
    assert form.to_data() == {
        "frequency": "monthly",
        "weekday": "1",
        "start_time": "09:05",
        "length_minutes": 60,
        "mode": "call",
    }


def test_empty_group_rows_are_dropped_and_half_rows_kept(world):
    part = part_by_key("goals")
    form = PartForm(
        part,
        members(world),
        {
            "revision": "0",
            "goals-0-goal": "",
            "goals-1-goal": "  Share a calendar ",
            "goals-2-target_date": "2026-05-01",
        },
    )
    assert form.is_valid(), form.errors
    assert form.to_data() == {
        "goals": [{"goal": "Share a calendar"}, {"target_date": "2026-05-01"}]
    }
    assert not is_complete(part, form.to_data())


def test_per_member_has_one_box_per_current_member_and_keeps_a_former_members_text(world):
    part = part_by_key("commitments")
    lee, pat = ids(world)
    form = PartForm(part, members(world), stored={"commitments": {"gone-id": "Old promise"}})
    assert [form[f"commitments-{i}"].label for i in (lee, pat)] == ["Lee Leader", "Pat Participant"]
    bound = PartForm(
        part,
        members(world),
        {"revision": "1", f"commitments-{lee}": "Host twice", f"commitments-{pat}": ""},
        stored={"commitments": {"gone-id": "Old promise", pat: "Removed now"}},
    )
    assert bound.is_valid(), bound.errors
    assert bound.to_data() == {"commitments": {"gone-id": "Old promise", lee: "Host twice"}}


def test_member_choices_are_the_current_members_only(world):
    part = part_by_key("roles")
    outsider = factories.ParticipantFactory(cohort=world.cohort, name="Olga Outside")
    form = PartForm(part, members(world))
    choices = [value for value, _label in form.fields["roles-0-member"].choices]
    assert choices == ["", *ids(world)]
    bound = PartForm(
        part,
        members(world),
        {"revision": "0", "roles-0-role": "Host", "roles-0-member": str(outsider.public_id)},
    )
    assert not bound.is_valid()
    assert "roles-0-member" in bound.errors
    # A role already held by someone who left keeps them rather than silently dropping them.
    kept = PartForm(
        part,
        members(world),
        {"revision": "1", "roles-0-role": "Host", "roles-0-member": "gone-id"},
        stored={"roles": [{"role": "Host", "member": "gone-id"}]},
    )
    assert kept.is_valid(), kept.errors
    assert kept.to_data() == {"roles": [{"role": "Host", "member": "gone-id"}]}


def test_a_bad_date_is_an_error_next_to_its_field(world, client_for):
    client = client_for("leader")
    response = client.post(
        part_url(world, "goals"),
        {"revision": "0", "goals-0-goal": "Recruit", "goals-0-target_date": "next spring"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a date, like 2026-03-17." in html
    # The message sits with the field (crispy's feedback under the input) and in the summary.
    field_at = html.index('id="id_goals-0-target_date"')
    assert html.index("Enter a date", field_at) - field_at < 600
    assert 'href="#id_goals-0-target_date"' in html
    assert 'value="Recruit"' in html  # nothing typed is lost
    assert not PlanPart.objects.exists()


# -- pages: the overview -------------------------------------------------------------------


def test_overview_shows_status_progress_parts_and_why_submit_waits(world, client_for):
    plan = services.get_plan(world.community)
    answers = full_plan(world)
    for key in ("potential", "goals", "work_type"):
        services.save_part(plan, key, answers[key], base_revision=0, actor=world.leader)
    services.save_part(plan, "agenda", {"agenda": ""}, base_revision=0, actor=world.leader)
    factories.CommonNeedFactory(community=world.community, title="Board recruiting", chosen_rank=1)
    factories.CommonNeedFactory(community=world.community, title="Not chosen")
    PlanComment.objects.create(plan=plan, part_key="goals", author=world.participant, text="Hm")
    response = client_for("leader").get(plan_url(world))
    html = response.content.decode()
    assert "3 of 12 parts done" in html
    assert '<meter id="plan-meter" class="plan-meter" min="0" max="12" value="3">' in html
    assert "Being written" in html
    for part in PARTS:
        assert part_url(world, part.key) in html
    assert "Last edited by Lee Leader" in html
    assert "Board recruiting" in html and "Not chosen" not in html
    assert "1 comment" in html
    assert reverse("planning:plan-submit", args=[world.cohort.slug, world.community.slug]) in html
    assert "disabled" in html and "9 parts still need an answer" in html
    assert "Versions and review" in html and "Printable plan" in html


def test_overview_lets_leaders_submit_when_every_part_is_done(world, client_for):
    plan = services.get_plan(world.community)
    for key, data in full_plan(world).items():
        services.save_part(plan, key, data, base_revision=0, actor=world.leader)
    html = client_for("leader").get(plan_url(world)).content.decode()
    assert "12 of 12 parts done" in html
    assert "Submit for review" in html
    assert "still need" not in html and " disabled" not in html


def test_members_read_the_overview_without_a_submit_button(world, client_for):
    html = client_for("participant").get(plan_url(world)).content.decode()
    assert "0 of 12 parts done" in html
    assert "Submit for review" not in html


def test_staff_get_a_review_link_when_the_plan_is_submitted(world, client_for):
    plan = services.get_plan(world.community)
    ActionPlan.objects.filter(pk=plan.pk).update(status=ActionPlan.Status.SUBMITTED)
    html = client_for("staff").get(plan_url(world)).content.decode()
    assert "Review the plan" in html
    assert "Submitted for review" in html
    assert "Submit for review" not in html


# -- pages: a part -------------------------------------------------------------------------


def test_leaders_get_the_form_and_members_the_text(world, client_for):
    plan = services.get_plan(world.community)
    services.save_part(
        plan, "potential", {"potential": "Pooling volunteers"}, base_revision=0, actor=world.leader
    )
    leader = client_as(world.leader)
    html = leader.get(part_url(world, "potential")).content.decode()
    assert "What potential do you see" in html
    assert 'name="potential"' in html and "Pooling volunteers" in html
    assert revision_in(html) == 1
    assert part_url(world, "potential", "planning:plan-part-save") in html
    assert "Last saved by Lee Leader" in html
    member = client_as(world.participant)
    html = member.get(part_url(world, "potential")).content.decode()
    assert "Pooling volunteers" in html
    assert 'name="potential"' not in html
    assert 'name="revision"' not in html
    # Members comment instead.
    assert reverse("planning:plan-comment", args=[world.cohort.slug, world.community.slug]) in html
    assert 'name="part_key" value="potential"' in html
    # A member's post is refused; the leader's same post goes through.
    data = {"revision": "1", "potential": "Changed by Pat"}
    assert member.post(part_url(world, "potential"), data).status_code == 403
    assert leader.post(part_url(world, "potential"), data).status_code == 302
    assert PlanPart.objects.get(key="potential").data == {"potential": "Changed by Pat"}


def test_the_part_page_shows_its_comments_oldest_first(world, client_for):
    plan = services.get_plan(world.community)
    PlanComment.objects.create(plan=plan, part_key="roles", author=world.staff, text="First one")
    PlanComment.objects.create(plan=plan, part_key="roles", author=world.participant, text="Later")
    PlanComment.objects.create(plan=plan, part_key="goals", author=world.staff, text="Elsewhere")
    html = client_for("participant").get(part_url(world, "roles")).content.decode()
    assert html.index("First one") < html.index("Later")
    assert "Elsewhere" not in html


def test_save_button_saves_and_redirects_with_a_message(world, client_for):
    client = client_for("leader")
    response = client.post(part_url(world, "potential"), {"revision": "0", "potential": "Ours"})
    assert response.status_code == 302 and response.url == part_url(world, "potential")
    assert "Saved “The potential you see”." in texts(response)
    response = client.post(
        part_url(world, "potential"), {"revision": "1", "potential": "Ours!", "action": "next"}
    )
    assert response.url == part_url(world, "goals")
    assert PlanPart.objects.get(key="potential").revision == 2


def test_autosave_answers_with_the_status_and_the_new_revision(world, client_for):
    client = client_for("leader")
    save = part_url(world, "potential", "planning:plan-part-save")
    response = client.post(save, {"revision": "0", "potential": "Typing"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Saved at" in html and 'data-save-state="saved"' in html
    assert (
        '<input type="hidden" name="revision" id="part-revision" value="1" hx-swap-oob="true">'
        in html
    )
    response = client.post(save, {"revision": "1", "potential": "Typing more"}, **HTMX)
    assert revision_in(response.content.decode()) == 2
    assert PlanPart.objects.get(key="potential").data == {"potential": "Typing more"}


def test_autosave_conflict_keeps_the_other_text_and_offers_to_compare(world, client_for):
    plan = services.get_plan(world.community)
    services.save_part(
        plan, "potential", {"potential": "Sam's"}, base_revision=0, actor=world.staff
    )
    client = client_for("leader")
    response = client.post(
        part_url(world, "potential", "planning:plan-part-save"),
        {"revision": "0", "potential": "Lee's"},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-save-state="conflict"' in html
    assert "Sam Staff changed this part" in html
    assert "Compare both versions" in html
    assert "hx-swap-oob" not in html  # the page keeps its old revision, so Compare conflicts
    assert PlanPart.objects.get(key="potential").data == {"potential": "Sam's"}


def test_autosave_with_a_bad_value_says_what_to_fix_and_saves_nothing(world, client_for):
    response = client_for("leader").post(
        part_url(world, "logistics", "planning:plan-part-save"),
        {"revision": "0", "frequency": "monthly", "length_minutes": "0"},
        **HTMX,
    )
    html = response.content.decode()
    assert "Not saved:" in html and "Length in minutes" in html
    assert not PlanPart.objects.exists()


def test_two_leaders_save_the_same_part_the_second_sees_both_texts(world):
    co_leader = factories.UserFactory(email="cora@pantry.example", name="Cora Colead")
    factories.MembershipFactory(
        community=world.community,
        participant=factories.ParticipantFactory(cohort=world.cohort, user=co_leader, name="Cora"),
        role=Membership.Role.CO_LEADER,
    )
    plan = services.get_plan(world.community)
    services.save_part(
        plan, "resources", {"resources": "Start"}, base_revision=0, actor=world.leader
    )
    lee, cora = client_as(world.leader), client_as(co_leader)
    for client in (lee, cora):
        assert revision_in(client.get(part_url(world, "resources")).content.decode()) == 1
    first = lee.post(part_url(world, "resources"), {"revision": "1", "resources": "Lee: a drive"})
    assert first.status_code == 302
    second = cora.post(part_url(world, "resources"), {"revision": "1", "resources": "Cora: a wiki"})
    assert second.status_code == 409
    html = second.content.decode()
    assert "Someone else changed this part since you opened it" in html
    assert "Lee: a drive" in html and "Cora: a wiki" in html
    assert "Saved by Lee Leader" in html
    assert revision_in(html) == 2  # keeping hers starts from Lee's revision
    assert PlanPart.objects.get(key="resources").data == {"resources": "Lee: a drive"}
    # Cora keeps hers: the conflict page's form posts with the current revision.
    kept = cora.post(part_url(world, "resources"), {"revision": "2", "resources": "Cora: a wiki"})
    assert kept.status_code == 302
    row = PlanPart.objects.get(key="resources")
    assert (row.data, row.revision) == ({"resources": "Cora: a wiki"}, 3)


def test_an_unknown_part_is_404(world, client_for):
    client = client_for("leader")
    assert client.get(part_url(world, "nonsense")).status_code == 404
    response = client.post(
        part_url(world, "nonsense", "planning:plan-part-save"), {"revision": "0"}, **HTMX
    )
    assert response.status_code == 404
    staff = client_for("staff")
    url = reverse("planning:plan-template-part", args=[world.cohort.slug, "nonsense"])
    assert staff.get(url).status_code == 404
    assert client.get(part_url(world, "potential")).status_code == 200


def test_a_submitted_plan_is_read_only_for_everyone(world, client_for):
    plan = services.get_plan(world.community)
    services.save_part(
        plan, "potential", {"potential": "Frozen"}, base_revision=0, actor=world.leader
    )
    ActionPlan.objects.filter(pk=plan.pk).update(status=ActionPlan.Status.SUBMITTED)
    client = client_for("leader")
    html = client.get(part_url(world, "potential")).content.decode()
    assert "Frozen" in html and 'name="potential"' not in html
    assert "waiting for the TTA team" in html
    response = client.post(part_url(world, "potential"), {"revision": "1", "potential": "Sneaky"})
    assert response.status_code == 302
    assert any("waiting for the TTA team" in t for t in texts(response))
    response = client.post(
        part_url(world, "potential", "planning:plan-part-save"),
        {"revision": "1", "potential": "Sneaky"},
        **HTMX,
    )
    assert "waiting for the TTA team" in response.content.decode()
    assert PlanPart.objects.get(key="potential").data == {"potential": "Frozen"}
    # Returned: editable again.
    ActionPlan.objects.filter(pk=plan.pk).update(status=ActionPlan.Status.RETURNED)
    assert 'name="potential"' in client.get(part_url(world, "potential")).content.decode()


def test_an_archived_communitys_plan_is_read_only(world, client_for):
    from django.utils import timezone

    world.community.archived_at = timezone.now()
    world.community.save()
    client = client_for("leader")
    html = client.get(part_url(world, "potential")).content.decode()
    assert "archived" in html and 'name="potential"' not in html
    response = client.post(part_url(world, "potential"), {"revision": "0", "potential": "X"})
    assert response.status_code == 302
    assert not PlanPart.objects.exists()


def test_the_agenda_starts_from_the_default_for_editors(world, client_for):
    html = client_for("leader").get(part_url(world, "agenda")).content.decode()
    first_line = str(DEFAULT_AGENDA).splitlines()[0]
    assert first_line in html
    assert "We started you off" in html
    member_html = client_for("participant").get(part_url(world, "agenda")).content.decode()
    assert first_line not in member_html


def test_goals_show_the_questions_and_the_top_needs(world, client_for):
    factories.CommonNeedFactory(community=world.community, title="Second need", chosen_rank=2)
    factories.CommonNeedFactory(community=world.community, title="First need", chosen_rank=1)
    html = client_for("participant").get(part_url(world, "goals")).content.decode()
    for question in GOAL_QUESTIONS:
        assert str(question) in html
    assert html.index("First need") < html.index("Second need")
    leader_html = client_for("leader").get(part_url(world, "goals")).content.decode()
    assert 'name="goals-2-indicator"' in leader_html and 'name="goals-3-goal"' not in leader_html


def test_the_part_page_uses_the_cohorts_wording(world, client_for):
    services.save_wording(
        world.cohort,
        "potential",
        title="Why we bother",
        help_text="Say it plainly.",
        actor=world.staff,
    )
    html = client_for("participant").get(part_url(world, "potential")).content.decode()
    assert "<h1>Why we bother</h1>" in html and "Say it plainly." in html
    assert "Why we bother" in client_for("participant").get(plan_url(world)).content.decode()


def test_readers_see_member_names_in_the_answer(world, client_for):
    plan = services.get_plan(world.community)
    services.save_part(
        plan, "roles", full_plan(world)["roles"], base_revision=0, actor=world.leader
    )
    html = client_for("participant").get(part_url(world, "roles")).content.decode()
    assert "Role: Convener · Who: Lee Leader" in html
    assert "Pat Participant" in html


def test_an_empty_post_is_refused_with_a_message(world, client_for):
    response = client_for("leader").post(part_url(world, "potential", "planning:plan-part-save"))
    assert response.status_code == 302
    assert "Nothing was saved" in texts(response)[0]
    assert not PlanPart.objects.exists()


# -- the cohort's template -----------------------------------------------------------------


def test_staff_reword_a_part_and_reset_it(world, client_for):
    client = client_for("staff")
    listing = reverse("planning:plan-template", args=[world.cohort.slug])
    edit = reverse("planning:plan-template-part", args=[world.cohort.slug, "decisions"])
    html = client.get(listing).content.decode()
    assert html.count("/plans/template/") >= 12
    assert "edited</span>" not in html
    html = client.get(edit).content.decode()
    assert str(part_by_key("decisions").prompt) in html
    response = client.post(
        edit, {"title": "Who decides", "prompt": "", "help_text": "Name the TTA team's part."}
    )
    assert response.status_code == 302 and response.url == listing
    assert PlanTemplate.objects.get(cohort=world.cohort).parts == {
        "decisions": {"title": "Who decides", "help_text": "Name the TTA team's part."}
    }
    html = client.get(listing).content.decode()
    assert "Who decides" in html and "edited</span>" in html
    client.post(edit, {"action": "reset"})
    assert PlanTemplate.objects.get(cohort=world.cohort).parts == {}
    assert Activity.objects.filter(verb="edited the plan template").count() == 2


def test_leaders_cannot_edit_the_template(world, client_for):
    edit = reverse("planning:plan-template-part", args=[world.cohort.slug, "decisions"])
    assert client_for("leader").post(edit, {"title": "Mine"}).status_code == 403
    assert not PlanTemplate.objects.exists()


def test_as_text_of_a_part_for_the_conflict_view(world):
    lee, _pat = ids(world)
    text = as_text(part_by_key("commitments"), {"commitments": {lee: "Host"}}, {lee: "Lee"})
    assert text == "Lee: Host"


# -- query counts --------------------------------------------------------------------------


def _grow(world, n):
    plan = services.get_plan(world.community)
    answers = full_plan(world)
    for i in range(n):
        person = factories.MembershipFactory(community=world.community).participant
        PlanComment.objects.create(
            plan=plan, part_key="commitments", author=world.participant, text=f"Comment {i}"
        )
        PlanComment.objects.create(
            plan=plan, part_key=PARTS[i % len(PARTS)].key, author=world.staff, text="More"
        )
        PlanComment.objects.create(plan=plan, part_key="roles", author=world.leader, text="Who?")
        factories.CommonNeedFactory(community=world.community)
        answers["commitments"]["commitments"][str(person.public_id)] = f"Promise {i}"
    for key, data in answers.items():
        row = PlanPart.objects.filter(plan=plan, key=key).first()
        services.save_part(
            plan, key, data, base_revision=row.revision if row else 0, actor=world.leader
        )


COUNTED = [
    (page, persona)
    for page in ("overview", "commitments", "roles")
    for persona in ("leader", "participant", "staff")
] + [("template", "staff")]


@pytest.mark.parametrize(("page", "persona"), COUNTED)
def test_query_count_stays_flat(world, client_for, persona, page):
    client = client_for(persona)
    if page == "overview":
        url = plan_url(world)
    elif page == "template":
        url = reverse("planning:plan-template", args=[world.cohort.slug])
    else:
        url = part_url(world, page)
    _grow(world, 1)
    small, _response = count_queries(client, url)
    _grow(world, 50)
    large, response = count_queries(client, url)
    assert small == large, f"{page} as {persona}: {small} queries for 1, {large} for 50"
    if page == "commitments" and persona == "leader":
        assert response.content.decode().count('name="commitments-') == 53


def test_a_returned_plan_shows_the_review_comment_and_an_approved_one_offers_a_revision(
    world, client_for
):
    plan = services.get_plan(world.community)
    plan.versions.create(
        number=1,
        outcome="returned",
        review_comment="Goal 2 needs a date.",
        reviewed_by=world.staff,
    )
    ActionPlan.objects.filter(pk=plan.pk).update(status=ActionPlan.Status.RETURNED)
    client = client_for("leader")
    html = client.get(plan_url(world)).content.decode()
    assert "Sam Staff returned version 1 with comments:" in html
    assert "Goal 2 needs a date." in html
    assert 'value="revise"' not in html
    ActionPlan.objects.filter(pk=plan.pk).update(status=ActionPlan.Status.APPROVED)
    html = client.get(plan_url(world)).content.decode()
    assert 'value="revise"' in html and "Revise the plan" in html
    assert "Goal 2 needs a date." not in html


def test_the_stored_done_flag_follows_every_save(world):
    """PlanPart.complete (counted in SQL by the plan list and the community page) always
    agrees with is_complete, through a first save, an update and an update that empties."""
    from planning.meetings.participation import plan_statuses
    from planning.plans.services.overview import plan_rows

    plan = services.get_plan(world.community)
    saved = services.save_part(
        plan, "potential", {"potential": "A shared pool"}, base_revision=0, actor=world.leader
    )
    services.save_part(
        plan, "resources", {"resources": "One folder"}, base_revision=0, actor=world.leader
    )
    assert saved.complete

    def done():
        row = next(r for r in plan_rows(world.cohort) if r.community == world.community)
        assert plan_statuses([world.community])[world.community.pk].complete == row.done
        return row.done

    assert done() == 2
    services.save_part(plan, "potential", {"potential": ""}, base_revision=1, actor=world.leader)
    assert not PlanPart.objects.get(plan=plan, key="potential").complete
    assert done() == 1
    services.save_part(
        plan, "potential", {"potential": "Again"}, base_revision=2, actor=world.leader
    )
    assert done() == 2
