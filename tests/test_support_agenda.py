"""The leaders' circle's agenda: drafted as a go-around of the communities' check-ins since
the last convening, and the challenges several communities name grouped by their words (and
practice area), so "board recruitment" and "recruiting board members" fall together."""

from datetime import UTC, datetime, timedelta

import pytest

from cohorts.models import Membership
from planning.models import CheckIn, Convening
from planning.support import agenda
from planning.support.services import convenings as services
from tests import factories

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)
# Fixed instants: the tests never read today's date.
LAST = datetime(2027, 3, 2, 18, 0, tzinfo=UTC)
NEXT = datetime(2027, 4, 6, 18, 0, tzinfo=UTC)


def checkin(community, answered_at, successes="", challenges="", period=None):
    leader = community.memberships.filter(role__in=Membership.LEADING_ROLES).first()
    return CheckIn.objects.create(
        community=community,
        leader=leader.participant.user if leader and leader.participant.user else None,
        period=period or answered_at.date().isoformat(),
        answered_at=answered_at,
        successes=successes,
        challenges=challenges,
    )


def community(cohort, name, topic=None):
    made = factories.CommunityFactory(cohort=cohort, name=name, topic=topic)
    factories.MembershipFactory(community=made, role=Membership.Role.LEADER)
    return made


@pytest.fixture
def three(world):
    """Three communities of the cohort: two in board development, one in volunteers."""
    board = world.topic
    volunteers = factories.TopicFactory(cohort=world.cohort, name="Volunteer management")
    return (
        world.community,  # Board Builders, led by Lee
        community(world.cohort, "Governance Circle", board),
        community(world.cohort, "Helping Hands", volunteers),
    )


def convening(world, starts_at, **kwargs):
    return Convening.objects.create(
        cohort=world.cohort, title="Leaders' circle", starts_at=starts_at, **kwargs
    )


def test_agenda_groups_a_challenge_two_communities_name_in_different_words(world, three):
    builders, governance, hands = three
    convening(world, LAST)
    upcoming = convening(world, NEXT)
    checkin(builders, LAST + 3 * DAY, "Our first joint training ran", "Board recruitment")
    checkin(
        governance,
        LAST + 10 * DAY,
        "Two members shared bylaws templates",
        "Recruiting board members\nQuorum at meetings",
    )
    checkin(hands, LAST + 12 * DAY, "A volunteer pool across three pantries", "Volunteer retention")

    draft = services.draft(upcoming)

    turns = {turn.community.name: turn for turn in draft.turns}
    assert list(turns) == ["Board Builders", "Governance Circle", "Helping Hands"]
    assert turns["Board Builders"].successes == ["Our first joint training ran"]
    assert turns["Governance Circle"].challenges == [
        "Recruiting board members",
        "Quorum at meetings",
    ]
    assert turns["Helping Hands"].challenges == ["Volunteer retention"]
    assert len(draft.shared) == 1
    group = draft.shared[0]
    assert [c.name for c in group.communities] == ["Board Builders", "Governance Circle"]
    assert sorted(text for _c, text in group.mentions) == [
        "Board recruitment",
        "Recruiting board members",
    ]
    assert group.label == "Board recruitment"

    text = services.draft_text(upcoming)
    lines = text.splitlines()
    assert "- Board Builders" in lines
    assert "  Challenges: Recruiting board members; Quorum at meetings" in lines
    assert "Challenges several communities name" in lines
    assert (
        "- Board recruitment (Board Builders, Governance Circle): "
        "Board recruitment; Recruiting board members"
    ) in lines


def test_only_check_ins_since_the_last_convening_count(world, three):
    builders, governance, hands = three
    convening(world, LAST)
    upcoming = convening(world, NEXT)
    checkin(builders, LAST - DAY, "Old news", "Board recruitment", period="old")
    checkin(governance, LAST + DAY, "Fresh news", "Recruiting board members")
    checkin(hands, NEXT + DAY, "After the convening", "Recruiting board members", period="late")

    draft = services.draft(upcoming)

    turns = {turn.community.name: turn for turn in draft.turns}
    assert not turns["Board Builders"].answered
    assert turns["Governance Circle"].successes == ["Fresh news"]
    assert not turns["Helping Hands"].answered
    assert draft.shared == []  # one community alone names it
    assert "- Board Builders: no check-in since the last convening" in services.draft_text(upcoming)


def test_a_cancelled_convening_does_not_start_the_window(world, three):
    builders, _governance, _hands = three
    convening(world, LAST)
    convening(world, LAST + 14 * DAY, cancelled_at=LAST)
    upcoming = convening(world, NEXT)
    checkin(builders, LAST + 3 * DAY, "Between the two", "")
    assert services.window(upcoming) == (LAST, NEXT)
    assert services.draft(upcoming).turns[0].successes == ["Between the two"]


def test_the_first_convening_reads_every_earlier_check_in(world, three):
    builders, _governance, _hands = three
    first = convening(world, NEXT)
    checkin(builders, NEXT - 300 * DAY, "Long ago", "")
    assert services.window(first) == (None, NEXT)
    assert services.draft(first).turns[0].successes == ["Long ago"]


def test_the_latest_answers_come_first_and_repeats_go(world, three):
    builders, _governance, _hands = three
    upcoming = convening(world, NEXT)
    checkin(builders, NEXT - 20 * DAY, "Met twice", "Board recruitment", period="a")
    checkin(builders, NEXT - 5 * DAY, "Met three times", "board recruitment", period="b")
    turn = services.draft(upcoming).turns[0]
    assert turn.successes == ["Met three times", "Met twice"]
    assert turn.challenges == ["board recruitment"]


# -- the grouping on its own ---------------------------------------------------------------


def _turns(*pairs, areas=None):
    areas = areas or {}
    return [
        agenda.Turn(
            community=agenda.Community(i, name, areas.get(name, "")), challenges=list(texts)
        )
        for i, (name, texts) in enumerate(pairs)
    ]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("board recruitment", "recruiting board members"),
        ("Retaining volunteers", "volunteer retention"),
        ("Raising funds for the program", "fundraising for programs"),
    ],
)
def test_alike_challenges_fall_together(left, right):
    shared = agenda.shared_challenges(_turns(("A", [left]), ("B", [right])))
    assert len(shared) == 1
    assert {text for _c, text in shared[0].mentions} == {left, right}


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("board recruitment", "volunteer retention"),
        ("grant writing", "meeting attendance"),
    ],
)
def test_different_challenges_stay_apart(left, right):
    assert agenda.shared_challenges(_turns(("A", [left]), ("B", [right]))) == []


def test_the_practice_area_tips_a_near_match():
    turns = [("A", ["funding"]), ("B", ["fundraising"])]
    assert agenda.similarity("funding", "fundraising") < agenda.SIMILAR
    assert agenda.shared_challenges(_turns(*turns)) == []
    same = agenda.shared_challenges(_turns(*turns, areas={"A": "Money", "B": "Money"}))
    assert len(same) == 1


def test_one_community_naming_a_thing_twice_is_not_shared():
    assert agenda.shared_challenges(_turns(("A", ["board recruitment", "recruiting board"]))) == []


def test_items_split_lines_bullets_and_semicolons():
    assert agenda.items("- Board recruitment.\n* Quorum; \n\n2) Money") == [
        "Board recruitment",
        "Quorum",
        "Money",
    ]
    assert agenda.items("") == []
