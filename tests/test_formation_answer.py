"""A participant's page in a formation round (/f/<token>/), the input services behind it,
and the home page's ask to make one's choices."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.formation.methods import input_form as formation_input_form
from cohorts.formation.methods import method_of
from cohorts.formation.methods.criteria import AnswersForm
from cohorts.formation.methods.matching import ChoicesForm
from cohorts.formation.methods.topic import RankingForm
from cohorts.formation.services import input as service
from cohorts.formation.wording import deadline_words
from cohorts.models import FormationEntry, FormationRound, FormationTopic
from copkit.errors import ServiceError, show_error
from tests import factories
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

Method = FormationRound.Method
Status = FormationRound.Status


def make_round(world, method=Method.MATCHING, people=3, **extra):
    """A collecting round of `world`'s cohort with Pat and `people - 1` others, closing
    in two days. Returns (round, Pat's entry, the other entries)."""
    extra.setdefault("deadline", timezone.now() + timedelta(days=2))
    formation_round = factories.FormationRoundFactory(
        cohort=world.cohort, method=method, status=Status.COLLECTING, name="Spring COPs", **extra
    )
    pat = factories.FormationEntryFactory(
        round=formation_round, participant=world.participant_participant
    )
    others = [
        factories.FormationEntryFactory(
            round=formation_round,
            participant=factories.ParticipantFactory(
                cohort=world.cohort, organization=world.organization, name=f"Person {i:03d}"
            ),
        )
        for i in range(people - 1)
    ]
    return formation_round, pat, others


def topics_for(formation_round, *names, cap=None):
    return [
        factories.FormationTopicFactory(
            round=formation_round, name=name, position=i, cap=cap, description=f"About {name}"
        )
        for i, name in enumerate(names)
    ]


def pid(entry):
    return str(entry.participant.public_id)


def url(entry):
    return reverse("formation-answer", kwargs={"token": entry.token})


def html_of(client, entry):
    response = client.get(url(entry))
    assert response.status_code == 200
    return response.content.decode()


def criteria_round(world):
    formation_round, pat, others = make_round(
        world,
        Method.CRITERIA,
        criteria=[
            {"attribute": "commitment", "rule": "similar", "weight": 2},
            {"attribute": "priorities", "rule": "similar", "weight": 1},
            {"attribute": "custom", "rule": "mix", "weight": 1},
            {"attribute": "format", "rule": "similar", "weight": 1},
        ],
        custom_question="Which day suits you?",
        custom_options="Monday\nFriday\n",
    )
    factories.TopicFactory(cohort=world.cohort, name="Raising funds")
    return formation_round, pat, others


# -- speed matching --------------------------------------------------------------------------


def test_matching_page_lists_the_others_and_saves_the_marked(world, client):
    _formation_round, pat, others = make_round(
        world, instructions="Mark the people you enjoyed talking to."
    )
    html = html_of(client, pat)
    assert "Spring COPs" in html
    assert "Mark the people you enjoyed talking to." in html
    assert "Choices close on" in html
    assert "Person 000 — Riverbend Food Pantry" in html
    assert "Pat Participant —" not in html  # not themself
    assert "data-formation-filter" in html and "formation-answer.js" in html
    assert "You have not marked anyone yet." in html

    response = client.post(url(pat), {"choices": [pid(others[0]), pid(others[1])]}, follow=True)
    assert response.redirect_chain[-1][0] == url(pat)
    html = response.content.decode()
    assert "Saved. You can change your choices until the deadline" in html
    assert "You marked 2 people." in html
    assert "The people you marked" in html
    pat.refresh_from_db()
    assert pat.choices == [pid(others[0]), pid(others[1])]
    assert pat.submitted_at is not None and pat.entered_by is None

    # They change their mind before the deadline.
    client.post(url(pat), {"choices": [pid(others[1])]})
    pat.refresh_from_db()
    assert pat.choices == [pid(others[1])]


def test_matching_refuses_someone_outside_the_round_by_name(world, client):
    _formation_round, pat, others = make_round(world)
    outside = factories.ParticipantFactory(cohort=world.cohort, name="Quinn Outside")
    response = client.post(url(pat), {"choices": [pid(others[0]), str(outside.public_id)]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Quinn Outside is not taking part in this round." in html
    assert re.search(r'id="id_choices_error"[^>]*>\s*<p[^>]*><strong>Quinn Outside', html)
    assert "You marked 1 person." in html  # only the one on the list counts
    pat.refresh_from_db()
    assert pat.choices == [] and pat.submitted_at is None
    # Someone unknown altogether (another cohort, or garbage): still a clear message.
    stranger = factories.ParticipantFactory(name="Far Away")
    for value in (str(stranger.public_id), "not-a-uuid"):
        response = client.post(url(pat), {"choices": [value]})
        assert "Someone you chose is not taking part in this round." in response.content.decode()
    # The valid request goes through.
    assert client.post(url(pat), {"choices": [pid(others[0])]}).status_code == 302


def test_matching_refuses_choosing_yourself(world, client):
    _formation_round, pat, _others = make_round(world)
    response = client.post(url(pat), {"choices": [pid(pat)]})
    assert response.status_code == 200
    assert "You can&#x27;t choose yourself." in response.content.decode()
    pat.refresh_from_db()
    assert pat.choices == []
    with pytest.raises(ServiceError, match="can't choose themself"):
        service.save_choices(pat, [pid(pat)], actor=world.staff)


def test_matching_marking_nobody_is_a_saved_answer(world, client):
    _formation_round, pat, _others = make_round(world)
    assert client.post(url(pat), {}).status_code == 302
    pat.refresh_from_db()
    assert pat.choices == [] and pat.submitted_at is not None
    assert "You saved your list without marking anyone." in html_of(client, pat)


# -- topic choice ----------------------------------------------------------------------------


def test_topic_page_shows_areas_with_caps_and_first_choices_and_saves(world, client):
    formation_round, pat, others = make_round(world, Method.TOPIC, people=4)
    boards, funds, _staff_dev = topics_for(formation_round, "Boards", "Funds", "Staff", cap=12)
    service.save_ranking(others[0], [str(boards.public_id)])
    service.save_ranking(others[1], [str(boards.public_id), str(funds.public_id)])
    html = html_of(client, pat)
    assert "About Boards" in html and "12 places" in html
    assert "2 people have it as first choice" in html
    assert "0 people have it as first choice" in html
    assert "Popular:" not in html
    assert "Who chose it first" in html and others[0].participant.name in html
    assert "First choice" in html and "Third choice" in html and "Fourth choice" not in html

    response = client.post(
        url(pat),
        {"choice_1": str(funds.public_id), "choice_2": str(boards.public_id), "choice_3": ""},
        follow=True,
    )
    pat.refresh_from_db()
    assert pat.ranking == [str(funds.public_id), str(boards.public_id)]
    html = response.content.decode()
    assert "Your saved choices" in html
    assert html.index("<li>Funds</li>") < html.index("<li>Boards</li>")
    FormationTopic.objects.filter(pk=boards.pk).update(cap=2)
    assert "Popular: as many people chose it first as it has places" in html_of(client, pat)
    assert service.current_counts(formation_round) == {
        str(boards.public_id): 2,
        str(funds.public_id): 1,
    }


def test_topic_errors_beside_the_select(world, client):
    formation_round, pat, _others = make_round(world, Method.TOPIC)
    boards, funds = topics_for(formation_round, "Boards", "Funds")
    response = client.post(
        url(pat), {"choice_1": str(boards.public_id), "choice_2": str(boards.public_id)}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "You already chose Boards as your first choice." in html
    # Beside the second select, and in the summary at the top.
    assert re.search(
        r'id="id_choice_2_error"[^>]*>\s*<p[^>]*><strong>You already chose Boards', html
    )
    assert 'href="#div_id_choice_2">Second choice</a>: You already chose Boards' in html
    response = client.post(url(pat), {"choice_1": "", "choice_2": str(funds.public_id)})
    assert "Choose your first choice." in response.content.decode()
    pat.refresh_from_db()
    assert pat.ranking == [] and pat.submitted_at is None
    # A topic of another round, forged.
    elsewhere = factories.FormationTopicFactory()
    response = client.post(url(pat), {"choice_1": str(elsewhere.public_id)})
    assert response.status_code == 200
    assert client.post(url(pat), {"choice_1": str(funds.public_id)}).status_code == 302


def test_ranking_service_rules(world):
    formation_round, pat, _others = make_round(world, Method.TOPIC)
    boards, _funds = topics_for(formation_round, "Boards", "Funds")
    with pytest.raises(ServiceError, match="at least one"):
        service.save_ranking(pat, [])
    with pytest.raises(ServiceError, match="Boards more than once"):
        service.save_ranking(pat, [str(boards.public_id), str(boards.public_id)])
    with pytest.raises(ServiceError, match="not part of this round"):
        service.save_ranking(pat, [str(factories.FormationTopicFactory().public_id)])
    service.save_ranking(pat, [str(boards.public_id)])
    assert service.topic_members(formation_round) == {str(boards.public_id): ["Pat Participant"]}


# -- criteria --------------------------------------------------------------------------------


def test_criteria_page_asks_the_questions_and_saves(world, client):
    _formation_round, pat, _others = criteria_round(world)
    html = html_of(client, pat)
    assert "How much time could you give this community?" in html
    assert "Which of these are priorities for your organization" in html
    assert "Which day suits you?" in html and "Friday" in html
    assert "Raising funds" in html
    # Profile criteria are not asked.
    assert "Virtual or in-person" not in html
    response = client.post(
        url(pat),
        {"commitment": "2", "priorities": ["raising-funds"], "custom": "Friday"},
        follow=True,
    )
    pat.refresh_from_db()
    assert pat.answers == {"commitment": 2, "priorities": ["raising-funds"], "custom": "Friday"}
    html = response.content.decode()
    assert "Your saved answers" in html and "Two or three hours a month" in html


def test_criteria_bad_answers_stay_beside_their_question(world, client):
    _formation_round, pat, _others = criteria_round(world)
    response = client.post(url(pat), {"commitment": "9", "custom": "Sunday"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("is-invalid") >= 2
    assert "That answer is not on the list: please choose one." in html
    response = client.post(url(pat), {"custom": "Friday"})
    assert "Please choose an answer." in response.content.decode()
    pat.refresh_from_db()
    assert pat.answers == {} and pat.submitted_at is None
    with pytest.raises(ServiceError, match="not on the list"):
        service.save_answers(pat, {"commitment": "2", "priorities": ["nope"], "custom": "Friday"})
    with pytest.raises(ServiceError, match="Please answer"):
        service.save_answers(pat, {"priorities": [], "custom": "Friday"})


# -- methods that ask nothing ----------------------------------------------------------------


@pytest.mark.parametrize("method", [Method.MAP, Method.PREASSIGN])
def test_map_and_preassign_have_nothing_to_do(world, client, method):
    _formation_round, pat, _others = make_round(world, method)
    assert formation_input_form(pat) is None
    html = html_of(client, pat)
    assert "There is nothing for you to do here." in html
    assert '<form method="post" novalidate class="formation-form"' not in html


# -- the deadline, closing and publishing -----------------------------------------------------


def test_after_the_deadline_the_page_is_read_only(world, client):
    formation_round, pat, others = make_round(world)
    service.save_choices(pat, [pid(others[0])])
    FormationRound.objects.filter(pk=formation_round.pk).update(
        deadline=timezone.now() - timedelta(minutes=1)
    )
    html = html_of(client, pat)
    assert "Choices are closed" in html and "Choices closed on" in html
    assert others[0].participant.name in html
    assert 'name="choices"' not in html
    response = client.post(url(pat), {"choices": [pid(others[1])]})
    assert response.status_code == 200
    assert "nothing was changed" in response.content.decode()
    pat.refresh_from_db()
    assert pat.choices == [pid(others[0])]
    # Through the service too, the person can't; staff entering a paper list can.
    with pytest.raises(ServiceError, match="Choices are closed"):
        service.save_choices(pat, [pid(others[1])])
    service.save_choices(pat, [pid(others[1])], actor=world.staff)
    pat.refresh_from_db()
    assert pat.choices == [pid(others[1])] and pat.entered_by == world.staff
    assert "Your TTA team entered these for you." in html_of(client, pat)


def test_review_and_setup_states_take_no_input(world, client):
    formation_round, pat, others = make_round(world, deadline=None)
    formation_round.status = Status.REVIEW
    formation_round.save()
    html = html_of(client, pat)
    assert "Choices are closed" in html and "You did not give any choices" in html
    formation_round.status = Status.SETUP
    formation_round.save()
    assert "not open for choices yet" in html_of(client, pat)
    client.post(url(pat), {"choices": [pid(others[0])]})
    pat.refresh_from_db()
    assert pat.choices == []


def test_published_round_shows_the_community(world, client):
    formation_round, pat, others = make_round(world)
    group = factories.ProposedGroupFactory(
        proposal__round=formation_round, name="Group 1", community=world.community
    )
    factories.ProposedMemberFactory(group=group, participant=pat.participant)
    FormationRound.objects.filter(pk=formation_round.pk).update(
        status=Status.PUBLISHED, published_at=timezone.now()
    )
    html = html_of(client, pat)
    assert "You are in <strong>Board Builders</strong>." in html
    assert world.community.get_absolute_url() in html
    # Someone the groups left out is told so.
    assert "not in one of the communities" in html_of(client, others[0])
    formation_round.refresh_from_db()
    with pytest.raises(ServiceError, match="published"):
        service.save_choices(pat, [], actor=world.staff)


def test_unknown_token_is_404(world, client):
    response = client.get(reverse("formation-answer", kwargs={"token": "nope"}))
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    assert client.post(reverse("formation-answer", kwargs={"token": "nope"})).status_code == 404


def test_someone_elses_link_warns(world, client_for):
    _formation_round, pat, _others = make_round(world)
    html = html_of(client_for("leader"), pat)
    assert "This personal link belongs to Pat Participant." in html


def test_deadline_in_words():
    from zoneinfo import ZoneInfo

    from django.utils.timezone import datetime

    ny = ZoneInfo("America/New_York")
    now = datetime(2026, 11, 25, 12, tzinfo=ny)
    assert (
        deadline_words(datetime(2026, 12, 4, 17, tzinfo=ny), now)
        == "Choices close on Friday, December 4, 2026, 5:00 p.m. EST"
    )
    assert deadline_words(datetime(2026, 12, 4, 9, 30, tzinfo=ny), now, zone="America/Chicago") == (
        "Choices close on Friday, December 4, 2026, 8:30 a.m. CST"
    )
    assert deadline_words(datetime(2026, 11, 20, 17, tzinfo=ny), now).startswith("Choices closed")


# -- forms used by staff ---------------------------------------------------------------------


def test_forms_start_from_the_saved_input_and_save_for_staff(world):
    _formation_round, pat, others = make_round(world)
    service.save_choices(pat, [pid(others[0])])
    form = formation_input_form(pat)
    assert isinstance(form, ChoicesForm)
    assert form["choices"].value() == [pid(others[0])]
    form = ChoicesForm(pat, {"choices": [pid(others[1])]})
    assert form.is_valid()
    assert method_of(pat.round).save_input(form, actor=world.staff) is not None
    assert FormationEntry.objects.get(pk=pat.pk).entered_by == world.staff
    assert isinstance(
        formation_input_form(factories.FormationEntryFactory(round__method=Method.TOPIC)),
        RankingForm,
    )
    assert isinstance(
        formation_input_form(factories.FormationEntryFactory(round__method=Method.CRITERIA)),
        AnswersForm,
    )


def test_a_refused_save_is_a_service_error_shown_on_the_form(world, rf):
    formation_round, pat, others = make_round(world)
    form = ChoicesForm(pat, {"choices": [pid(others[0])]})
    assert form.is_valid()
    # The round closes between reading the page and saving: the save reads it afresh.
    FormationRound.objects.filter(pk=formation_round.pk).update(status=Status.REVIEW)
    with pytest.raises(ServiceError, match="Choices are closed") as refused:
        method_of(pat.round).save_input(form)
    show_error(rf.post("/"), refused.value, form)
    assert "Choices are closed" in str(form.errors)


# -- home ------------------------------------------------------------------------------------


def test_home_asks_to_help_form_the_groups_until_answered(world, client_for):
    _formation_round, pat, others = make_round(world)
    closed, _closed_pat, _others = make_round(world, deadline=timezone.now() - timedelta(hours=1))
    closed.name = "Closed round"
    closed.save()
    client = client_for("participant")
    html = client.get(reverse("home")).content.decode()
    assert "Help form the groups: Spring COPs — closes on" in html
    assert f'href="{url(pat)}"' in html
    assert "Closed round" not in html
    service.save_choices(pat, [pid(others[0])])
    html = client.get(reverse("home")).content.decode()
    assert "Help form the groups" not in html


# -- query counts ----------------------------------------------------------------------------


@pytest.mark.parametrize("method", [Method.MATCHING, Method.TOPIC, Method.CRITERIA])
def test_answer_page_query_count_is_flat(world, client, method):
    counts = []
    for people in (5, 60):
        formation_round, pat, others = make_round(world, method, people=people)
        if method == Method.CRITERIA:
            formation_round.criteria = [{"attribute": "priorities", "rule": "mix", "weight": 1}]
            formation_round.save()
            factories.TopicFactory(cohort=world.cohort)
        topics = topics_for(formation_round, *[f"Area {i}" for i in range(people // 5)])
        for index, other in enumerate(others):
            if method == Method.MATCHING:
                service.save_choices(other, [pid(pat)])
            elif method == Method.TOPIC:
                service.save_ranking(other, [str(topics[index % len(topics)].public_id)])
        small_or_large, response = count_queries(client, url(pat))
        html = response.content.decode()
        counts.append(small_or_large)
        if method == Method.MATCHING:
            assert others[-1].participant.name in html
    assert counts[0] == counts[1], counts


def test_every_method_choice_has_its_module_in_the_registry():
    from cohorts.formation.methods import METHODS

    assert set(METHODS) == set(FormationRound.Method.values)
    for value in FormationRound.Method.values:
        method = method_of(value)
        assert method.value == value
        # The model's list (used in queries) agrees with what each method asks.
        assert method.asks_participants == (value in FormationRound.ASKS_PARTICIPANTS)
