"""The formation review page: the board of proposed groups with their figures, moves (htmx
and plain posts), names, locks, re-running, the progress bar, the CSV upload and publishing.
"""

from datetime import timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cohorts.models import (
    Community,
    FormationLock,
    FormationProposal,
    FormationRound,
    Membership,
    ProposedGroup,
    ProposedMember,
)
from tests import factories
from tests.queries import count_queries

HTMX = {"HTTP_HX_REQUEST": "true"}
Method = FormationRound.Method


def url(name, formation_round, **kwargs):
    return reverse(
        f"cohorts:formation-{name}",
        kwargs={
            "cohort_slug": formation_round.cohort.slug,
            "round_id": formation_round.public_id,
            **kwargs,
        },
    )


def build(
    cohort,
    *,
    method=Method.MATCHING,
    people=6,
    groups=2,
    size_min=2,
    size_max=4,
    scores=None,
    details=None,
    formation_round=None,
    number=1,
):
    """A round with `people` entries and a proposal placing them round-robin in `groups`."""
    if formation_round is None:
        formation_round = factories.FormationRoundFactory(
            cohort=cohort,
            method=method,
            size_min=size_min,
            size_max=size_max,
            status=FormationRound.Status.REVIEW,
        )
        persons = [
            factories.ParticipantFactory(cohort=cohort, name=f"Person {i:02d}")
            for i in range(people)
        ]
        for person in persons:
            factories.FormationEntryFactory(round=formation_round, participant=person)
    else:
        persons = [e.participant for e in formation_round.entries.all()]
    proposal = factories.FormationProposalFactory(
        round=formation_round, number=number, scores=scores or {}, elapsed_s=1.23
    )
    made = [
        factories.ProposedGroupFactory(
            proposal=proposal,
            label=f"g{i + 1}",
            name=f"Group {i + 1}" if number == 1 else f"P{number} group {i + 1}",
            position=i,
            details=(details or {}).get(i, {}),
        )
        for i in range(groups)
    ]
    for i, person in enumerate(persons):
        factories.ProposedMemberFactory(group=made[i % groups], participant=person)
    return SimpleNamespace(round=formation_round, proposal=proposal, groups=made, people=persons)


@pytest.fixture
def staff(client_for):
    return client_for("staff")


def board_of(response):
    html = response.content.decode()
    assert 'id="board"' in html
    # The Content Security Policy allows no inline style or script, nor handlers.
    assert " style=" not in html and "<script>" not in html and " onclick=" not in html
    return html


# -- the page, by method ------------------------------------------------------------------


def test_matching_round_shows_choices_kept_and_who_has_none(world, staff):
    r = build(
        world.cohort,
        people=4,
        groups=2,
        scores={
            "choices_total": 4,
            "choices_kept": 3,
            "mutual_pairs_total": 2,
            "mutual_pairs_kept": 1,
            "people_with_no_choice_kept": 1,
        },
        details={0: {"choices_kept": 2, "mutual_pairs_kept": 1, "no_choice_kept": []}},
    )
    p0, p1, p2, _p3 = r.people  # groups: {p0, p2}, {p1, p3}
    entries = {e.participant_id: e for e in r.round.entries.all()}
    entries[p0.pk].choices = [str(p2.public_id)]  # kept
    entries[p1.pk].choices = [str(p0.public_id)]  # not kept: p0 is in the other group
    for entry in entries.values():
        entry.save()

    response = staff.get(url("review", r.round))

    html = board_of(response)
    assert "Choices kept" in html and "3 of 4 (75%)" in html
    assert "Mutual pairs kept together" in html and "1 of 2 (50%)" in html
    assert "2 choices kept · 1 mutual pair<" in html
    assert "Proposal 1" in html and "formed by copkit" in html and "1.2 s" in html
    flagged = [m for g in response.context["groups"] for m in g.member_list if m.no_choice]
    assert [m.participant for m in flagged] == [p1]
    assert html.count("None of their choices in this group") == 1
    # Each person can be dragged and moved with the keyboard form.
    assert f'data-participant="{p0.public_id}"' in html and 'draggable="true"' in html
    assert html.count("data-move-form") == 4
    assert f'<option value="{r.groups[1].public_id}">Group 2</option>' in html


def test_criteria_round_says_which_criteria_each_group_meets(world, staff):
    r = build(
        world.cohort,
        method=Method.CRITERIA,
        scores={
            "format": 0.5,
            "expertise": 1.0,
            "worst_group_score": 0.61,
            "mean_group_score": 0.8,
            "unmet_rules": 1,
        },
        details={
            0: {"criteria": {"format": True, "expertise": True}, "score": 0.99},
            1: {"criteria": {"format": False, "expertise": True}, "score": 0.61},
        },
    )
    r.round.criteria = [
        {"attribute": "format", "rule": "similar", "weight": 3},
        {"attribute": "expertise", "rule": "mix", "weight": 1},
    ]
    r.round.save()

    html = board_of(staff.get(url("review", r.round)))

    assert "Groups meeting “Virtual or in-person preference”" in html
    assert "50%" in html and "100%" in html
    assert "Worst group&#x27;s score" in html and "61%" in html
    assert "Meets: Virtual or in-person preference, Expertise" in html
    assert "Meets: Expertise · Misses: Virtual or in-person preference" in html
    assert "Score: 61%" in html


def test_map_round_shows_distances_in_km_or_miles_and_a_table(world, staff):
    # Outside the United States distances read in km first (a US cohort reads miles first).
    world.cohort.time_zone = "Europe/London"
    world.cohort.save(update_fields=["time_zone"])
    r = build(
        world.cohort,
        method=Method.MAP,
        scores={"mean_km": 10.0, "max_km": 30.0, "max_within_group_km": 50.0},
        details={
            0: {"mean_km": 5.0, "max_km": 8.0, "spread_km": 12.0},
            1: {"mean_km": 15.0, "max_km": 30.0, "spread_km": 50.0},
        },
    )
    for i, person in enumerate(r.people):
        person.latitude, person.longitude = 38.8 + i / 10, -77.0
        person.save()

    html = board_of(staff.get(url("review", r.round)))
    assert "Average distance to the group&#x27;s centre" in html and "10.0 km" in html
    assert "How spread out each group is" in html and "50.0 km" in html
    assert "?unit=mi" in html

    html = board_of(staff.get(url("review", r.round) + "?unit=mi"))
    assert "6.2 mi" in html and "31.1 mi" in html and "10.0 km" not in html
    # Every form on the board keeps the unit for the board that comes back.
    assert '<input type="hidden" name="unit" value="mi">' in html
    # The drawing: one pin per person, numbered groups; a renamed group says its number.
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in html
    assert html.count("Person 0") >= 2 * len(r.people)  # on its card and on its pin
    r.groups[0].name = "Capital area"
    r.groups[0].save()
    html = board_of(staff.get(url("review", r.round)))
    assert "Capital area <span" in html and "Group 1 on the map" in html


def test_topic_round_shows_choices_got_and_the_topic(world, staff):
    formation_round = factories.FormationRoundFactory(
        cohort=world.cohort, method=Method.TOPIC, size_min=1, size_max=4
    )
    topic = factories.FormationTopicFactory(round=formation_round, name="Fundraising")
    other = factories.FormationTopicFactory(round=formation_round, name="Boards")
    persons = [factories.ParticipantFactory(cohort=world.cohort) for _ in range(2)]
    factories.FormationEntryFactory(
        round=formation_round, participant=persons[0], ranking=[str(topic.public_id)]
    )
    factories.FormationEntryFactory(
        round=formation_round, participant=persons[1], ranking=[str(other.public_id)]
    )
    proposal = factories.FormationProposalFactory(
        round=formation_round,
        scores={
            "first_choice": 1,
            "second_choice": 0,
            "third_choice": 0,
            "people_with_no_choice": 1,
        },
    )
    group = factories.ProposedGroupFactory(proposal=proposal, topic=topic, name="Fundraising 1")
    for person in persons:
        factories.ProposedMemberFactory(group=group, participant=person)

    html = board_of(staff.get(url("review", formation_round)))

    assert "Got their first choice" in html and "Topic: Fundraising" in html
    assert html.count("None of their choices in this group") == 1


def test_preassign_round_shows_sizes_and_groups_outside_the_limits(world, staff):
    r = build(world.cohort, method=Method.PREASSIGN, people=5, groups=2, size_min=3, size_max=4)
    html = board_of(staff.get(url("review", r.round)))
    assert "Group sizes" in html and "2 to 3 people" in html
    assert "Below the smallest size (3)" in html
    assert "1 group is outside the size limits" in html


def test_a_number_of_groups_flags_groups_far_from_even(world, staff):
    r = build(world.cohort, people=7, groups=3)  # sizes 3, 2, 2
    r.round.size_mode = FormationRound.SizeMode.COUNT
    r.round.group_count = 2  # 3 or 4 people each
    r.round.save()
    ProposedMember.objects.filter(group=r.groups[2]).update(group=r.groups[1])  # 3, 4, 0
    html = board_of(staff.get(url("review", r.round)))
    assert html.count("Below the smallest size (3)") == 1
    assert "Above the largest size" not in html


def test_warnings_and_run_error_are_shown(world, staff):
    r = build(world.cohort)
    r.proposal.warnings = ["Person 00 named someone no longer in the round."]
    r.proposal.save()
    r.round.run_state = FormationRound.RunState.FAILED
    r.round.run_error = {"error": "Sizes cannot work.", "details": ["7 people, groups of 4"]}
    r.round.save()
    html = board_of(staff.get(url("review", r.round)))
    assert "Person 00 named someone no longer in the round." in html
    assert "Sizes cannot work." in html and "7 people, groups of 4" in html


def test_no_proposal_explains_and_offers_to_form_groups(world, staff):
    formation_round = factories.FormationRoundFactory(cohort=world.cohort)
    response = staff.get(url("review", formation_round))
    html = response.content.decode()
    assert response.status_code == 200
    assert "No groups yet" in html and "Form groups" in html
    assert url("run", formation_round) in html


def test_older_proposal_is_read_only(world, staff):
    r = build(world.cohort)
    build(world.cohort, formation_round=r.round, number=2)

    newest = board_of(staff.get(url("review", r.round)))
    assert "P2 group 1" in newest and "data-move-form" in newest

    older = board_of(staff.get(url("review", r.round) + "?proposal=1"))
    assert "Group 1" in older and "P2 group 1" not in older
    assert "older proposal, read-only" in older
    assert "data-move-form" not in older and 'draggable="true"' not in older
    assert "formation-rename" not in older and 'id="publish"' not in older
    assert staff.get(url("review", r.round) + "?proposal=9").status_code == 404


# -- moving people --------------------------------------------------------------------------


def test_a_very_large_board_opens_one_move_list_at_a_time(world, staff, monkeypatch):
    from cohorts.formation import board

    r = build(world.cohort, people=6, groups=3)
    html = board_of(staff.get(url("review", r.round)))
    assert html.count("data-move-form") == 6 and 'id="drop-move"' in html

    monkeypatch.setattr(board, "INLINE_MOVE_OPTIONS", 10)
    person = r.people[0]
    html = board_of(staff.get(url("review", r.round) + "?unit=km"))  # not the US default
    assert "data-move-form" not in html and 'id="drop-move"' in html
    link = f"?unit=km&amp;move={person.public_id}#m-{person.public_id}"
    assert link in html and html.count("&amp;move=") == 6

    html = board_of(staff.get(url("review", r.round) + f"?move={person.public_id}"))
    assert html.count("data-move-form") == 1
    assert f'id="move-{person.public_id}"' in html


def test_move_with_htmx_returns_the_board_with_the_person_moved(world, staff):
    r = build(world.cohort, people=4, groups=2)
    person = r.people[0]  # in group 1

    response = staff.post(
        url("move", r.round),
        {"participant": person.public_id, "group": r.groups[1].public_id},
        **HTMX,
    )

    assert response.status_code == 200
    assert response.templates[0].name == "cohorts/formation/_board.html"
    html = board_of(response)
    assert f"{person.name} moved to Group 2." in html  # the board's announcement
    assert 'id="proposal-line" hx-swap-oob="true"' in html and "edited" in html
    member = ProposedMember.objects.get(proposal=r.proposal, participant=person)
    assert member.group == r.groups[1]


def test_move_without_javascript_redirects_to_the_page(world, staff):
    r = build(world.cohort, people=4, groups=2)
    person = r.people[0]
    response = staff.post(
        url("move", r.round), {"participant": person.public_id, "group": r.groups[1].public_id}
    )
    assert response.status_code == 302 and response.url == url("review", r.round)
    assert ProposedMember.objects.get(participant=person, proposal=r.proposal).group == r.groups[1]


def test_move_to_a_new_group(world, staff):
    r = build(world.cohort, people=4, groups=2, size_min=1)
    person = r.people[0]
    response = staff.post(
        url("move", r.round), {"participant": person.public_id, "group": "new"}, **HTMX
    )
    assert response.status_code == 200
    assert r.proposal.groups.count() == 3
    member = ProposedMember.objects.get(participant=person, proposal=r.proposal)
    assert member.group not in r.groups


def test_move_that_breaks_a_lock_is_refused_and_nothing_moves(world, staff):
    r = build(world.cohort, people=4, groups=2)
    person, friend = r.people[0], r.people[2]  # both in group 1
    factories.FormationLockFactory(
        round=r.round, first=person, second=friend, kind=FormationLock.Kind.TOGETHER
    )

    response = staff.post(
        url("move", r.round),
        {"participant": person.public_id, "group": r.groups[1].public_id},
        **HTMX,
    )

    html = board_of(response)
    assert response.status_code == 200
    assert 'role="alert"' in html and "Nothing was changed." in html
    assert ProposedMember.objects.get(participant=person, proposal=r.proposal).group == r.groups[0]
    # The same move of someone unlocked goes through: the lock was the reason.
    response = staff.post(
        url("move", r.round),
        {"participant": r.people[1].public_id, "group": r.groups[0].public_id},
        **HTMX,
    )
    assert "Nothing was changed." not in response.content.decode()


def test_move_into_a_full_group_is_refused(world, staff):
    r = build(world.cohort, people=6, groups=2, size_min=1, size_max=3)
    response = staff.post(
        url("move", r.round),
        {"participant": r.people[0].public_id, "group": r.groups[1].public_id},
        **HTMX,
    )
    assert "Nothing was changed." in response.content.decode()
    assert r.groups[1].members.count() == 3


def test_move_with_bad_input_shows_the_error(world, staff):
    r = build(world.cohort)
    stranger = factories.ParticipantFactory(cohort=world.cohort)
    other = build(world.cohort)

    empty = staff.post(url("move", r.round))
    assert empty.status_code == 200
    assert "Choose the person to move." in empty.content.decode()

    not_here = staff.post(
        url("move", r.round),
        {"participant": stranger.public_id, "group": r.groups[1].public_id},
        **HTMX,
    )
    assert "That person is not in these groups" in not_here.content.decode()

    other_group = staff.post(
        url("move", r.round),
        {"participant": r.people[0].public_id, "group": other.groups[1].public_id},
        **HTMX,
    )
    assert "That group is not in these groups" in other_group.content.decode()
    assert other.groups[1].members.count() == 3


def test_older_or_published_proposals_cannot_change(world, staff):
    r = build(world.cohort)
    build(world.cohort, formation_round=r.round, number=2)
    response = staff.post(
        url("move", r.round),
        {"participant": r.people[0].public_id, "group": r.groups[1].public_id},
        **HTMX,
    )
    # The person is moved in the newest proposal only, never in proposal 1.
    assert (
        ProposedMember.objects.get(participant=r.people[0], proposal=r.proposal).group
        == (r.groups[0])
    )
    assert "That group is not in these groups" in response.content.decode()

    r.round.published_at = r.round.created_at
    r.round.status = FormationRound.Status.PUBLISHED
    r.round.save()
    newest = FormationProposal.objects.get(round=r.round, number=2)
    groups = list(newest.groups.all())
    response = staff.post(
        url("move", r.round),
        {"participant": r.people[0].public_id, "group": groups[1].public_id},
        **HTMX,
    )
    assert "published" in response.content.decode()
    assert ProposedMember.objects.get(participant=r.people[0], proposal=newest).group == groups[0]


# -- groups: add, rename ------------------------------------------------------------------------


def test_add_a_group(world, staff):
    r = build(world.cohort)
    response = staff.post(url("group-add", r.round))
    assert response.status_code == 302
    assert r.proposal.groups.count() == 3
    response = staff.post(url("group-add", r.round), **HTMX)
    assert response.status_code == 200 and r.proposal.groups.count() == 4
    board_of(response)


def test_rename_inline_and_errors(world, staff):
    r = build(world.cohort)
    group = r.groups[0]
    rename = url("group-rename", r.round, group_id=group.public_id)

    response = staff.post(rename, {"name": "Rural food access"}, **HTMX)
    assert response.status_code == 200
    assert "Rural food access" in board_of(response)
    group.refresh_from_db()
    assert group.name == "Rural food access"

    blank = staff.post(rename, {"name": "  "}, **HTMX)
    html = board_of(blank)
    assert "Give the group a name." in html and "is-invalid" in html

    taken = staff.post(rename, {"name": "Group 2"}, **HTMX)
    assert 'aria-invalid="true"' in board_of(taken)
    group.refresh_from_db()
    assert group.name == "Rural food access"

    plain = staff.post(rename, {"name": "Youth programs"})
    assert plain.status_code == 302
    group.refresh_from_db()
    assert group.name == "Youth programs"

    empty = staff.post(rename)
    assert empty.status_code == 200 and "Give the group a name." in empty.content.decode()


# -- locks ------------------------------------------------------------------------------------


def test_lock_add_and_remove(world, staff):
    r = build(world.cohort)
    first, second = r.people[0], r.people[1]

    response = staff.post(
        url("lock-add", r.round),
        {"first": first.public_id, "second": second.public_id, "kind": "apart"},
        **HTMX,
    )
    html = board_of(response)
    lock = r.round.locks.get()
    assert (lock.first, lock.second, lock.kind) == (first, second, "apart")
    assert "apart from" in html and "are locked apart" in html

    again = staff.post(
        url("lock-add", r.round),
        {"first": first.public_id, "second": second.public_id, "kind": "together"},
        **HTMX,
    )
    assert "alert" in board_of(again) and r.round.locks.count() == 1

    response = staff.post(url("lock-delete", r.round, lock_id=lock.public_id), **HTMX)
    assert response.status_code == 200 and not r.round.locks.exists()
    board_of(response)


def test_a_lock_the_groups_break_is_flagged_until_someone_moves(world, staff):
    r = build(world.cohort)  # round-robin: Person 00 and 02 in Group 1, Person 01 in Group 2
    p0, p1, p2 = r.people[:3]

    response = staff.post(
        url("lock-add", r.round),
        {"first": p0.public_id, "second": p2.public_id, "kind": "apart"},
        **HTMX,
    )
    html = board_of(response)
    assert "They share a group now: move one of them" in html
    assert "Not kept: in the same group" in html
    assert "1 lock is not kept by these groups" in html

    response = staff.post(
        url("lock-add", r.round),
        {"first": p0.public_id, "second": p1.public_id, "kind": "together"},
        **HTMX,
    )
    html = board_of(response)
    assert "They are in different groups now" in html
    assert "Not kept: in different groups" in html
    assert "2 locks are not kept by these groups" in html

    # Moving Person 00 into Person 01's group keeps both locks.
    group_2 = r.groups[1]
    response = staff.post(
        url("move", r.round), {"participant": p0.public_id, "group": group_2.public_id}, **HTMX
    )
    html = board_of(response)
    assert "Not kept" not in html and "not kept by these groups" not in html


def test_lock_add_errors(world, staff):
    r = build(world.cohort)
    stranger = factories.ParticipantFactory(cohort=world.cohort)

    empty = staff.post(url("lock-add", r.round))
    assert empty.status_code == 200
    assert "Choose the first person." in empty.content.decode()

    same = staff.post(
        url("lock-add", r.round),
        {"first": r.people[0].public_id, "second": r.people[0].public_id, "kind": "together"},
        **HTMX,
    )
    assert "Choose two different people." in same.content.decode()

    outside = staff.post(
        url("lock-add", r.round),
        {"first": r.people[0].public_id, "second": stranger.public_id, "kind": "together"},
        **HTMX,
    )
    assert "Choose someone taking part in this round." in outside.content.decode()
    assert not r.round.locks.exists()

    plain = staff.post(
        url("lock-add", r.round),
        {"first": r.people[0].public_id, "second": r.people[1].public_id, "kind": "together"},
    )
    assert plain.status_code == 302 and r.round.locks.count() == 1


# -- running the engine and its progress ------------------------------------------------------


def test_run_a_small_round_comes_back_with_a_proposal(world, staff):
    formation_round = factories.FormationRoundFactory(
        cohort=world.cohort, method=Method.PREASSIGN, size_min=2, size_max=3
    )
    for _ in range(6):
        factories.FormationEntryFactory(round=formation_round)

    response = staff.post(url("run", formation_round))

    assert response.status_code == 302 and response.url == url("review", formation_round)
    proposal = formation_round.proposals.get()
    page = staff.get(response.url)
    assert "New groups are ready" in page.content.decode()
    assert sum(len(g.member_list) for g in page.context["groups"]) == 6
    # Six people in groups of 2 to 3: the count nearest the middle size, round(6 / 2.5) = 2.
    assert proposal.groups.count() == 2


def test_run_a_large_round_is_queued_and_the_page_polls(
    world, staff, monkeypatch, django_capture_on_commit_callbacks
):
    from cohorts import tasks
    from cohorts.formation.services import runs as services

    monkeypatch.setattr(services, "BACKGROUND_FROM", 3)
    formation_round = factories.FormationRoundFactory(
        cohort=world.cohort, method=Method.PREASSIGN, size_min=2, size_max=3
    )
    for _ in range(6):
        factories.FormationEntryFactory(round=formation_round)
    with (
        mock.patch.object(tasks.run_formation_round, "delay_on_commit") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = staff.post(url("run", formation_round))
    assert delay.call_count == 1
    assert response.status_code == 302
    formation_round.refresh_from_db()
    assert formation_round.run_state == FormationRound.RunState.QUEUED
    html = staff.get(response.url).content.decode()
    assert "copkit is forming the groups" in html
    assert url("progress", formation_round) in html and 'hx-trigger="every 1s"' in html
    assert 'aria-valuenow="0"' in html


def test_run_refusal_is_shown(world, staff):
    formation_round = factories.FormationRoundFactory(cohort=world.cohort)
    response = staff.post(url("run", formation_round), follow=True)
    assert response.status_code == 200
    assert not formation_round.proposals.exists()
    assert list(response.context["messages"])  # the service's reason


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("queued", 'hx-trigger="every 1s"'),
        ("running", 'aria-valuenow="40"'),
        ("failed", "Sizes cannot work."),
        ("idle", "The groups are ready."),
    ],
)
def test_progress_states(world, staff, state, expected):
    formation_round = factories.FormationRoundFactory(
        cohort=world.cohort,
        run_state=state,
        run_progress=40,
        run_error={"error": "Sizes cannot work."} if state == "failed" else {},
    )
    response = staff.get(url("progress", formation_round), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and expected in html
    if state in {"queued", "running"}:
        assert 'role="progressbar"' in html and "formation-progress-4" in html
    else:
        assert "every 1s" not in html  # the polling stops
    assert response.get("HX-Refresh") == ("true" if state == "idle" else None)


def test_progress_of_a_run_that_stopped_long_ago_stops_polling(world, staff):
    formation_round = factories.FormationRoundFactory(
        cohort=world.cohort,
        run_state=FormationRound.RunState.RUNNING,
        run_started_at=timezone.now() - timedelta(hours=1),
    )
    response = staff.get(url("progress", formation_round), **HTMX)
    html = response.content.decode()
    assert "may have stopped" in html and "every 1s" not in html
    assert response.get("HX-Refresh") is None


def test_review_page_polls_while_running(world, staff):
    r = build(world.cohort)
    r.round.run_state = FormationRound.RunState.RUNNING
    r.round.save()
    html = board_of(staff.get(url("review", r.round)))
    assert url("progress", r.round) in html and 'hx-trigger="every 1s"' in html
    assert "copkit is forming new groups" in html and "data-move-form" not in html


# -- upload -----------------------------------------------------------------------------------


def csv_file(text):
    return SimpleUploadedFile("groups.csv", text.encode(), content_type="text/csv")


def test_upload_page_and_download(world, staff):
    r = build(world.cohort)
    page = staff.get(url("upload", r.round))
    assert page.status_code == 200 and "email,group" in page.content.decode()
    download = staff.get(url("upload", r.round) + "?download=csv")
    text = download.content.decode()
    assert download["Content-Type"].startswith("text/csv")
    assert text.splitlines()[0] == "name,email,group"
    assert f"{r.people[0].email},Group 1" in text


def test_the_download_makes_formulas_in_names_inert(world, staff):
    r = build(world.cohort)
    person = r.people[0]
    person.name = '=HYPERLINK("http://x")'
    person.save()
    text = staff.get(url("upload", r.round) + "?download=csv").content.decode()
    assert f'"\'=HYPERLINK(""http://x"")",{person.email},Group 1' in text.splitlines()
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


def test_upload_errors_show_a_table_and_save_nothing(world, staff):
    r = build(world.cohort, people=4)
    rows = ["email,group", "nobody@example.org,A"] + [f"{p.email},A" for p in r.people[:3]]
    response = staff.post(url("upload", r.round), {"file": csv_file("\n".join(rows))})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Rows to fix" in html and "nothing has been saved" in html
    assert r.round.proposals.count() == 1

    empty = staff.post(url("upload", r.round))
    assert "Choose a CSV file to upload." in empty.content.decode()


def test_upload_success_makes_a_new_proposal(world, staff):
    r = build(world.cohort, people=4, size_min=2, size_max=2)
    rows = ["email,group"] + [
        f"{p.email},{'North' if i < 2 else 'South'}" for i, p in enumerate(r.people)
    ]
    response = staff.post(url("upload", r.round), {"file": csv_file("\n".join(rows))})
    assert response.status_code == 302 and response.url == url("review", r.round)
    newest = r.round.proposals.first()
    assert newest.number == 2 and newest.source == FormationProposal.Source.CSV
    assert sorted(newest.groups.values_list("name", flat=True)) == ["North", "South"]


# -- publishing -------------------------------------------------------------------------------


def test_publish_needs_the_confirmation(world, staff):
    r = build(world.cohort)
    response = staff.post(url("publish", r.round), follow=True)
    assert response.redirect_chain[0][0].endswith("#publish")
    assert "Tick “I have checked the groups”" in response.content.decode()
    r.round.refresh_from_db()
    assert not r.round.is_published
    # Ticked, the same groups publish: the box was the only thing missing.
    response = staff.post(url("publish", r.round), {"confirm": "1"})
    r.round.refresh_from_db()
    assert r.round.is_published


def test_publish_makes_communities_and_the_board_links_them(world, staff):
    r = build(world.cohort, people=6, groups=2, size_min=3, size_max=3)
    before = Community.objects.filter(cohort=world.cohort).count()

    response = staff.post(url("publish", r.round), {"confirm": "1"})

    assert response.status_code == 302
    assert response.url == reverse("cohorts:community-list", args=[world.cohort.slug])
    r.round.refresh_from_db()
    assert r.round.is_published
    assert Community.objects.filter(cohort=world.cohort).count() == before + 2
    community = Community.objects.get(cohort=world.cohort, name="Group 1")
    assert Membership.objects.filter(community=community).count() == 3

    html = board_of(staff.get(url("review", r.round)))
    assert community.get_absolute_url() in html
    assert "data-move-form" not in html and 'id="publish"' not in html
    assert "Re-run around the locks" not in html


def test_publish_refusal_is_shown_on_the_review_page(world, staff):
    r = build(world.cohort, people=5, groups=2, size_min=3, size_max=3)  # a group of 2
    response = staff.post(url("publish", r.round), {"confirm": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == url("review", r.round)
    assert list(response.context["messages"])
    r.round.refresh_from_db()
    assert not r.round.is_published


# -- scope ------------------------------------------------------------------------------------


def test_another_cohorts_or_rounds_objects_are_404(world, staff):
    r = build(world.cohort)
    elsewhere = build(world.other_cohort)
    other_round = build(world.cohort)
    lock = factories.FormationLockFactory(round=other_round.round)
    other_cohort_url = reverse(
        "cohorts:formation-review",
        kwargs={"cohort_slug": world.cohort.slug, "round_id": elsewhere.round.public_id},
    )
    assert staff.get(other_cohort_url).status_code == 404
    rename = url("group-rename", r.round, group_id=other_round.groups[0].public_id)
    assert staff.post(rename, {"name": "Mine now"}).status_code == 404
    delete = url("lock-delete", r.round, lock_id=lock.public_id)
    assert staff.post(delete).status_code == 404
    assert FormationLock.objects.filter(pk=lock.pk).exists()
    assert ProposedGroup.objects.get(pk=other_round.groups[0].pk).name == "Group 1"


# -- queries ------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", [Method.MATCHING, Method.CRITERIA, Method.MAP, Method.TOPIC])
def test_board_queries_do_not_grow_with_people_or_groups(world, staff, method):
    small = build(world.cohort, method=method, people=10, groups=3, size_max=20)
    large = build(world.cohort, method=method, people=80, groups=15, size_max=20)
    for r in (small, large):
        factories.FormationLockFactory(round=r.round, first=r.people[0], second=r.people[1])
        for entry in r.round.entries.all():
            entry.choices = [str(p.public_id) for p in r.people[:3]]
            entry.save()
    count_queries(staff, url("review", small.round))  # warm the session and caches
    small_count, _ = count_queries(staff, url("review", small.round))
    large_count, _ = count_queries(staff, url("review", large.round))
    assert small_count == large_count


def test_published_board_queries_do_not_grow(world, staff):
    counts = []
    for people, groups in ((6, 2), (40, 10)):
        r = build(world.cohort, people=people, groups=groups, size_min=3, size_max=4)
        for group in r.groups:  # community names are unique in a cohort
            group.name = f"{group.name} of {people}"
            group.save()
        staff.post(url("publish", r.round), {"confirm": "1"})
        r.round.refresh_from_db()
        assert r.round.is_published
        count_queries(staff, url("review", r.round))  # warm the session and caches
        counts.append(count_queries(staff, url("review", r.round))[0])
    assert counts[0] == counts[1]


def test_a_large_board_shows_its_groups_a_page_at_a_time_and_finds_a_person(
    world, staff, monkeypatch
):
    from cohorts.formation import board

    monkeypatch.setattr(board, "GROUPS_PER_PAGE", 2)
    r = build(world.cohort, people=10, groups=5, size_min=1, size_max=4)

    def cards(html):
        return [n for n, g in enumerate(r.groups, start=1) if f'id="g-{g.public_id}"' in html]

    first = staff.get(url("review", r.round)).content.decode()
    assert cards(first) == [1, 2]
    assert 'aria-label="Pages of groups"' in first
    third = staff.get(url("review", r.round) + "?page=3").content.decode()
    assert cards(third) == [5]
    # Round-robin placement: Person 04 and Person 09 are in Group 5.
    found = staff.get(url("review", r.round) + "?find=person 09").content.decode()
    assert "1 group has someone called" in found
    assert cards(found) == [5]
    # An htmx edit on page 3 re-renders page 3.
    board = staff.post(
        url("group-rename", r.round, group_id=r.groups[4].public_id),
        {"name": "Harbour towns", "page": "3"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "Harbour towns" in board and cards(board) == [5]
    assert staff.get(url("review", r.round) + "?page=zzz").status_code == 200
