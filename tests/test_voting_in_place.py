"""Dot voting in place: an htmx vote swaps only the candidate's row and the dots-left
counter, the voting list keeps its order while people vote, a vote without JavaScript comes
back to the candidate's anchor, and suggestions from members' needs leave out what is on
the list already."""

import re
from unittest import mock

import pytest
from django.db.models.query import QuerySet
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Community
from planning.models import CommonNeed, InventoryEntry, NeedVote
from planning.needs.services import voting
from tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(world, name="planning:common-needs"):
    return reverse(name, args=[world.cohort.slug, world.community.slug])


def need(world, title, **kwargs):
    return factories.CommonNeedFactory(community=world.community, title=title, **kwargs)


def row_ids(html):
    """The candidates' rows in the order the page shows them."""
    return re.findall(r'<li [^>]*id="candidate-([0-9a-f-]+)"', html)


def test_an_htmx_vote_returns_the_row_and_the_counter_not_the_page(world, client_for):
    board, cash = need(world, "Board"), need(world, "Cash")
    NeedVote.objects.create(need=board, participant=world.leader_participant)
    client = client_for("participant")
    response = client.post(
        url(world, "planning:common-need-vote"),
        {"need": str(board.public_id), "action": "place"},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "Top three needs" not in html
    assert row_ids(html) == [str(board.public_id)]  # only the row voted on
    assert str(cash.public_id) not in html
    row = html[html.index('id="candidate-') : html.index("</li>")]
    assert "2 dots" in row and '<meter min="0" max="2" value="2"' in row
    assert "Take back my dot" in row and "Place a dot" not in row
    assert f'id="vote-{board.public_id}"' in row  # the pressed button keeps its id (focus)
    counter = re.search(r'<p [^>]*id="dots-left"[^>]*>.*?</p>', html, re.S).group(0)
    assert 'hx-swap-oob="true"' in counter
    assert "You have 2 of 3 dots left." in counter
    assert "Your dot is on “Board”. You have 2 dots left." in html  # for screen readers
    # Nothing is left over for the next page load.
    assert "Your dot is on" not in client.get(url(world)).content.decode()

    # Taking the dot back the same way.
    response = client.post(
        url(world, "planning:common-need-vote"),
        {"need": str(board.public_id), "action": "remove"},
        **HTMX,
    )
    html = response.content.decode()
    assert "1 dot" in html and "Place a dot" in html
    assert "You have 3 of 3 dots left." in html
    assert not board.votes.filter(participant=world.participant_participant).exists()


def test_an_htmx_vote_refused_shows_why_in_the_row(world, client_for):
    needs = [need(world, f"Need {i}") for i in range(4)]
    for n in needs[:3]:
        NeedVote.objects.create(need=n, participant=world.participant_participant)
    response = client_for("participant").post(
        url(world, "planning:common-need-vote"),
        {"need": str(needs[3].public_id), "action": "place"},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200  # htmx swaps it
    assert "<html" not in html
    assert row_ids(html) == [str(needs[3].public_id)]
    assert 'role="alert"' in html and "You have placed all 3 of your dots" in html
    assert "You have 0 of 3 dots left." in html
    assert not needs[3].votes.exists()


def test_an_htmx_vote_in_an_archived_community_reloads_the_page(world, client_for):
    board = need(world, "Board")
    type(world.community).objects.filter(pk=world.community.pk).update(archived_at=timezone.now())
    response = client_for("participant").post(
        url(world, "planning:common-need-vote"),
        {"need": str(board.public_id), "action": "place"},
        **HTMX,
    )
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == world.community.get_absolute_url()
    assert not board.votes.exists()


def test_without_javascript_the_vote_comes_back_to_the_candidates_anchor(world, client_for):
    board = need(world, "Board")
    response = client_for("participant").post(
        url(world, "planning:common-need-vote"), {"need": str(board.public_id)}
    )
    assert response.status_code == 302
    assert response.url == f"{url(world)}#candidate-{board.public_id}"
    assert board.votes.count() == 1
    html = client_for("participant").get(response.url).content.decode()
    assert f'id="candidate-{board.public_id}"' in html
    assert "Your dot is on “Board”." in html


def test_the_voting_list_keeps_its_order_as_dots_come_in(world, client_for):
    needs = [need(world, title) for title in ["Cash", "Audits", "Board", "Data"]]
    client = client_for("participant")
    before = row_ids(client.get(url(world)).content.decode())
    assert len(before) == 4
    # Dots pile onto the last rows, which ranked first would move them to the top.
    others = [factories.MembershipFactory(community=world.community).participant for _ in range(2)]
    for person in others:
        NeedVote.objects.create(need=needs[3], participant=person)
    for n in reversed(needs[1:]):
        client.post(url(world, "planning:common-need-vote"), {"need": str(n.public_id)})
        html = client.get(url(world)).content.decode()
        assert row_ids(html) == before
    # The ranking is shown apart, most dots first.
    standings = html[html.index('id="standings"') :]
    assert standings.index("Data") < standings.index("Audits") < standings.index("Cash")


# -- suggestions from members' needs ----------------------------------------------------


def named_as_need(world, topic, people=1):
    for _ in range(people):
        member = factories.MembershipFactory(community=world.community).participant
        factories.InventoryEntryFactory(
            participant=member, topic=topic, kind=InventoryEntry.Kind.NEED
        )


def test_a_suggestion_matching_a_candidates_practice_area_is_not_offered(world):
    funds = factories.TopicFactory(cohort=world.cohort, name="Raising funds")
    staff = factories.TopicFactory(cohort=world.cohort, name="Staff retention")
    named_as_need(world, funds, 2)
    named_as_need(world, staff, 1)
    voting.add_candidate(
        world.community, actor=world.leader, title="Finding individual donors", topic=funds
    )
    created = voting.suggest_from_needs(world.community, actor=world.leader)
    assert [n.title for n in created] == ["Staff retention"]
    assert world.community.common_needs.count() == 2


def test_a_suggestion_matching_a_candidates_title_is_not_offered(world):
    funds = factories.TopicFactory(cohort=world.cohort, name="Raising  Funds")
    staff = factories.TopicFactory(cohort=world.cohort, name="Staff retention")
    named_as_need(world, funds, 2)
    named_as_need(world, staff, 1)
    need(world, "  raising funds ")  # a custom candidate with no practice area
    need(world, "STAFF\u00a0RETENTION")
    assert voting.suggest_from_needs(world.community, actor=world.leader) == []
    assert world.community.common_needs.count() == 2
    # A new area is still offered.
    data = factories.TopicFactory(cohort=world.cohort, name="Data")
    named_as_need(world, data)
    assert [n.title for n in voting.suggest_from_needs(world.community, actor=world.leader)] == [
        "Data"
    ]


def test_a_suggestion_is_not_offered_twice_when_suggest_is_pressed_twice(world, client_for):
    funds = factories.TopicFactory(cohort=world.cohort, name="Raising funds")
    named_as_need(world, funds, 2)
    client = client_for("leader")
    for _ in range(2):
        client.post(url(world, "planning:common-need-add"), {"action": "suggest"})
    assert list(world.community.common_needs.values_list("title", flat=True)) == ["Raising funds"]


def test_suggesting_and_adding_lock_the_list_first(world):
    """Two leaders (or a "Suggest" tapped twice) queue on the community's row, so the second
    reads the first's candidates before it adds any: no duplicates from a race."""
    funds = factories.TopicFactory(cohort=world.cohort, name="Raising funds")
    named_as_need(world, funds)
    order = []
    original_lock = QuerySet.select_for_update
    original_list = QuerySet.values_list

    def lock(self, *args, **kwargs):
        order.append(("lock", self.model))
        return original_lock(self, *args, **kwargs)

    def read(self, *args, **kwargs):
        if self.model is CommonNeed:
            order.append(("read", self.model))
        return original_list(self, *args, **kwargs)

    with (
        mock.patch.object(QuerySet, "select_for_update", lock),
        mock.patch.object(QuerySet, "values_list", read),
    ):
        voting.suggest_from_needs(world.community, actor=world.leader)
        voting.add_candidate(world.community, actor=world.leader, title="Board recruitment")
    assert order == [("lock", Community), ("read", CommonNeed)] * 2


def test_titles_match_whatever_their_case(world):
    assert voting.same_title("STRASSE", "straße")
    assert voting.same_title(" Raising\u00a0 funds", "raising FUNDS")
    assert not voting.same_title("Raising funds", "Raising fund")
