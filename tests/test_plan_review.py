"""An action plan's way to approval: submitting (versions), the staff review, returning and
resubmitting, the differences between versions, comments, the staff list of plans, the
printable plan and its PDF."""

import io
import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pypdf import PdfReader

from cohorts.models import Activity, Membership
from copkit.models import OutboxMessage
from planning.models import ActionPlan, PlanComment, PlanVersion
from planning.plans.parts import PARTS
from planning.plans.services import overview
from planning.plans.services import plans as plan_services
from planning.plans.services import review as review_services
from tests import factories
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

Status = ActionPlan.Status


def url(world, name, **query):
    path = reverse(f"planning:{name}", args=[world.cohort.slug, world.community.slug])
    if query:
        path += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return path


def texts(response):
    """The messages a request left; a redirect is followed, so they are shown and gone."""
    if response.status_code == 302:
        response = response.client.get(response.url)
        assert response.status_code == 200
    return [str(m) for m in get_messages(response.wsgi_request)]


def answers(world, *, goal="Every pantry recruits two new board members"):
    """A complete answer to every part of the plan."""
    lee = str(world.leader_participant.public_id)
    pat = str(world.participant_participant.public_id)
    return {
        "potential": {"potential": "Ten pantries sharing one volunteer pool."},
        "goals": {
            "goals": [
                {"goal": goal, "indicator": "Board rosters in June", "target_date": "2026-06-30"},
                {"goal": "A shared board orientation pack", "indicator": "The pack is used"},
            ]
        },
        "work_type": {"work_type": "group_learning", "why": "We learn best together."},
        "format": {"formats": ["check_ins", "peer_trainings"]},
        "logistics": {
            "frequency": "monthly",
            "week_of_month": "2",
            "weekday": "1",
            "start_time": "14:00",
            "length_minutes": 90,
            "mode": "virtual",
        },
        "schedule": {"first_meeting": "2026-02-10"},
        "agenda": {"agenda": "Welcome round\nProgress on goals\nMain session"},
        "commitments": {"commitments": {lee: "Lead two sessions", pat: "Come to most meetings"}},
        "roles": {"roles": [{"role": "Convener", "member": lee}, {"role": "Notes", "member": pat}]},
        "resources": {"resources": "A shared drive; Pat keeps it tidy."},
        "success": {
            "funder": "Stronger boards in the region",
            "members": "Full boards that raise funds",
            "community": "Pantries that stay open",
        },
        "decisions": {"decisions": "Members pick topics; leaders set dates."},
    }


def fill(world, plan=None, data=None, skip=()):
    plan = plan or plan_services.get_plan(world.community)
    for key, value in (data or answers(world)).items():
        if key not in skip:
            factories.PlanPartFactory(plan=plan, key=key, data=value)
    return plan


def submitted_plan(world):
    plan = fill(world)
    review_services.submit(plan, actor=world.leader)
    plan.refresh_from_db()
    return plan


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def change_part(world, plan, key, data, actor=None):
    current = plan.parts.get(key=key)
    return plan_services.save_part(
        plan, key, data, base_revision=current.revision, actor=actor or world.leader
    )


# -- submitting -----------------------------------------------------------------------------


def test_an_incomplete_plan_is_refused_with_the_parts_still_to_do(world, client_for):
    plan = fill(world, skip=("goals", "decisions"))
    client = client_for("leader")
    messages = texts(client.post(url(world, "plan-submit")))
    assert any("Goals and how you will know" in m and "Who decides what" in m for m in messages)
    assert not any("The potential you see" in m for m in messages)
    plan.refresh_from_db()
    assert plan.status == Status.DRAFT
    assert not plan.versions.exists()
    assert not OutboxMessage.objects.exists()
    # Once the two parts are done, the same request goes through.
    data = answers(world)
    factories.PlanPartFactory(plan=plan, key="goals", data=data["goals"])
    factories.PlanPartFactory(plan=plan, key="decisions", data=data["decisions"])
    response = client.post(url(world, "plan-submit"))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED
    assert plan.versions.count() == 1


def test_a_group_with_an_empty_entry_is_not_done(world, client_for):
    plan = fill(world, skip=("goals",))
    factories.PlanPartFactory(
        plan=plan, key="goals", data={"goals": [{"goal": "", "indicator": ""}]}
    )
    messages = texts(client_for("leader").post(url(world, "plan-submit")))
    assert any("Goals and how you will know" in m for m in messages)
    assert not plan.versions.exists()


def test_submitting_freezes_a_version_and_emails_the_staff(world, client_for):
    plan = fill(world)
    factories.CohortRoleFactory(cohort=world.cohort, role="observer")  # not told
    response = client_for("leader").post(url(world, "plan-submit"))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED and plan.submitted_at is not None
    version = plan.versions.get()
    assert version.number == 1
    assert version.outcome == PlanVersion.Outcome.PENDING
    assert version.submitted_by == world.leader
    assert version.data["goals"]["goals"][0]["goal"].startswith("Every pantry")
    assert set(version.texts) == {part.key for part in PARTS}
    # Member ids read as names in the frozen text.
    assert "Convener · Who: Lee Leader" in version.texts["roles"]
    assert "Pat Participant: Come to most meetings" in version.texts["commitments"]

    emails = list(OutboxMessage.objects.all())
    assert [email.to_email for email in emails] == ["sam@tta.example"]
    email = emails[0]
    assert "Board Builders" in email.subject and "version 1" in email.subject
    assert "Lee Leader submitted version 1" in email.body_text
    assert "http://" in email.body_text and url(world, "plan-versions") in email.body_text
    assert url(world, "plan-versions") in email.body_html
    assert Activity.objects.filter(verb="submitted the action plan").count() == 1


def test_a_second_submit_is_refused_and_sends_nothing_more(world, client_for):
    fill(world)
    client = client_for("leader")
    client.post(url(world, "plan-submit"))
    messages = texts(client.post(url(world, "plan-submit")))
    assert any("already waiting for review" in m for m in messages)
    assert PlanVersion.objects.count() == 1
    assert OutboxMessage.objects.count() == 1


def test_members_may_not_submit(world, client_for):
    fill(world)
    assert client_for("participant").post(url(world, "plan-submit")).status_code == 403
    assert not PlanVersion.objects.exists()


def test_an_archived_communitys_plan_is_not_submitted(world, client_for):
    fill(world)
    world.community.archived_at = timezone.now()
    world.community.save()
    client_for("leader").post(url(world, "plan-submit"))
    assert not PlanVersion.objects.exists()


# -- reviewing ------------------------------------------------------------------------------


def test_returning_needs_a_comment_shown_next_to_the_field(world, client_for):
    plan = submitted_plan(world)
    client = client_for("staff")
    response = client.post(url(world, "plan-review"), {"review-action": "return"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Say what the leaders should change" in html
    assert 'id="id_review-comment"' in html and "is-invalid" in html
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED
    # With the comment, the same request returns the plan.
    response = client.post(
        url(world, "plan-review"),
        {"review-action": "return", "review-comment": "Goal 2 needs a date."},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Status.RETURNED
    assert plan.reviewed_by == world.staff and plan.reviewed_at is not None
    version = plan.versions.get()
    assert version.outcome == PlanVersion.Outcome.RETURNED
    assert version.review_comment == "Goal 2 needs a date."
    assert version.reviewed_by == world.staff


def test_a_decision_is_required(world, client_for):
    plan = submitted_plan(world)
    response = client_for("staff").post(url(world, "plan-review"), {"review-comment": "Hm"})
    assert response.status_code == 200
    assert "Choose whether to approve the plan or return it." in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED


def test_the_leaders_are_emailed_the_outcome_with_the_comment(world, client_for):
    submitted_plan(world)
    co_leader = factories.MembershipFactory(
        community=world.community, role=Membership.Role.CO_LEADER
    ).participant
    OutboxMessage.objects.all().delete()
    client_for("staff").post(
        url(world, "plan-review"),
        {"review-action": "return", "review-comment": "Name a date for “goal 2”."},
    )
    emails = {email.to_email: email for email in OutboxMessage.objects.all()}
    assert set(emails) == {"lee@pantry.example", co_leader.email}  # not Pat, a member
    email = emails["lee@pantry.example"]
    assert "came back with comments" in email.subject
    assert "Name a date for “goal 2”." in email.body_text
    assert url(world, "plan") in email.body_text and url(world, "plan-versions") in email.body_text
    assert Activity.objects.filter(verb="returned the action plan").exists()


def test_only_a_submitted_plan_is_reviewed(world, client_for):
    plan = fill(world)
    client = client_for("staff")
    messages = texts(client.post(url(world, "plan-review"), {"review-action": "approve"}))
    assert any("Only a plan waiting for review" in m for m in messages)
    plan.refresh_from_db()
    assert plan.status == Status.DRAFT
    review_services.submit(plan, actor=world.leader)
    client.post(url(world, "plan-review"), {"review-action": "approve"})
    plan.refresh_from_db()
    assert plan.status == Status.APPROVED
    # An approved plan is not reviewed again.
    messages = texts(
        client.post(url(world, "plan-review"), {"review-action": "return", "review-comment": "x"})
    )
    assert any("Only a plan waiting for review" in m for m in messages)
    plan.refresh_from_db()
    assert plan.status == Status.APPROVED


def test_leaders_may_not_review(world, client_for):
    plan = submitted_plan(world)
    response = client_for("leader").post(url(world, "plan-review"), {"review-action": "approve"})
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED


def test_return_edit_resubmit_approve_and_revise(world):
    plan = submitted_plan(world)
    staff = logged_in(world.staff)
    staff.post(
        url(world, "plan-review"),
        {"review-action": "return", "review-comment": "Make goal 1 measurable."},
    )
    plan.refresh_from_db()
    # The leaders edit the returned plan and submit it again: version 2.
    data = answers(world, goal="Every pantry has seven board members by June")
    change_part(world, plan, "goals", data["goals"])
    leader_client = logged_in(world.leader)
    leader_client.post(url(world, "plan-submit"))
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED
    assert list(plan.versions.values_list("number", "outcome")) == [
        (1, "returned"),
        (2, "pending"),
    ]
    # Staff see what changed since version 1, with the review form beside it.
    page = staff.get(url(world, "plan-versions")).content.decode()
    assert "Your review of version 2" in page
    assert "Every pantry has seven board members by June" in page
    staff.post(url(world, "plan-review"), {"review-action": "approve"})
    plan.refresh_from_db()
    assert plan.status == Status.APPROVED
    assert plan.versions.get(number=2).outcome == PlanVersion.Outcome.APPROVED
    # An approved plan is locked until the leaders start a revision.
    messages = texts(leader_client.post(url(world, "plan-submit")))
    assert any("approved" in m for m in messages)
    messages = texts(leader_client.post(url(world, "plan-submit"), {"action": "revise"}))
    assert any("draft again" in m for m in messages)
    plan.refresh_from_db()
    assert plan.status == Status.DRAFT
    change_part(world, plan, "decisions", {"decisions": "The members vote on topics."})
    leader_client.post(url(world, "plan-submit"))
    assert plan.versions.count() == 3
    assert plan.versions.get(number=3).texts["decisions"] == "The members vote on topics."


# -- differences ----------------------------------------------------------------------------


def test_diff_texts_marks_removed_and_added_lines():
    before = "1. Goal: A\n2. Goal: B"
    after = "1. Goal: A\n2. Goal: C\n3. Goal: D"
    assert review_services.diff_texts(before, after) == [
        ("same", "1. Goal: A"),
        ("removed", "2. Goal: B"),
        ("added", "2. Goal: C"),
        ("added", "3. Goal: D"),
    ]
    assert review_services.diff_texts(before, before) == []


def _two_versions(world):
    plan = submitted_plan(world)
    review_services.review(plan, actor=world.staff, approve=False, comment="Sharper goal 1.")
    data = answers(world, goal="Seven board members in every pantry")
    change_part(world, plan, "goals", data["goals"])
    review_services.submit(plan, actor=world.leader)
    plan.refresh_from_db()
    return plan


def test_the_versions_page_shows_a_changed_goal_and_unchanged_parts(world, client_for):
    _two_versions(world)
    html = client_for("staff").get(url(world, "plan-versions", a=1, b=2)).content.decode()
    removed = re.search(r"<del[^>]*>(.*?)</del>", html, re.S).group(1)
    added = re.search(r"<ins[^>]*>(.*?)</ins>", html, re.S).group(1)
    assert "removed" in removed and "Every pantry recruits two new board members" in removed
    assert "added" in added and "Seven board members in every pantry" in added
    # The second goal did not change: it shows, unmarked.
    assert "A shared board orientation pack" in html
    assert "1 part changed" in html
    unchanged = html.split("Parts with no change", 1)[1]
    assert "The potential you see: <span" in unchanged and "no change" in unchanged
    # The default comparison is the same as ?a=1&b=2 while version 2 waits.
    default = client_for("staff").get(url(world, "plan-versions")).content.decode()
    assert "From version 1 to version 2" in default


def test_the_draft_compares_with_the_last_version_after_a_return(world, client_for):
    plan = submitted_plan(world)
    review_services.review(plan, actor=world.staff, approve=False, comment="Dates, please.")
    change_part(world, plan, "schedule", {"first_meeting": "2026-03-10"})
    html = client_for("leader").get(url(world, "plan-versions")).content.decode()
    assert "From version 1 to the current draft" in html
    assert "First meeting: 2026-02-10" in html.split("<del", 1)[1]
    assert "First meeting: 2026-03-10" in html.split("<ins", 1)[1]
    # The leaders see the comment they were returned with.
    assert "Dates, please." in html
    assert "Sam Staff returned version 1" in html


def test_a_first_version_has_nothing_to_compare(world, client_for):
    submitted_plan(world)
    html = client_for("staff").get(url(world, "plan-versions")).content.decode()
    assert "nothing earlier to compare" in html
    assert "Your review of version 1" in html
    # Members read the page; only staff get the review form.
    html = client_for("participant").get(url(world, "plan-versions")).content.decode()
    assert "Your review of version" not in html


def test_unknown_comparison_falls_back_to_the_default(world, client_for):
    _two_versions(world)
    response = client_for("staff").get(url(world, "plan-versions", a=7, b="nope"))
    assert response.status_code == 200
    assert "From version 1 to version 2" in response.content.decode()


# -- comments -------------------------------------------------------------------------------


def test_a_comment_on_a_part_is_saved_with_the_pending_version(world, client_for):
    plan = submitted_plan(world)
    client = client_for("participant")
    response = client.post(
        url(world, "plan-comment"),
        {"text": "  Can we meet on Wednesdays?  ", "part_key": "logistics"},
    )
    assert response.status_code == 302
    comment = PlanComment.objects.get()
    assert comment.plan == plan
    assert comment.text == "Can we meet on Wednesdays?"
    assert comment.part_key == "logistics"
    assert comment.version_number == 1
    assert comment.author == world.participant
    html = client.get(url(world, "plan-versions")).content.decode()
    assert "Can we meet on Wednesdays?" in html
    assert "How often, how long, and how" in html  # the part it is on


def test_comment_roles_are_shown(world, client_for):
    plan = fill(world)
    review_services.add_comment(plan, actor=world.staff, text="From the TTA team")
    review_services.add_comment(plan, actor=world.leader, text="From the leader")
    review_services.add_comment(plan, actor=world.participant, text="From a member")
    rows = review_services.comments_for(plan)
    assert [(c.author_name, c.role) for c in rows] == [
        ("Sam Staff", "staff"),
        ("Lee Leader", "leader"),
        ("Pat Participant", "member"),
    ]
    assert rows[0].version_number is None  # a draft: no version under review
    html = client_for("leader").get(url(world, "plan-versions")).content.decode()
    assert "TTA staff</span>" in html and "Leader</span>" in html and "Member</span>" in html


def test_a_comment_on_an_unknown_part_is_refused(world, client_for):
    client = client_for("participant")
    response = client.post(url(world, "plan-comment"), {"text": "Hello", "part_key": "nope"})
    assert response.status_code == 400
    assert not PlanComment.objects.exists()
    response = client.post(url(world, "plan-comment"), {"text": "Hello", "part_key": "goals"})
    assert response.status_code == 302
    assert PlanComment.objects.get().part_key == "goals"


def test_an_empty_or_long_comment_is_refused(world, client_for):
    client = client_for("participant")
    messages = texts(client.post(url(world, "plan-comment"), {"text": "   "}))
    assert any("Write a comment" in m for m in messages)
    messages = texts(client.post(url(world, "plan-comment"), {"text": "x" * 2001}))
    assert any("under 2000 characters" in m for m in messages)
    assert not PlanComment.objects.exists()


def test_next_is_followed_only_to_this_communitys_plan(world, client_for):
    client = client_for("participant")
    part_url = reverse(
        "planning:plan-part", args=[world.cohort.slug, world.community.slug, "goals"]
    )
    response = client.post(url(world, "plan-comment"), {"text": "One", "next": part_url})
    assert response.url == f"{part_url}#comments"
    for bad in (
        "https://evil.example/steal",
        "//evil.example/plan/",
        reverse("cohorts:dashboard", args=[world.cohort.slug]),
        "javascript:alert(1)",
    ):
        response = client.post(url(world, "plan-comment"), {"text": "Two", "next": bad})
        assert response.url == f"{url(world, 'plan-versions')}#comments", bad
    assert PlanComment.objects.count() == 5


def test_observers_and_outsiders_may_not_comment(world, client_for):
    assert client_for("observer").post(url(world, "plan-comment"), {"text": "x"}).status_code == 403
    assert not PlanComment.objects.exists()


# -- the staff list -------------------------------------------------------------------------


def test_the_list_puts_submitted_plans_first(world, client_for):
    def community(name):
        return factories.CommunityFactory(cohort=world.cohort, name=name)

    written = community("Alpha writers")
    plan = ActionPlan.objects.create(community=written)
    factories.PlanPartFactory(plan=plan, key="potential")
    approved = community("Beta approved")
    ActionPlan.objects.create(community=approved, status=Status.APPROVED)
    community("Gamma not started")
    archived = community("Delta archived")
    archived.archived_at = timezone.now()
    archived.save()
    submitted_plan(world)  # Board Builders
    html = client_for("staff").get(reverse("planning:plan-list", args=[world.cohort.slug]))
    html = html.content.decode()
    assert "1 plan is waiting for your review." in html
    order = [html.index(name) for name in ("Board Builders", "Alpha", "Gamma", "Beta")]
    assert order == sorted(order)
    assert "Delta archived" not in html
    assert "Being written: 1 of 12 parts done" in html
    assert "No plan yet" in html
    assert "waiting" in html and url(world, "plan-versions") in html


# -- print and PDF --------------------------------------------------------------------------


def test_the_print_page_has_the_whole_plan(world, client_for):
    plan = submitted_plan(world)
    need = factories.CommonNeedFactory(community=world.community, title="Board recruitment")
    need.chosen_rank = 1
    need.save()
    html = client_for("participant").get(url(world, "plan-print")).content.decode()
    for part in PARTS:
        assert escape(str(part.title)) in html
    assert "Every pantry recruits two new board members" in html
    assert '<th scope="col">How we will know</th>' in html  # goals as a table
    assert "Lee Leader" in html and "Riverbend Food Pantry" in html
    assert "Board recruitment" in html
    assert "Submitted for review" in html and "version 1" in html
    assert "data-plan-print" in html and "js/plan-print.js" in html
    assert url(world, "plan-pdf") in html
    assert plan.status == Status.SUBMITTED


def test_the_print_page_of_a_plan_never_started(world, client_for):
    response = client_for("leader").get(url(world, "plan-print"))
    assert response.status_code == 200
    assert response.content.decode().count("Not answered yet.") == len(PARTS)


def pdf_text(content):
    """The text of every page of a PDF, read with pypdf."""
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_has_the_plan_with_accents_and_curly_quotes(world, client_for):
    plan = fill(world)
    accented = "Le “café” de l\u2019équipe, déjà prêt"
    change_part(world, plan, "potential", {"potential": accented})
    response = client_for("participant").get(url(world, "plan-pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="action-plan-board-builders.pdf"' in response["Content-Disposition"]
    content = response.content
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "Action plan of Board Builders" in text
    assert "2. Goals and how you will know" in text
    assert accented in text
    assert "Board rosters in June" in text  # in the goals table
    assert "Lee Leader" in text
    assert "page 1 of" in text


def test_the_pdf_can_be_left_uncompressed(world):
    from planning.plans.pdf import plan_pdf

    fill(world)
    doc = overview.printable(plan_services.get_plan(world.community), world.community)
    content = plan_pdf(doc, compress=False)
    assert content.startswith(b"%PDF") and b"/FlateDecode" not in content.split(b"/FontFile2")[0]
    assert "Who decides what" in pdf_text(content)


# -- query counts ---------------------------------------------------------------------------


def grow_communities(world, n):
    for i in range(n):
        community = factories.CommunityFactory(cohort=world.cohort)
        factories.MembershipFactory(community=community, role=Membership.Role.LEADER)
        if i % 3 == 2:
            continue  # no plan yet
        plan = ActionPlan.objects.create(
            community=community, status=[Status.DRAFT, Status.SUBMITTED][i % 2]
        )
        factories.PlanPartFactory(plan=plan, key="potential")
        factories.PlanPartFactory(plan=plan, key="decisions", data={"decisions": "All of us"})
        if plan.status == Status.SUBMITTED:
            PlanVersion.objects.create(plan=plan, number=1)


def test_the_plan_list_query_count_is_flat(world, client_for):
    client = client_for("staff")
    path = reverse("planning:plan-list", args=[world.cohort.slug])
    grow_communities(world, 1)
    few, _ = count_queries(client, path)
    grow_communities(world, 49)
    assert count_queries(client, path)[0] == few


def grow_versions(world, plan, n):
    start = plan.versions.count()
    for i in range(n):
        author = factories.MembershipFactory(community=world.community).participant
        author.user = factories.UserFactory()
        author.save()
        PlanVersion.objects.create(
            plan=plan,
            number=start + i + 1,
            texts={"goals": f"1. Goal: number {start + i}"},
            outcome=PlanVersion.Outcome.RETURNED,
            submitted_by=author.user,
            reviewed_by=world.staff,
            review_comment="Again",
        )
        review_services.add_comment(plan, actor=author.user, text=f"Comment {i}", part_key="goals")


@pytest.mark.parametrize("persona", ["staff", "leader"])
def test_the_versions_page_query_count_is_flat(world, client_for, persona):
    client = client_for(persona)
    plan = fill(world)
    grow_versions(world, plan, 1)
    path = url(world, "plan-versions")
    few, _ = count_queries(client, path)
    grow_versions(world, plan, 30)
    assert count_queries(client, path)[0] == few
