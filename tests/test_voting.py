"""Dot voting on a community's common needs, and recording its top three."""

import threading
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.db.models.query import QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts.models import Activity, Membership
from cohorts.services.cohorts import ServiceError
from planning.models import CommonNeed, InventoryEntry, NeedVote
from planning.needs.services import voting
from tests import factories
from tests.queries import count_queries

pytestmark = pytest.mark.django_db


def url(world, name="planning:common-needs"):
    return reverse(name, args=[world.cohort.slug, world.community.slug])


def texts(response):
    """The messages a request left; a redirect is followed, so they are shown and gone."""
    if response.status_code == 302:
        response = response.client.get(response.url)
        assert response.status_code == 200
    return [str(m) for m in get_messages(response.wsgi_request)]


def need(world, title, **kwargs):
    return factories.CommonNeedFactory(community=world.community, title=title, **kwargs)


def add_member(world, **kwargs):
    return factories.MembershipFactory(community=world.community, **kwargs).participant


def dots(participant, *needs):
    for n in needs:
        NeedVote.objects.create(need=n, participant=participant)


# -- the service: the dot limit, toggling, choosing ---------------------------------------


def test_a_member_places_three_dots_and_the_fourth_is_refused(world):
    pat = world.participant_participant
    needs = [need(world, f"Need {i}") for i in range(4)]
    for i, n in enumerate(needs[:3]):
        result = voting.vote(n, participant=pat, actor=world.participant, place=True)
        assert result.placed and result.changed
        assert result.dots_left == 2 - i
    with pytest.raises(ServiceError, match="all 3 of your dots"):
        voting.vote(needs[3], participant=pat, actor=world.participant, place=True)
    assert NeedVote.objects.filter(participant=pat).count() == 3
    assert not needs[3].votes.exists()
    # Taking one back frees a dot, and the refused vote now goes through.
    result = voting.vote(needs[0], participant=pat, actor=world.participant, place=False)
    assert (result.placed, result.changed, result.dots_left) == (False, True, 1)
    result = voting.vote(needs[3], participant=pat, actor=world.participant, place=True)
    assert result.dots_left == 0
    assert set(NeedVote.objects.filter(participant=pat).values_list("need__title", flat=True)) == {
        "Need 1",
        "Need 2",
        "Need 3",
    }
    assert Activity.objects.filter(verb="placed a dot").count() == 4


def test_placing_twice_on_one_need_is_one_dot(world):
    pat = world.participant_participant
    n = need(world, "Board recruitment")
    voting.vote(n, participant=pat, actor=world.participant, place=True)
    again = voting.vote(n, participant=pat, actor=world.participant, place=True)
    assert (again.placed, again.changed, again.dots_left) == (True, False, 2)
    assert n.votes.count() == 1
    gone = voting.vote(n, participant=pat, actor=world.participant, place=False)
    nothing = voting.vote(n, participant=pat, actor=world.participant, place=False)
    assert gone.changed and not nothing.changed
    assert nothing.dots_left == 3


def test_dots_count_per_community(world):
    """Dots on another community's needs do not use up this community's three."""
    pat = world.participant_participant
    other = factories.CommunityFactory(cohort=world.cohort)
    factories.MembershipFactory(community=other, participant=pat)
    dots(pat, *[factories.CommonNeedFactory(community=other) for _ in range(3)])
    here = need(world, "Volunteers")
    assert voting.vote(here, participant=pat, actor=world.participant, place=True).dots_left == 2


def test_only_members_hold_dots(world):
    outsider = factories.ParticipantFactory(cohort=world.cohort)
    with pytest.raises(ServiceError):
        voting.vote(need(world, "Grants"), participant=outsider, actor=None, place=True)
    assert not NeedVote.objects.exists()


def test_the_vote_locks_the_members_membership_row(world):
    """The check and the insert happen under a lock on the member's Membership row, so a
    member's concurrent votes are counted one after the other."""
    locked = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        locked.append(self.model)
        return original(self, *args, **kwargs)

    with mock.patch.object(QuerySet, "select_for_update", spy):
        voting.vote(
            need(world, "Grants"), participant=world.participant_participant, actor=None, place=True
        )
    assert locked == [Membership]
    if connection.vendor == "postgresql":
        with CaptureQueriesContext(connection) as queries:
            voting.vote(
                need(world, "Audits"),
                participant=world.participant_participant,
                actor=None,
                place=True,
            )
        assert any("FOR UPDATE" in q["sql"] for q in queries.captured_queries)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_never_give_a_member_a_fourth_dot(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so nothing would race")
    pat = world.participant_participant
    needs = [need(world, f"Need {i}") for i in range(8)]
    start = threading.Barrier(len(needs))
    refused, errors = [], []

    def place(n):
        try:
            start.wait(timeout=10)
            voting.vote(n, participant=pat, actor=None, place=True)
        except ServiceError:
            refused.append(n)
        except Exception as exc:  # surfaced below; a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=place, args=(n,)) for n in needs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert NeedVote.objects.filter(participant=pat).count() == 3
    assert len(refused) == 5


def test_ranked_needs_and_the_proposal_flag_ties(world):
    a, b, c, d, _e = (need(world, t) for t in ["Audits", "Board", "Cash flow", "Data", "Events"])
    voters = [add_member(world) for _ in range(3)]
    dots(voters[0], b, c, d)
    dots(voters[1], b, c, d)
    dots(voters[2], b, a)
    ranked = voting.ranked_needs(world.community, voters[2])
    assert [(n.title, n.vote_count) for n in ranked] == [
        ("Board", 3),
        ("Cash flow", 2),
        ("Data", 2),
        ("Audits", 1),
        ("Events", 0),
    ]
    assert [n.title for n in ranked if n.is_mine] == ["Board", "Audits"]
    proposal = voting.propose_top(ranked)
    assert [n.title for n in proposal.picks] == ["Board", "Cash flow", "Data"]
    # Cash flow and Data share two dots: the group decides their order.
    assert [[n.title for n in group] for group in proposal.ties] == [["Cash flow", "Data"]]


def test_a_tie_at_the_cut_is_flagged(world):
    a, b, c, d = (need(world, t) for t in ["A", "B", "C", "D"])
    voter = add_member(world)
    dots(voter, a, b, c)
    dots(add_member(world), d)
    proposal = voting.propose_top(voting.ranked_needs(world.community))
    assert [n.title for n in proposal.picks] == ["A", "B", "C"]
    assert [[n.title for n in group] for group in proposal.ties] == [["A", "B", "C", "D"]]


def test_no_ties_called_among_needs_without_dots(world):
    need(world, "A")
    need(world, "B")
    assert voting.propose_top(voting.ranked_needs(world.community)).ties == []


def test_choose_top_ranks_and_replaces_the_old_ranks(world):
    a, b, c, d = (need(world, t) for t in ["A", "B", "C", "D"])
    voting.choose_top(world.community, actor=world.leader, needs=[a, b, c])
    assert list(
        world.community.common_needs.filter(chosen_rank__isnull=False)
        .order_by("chosen_rank")
        .values_list("title", flat=True)
    ) == ["A", "B", "C"]
    voting.choose_top(world.community, actor=world.leader, needs=[d, a, b])
    ranks = dict(world.community.common_needs.values_list("title", "chosen_rank"))
    assert ranks == {"A": 2, "B": 3, "C": None, "D": 1}
    assert Activity.objects.filter(verb="recorded the top needs").count() == 2


def test_choose_top_refuses_and_changes_nothing(world):
    a, b = need(world, "A"), need(world, "B")
    voting.choose_top(world.community, actor=world.leader, needs=[a, b])
    elsewhere = factories.CommonNeedFactory(
        community=factories.CommunityFactory(cohort=world.cohort)
    )
    for bad in ([a, a], [a, elsewhere], [], [a, b, need(world, "C"), need(world, "D")]):
        with pytest.raises(ServiceError):
            voting.choose_top(world.community, actor=world.leader, needs=bad)
    assert dict(world.community.common_needs.values_list("title", "chosen_rank")) == {
        "A": 1,
        "B": 2,
        "C": None,
        "D": None,
    }


def test_suggestions_come_from_the_practice_areas_members_name_most(world):
    board, funds, staff, data = (
        world.topic,
        factories.TopicFactory(cohort=world.cohort, name="Raising funds"),
        factories.TopicFactory(cohort=world.cohort, name="Staff retention"),
        factories.TopicFactory(cohort=world.cohort, name="Data"),
    )
    members = [world.participant_participant, world.leader_participant] + [
        add_member(world) for _ in range(2)
    ]
    for person in members[:3]:
        factories.InventoryEntryFactory(participant=person, topic=funds)
    for person in members[:2]:
        factories.InventoryEntryFactory(participant=person, topic=staff)
    factories.InventoryEntryFactory(participant=members[3], topic=board)
    # Expertise, a non-member's need and a need already on the list count for nothing.
    for person in members:
        factories.InventoryEntryFactory(
            participant=person, topic=data, kind=InventoryEntry.Kind.EXPERTISE
        )
    factories.InventoryEntryFactory(
        participant=factories.ParticipantFactory(cohort=world.cohort), topic=data
    )
    need(world, "board development")  # same title as the topic, other case

    created = voting.suggest_from_needs(world.community, actor=world.leader)
    assert [(n.title, n.topic, n.description) for n in created] == [
        ("Raising funds", funds, "3 members named this as a need."),
        ("Staff retention", staff, "2 members named this as a need."),
    ]
    assert voting.suggest_from_needs(world.community, actor=world.leader) == []
    assert world.community.common_needs.count() == 3


def test_add_candidate_refuses_a_duplicate_title(world):
    voting.add_candidate(world.community, actor=world.leader, title="  Board   recruitment ")
    assert world.community.common_needs.get().title == "Board recruitment"
    with pytest.raises(ServiceError, match="already on the list"):
        voting.add_candidate(world.community, actor=world.leader, title="board recruitment")


# -- the pages ------------------------------------------------------------------------


def test_the_page_lists_candidates_by_name_ranks_them_apart_and_counts_the_dots(world, client_for):
    a, b, _c = (
        need(world, "Audits", description="Getting ready for the yearly audit."),
        need(world, "Board"),
        need(world, "Cash"),
    )
    dots(world.participant_participant, b)
    dots(world.leader_participant, b, a)
    response = client_for("participant").get(url(world))
    html = response.content.decode()
    assert response.status_code == 200
    assert "You have 2 of 3 dots left." in html
    rows = html[html.index('class="list-unstyled need-list"') : html.index('id="standings"')]
    assert rows.index("Audits") < rows.index("Board") < rows.index("Cash")  # by name
    standings = html[html.index('id="standings"') :]
    assert standings.index("Board") < standings.index("Audits") < standings.index("Cash")
    assert '<meter min="0" max="2" value="2"' in html
    assert "2 dots" in html and "1 dot" in html and "0 dots" in html
    assert "Getting ready for the yearly audit." in html
    assert "Take back my dot" in html and html.count("Place a dot") == 2
    assert "Give it 30 to 45 minutes" in html
    assert "Record the top three" not in html  # leaders' part
    assert "Add a candidate" not in html


def test_staff_see_the_count_but_hold_no_dots(world, client_for):
    need(world, "Board")
    html = client_for("staff").get(url(world)).content.decode()
    assert "Only members hold dots" in html
    assert "Place a dot" not in html
    assert "Record the top three" in html and "Add a candidate" in html


def test_voting_through_the_page(world, client_for):
    client = client_for("participant")
    needs = [need(world, f"Need {i}") for i in range(4)]
    vote_url = url(world, "planning:common-need-vote")
    for n, left in zip(needs[:3], ["2 dots", "1 dot", "0 dots"], strict=True):
        response = client.post(vote_url, {"need": n.public_id, "action": "place"})
        assert response.status_code == 302
        assert texts(response) == [f"Your dot is on “{n.title}”. You have {left} left."]
    response = client.post(vote_url, {"need": needs[3].public_id, "action": "place"})
    assert response.status_code == 302
    assert texts(response) == [
        "You have placed all 3 of your dots already. Take one back from a need to place it "
        "on another."
    ]
    assert not needs[3].votes.exists()
    html = client.get(url(world)).content.decode()
    assert "You have 0 of 3 dots left." in html
    response = client.post(vote_url, {"need": needs[0].public_id, "action": "remove"})
    assert texts(response) == ["Your dot is off “Need 0”. You have 1 dot left."]
    # The same request as the refused one now goes through.
    client.post(vote_url, {"need": needs[3].public_id, "action": "place"})
    assert needs[3].votes.filter(participant=world.participant_participant).exists()


def test_voting_on_another_communitys_need_finds_nothing(world, client_for):
    elsewhere = factories.CommonNeedFactory(
        community=factories.CommunityFactory(cohort=world.cohort)
    )
    client = client_for("participant")
    response = client.post(url(world, "planning:common-need-vote"), {"need": elsewhere.public_id})
    assert texts(response) == ["Choose a need from the list to place a dot on."]
    response = client.post(url(world, "planning:common-need-vote"), {"need": "not-a-uuid"})
    assert texts(response) == ["Choose a need from the list to place a dot on."]
    assert not NeedVote.objects.exists()


def test_staff_may_not_vote(world, client_for):
    n = need(world, "Board")
    response = client_for("staff").post(
        url(world, "planning:common-need-vote"), {"need": n.public_id}
    )
    assert response.status_code == 403
    assert not NeedVote.objects.exists()


def test_a_leader_adds_a_candidate(world, client_for):
    client = client_for("leader")
    response = client.post(
        url(world, "planning:common-need-add"),
        {
            "action": "add",
            "add-title": "Recruiting board members",
            "add-topic": world.topic.pk,
            "add-description": "Few people say yes.",
        },
    )
    assert response.status_code == 302
    created = world.community.common_needs.get()
    assert (created.title, created.topic, created.description, created.created_by) == (
        "Recruiting board members",
        world.topic,
        "Few people say yes.",
        world.leader,
    )
    assert texts(response) == ["“Recruiting board members” is on the list."]


def test_a_duplicate_title_is_an_error_next_to_the_field(world, client_for):
    need(world, "Recruiting board members")
    client = client_for("leader")
    response = client.post(
        url(world, "planning:common-need-add"), {"add-title": "recruiting BOARD members"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "This need is already on the list." in html
    assert "is-invalid" in html
    assert world.community.common_needs.count() == 1
    # A topic of another cohort is refused too.
    foreign = factories.TopicFactory(cohort=world.other_cohort)
    response = client.post(
        url(world, "planning:common-need-add"), {"add-title": "New", "add-topic": foreign.pk}
    )
    assert response.status_code == 200
    assert world.community.common_needs.count() == 1
    response = client.post(url(world, "planning:common-need-add"), {"add-title": "New"})
    assert response.status_code == 302
    assert world.community.common_needs.count() == 2


def test_suggest_through_the_page(world, client_for):
    funds = factories.TopicFactory(cohort=world.cohort, name="Raising funds")
    factories.InventoryEntryFactory(participant=world.participant_participant, topic=funds)
    client = client_for("leader")
    response = client.post(url(world, "planning:common-need-add"), {"action": "suggest"})
    assert texts(response) == ["Added 1 candidate from members' needs: Raising funds."]
    response = client.post(url(world, "planning:common-need-add"), {"action": "suggest"})
    assert "No new candidates" in texts(response)[0]
    assert world.community.common_needs.count() == 1


def test_participants_may_not_add_or_choose(world, client_for):
    n = need(world, "Board")
    client = client_for("participant")
    assert (
        client.post(url(world, "planning:common-need-add"), {"add-title": "X"}).status_code == 403
    )
    assert (
        client.post(
            url(world, "planning:common-needs-choose"), {"top-rank_1": n.public_id}
        ).status_code
        == 403
    )
    assert world.community.common_needs.count() == 1
    assert not world.community.common_needs.filter(chosen_rank__isnull=False).exists()


def test_the_choose_form_defaults_to_the_most_dots_and_flags_ties(world, client_for):
    a, b, c, d = (need(world, t) for t in ["Audits", "Board", "Cash", "Data"])
    dots(world.participant_participant, b, c, d)
    dots(world.leader_participant, b, a)
    html = client_for("leader").get(url(world)).content.decode()
    form = html[html.index('id="choose-heading"') :]
    assert f'<option value="{b.public_id}" selected>' in form
    assert "Tied on 1 dot:" in form
    for title in ("Audits", "Cash", "Data"):
        assert f'<span class="fw-semibold">{title}</span>' in form


def test_recording_the_top_three_shows_them_on_the_community_page(world, client_for):
    a, b, c, d = (need(world, t) for t in ["Audits", "Board", "Cash", "Data"])
    client = client_for("leader")
    choose = url(world, "planning:common-needs-choose")
    response = client.post(
        choose, {"top-rank_1": c.public_id, "top-rank_2": a.public_id, "top-rank_3": d.public_id}
    )
    assert response.status_code == 302
    assert texts(response) == [
        "Top needs recorded: 1. Cash; 2. Audits; 3. Data. They now show on the community page."
    ]
    html = client.get(world.community.get_absolute_url()).content.decode()
    top = html[html.index("top-needs-heading") :]
    assert top.index("Cash") < top.index("Audits") < top.index("Data")
    # Duplicates are refused next to the field, and nothing changes.
    response = client.post(
        choose, {"top-rank_1": b.public_id, "top-rank_2": b.public_id, "top-rank_3": a.public_id}
    )
    assert response.status_code == 200
    assert "This need already has a place above." in response.content.decode()
    assert dict(world.community.common_needs.values_list("title", "chosen_rank")) == {
        "Audits": 2,
        "Board": None,
        "Cash": 1,
        "Data": 3,
    }
    # A missing place is refused too.
    response = client.post(choose, {"top-rank_1": b.public_id})
    assert response.status_code == 200
    assert "Choose the need for this place." in response.content.decode()


def test_with_two_candidates_two_places_are_enough(world, client_for):
    a, b = need(world, "A"), need(world, "B")
    response = client_for("staff").post(
        url(world, "planning:common-needs-choose"),
        {"top-rank_1": b.public_id, "top-rank_2": a.public_id},
    )
    assert response.status_code == 302
    assert dict(world.community.common_needs.values_list("title", "chosen_rank")) == {
        "A": 2,
        "B": 1,
    }


# -- query counts -----------------------------------------------------------------------


def grow(world, n):
    """n more members, n more candidates, and every member's three dots."""
    for _ in range(n):
        add_member(world)
        need(world, f"Need {CommonNeed.objects.count()}", topic=world.topic)
    needs = list(world.community.common_needs.all())
    for m in world.community.memberships.select_related("participant"):
        have = m.participant.need_votes.count()
        for n in needs[have:3]:
            NeedVote.objects.get_or_create(need=n, participant=m.participant)


@pytest.mark.parametrize("persona", ["participant", "leader", "staff"])
def test_query_count_is_flat(world, client_for, persona):
    client = client_for(persona)
    grow(world, 1)
    small, _ = count_queries(client, url(world))
    grow(world, 49)
    large, response = count_queries(client, url(world))
    assert large == small, (small, large)
    assert response.content.decode().count("<meter") == 50
