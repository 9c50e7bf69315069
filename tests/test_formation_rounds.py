"""Setting up a formation round (staff): the list, creating and editing a round, who takes
part, topics and caps, criteria, sending personal links, reminders (by hand and the sweep),
deleting, and entering a person's input from paper."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.formation.services import reminders
from cohorts.formation.services import setup as setup_service
from cohorts.models import Activity, FormationEntry, FormationRound, FormationTopic
from cohorts.services.cohorts import ServiceError
from copkit.models import OutboxMessage
from tests import factories
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

Method = FormationRound.Method
Status = FormationRound.Status


def url(name, formation_round, **extra):
    kwargs = {"cohort_slug": formation_round.cohort.slug, "round_id": formation_round.public_id}
    return reverse(f"cohorts:{name}", kwargs={**kwargs, **extra})


def list_url(world, name="formation-list"):
    return reverse(f"cohorts:{name}", kwargs={"cohort_slug": world.cohort.slug})


def make_round(world, **kwargs):
    """A round of the world's cohort with an entry per participant."""
    kwargs.setdefault("method", Method.MATCHING)
    formation_round = factories.FormationRoundFactory(cohort=world.cohort, **kwargs)
    for participant in world.cohort.participants.all():
        factories.FormationEntryFactory(round=formation_round, participant=participant)
    return formation_round


def round_data(**overrides):
    data = {
        "name": "Spring kickoff",
        "method": Method.MATCHING,
        "size_mode": "range",
        "size_min": "3",
        "size_max": "5",
        "group_count": "",
        "scope": "all",
        "deadline": "",
        "instructions": "Tick everyone you enjoyed talking with.",
    }
    data.update(overrides)
    return data


def future(hours=48):
    return (timezone.localtime() + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


# -- the list --------------------------------------------------------------------------------


def test_list_empty_state_explains_the_methods(world, client_for):
    response = client_for("staff").get(list_url(world))
    html = response.content.decode()
    assert "No rounds yet" in html
    assert "Start a round" in html
    for label in ("Pre-assign", "Topic choice", "Criteria", "Speed matching", "Map"):
        assert label in html


def test_list_shows_counts_status_and_deadline(world, client_for):
    formation_round = make_round(world, name="Kickoff", deadline=timezone.now() + timedelta(days=2))
    formation_round.entries.filter(participant=world.leader_participant).update(
        submitted_at=timezone.now()
    )
    factories.FormationRoundFactory(cohort=world.other_cohort, name="Elsewhere round")
    response = client_for("staff").get(list_url(world))
    html = response.content.decode()
    rounds = response.context["rounds"]
    assert [r.name for r in rounds] == ["Kickoff"]
    assert rounds[0].people_count == 2 and rounds[0].answered_count == 1
    assert "Setting up" in html and "Speed matching" in html
    assert "Elsewhere round" not in html


def test_list_query_count_is_flat(world, client_for):
    client = client_for("staff")
    for _ in range(2):
        make_round(world)
    few, _ = count_queries(client, list_url(world))
    for _ in range(28):
        make_round(world)
    many, _ = count_queries(client, list_url(world))
    assert few == many


# -- creating --------------------------------------------------------------------------------


@pytest.mark.parametrize("method", Method.values)
def test_create_each_method_makes_entries_for_everyone(world, client_for, method):
    extra = factories.ParticipantFactory(cohort=world.cohort, name="Nia North")
    factories.ParticipantFactory(cohort=world.other_cohort)
    deadline = future() if method in FormationRound.ASKS_PARTICIPANTS else ""
    response = client_for("staff").post(
        list_url(world, "formation-create"), round_data(method=method, deadline=deadline)
    )
    formation_round = FormationRound.objects.get(cohort=world.cohort)
    assert response.status_code == 302
    assert response.url == formation_round.get_absolute_url()
    assert formation_round.method == method
    assert formation_round.status == Status.SETUP
    assert (formation_round.size_min, formation_round.size_max) == (3, 5)
    assert formation_round.created_by == world.staff
    assert set(formation_round.entries.values_list("participant", flat=True)) == {
        world.leader_participant.pk,
        world.participant_participant.pk,
        extra.pk,
    }
    topics = list(formation_round.topics.all())
    if method == Method.TOPIC:
        assert [(t.name, t.topic) for t in topics] == [("Board development", world.topic)]
    else:
        assert topics == []
    assert Activity.objects.filter(verb="created formation round").count() == 1


def test_create_for_people_not_yet_in_a_community(world, client_for):
    loose = factories.ParticipantFactory(cohort=world.cohort, name="Nia North")
    archived = factories.CommunityFactory(cohort=world.cohort, archived_at=timezone.now())
    in_archived = factories.MembershipFactory(community=archived).participant
    client_for("staff").post(
        list_url(world, "formation-create"),
        round_data(scope="ungrouped", size_mode="count", size_min="", size_max="", group_count="2"),
    )
    formation_round = FormationRound.objects.get(cohort=world.cohort)
    assert formation_round.group_count == 2
    assert formation_round.size_min is None and formation_round.size_max is None
    assert set(formation_round.entries.values_list("participant", flat=True)) == {
        loose.pk,
        in_archived.pk,
    }


def test_create_form_offers_each_method_with_an_explanation(world, client_for):
    response = client_for("staff").get(list_url(world, "formation-create") + "?method=topic")
    html = response.content.decode()
    assert 'value="topic" checked' in html
    assert "ranks the ones they want" in html
    assert 'type="datetime-local"' in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"size_min": "1"}, "size_min", "A group needs at least 2 people."),
        ({"size_min": ""}, "size_min", "Give the smallest group size."),
        ({"size_max": "2"}, "size_max", "The largest group can&#x27;t be smaller"),
        ({"size_max": ""}, "size_max", "Give the largest group size."),
        ({"size_mode": "count", "group_count": "0"}, "group_count", "Form at least one group."),
        ({"size_mode": "count", "group_count": ""}, "group_count", "Say how many groups"),
        ({"deadline": "2020-01-01T10:00"}, "deadline", "Choose a moment in the future."),
        (
            {"method": "map", "deadline": "FUTURE"},
            "deadline",
            "Pre-assign and map rounds ask participants nothing",
        ),
        ({"name": ""}, "name", "This field is required."),
    ],
)
def test_create_errors_show_next_to_their_field(world, client_for, overrides, field, message):
    client = client_for("staff")
    overrides = {k: future() if v == "FUTURE" else v for k, v in overrides.items()}
    response = client.post(list_url(world, "formation-create"), round_data(**overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert list(response.context["form"].errors) == [field]
    # crispy puts the message right under the field, tied to it by id
    error_at = html.index(f'id="error_1_id_{field}"')
    assert message in html[error_at : error_at + 300]
    assert not FormationRound.objects.exists()
    # The same form without the fault goes through.
    response = client.post(list_url(world, "formation-create"), round_data())
    assert response.status_code == 302
    assert FormationRound.objects.count() == 1


def test_method_error_shows_next_to_the_methods(world, client_for):
    response = client_for("staff").post(
        list_url(world, "formation-create"), round_data(method="lottery")
    )
    html = response.content.decode()
    assert list(response.context["form"].errors) == ["method"]
    assert "Select a valid choice" in html[html.index("How groups are formed") :]


# -- editing ---------------------------------------------------------------------------------


def test_edit_saves_and_keeps_method_while_no_input(world, client_for):
    formation_round = make_round(world)
    response = client_for("staff").post(
        url("formation-edit", formation_round),
        round_data(name="Renamed", method="topic", size_min="4", size_max="6"),
    )
    assert response.status_code == 302
    formation_round.refresh_from_db()
    assert (formation_round.name, formation_round.method) == ("Renamed", Method.TOPIC)
    assert (formation_round.size_min, formation_round.size_max) == (4, 6)
    # switched to topic choice: the cohort's topics are there to rank
    assert list(formation_round.topics.values_list("name", flat=True)) == ["Board development"]


def test_method_cannot_change_once_input_was_given(world, client_for):
    formation_round = make_round(world)
    formation_round.entries.filter(participant=world.leader_participant).update(
        choices=[str(world.participant_participant.public_id)]
    )
    client = client_for("staff")
    page = client.get(url("formation-edit", formation_round)).content.decode()
    assert "people have already given their input" in page
    response = client.post(url("formation-edit", formation_round), round_data(method="map"))
    assert response.status_code == 302
    formation_round.refresh_from_db()
    assert formation_round.method == Method.MATCHING
    with pytest.raises(ServiceError):
        setup_service.update_round(formation_round, world.staff, method=Method.MAP)


def test_method_cannot_change_once_a_proposal_exists(world, client_for):
    formation_round = make_round(world)
    factories.FormationProposalFactory(round=formation_round)
    page = client_for("staff").get(url("formation-edit", formation_round)).content.decode()
    assert "groups have been formed with it" in page


def test_edit_scope_resyncs_entries_and_keeps_input(world, client_for):
    loose = factories.ParticipantFactory(cohort=world.cohort, name="Nia North")
    formation_round = make_round(world)
    # Pat answered, Lee did not: both are in a community, so out of the new scope.
    formation_round.entries.filter(participant=world.participant_participant).update(
        submitted_at=timezone.now(), choices=[str(loose.public_id)]
    )
    response = client_for("staff").post(
        url("formation-edit", formation_round), round_data(scope="ungrouped"), follow=True
    )
    people = set(formation_round.entries.values_list("participant", flat=True))
    assert people == {loose.pk, world.participant_participant.pk}
    html = response.content.decode()
    assert "0 added, 1 removed" in html
    assert "1 person outside it stays, because they already gave their input" in html


def test_edit_keeps_a_deadline_that_has_passed(world, client_for):
    passed = timezone.now() - timedelta(hours=2, seconds=17)
    formation_round = make_round(world, deadline=passed)
    client = client_for("staff")
    same = timezone.localtime(passed).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        url("formation-edit", formation_round), round_data(name="Renamed", deadline=same)
    )
    assert response.status_code == 302
    formation_round.refresh_from_db()
    assert formation_round.name == "Renamed"
    # A new deadline in the past is refused.
    earlier = timezone.localtime(passed - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url("formation-edit", formation_round), round_data(deadline=earlier))
    assert list(response.context["form"].errors) == ["deadline"]
    assert response.context["formation_round"].name == "Renamed"


def test_edit_of_published_round_is_refused(world, client_for):
    formation_round = make_round(world, published_at=timezone.now(), status=Status.PUBLISHED)
    response = client_for("staff").post(
        url("formation-edit", formation_round), round_data(name="Changed"), follow=True
    )
    formation_round.refresh_from_db()
    assert formation_round.name != "Changed"
    assert "its settings can no longer change" in response.content.decode()


# -- the hub ---------------------------------------------------------------------------------


def test_detail_shows_steps_people_and_links(world, client_for):
    formation_round = make_round(world)
    entry = formation_round.entries.get(participant=world.leader_participant)
    FormationEntry.objects.filter(pk=entry.pk).update(
        submitted_at=timezone.now(), entered_by=world.staff
    )
    response = client_for("staff").get(formation_round.get_absolute_url())
    html = response.content.decode()
    assert "1. Set up" in html and "2. Collect what people say" in html
    assert "3. Form the groups" in html
    assert (
        reverse(
            "cohorts:formation-run",
            kwargs={"cohort_slug": world.cohort.slug, "round_id": formation_round.public_id},
        )
        in html
    )
    assert "Send personal links" in html
    assert "entered by staff" in html
    assert "http://" in html and entry.get_answer_url() in html
    assert url("formation-entry", formation_round, entry_id=entry.public_id) in html
    assert "Review the groups" not in html
    factories.FormationProposalFactory(round=formation_round)
    html = client_for("staff").get(formation_round.get_absolute_url()).content.decode()
    assert "Review the groups" in html


def test_detail_shows_a_run_in_progress_or_failed(world, client_for):
    formation_round = make_round(world, run_state="running", run_progress=40)
    client = client_for("staff")
    html = client.get(formation_round.get_absolute_url()).content.decode()
    assert "copkit is forming the groups (40% done)" in html
    FormationRound.objects.filter(pk=formation_round.pk).update(
        run_state="failed",
        run_error={"error": "Sizes that cannot work.", "details": ["7 people, groups of 4"]},
    )
    html = client.get(formation_round.get_absolute_url()).content.decode()
    assert "Sizes that cannot work." in html and "7 people, groups of 4" in html


def test_detail_of_preassign_round_skips_collecting(world, client_for):
    formation_round = make_round(world, method=Method.PREASSIGN)
    html = client_for("staff").get(formation_round.get_absolute_url()).content.decode()
    assert "Collect what people say" not in html
    assert "2. Form the groups" in html
    assert "Send personal links" not in html


def test_detail_search_by_name(world, client_for):
    formation_round = make_round(world)
    response = client_for("staff").get(formation_round.get_absolute_url() + "?q=pat")
    assert [e.participant for e in response.context["page"]] == [world.participant_participant]


def test_detail_query_count_is_flat(world, client_for):
    formation_round = make_round(world)
    client = client_for("staff")
    few, _ = count_queries(client, formation_round.get_absolute_url())
    for _ in range(60):
        factories.FormationEntryFactory(round=formation_round, sent_at=timezone.now())
    many, _ = count_queries(client, formation_round.get_absolute_url())
    assert few == many


def test_another_cohorts_round_is_404(world, client_for):
    elsewhere = factories.FormationRoundFactory(cohort=world.other_cohort)
    client = client_for("staff")
    for name in ("formation-detail", "formation-edit", "formation-people", "formation-topics"):
        target = reverse(
            f"cohorts:{name}",
            kwargs={"cohort_slug": world.cohort.slug, "round_id": elsewhere.public_id},
        )
        assert client.get(target).status_code == 404
    target = reverse(
        "cohorts:formation-delete",
        kwargs={"cohort_slug": world.cohort.slug, "round_id": elsewhere.public_id},
    )
    assert client.post(target).status_code == 404
    assert FormationRound.objects.filter(pk=elsewhere.pk).exists()


# -- deleting --------------------------------------------------------------------------------


def test_delete_refused_when_published_then_allowed(world, client_for):
    formation_round = make_round(world, status=Status.PUBLISHED, published_at=timezone.now())
    client = client_for("staff")
    response = client.post(url("formation-delete", formation_round), follow=True)
    assert FormationRound.objects.filter(pk=formation_round.pk).exists()
    assert "A published round can&#x27;t be deleted" in response.content.decode()
    FormationRound.objects.filter(pk=formation_round.pk).update(
        published_at=None, status=Status.REVIEW
    )
    response = client.post(url("formation-delete", formation_round))
    assert response.status_code == 302
    assert response.url == list_url(world)
    assert not FormationRound.objects.filter(pk=formation_round.pk).exists()
    assert not FormationEntry.objects.filter(round_id=formation_round.pk).exists()


# -- who takes part --------------------------------------------------------------------------


def test_people_page_lists_everyone_with_communities(world, client_for):
    formation_round = make_round(world)
    formation_round.entries.filter(participant=world.leader_participant).delete()
    factories.ParticipantFactory(cohort=world.other_cohort, name="Far Away")
    response = client_for("staff").get(url("formation-people", formation_round))
    html = response.content.decode()
    rows = {p.name: p.takes_part for p in response.context["page"]}
    assert rows == {"Lee Leader": False, "Pat Participant": True}
    assert "Board Builders" in html
    assert "Far Away" not in html


def test_people_add_and_remove(world, client_for):
    formation_round = make_round(world)
    newcomer = factories.ParticipantFactory(cohort=world.cohort, name="Nia North")
    formation_round.entries.filter(participant=world.participant_participant).update(
        submitted_at=timezone.now()
    )
    shown = [world.leader_participant, world.participant_participant, newcomer]
    response = client_for("staff").post(
        url("formation-people", formation_round),
        {
            "shown": [str(p.public_id) for p in shown],
            "takes_part": [str(world.leader_participant.public_id), str(newcomer.public_id)],
        },
        follow=True,
    )
    people = set(formation_round.entries.values_list("participant", flat=True))
    assert people == {world.leader_participant.pk, newcomer.pk}
    html = response.content.decode()
    assert "1 added, 1 removed" in html
    assert "1 of those removed had given their input; it was removed with them." in html


def test_people_who_joined_later_can_be_added_at_once(world, client_for):
    formation_round = make_round(world)
    late = factories.ParticipantFactory(cohort=world.cohort, name="Nia North")
    client = client_for("staff")
    html = client.get(url("formation-people", formation_round)).content.decode()
    assert "1 person in this round" in html
    response = client.post(
        url("formation-people", formation_round), {"action": "add_missing"}, follow=True
    )
    assert "1 person added." in response.content.decode()
    assert formation_round.entries.filter(participant=late).exists()
    assert "in this round's group" not in response.content.decode()


def test_people_only_touches_the_people_shown(world, client_for):
    formation_round = make_round(world)
    client_for("staff").post(
        url("formation-people", formation_round),
        {"shown": [str(world.leader_participant.public_id)], "takes_part": []},
    )
    people = set(formation_round.entries.values_list("participant", flat=True))
    assert people == {world.participant_participant.pk}


def test_people_from_another_cohort_are_refused(world, client_for):
    formation_round = make_round(world)
    stranger = factories.ParticipantFactory(cohort=world.other_cohort)
    response = client_for("staff").post(
        url("formation-people", formation_round),
        {"shown": [str(stranger.public_id)], "takes_part": [str(stranger.public_id)]},
        follow=True,
    )
    assert "not in this cohort" in response.content.decode()
    assert not formation_round.entries.filter(participant=stranger).exists()


def test_people_query_count_is_flat(world, client_for):
    formation_round = make_round(world)
    client = client_for("staff")
    few, _ = count_queries(client, url("formation-people", formation_round))
    for _ in range(30):
        membership = factories.MembershipFactory(community=world.community)
        factories.FormationEntryFactory(round=formation_round, participant=membership.participant)
    many, _ = count_queries(client, url("formation-people", formation_round))
    assert few == many


# -- topics ----------------------------------------------------------------------------------


def test_topics_add_and_cap_validation(world, client_for):
    formation_round = make_round(world, method=Method.TOPIC)
    client = client_for("staff")
    target = url("formation-topics", formation_round)
    response = client.post(target, {"action": "add", "new-name": "Fundraising", "new-cap": "0"})
    assert response.status_code == 200
    assert list(response.context["add_form"].errors) == ["cap"]
    html = response.content.decode()
    error_at = html.index('id="error_1_id_new-cap"')
    assert "A cap must be at least 1" in html[error_at : error_at + 200]
    assert not formation_round.topics.exists()
    response = client.post(
        target, {"action": "add", "new-name": "Fundraising", "new-cap": "5"}, follow=True
    )
    topic = formation_round.topics.get()
    assert (topic.name, topic.cap) == ("Fundraising", 5)
    assert "“Fundraising” added." in response.content.decode()


def test_topic_caps_save_and_show_errors_on_their_row(world, client_for):
    formation_round = make_round(world, method=Method.TOPIC)
    first = factories.FormationTopicFactory(round=formation_round, name="Boards", position=0)
    second = factories.FormationTopicFactory(round=formation_round, name="Funds", position=1)
    client = client_for("staff")
    target = url("formation-topics", formation_round)
    response = client.post(
        target, {"action": "caps", f"cap_{first.public_id}": "0", f"cap_{second.public_id}": "3"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    error_at = html.index(f'id="id_cap_{first.public_id}-error"')
    assert "A cap must be at least 1" in html[error_at : error_at + 200]
    assert f'id="id_cap_{second.public_id}-error"' not in html
    second.refresh_from_db()
    assert second.cap is None  # nothing half-saved
    response = client.post(
        target, {"action": "caps", f"cap_{first.public_id}": "", f"cap_{second.public_id}": "3"}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.cap, second.cap) == (None, 3)


def test_topic_caps_warn_when_too_few_places(world, client_for):
    formation_round = make_round(world, method=Method.TOPIC)
    for _ in range(40):
        factories.FormationEntryFactory(round=formation_round)
    factories.FormationTopicFactory(round=formation_round, cap=20)
    other = factories.FormationTopicFactory(round=formation_round, cap=None)
    client = client_for("staff")
    html = client.get(url("formation-topics", formation_round)).content.decode()
    assert "would get none of their choices" not in html  # one area has no cap
    FormationTopic.objects.filter(pk=other.pk).update(cap=10)
    html = client.get(url("formation-topics", formation_round)).content.decode()
    assert "Caps add up to 30 but 42 people take part: 12 would get none of their choices" in html
    assert (
        "The caps add up to 30 but 42 people take part"
        in client.get(formation_round.get_absolute_url()).content.decode()
    )


def test_topic_delete(world, client_for):
    formation_round = make_round(world, method=Method.TOPIC)
    topic = factories.FormationTopicFactory(round=formation_round, name="Boards")
    response = client_for("staff").post(
        url("formation-topic-delete", formation_round, topic_id=topic.public_id)
    )
    assert response.status_code == 302
    assert not formation_round.topics.exists()


def test_topics_page_of_another_method_says_so(world, client_for):
    formation_round = make_round(world)
    html = client_for("staff").get(url("formation-topics", formation_round)).content.decode()
    assert "has no subject areas" in html


# -- criteria --------------------------------------------------------------------------------


def criteria_data(**overrides):
    data = {
        "use_region": "on",
        "rule_region": "similar",
        "weight_region": "4",
        "use_commitment": "on",
        "rule_commitment": "mix",
        "weight_commitment": "2",
        "custom_question": "",
        "custom_options": "",
    }
    for key in ("expertise", "format", "org_type", "priorities", "mission", "custom"):
        data.setdefault(f"rule_{key}", "similar")
        data.setdefault(f"weight_{key}", "3")
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_criteria_save(world, client_for):
    formation_round = make_round(world, method=Method.CRITERIA)
    response = client_for("staff").post(
        url("formation-criteria", formation_round),
        criteria_data(
            use_custom="on",
            rule_custom="mix",
            custom_question="Which day suits you?",
            custom_options="Monday\n\n Friday \n",
        ),
    )
    assert response.status_code == 302
    formation_round.refresh_from_db()
    assert formation_round.criteria == [
        {"attribute": "region", "rule": "similar", "weight": 4},
        {"attribute": "commitment", "rule": "mix", "weight": 2},
        {"attribute": "custom", "rule": "mix", "weight": 3},
    ]
    assert formation_round.custom_question == "Which day suits you?"
    assert formation_round.custom_option_list == ["Monday", "Friday"]
    page = client_for("staff").get(url("formation-criteria", formation_round)).content.decode()
    assert 'name="use_region" id="id_use_region" checked' in page


def test_criteria_need_at_least_one(world, client_for):
    formation_round = make_round(world, method=Method.CRITERIA)
    response = client_for("staff").post(
        url("formation-criteria", formation_round),
        criteria_data(use_region=None, use_commitment=None),
    )
    assert response.status_code == 200
    assert "Choose at least one criterion" in response.content.decode()
    formation_round.refresh_from_db()
    assert formation_round.criteria == []


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"custom_options": "Monday\nFriday"}, "custom_question", "Write the question"),
        (
            {"custom_question": "Which day?", "custom_options": "Monday"},
            "custom_options",
            "at least two answers",
        ),
        ({"weight_region": "9"}, "weight_region", "Select a valid choice"),
    ],
)
def test_criteria_errors_next_to_their_field(world, client_for, overrides, field, message):
    formation_round = make_round(world, method=Method.CRITERIA)
    response = client_for("staff").post(
        url("formation-criteria", formation_round), criteria_data(use_custom="on", **overrides)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    formation_round.refresh_from_db()
    assert formation_round.criteria == []


# -- sending links ---------------------------------------------------------------------------


def send(client, formation_round, action="send"):
    return client.post(url("formation-send", formation_round), {"action": action}, follow=True)


def test_send_links_once_per_person(world, client_for, django_capture_on_commit_callbacks):
    formation_round = make_round(world, instructions="Bring your notes.")
    client = client_for("staff")
    with django_capture_on_commit_callbacks(execute=False):
        response = send(client, formation_round)
    assert "Personal links on their way to 2 people." in response.content.decode()
    messages = OutboxMessage.objects.filter(kind="formation")
    assert messages.count() == 2
    entry = formation_round.entries.get(participant=world.leader_participant)
    message = messages.get(key=f"formation-invite:{entry.pk}")
    assert message.to_email == world.leader_participant.email
    assert "http://" in message.body_text and entry.get_answer_url() in message.body_text
    assert "Bring your notes." in message.body_text
    assert "good match" in message.subject
    formation_round.refresh_from_db()
    assert formation_round.status == Status.COLLECTING
    assert formation_round.links_sent_at is not None
    assert not formation_round.entries.filter(sent_at__isnull=True).exists()
    # Twice: nothing new.
    response = send(client, formation_round)
    assert "has their link already" in response.content.decode()
    assert OutboxMessage.objects.filter(kind="formation").count() == 2
    # A newcomer gets theirs, the others nothing again.
    factories.FormationEntryFactory(round=formation_round)
    send(client, formation_round)
    assert OutboxMessage.objects.filter(kind="formation").count() == 3


def test_send_refused_until_the_round_is_ready(world, client_for):
    client = client_for("staff")
    topic_round = make_round(world, method=Method.TOPIC)
    response = send(client, topic_round)
    assert "Add the subject areas" in response.content.decode()
    criteria_round = make_round(world, method=Method.CRITERIA)
    assert "Choose the criteria first" in send(client, criteria_round).content.decode()
    FormationRound.objects.filter(pk=criteria_round.pk).update(
        criteria=[{"attribute": "region", "rule": "similar", "weight": 3}]
    )
    assert "nothing to ask" in send(client, criteria_round).content.decode()
    late = make_round(world, deadline=timezone.now() - timedelta(hours=1))
    assert "The deadline has passed" in send(client, late).content.decode()
    assert not OutboxMessage.objects.exists()
    # Once ready, it goes.
    factories.FormationTopicFactory(round=topic_round)
    send(client, topic_round)
    assert OutboxMessage.objects.count() == 2


def test_send_without_action_says_what_to_do(world, client_for):
    formation_round = make_round(world)
    response = client_for("staff").post(url("formation-send", formation_round), follow=True)
    assert "Choose whether to send the links" in response.content.decode()
    assert not OutboxMessage.objects.exists()


def test_remind_those_who_have_not_answered(world, client_for):
    formation_round = make_round(world)
    client = client_for("staff")
    send(client, formation_round)
    formation_round.entries.filter(participant=world.participant_participant).update(
        submitted_at=timezone.now()
    )
    response = send(client, formation_round, "remind")
    assert "1 person reminded." in response.content.decode()
    lee = formation_round.entries.get(participant=world.leader_participant)
    assert lee.reminded_at is not None
    assert OutboxMessage.objects.filter(key__startswith=f"formation-reminder:{lee.pk}").count() == 1
    # Again at once: Lee was reminded moments ago and is left alone.
    response = send(client, formation_round, "remind")
    assert "0 people reminded. 1 was reminded in the last 24 hours" in response.content.decode()
    assert OutboxMessage.objects.filter(key__startswith="formation-reminder:").count() == 1


def test_remind_refused_when_not_collecting(world, client_for):
    formation_round = make_round(world)
    response = send(client_for("staff"), formation_round, "remind")
    assert "only while the round collects input" in response.content.decode()


# -- the reminder sweep ----------------------------------------------------------------------


@pytest.fixture
def collecting(world):
    """A collecting round whose deadline is 12 hours away, links sent to Lee and Pat."""
    return make_round(
        world,
        status=Status.COLLECTING,
        deadline=timezone.now() + timedelta(hours=12),
        links_sent_at=timezone.now() - timedelta(days=3),
    )


def sent(formation_round):
    formation_round.entries.update(sent_at=timezone.now() - timedelta(days=3))


def test_sweep_reminds_those_due_once(world, collecting):
    sent(collecting)
    collecting.entries.filter(participant=world.participant_participant).update(
        submitted_at=timezone.now()
    )
    assert reminders.queue_due_reminders() == 1
    lee = collecting.entries.get(participant=world.leader_participant)
    message = OutboxMessage.objects.get(key=f"formation-reminder:{lee.pk}")
    assert message.to_email == world.leader_participant.email
    assert lee.get_answer_url() in message.body_text
    # Claimed once: a second sweep (or a second beat) sends nothing.
    assert reminders.queue_due_reminders() == 0
    assert OutboxMessage.objects.filter(key__startswith="formation-reminder:").count() == 1


def test_sweep_leaves_rounds_not_due(world, collecting):
    sent(collecting)
    far = make_round(world, status=Status.COLLECTING, deadline=timezone.now() + timedelta(days=3))
    sent(far)
    past = make_round(world, status=Status.COLLECTING, deadline=timezone.now() - timedelta(hours=1))
    sent(past)
    setup = make_round(world, deadline=timezone.now() + timedelta(hours=6))
    sent(setup)
    no_deadline = make_round(world, status=Status.COLLECTING)
    sent(no_deadline)
    assert reminders.queue_due_reminders() == 2  # only the collecting round's two
    assert set(
        FormationEntry.objects.filter(reminded_at__isnull=False).values_list("round", flat=True)
    ) == {collecting.pk}


def test_sweep_skips_unsent_answered_and_reminded(world, collecting):
    collecting.entries.filter(participant=world.leader_participant).update(
        sent_at=timezone.now(), submitted_at=timezone.now()
    )
    assert reminders.queue_due_reminders() == 0  # Pat never got a link; Lee answered
    collecting.entries.filter(participant=world.participant_participant).update(
        sent_at=timezone.now(), reminded_at=timezone.now() - timedelta(days=1)
    )
    assert reminders.queue_due_reminders() == 0  # Pat was reminded already
    assert not OutboxMessage.objects.exists()


def test_sweep_leaves_alone_people_who_just_got_their_link(world, collecting):
    collecting.entries.update(sent_at=timezone.now() - timedelta(hours=2))
    assert reminders.queue_due_reminders() == 0
    later = timezone.now() + timedelta(hours=10, minutes=30)
    assert reminders.queue_due_reminders(now=later) == 2


def test_sweep_claim_is_conditional(world, collecting):
    from cohorts.formation.services.reminders import _claim_reminder

    sent(collecting)
    entry = collecting.entries.get(participant=world.leader_participant)
    now = timezone.now()
    assert _claim_reminder(entry, now) is True
    assert _claim_reminder(entry, now) is False  # the row changed: lost the race


def test_celery_task_runs_the_sweep(world, collecting):
    from cohorts.tasks import send_formation_reminders

    sent(collecting)
    assert send_formation_reminders() == 2


# -- input on paper --------------------------------------------------------------------------


def test_paper_entry_saves(world, client_for):
    formation_round = make_round(world, status=Status.COLLECTING)
    entry = formation_round.entries.get(participant=world.leader_participant)
    target = url("formation-entry", formation_round, entry_id=entry.public_id)
    client = client_for("staff")
    page = client.get(target).content.decode()
    assert "Pat Participant" in page
    response = client.post(target, {"choices": [str(world.participant_participant.public_id)]})
    assert response.status_code == 302
    assert response.url == formation_round.get_absolute_url()
    entry.refresh_from_db()
    assert entry.choices == [str(world.participant_participant.public_id)]
    assert entry.entered_by == world.staff
    assert entry.submitted_at is not None
    html = client.get(formation_round.get_absolute_url()).content.decode()
    assert "entered by staff" in html


def test_paper_entry_of_a_map_round_has_nothing_to_enter(world, client_for):
    formation_round = make_round(world, method=Method.MAP)
    entry = formation_round.entries.first()
    response = client_for("staff").get(
        url("formation-entry", formation_round, entry_id=entry.public_id)
    )
    assert "there is nothing to enter" in response.content.decode()
