"""Appreciative interviews: the round robin, the setup, the schedules and the notes."""

from collections import Counter
from itertools import combinations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from cohorts.models import Activity
from cohorts.services.cohorts import ServiceError
from planning.models import InterviewPair, InterviewRotation
from planning.needs.services import interviews as services
from planning.needs.services.interviews import round_robin
from tests import factories
from tests.queries import count_queries


def url(world, name="planning:interviews", *args):
    return reverse(name, args=[world.cohort.slug, world.community.slug, *args])


def texts(response):
    """The messages a request left; a redirect is followed, so they are shown and gone."""
    if response.status_code == 302:
        response = response.client.get(response.url)
        assert response.status_code == 200
    return [str(m) for m in get_messages(response.wsgi_request)]


# -- the round robin (no database) ------------------------------------------------------


@pytest.mark.parametrize("n", range(2, 13))
def test_round_robin_pairs_everyone_once(n):
    people = [f"P{i}" for i in range(n)]
    rounds = round_robin(people)
    assert len(rounds) == (n - 1 if n % 2 == 0 else n)
    met = Counter()
    for pairs in rounds:
        resting = [a for a, b in pairs if b is None]
        assert len(resting) == n % 2  # one rests each round when n is odd, nobody otherwise
        seen = [p for pair in pairs for p in pair if p is not None]
        assert sorted(seen) == sorted(people)  # everyone is in every round exactly once
        met.update(frozenset(pair) for pair in pairs if pair[1] is not None)
    assert set(met) == {frozenset(pair) for pair in combinations(people, 2)}
    assert set(met.values()) == {1}
    if n % 2:
        # Everybody rests exactly once.
        rests = Counter(a for pairs in rounds for a, b in pairs if b is None)
        assert rests == Counter(people)
    assert round_robin(list(people)) == rounds  # deterministic


def test_round_robin_of_fewer_than_two():
    assert round_robin([]) == []
    assert round_robin(["Ana"]) == [[("Ana", None)]]


def test_round_robin_takes_any_iterable_and_keeps_objects():
    people = iter([object(), object(), object()])
    rounds = round_robin(people)
    assert len(rounds) == 3


# -- services ---------------------------------------------------------------------------


def add_member(world, name=None):
    kwargs = {"participant__name": name} if name else {}
    return factories.MembershipFactory(community=world.community, **kwargs).participant


def set_up(world, **kwargs):
    kwargs.setdefault("questions", "What moves you?\nWhat are you good at?")
    kwargs.setdefault("minutes_per_round", 15)
    return services.set_up(world.community, actor=world.leader, **kwargs)


def pairs_of(rotation):
    return {
        frozenset(filter(None, (p.first_id, p.second_id))): p
        for p in rotation.pairs.filter(second__isnull=False)
    }


@pytest.mark.django_db
def test_set_up_builds_the_rotation_from_the_members(world):
    ana = add_member(world, "Ana Ruiz")
    rotation = set_up(world)
    assert rotation.question_list == ["What moves you?", "What are you good at?"]
    assert rotation.minutes_per_round == 15
    assert rotation.created_by == world.leader
    # Three members: three rounds of one pair and one resting.
    assert sorted(rotation.pairs.values_list("round_number", flat=True)) == [1, 1, 2, 2, 3, 3]
    assert rotation.pairs.filter(second__isnull=True).count() == 3
    people = {world.leader_participant.pk, world.participant_participant.pk, ana.pk}
    assert set(pairs_of(rotation)) == {frozenset(p) for p in combinations(people, 2)}
    assert Activity.objects.filter(verb="set up interviews").exists()


@pytest.mark.django_db
def test_set_up_needs_two_members(world):
    world.member_membership.delete()
    with pytest.raises(ServiceError, match="at least two members"):
        set_up(world)
    assert not InterviewRotation.objects.exists()


@pytest.mark.django_db
def test_rebuilding_keeps_the_notes_of_pairs_that_still_meet(world):
    ana, ben = add_member(world, "Ana"), add_member(world, "Ben")
    lee, pat = world.leader_participant, world.participant_participant
    rotation = set_up(world)
    lee_pat = pairs_of(rotation)[frozenset({lee.pk, pat.pk})]
    services.save_notes(lee_pat, author=lee, actor=world.leader, text="Pat runs a great pantry.")
    services.save_notes(lee_pat, author=pat, actor=world.participant, text="Lee chairs a board.")
    ana_ben = pairs_of(rotation)[frozenset({ana.pk, ben.pk})]
    services.save_notes(ana_ben, author=ana, actor=None, text="Ben knows grants.")
    # Ben leaves, Cy joins.
    world.community.memberships.filter(participant=ben).delete()
    cy = add_member(world, "Cy")
    preview = services.preview_rebuild(
        list(rotation.pairs.select_related("first", "second")),
        services.current_members(world.community),
    )
    assert ([p.name for p in preview.joined], [p.name for p in preview.left]) == (["Cy"], ["Ben"])
    assert preview.notes_lost == 1

    # Saving without the rebuild keeps the rounds as they are.
    set_up(world, questions="Only one?", rebuild=False)
    rotation.refresh_from_db()
    assert rotation.question_list == ["Only one?"]
    assert frozenset({ana.pk, ben.pk}) in pairs_of(rotation)

    set_up(world, rebuild=True)
    pairs = pairs_of(rotation)
    people = [lee.pk, pat.pk, ana.pk, cy.pk]
    assert set(pairs) == {frozenset(p) for p in combinations(people, 2)}
    kept = pairs[frozenset({lee.pk, pat.pk})]
    notes = {kept.first_id: kept.notes_on_first, kept.second_id: kept.notes_on_second}
    assert notes == {pat.pk: "Pat runs a great pantry.", lee.pk: "Lee chairs a board."}
    assert not any(
        p.notes_on_first or p.notes_on_second
        for key, p in pairs.items()
        if key != kept_key(lee, pat)
    )
    assert (
        Activity.objects.filter(verb="rebuilt the interview rounds").get().data["notes_kept"] == 1
    )


def kept_key(a, b):
    return frozenset({a.pk, b.pk})


@pytest.mark.django_db
def test_notes_go_to_the_right_side(world):
    lee, pat = world.leader_participant, world.participant_participant
    rotation = set_up(world)
    pair = rotation.pairs.get()
    services.save_notes(pair, author=pat, actor=world.participant, text="Lee is great at agendas.")
    pair.refresh_from_db()
    about_lee = pair.notes_on_first if pair.first_id == lee.pk else pair.notes_on_second
    assert about_lee == "Lee is great at agendas."
    outsider = factories.ParticipantFactory(cohort=world.cohort)
    with pytest.raises(ServiceError):
        services.save_notes(pair, author=outsider, actor=None, text="x")


# -- pages --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_before_setup_the_page_explains_and_leaders_get_a_link(world, client_for):
    html = client_for("participant").get(url(world)).content.decode()
    assert "every member pairs up with every other member once" in html
    assert "Your leaders have not set up the rounds yet." in html
    assert "Set up the interviews" not in html
    html = client_for("leader").get(url(world)).content.decode()
    assert url(world, "planning:interviews-setup") in html


@pytest.mark.django_db
def test_the_setup_form_is_prefilled_with_appreciative_questions(world, client_for):
    response = client_for("leader").get(url(world, "planning:interviews-setup"))
    html = response.content.decode()
    assert "What draws you to your work" in html
    assert "talents and skills" in html
    assert "most fulfilling moment of your career" in html
    assert "repeats the answers back" in html
    assert 'value="20"' in html
    assert "The community has 2 members." in html
    assert "makes 1 round." in html
    assert "rebuild" not in html  # nothing to rebuild yet


@pytest.mark.django_db
def test_setting_up_through_the_page(world, client_for):
    ana = add_member(world, "Ana Ruiz")
    client = client_for("leader")
    response = client.post(
        url(world, "planning:interviews-setup"),
        {"questions": "  What moves you?\n\n\nWhat are you proud of?  ", "minutes_per_round": "25"},
    )
    assert response.status_code == 302
    assert texts(response) == ["The interview rounds are ready. Members see theirs here."]
    rotation = world.community.interview_rotation
    assert rotation.questions == "What moves you?\nWhat are you proud of?"
    assert rotation.minutes_per_round == 25
    assert rotation.pairs.count() == 6
    # The leader sees the whole schedule, and their own rounds first.
    html = client.get(url(world)).content.decode()
    assert html.index("Your rounds") < html.index("The questions") < html.index("All rounds")
    everyone = html[html.index("All rounds") :]
    assert [f"Round {n}" in everyone for n in (1, 2, 3)] == [True, True, True]
    assert everyone.count(" rests</span>") == 3
    assert "3 rounds, 75 minutes in all" in html
    assert html.count("<li>What") == 2
    assert ana.name in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"questions": " \n ", "minutes_per_round": "20"}, "Write at least one question."),
        ({"questions": "Q?", "minutes_per_round": "2"}, "greater than or equal to 4"),
        ({"questions": "Q?", "minutes_per_round": "abc"}, "Enter a whole number."),
        (
            {"questions": "\n".join(f"Q{i}?" for i in range(13)), "minutes_per_round": "20"},
            "12 questions at most",
        ),
    ],
)
def test_bad_setup_input_is_shown_next_to_the_field(world, client_for, data, error):
    response = client_for("leader").post(url(world, "planning:interviews-setup"), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not InterviewRotation.objects.exists()


@pytest.mark.django_db
def test_setting_up_with_one_member_is_refused_with_a_message(world, client_for):
    world.member_membership.delete()
    response = client_for("staff").post(
        url(world, "planning:interviews-setup"), {"questions": "Q?", "minutes_per_round": "20"}
    )
    assert response.status_code == 200
    assert "Interviews need at least two members in the community." in response.content.decode()
    assert not InterviewRotation.objects.exists()


@pytest.mark.django_db
def test_rebuild_asks_first_and_keeps_notes(world, client_for):
    rotation = set_up(world)
    pair = rotation.pairs.get()
    services.save_notes(
        pair, author=world.participant_participant, actor=None, text="Lee: budgets."
    )
    add_member(world, "Zed")
    client = client_for("leader")
    html = client.get(url(world, "planning:interviews-setup")).content.decode()
    assert "Members have changed since the rounds were made." in html
    assert "Joined since: Zed" in html
    assert "keeps every note written so far" in html
    assert "Yes, make the rounds again" in html
    # Without the tick: questions saved, rounds kept, and a warning.
    data = {"questions": "New?", "minutes_per_round": "20"}
    response = client.post(url(world, "planning:interviews-setup"), data)
    assert "tick the box" in texts(response)[0]
    assert rotation.pairs.count() == 1
    response = client.post(url(world, "planning:interviews-setup"), {**data, "rebuild": "on"})
    assert texts(response) == ["Rounds made again from the current members; notes kept."]
    assert rotation.pairs.count() == 6
    kept = pairs_of(rotation)[kept_key(world.leader_participant, world.participant_participant)]
    assert "Lee: budgets." in (kept.notes_on_first, kept.notes_on_second)


@pytest.mark.django_db
def test_a_member_sees_their_own_schedule_and_not_others_notes(world, client_for):
    ana = add_member(world, "Ana Ruiz")
    ben = add_member(world, "Ben Okafor")
    rotation = set_up(world)
    pat = world.participant_participant
    others = pairs_of(rotation)[kept_key(ana, ben)]
    services.save_notes(others, author=ana, actor=None, text="SECRET about Ben")
    mine = list(rotation.pairs.filter(first=pat) | rotation.pairs.filter(second=pat))
    html = client_for("participant").get(url(world)).content.decode()
    for pair in mine:
        partner = services.partner_of(pair, pat)
        assert f"Round {pair.round_number}: you and {partner.name}" in html
    assert "SECRET" not in html
    assert "All rounds" not in html
    # Staff read every note on the whole schedule.
    staff_html = client_for("staff").get(url(world)).content.decode()
    assert "SECRET about Ben" in staff_html
    assert "Your rounds" not in staff_html


@pytest.mark.django_db
def test_an_odd_member_sees_when_they_rest(world, client_for):
    add_member(world, "Ana Ruiz")
    rotation = set_up(world)
    rest = rotation.pairs.get(first=world.participant_participant, second__isnull=True)
    html = client_for("participant").get(url(world)).content.decode()
    assert f"Round {rest.round_number}: you rest" in html


@pytest.mark.django_db
def test_writing_notes_the_partner_can_read(world, client_for):
    rotation = set_up(world)
    pair = rotation.pairs.get()
    field = f"p{pair.public_id.hex[:8]}-notes"
    notes_url = url(world, "planning:interview-notes", pair.public_id)
    response = client_for("participant").post(
        notes_url, {field: "Lee builds boards\nfrom scratch."}
    )
    assert texts(response) == ["Your notes on Lee Leader are saved; Lee Leader can read them too."]
    html = client_for("leader").get(url(world)).content.decode()
    assert "What Pat Participant noted about you" in html
    assert "Lee builds boards\nfrom scratch." in html


@pytest.mark.django_db
def test_notes_are_refused_to_others_and_staff(world, client_for):
    ana, ben = add_member(world, "Ana"), add_member(world, "Ben")
    rotation = set_up(world)
    pair = pairs_of(rotation)[kept_key(ana, ben)]
    field = f"p{pair.public_id.hex[:8]}-notes"
    notes_url = url(world, "planning:interview-notes", pair.public_id)
    for persona in ("participant", "leader", "staff"):
        response = client_for(persona).post(notes_url, {field: "Hi"})
        assert response.status_code == 403, persona
    pair.refresh_from_db()
    assert (pair.notes_on_first, pair.notes_on_second) == ("", "")
    # A pair of another community's rotation is not found through this one.
    other = factories.CommunityFactory(cohort=world.cohort)
    other_rotation = factories.InterviewRotationFactory(community=other)
    foreign = other_rotation.pairs.create(
        round_number=1, first=world.participant_participant, second=ana
    )
    response = client_for("participant").post(
        url(world, "planning:interview-notes", foreign.public_id), {"x": "y"}
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_notes_without_the_box_or_too_long(world, client_for):
    rotation = set_up(world)
    pair = rotation.pairs.get()
    field = f"p{pair.public_id.hex[:8]}-notes"
    notes_url = url(world, "planning:interview-notes", pair.public_id)
    client = client_for("participant")
    response = client.post(notes_url, {})
    assert texts(response) == ["Write your notes in the box of that round, then save."]
    response = client.post(notes_url, {field: "x" * 4001})
    assert response.status_code == 200
    html = response.content.decode()
    assert "at most 4000 characters" in html
    assert "is-invalid" in html
    pair.refresh_from_db()
    assert (pair.notes_on_first, pair.notes_on_second) == ("", "")


@pytest.mark.django_db
def test_a_resting_pair_takes_no_notes(world, client_for):
    add_member(world, "Ana")
    rotation = set_up(world)
    rest = rotation.pairs.get(first=world.participant_participant, second__isnull=True)
    field = f"p{rest.public_id.hex[:8]}-notes"
    response = client_for("participant").post(
        url(world, "planning:interview-notes", rest.public_id), {field: "x"}
    )
    assert texts(response) == ["Nobody to interview this round: you rest."]


# -- query counts -------------------------------------------------------------------------


def grow(world, n):
    for _ in range(n):
        add_member(world)
    rotation = set_up(world, rebuild=True)
    pairs = list(rotation.pairs.filter(second__isnull=False))
    for pair in pairs:
        pair.notes_on_first = pair.notes_on_second = "Good at things."
    InterviewPair.objects.bulk_update(pairs, ["notes_on_first", "notes_on_second"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "name"),
    [
        ("participant", "planning:interviews"),
        ("leader", "planning:interviews"),
        ("staff", "planning:interviews"),
        ("leader", "planning:interviews-setup"),
    ],
)
def test_query_count_is_flat(world, client_for, persona, name):
    client = client_for(persona)
    grow(world, 1)
    small, _ = count_queries(client, url(world, name))
    grow(world, 49)
    large, response = count_queries(client, url(world, name))
    assert large == small, (small, large)
    assert world.community.memberships.count() == 52
    if name == "planning:interviews" and persona != "staff":
        assert response.content.decode().count("Round ") >= 51
