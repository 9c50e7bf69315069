"""The needs-and-expertise inventory: entries, suggested and confirmed connections, who may
make and remove them, filling the inventory from answers, and the pages' query counts."""

import uuid
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Activity
from planning.archived import CommunityArchived
from planning.models import Answer, Connection, InventoryEntry, Question, Response
from planning.needs.services import inventory
from planning.needs.services.inventory import fill_from_response
from tests import factories
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

NEED = InventoryEntry.Kind.NEED
EXPERTISE = InventoryEntry.Kind.EXPERTISE


def url(world, name, **kwargs):
    return reverse(
        f"planning:{name}",
        kwargs={"cohort_slug": world.cohort.slug, "community_slug": world.community.slug, **kwargs},
    )


def add_member(world, name, community=None):
    """A participant with a login who is a plain member of `community` (Board Builders)."""
    user = factories.UserFactory(name=name)
    person = factories.ParticipantFactory(
        cohort=world.cohort, user=user, name=name, email=user.email
    )
    factories.MembershipFactory(community=community or world.community, participant=person)
    person.login = user
    return person


def entry(person, topic, kind=NEED, description=""):
    return factories.InventoryEntryFactory(
        participant=person, topic=topic, kind=kind, description=description
    )


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def follow_messages(client, response):
    """The messages shown on the page a redirect leads to."""
    assert response.status_code == 302, response.status_code
    page = client.get(response.url)
    return [str(m) for m in page.context["messages"]]


@pytest.fixture
def board(world):
    """Pat needs board development; Ana (a plain member) has that expertise; Mo is a plain
    member with nothing entered yet."""
    ana = add_member(world, "Ana Alvarez")
    mo = add_member(world, "Mo Moreno")
    need = entry(world.participant_participant, world.topic, NEED, "recruit board members")
    offer = entry(ana, world.topic, EXPERTISE, "ran our board recruitment")
    return type("Board", (), {"ana": ana, "mo": mo, "need": need, "offer": offer})


# -- entries ----------------------------------------------------------------------------


def test_member_adds_a_need_and_a_duplicate_topic_is_refused_next_to_the_field(world, client_for):
    client = client_for("participant")
    response = client.post(
        url(world, "inventory-entry-add"),
        {"kind": "need", "topic": world.topic.slug, "description": "  Find new board members "},
    )
    assert response.status_code == 302
    saved = InventoryEntry.objects.get(participant=world.participant_participant)
    assert (saved.kind, saved.topic, saved.description, saved.source) == (
        NEED,
        world.topic,
        "Find new board members",
        InventoryEntry.Source.SELF,
    )
    assert "Added to the inventory of Pat Participant" in follow_messages(client, response)[0]
    assert Activity.objects.filter(verb="added need").exists()

    again = client.post(
        url(world, "inventory-entry-add"), {"kind": "need", "topic": world.topic.slug}
    )
    assert again.status_code == 200
    form = again.context["form"]
    assert form.errors["topic"] == ["This need is already listed for Board development."]
    html = again.content.decode()
    assert 'id="id_topic"' in html and "is-invalid" in html
    assert InventoryEntry.objects.filter(participant=world.participant_participant).count() == 1

    # The same practice area as expertise is a different entry.
    other = client.post(
        url(world, "inventory-entry-add"), {"kind": "expertise", "topic": world.topic.slug}
    )
    assert other.status_code == 302
    assert InventoryEntry.objects.filter(participant=world.participant_participant).count() == 2


def test_an_entry_needs_a_practice_area_or_a_sentence(world, client_for):
    client = client_for("participant")
    response = client.post(url(world, "inventory-entry-add"), {"kind": "need", "description": " "})
    assert response.status_code == 200
    assert response.context["form"].errors["description"] == [
        "Choose a practice area or describe it in a sentence."
    ]
    assert not InventoryEntry.objects.exists()
    # A sentence alone will do.
    ok = client.post(
        url(world, "inventory-entry-add"), {"kind": "need", "description": "A finance policy"}
    )
    assert ok.status_code == 302
    assert InventoryEntry.objects.get().label == "A finance policy"


def test_a_member_adds_only_to_their_own_inventory(world, client_for):
    client = client_for("participant")
    response = client.post(
        url(world, "inventory-entry-add"),
        {
            "kind": "need",
            "topic": world.topic.slug,
            "participant": str(world.leader_participant.public_id),
        },
    )
    assert response.status_code == 302
    assert InventoryEntry.objects.get().participant == world.participant_participant


def test_leader_and_staff_add_for_a_member_chosen_among_the_community(world, client_for):
    client = client_for("leader")
    page = client.get(url(world, "inventory"))
    choices = page.context["form"].fields["participant"].queryset
    assert set(choices) == {world.leader_participant, world.participant_participant}
    response = client.post(
        url(world, "inventory-entry-add"),
        {
            "participant": str(world.participant_participant.public_id),
            "kind": "expertise",
            "topic": world.topic.slug,
        },
    )
    assert response.status_code == 302
    made = InventoryEntry.objects.get()
    assert made.participant == world.participant_participant
    assert made.source == InventoryEntry.Source.LEADER

    # Someone of the cohort outside the community cannot be chosen; nothing is saved.
    outside = factories.ParticipantFactory(cohort=world.cohort)
    staff = client_for("staff")
    refused = staff.post(
        url(world, "inventory-entry-add"),
        {"participant": str(outside.public_id), "kind": "need", "topic": world.topic.slug},
    )
    assert refused.status_code == 200
    assert "participant" in refused.context["form"].errors
    assert not outside.inventory.exists()
    accepted = staff.post(
        url(world, "inventory-entry-add"),
        {
            "participant": str(world.leader_participant.public_id),
            "kind": "need",
            "topic": world.topic.slug,
        },
    )
    assert accepted.status_code == 302
    assert world.leader_participant.inventory.get().source == InventoryEntry.Source.STAFF


def test_a_topic_of_another_cohort_is_not_a_choice(world, client_for):
    foreign = factories.TopicFactory(cohort=world.other_cohort, name="Elsewhere topic")
    client = client_for("participant")
    response = client.post(
        url(world, "inventory-entry-add"), {"kind": "need", "topic": foreign.slug}
    )
    assert response.status_code == 200
    assert "topic" in response.context["form"].errors
    assert not InventoryEntry.objects.exists()


def test_members_delete_their_own_entries_leaders_any(world, client_for, board):
    lees = entry(world.leader_participant, world.topic, EXPERTISE)
    client = client_for("participant")
    refused = client.post(url(world, "inventory-entry-delete", entry_id=lees.public_id))
    assert refused.status_code == 403
    assert InventoryEntry.objects.filter(pk=lees.pk).exists()

    own = client.post(url(world, "inventory-entry-delete", entry_id=board.need.public_id))
    assert follow_messages(client, own) == [
        "Removed from the inventory of Pat Participant: Board development: recruit board members."
    ]
    assert not InventoryEntry.objects.filter(pk=board.need.pk).exists()

    leader = client_for("leader")
    response = leader.post(url(world, "inventory-entry-delete", entry_id=board.offer.public_id))
    assert response.status_code == 302
    assert not InventoryEntry.objects.filter(pk=board.offer.pk).exists()
    assert "Removed from the inventory of Ana Alvarez" in follow_messages(leader, response)[0]


def test_the_services_refuse_entries_in_an_archived_community(world, board):
    """The rule lives in the services, so a task or a command meets it too, not only a page."""
    person = world.participant_participant
    world.community.archived_at = timezone.now()
    world.community.save(update_fields=["archived_at"])
    add = {"actor": None, "participant": person, "kind": EXPERTISE, "topic": world.topic}
    source = InventoryEntry.Source.STAFF

    with pytest.raises(CommunityArchived):
        inventory.add_entry(community=world.community, source=source, **add)
    with pytest.raises(CommunityArchived):
        inventory.delete_entry(board.need, community=world.community, actor=None)
    assert list(person.inventory.values_list("pk", flat=True)) == [board.need.pk]

    # Restored, the same calls go through.
    world.community.archived_at = None
    world.community.save(update_fields=["archived_at"])
    added = inventory.add_entry(community=world.community, source=source, **add)
    inventory.delete_entry(board.need, community=world.community, actor=None)
    assert list(person.inventory.values_list("pk", flat=True)) == [added.pk]


def test_entries_of_people_outside_the_community_are_404(world, client_for):
    elsewhere = factories.CommunityFactory(cohort=world.cohort)
    stranger = factories.MembershipFactory(community=elsewhere).participant
    theirs = entry(stranger, world.topic)
    client = client_for("staff")
    assert (
        client.post(url(world, "inventory-entry-delete", entry_id=theirs.public_id)).status_code
        == 404
    )
    assert (
        client.post(url(world, "inventory-entry-delete", entry_id=uuid.uuid4())).status_code == 404
    )
    assert InventoryEntry.objects.filter(pk=theirs.pk).exists()


# -- connections ------------------------------------------------------------------------


def confirm(client, world, need, helper, expertise=None, note=""):
    data = {"need": str(need.public_id), "helper": str(helper.public_id), "note": note}
    if expertise is not None:
        data["expertise"] = str(expertise.public_id)
    return client.post(url(world, "connection-add"), data)


def test_the_page_suggests_experts_of_the_same_practice_area(world, client_for, board):
    other_topic = factories.TopicFactory(cohort=world.cohort, name="Raising funds")
    entry(board.mo, other_topic, EXPERTISE, "grant writing")  # another area: no suggestion
    page = client_for("participant").get(url(world, "inventory"))
    html = page.content.decode()
    assert "Suggested:" in html
    assert "Ana Alvarez</span> (Board development: ran our board recruitment)" in html
    assert "Mo Moreno</span> (Raising funds" not in html
    assert "Confirm connection" in html  # Pat has the need: may confirm
    assert [p.name for p in page.context["unconnected"]] == [
        "Ana Alvarez",
        "Lee Leader",
        "Mo Moreno",
        "Pat Participant",
    ]

    # Mo is neither the one in need nor the helper nor a leader: no button, but an offer.
    client = add_login(client_for, board.mo)
    mo_page = client.get(url(world, "inventory")).content.decode()
    assert "Suggested:" in mo_page and "Confirm connection" not in mo_page
    assert "I can help with that" in mo_page


def add_login(client_for, person):
    client = client_for(None)
    client.force_login(person.login)
    return client


def test_the_person_in_need_confirms_a_suggestion(world, client_for, board):
    client = client_for("participant")
    response = confirm(client, world, board.need, board.ana, board.offer)
    made = Connection.objects.get()
    assert (made.community, made.need, made.helper, made.expertise, made.created_by) == (
        world.community,
        board.need,
        board.ana,
        board.offer,
        world.participant,
    )
    assert follow_messages(client, response) == [
        "Connected: Ana Alvarez can help Pat Participant with "
        "Board development: recruit board members."
    ]
    page = client.get(url(world, "inventory"))
    assert page.context["suggestions"] == []
    assert [p.name for p in page.context["unconnected"]] == ["Lee Leader", "Mo Moreno"]

    # A second time: a message, no second row, no error page.
    again = confirm(client, world, board.need, board.ana, board.offer)
    assert "already connected" in follow_messages(client, again)[0]
    assert Connection.objects.count() == 1


def test_who_may_confirm_a_connection(world, client_for, board):
    mo = add_login(client_for, board.mo)
    refused = confirm(mo, world, board.need, board.ana, board.offer)
    assert refused.status_code == 403
    assert not Connection.objects.exists()
    # The helper may; so may a leader and staff (each for a fresh pair).
    ana = add_login(client_for, board.ana)
    assert confirm(ana, world, board.need, board.ana, board.offer).status_code == 302
    second = entry(world.participant_participant, None, NEED, "a bookkeeping system")
    assert confirm(client_for("leader"), world, second, board.ana).status_code == 302
    third = entry(world.participant_participant, None, NEED, "a volunteer handbook")
    assert confirm(client_for("staff"), world, third, board.mo).status_code == 302
    assert Connection.objects.count() == 3


def test_i_can_help_with_that(world, client_for, board):
    client = add_login(client_for, board.mo)
    response = client.post(
        url(world, "connection-add"),
        {"need": str(board.need.public_id), "note": "I chaired a nominating committee"},
    )
    assert "Connected: Mo Moreno can help" in follow_messages(client, response)[0]
    made = Connection.objects.get()
    assert (made.helper, made.need, made.expertise, made.note) == (
        board.mo,
        board.need,
        None,
        "I chaired a nominating committee",
    )
    # Not on one's own need.
    own = entry(board.mo, None, NEED, "a strategic plan")
    refused = client.post(url(world, "connection-add"), {"need": str(own.public_id)})
    assert follow_messages(client, refused) == ["A member cannot be connected to their own need."]
    assert Connection.objects.count() == 1
    # A note past 300 characters is refused, not cut.
    too_long = client.post(
        url(world, "connection-add"),
        {"need": str(entry(board.ana, None, NEED, "x").public_id), "note": "n" * 301},
    )
    assert "300 characters" in follow_messages(client, too_long)[0]
    assert Connection.objects.count() == 1


def test_connection_add_without_a_need_or_helper_is_a_message(world, client_for, board):
    client = client_for("staff")
    assert follow_messages(client, client.post(url(world, "connection-add"))) == [
        "Choose the need to connect."
    ]
    no_helper = client.post(url(world, "connection-add"), {"need": str(board.need.public_id)})
    assert follow_messages(client, no_helper) == ["Choose who can help."]
    assert not Connection.objects.exists()


def test_forged_ids_are_404_and_save_nothing(world, client_for, board):
    elsewhere = factories.CommunityFactory(cohort=world.cohort)
    stranger = factories.MembershipFactory(community=elsewhere).participant
    their_need = entry(stranger, world.topic, NEED)
    their_offer = entry(stranger, world.topic, EXPERTISE)
    client = client_for("staff")
    assert confirm(client, world, their_need, board.ana).status_code == 404
    assert confirm(client, world, board.need, stranger).status_code == 404
    assert confirm(client, world, board.need, board.ana, their_offer).status_code == 404
    # An expertise entry is not a need; Mo's need is not Ana's expertise.
    assert confirm(client, world, board.offer, board.mo).status_code == 404
    mos = entry(board.mo, world.topic, EXPERTISE)
    assert confirm(client, world, board.need, board.ana, mos).status_code == 404
    for junk in ("not-a-uuid", "1", "' OR 1=1"):
        bad = client.post(url(world, "connection-add"), {"need": junk})
        assert bad.status_code == 404
    assert not Connection.objects.exists()
    # The valid request goes through.
    assert confirm(client, world, board.need, board.ana, board.offer).status_code == 302
    assert Connection.objects.count() == 1


def test_who_may_remove_a_connection(world, client_for, board):
    made = factories.ConnectionFactory(
        community=world.community, need=board.need, helper=board.ana, expertise=board.offer
    )
    target = url(world, "connection-delete", connection_id=made.public_id)
    assert add_login(client_for, board.mo).post(target).status_code == 403
    assert Connection.objects.filter(pk=made.pk).exists()
    response = add_login(client_for, board.ana).post(target)
    assert response.status_code == 302
    assert not Connection.objects.filter(pk=made.pk).exists()
    assert Activity.objects.filter(verb="removed connection").exists()

    for persona in ("participant", "leader", "staff"):
        again = factories.ConnectionFactory(
            community=world.community, need=board.need, helper=board.ana
        )
        client = client_for(persona)
        done = client.post(url(world, "connection-delete", connection_id=again.public_id))
        assert done.status_code == 302, persona
        assert not Connection.objects.filter(pk=again.pk).exists()
        client.logout()


def test_a_connection_of_another_community_is_404_and_not_listed(world, client_for, board):
    elsewhere = factories.CommunityFactory(cohort=world.cohort)
    factories.MembershipFactory(community=elsewhere, participant=world.participant_participant)
    factories.MembershipFactory(community=elsewhere, participant=board.ana)
    theirs = factories.ConnectionFactory(community=elsewhere, need=board.need, helper=board.ana)
    client = client_for("staff")
    target = url(world, "connection-delete", connection_id=theirs.public_id)
    assert client.post(target).status_code == 404
    assert Connection.objects.filter(pk=theirs.pk).exists()
    page = client.get(url(world, "inventory"))
    assert page.context["connections"] == []
    # ...but Pat's need in Board Builders is the same entry (one inventory per person),
    # and here it can be connected on its own.
    assert confirm(client, world, board.need, board.ana).status_code == 302


def test_a_connection_with_someone_who_left_is_not_drawn(world, client_for, board):
    factories.ConnectionFactory(community=world.community, need=board.need, helper=board.ana)
    board.ana.memberships.all().delete()
    page = client_for("participant").get(url(world, "web"))
    assert page.context["connections"] == []
    assert 'class="web-arrow"' not in page.content.decode()


# -- the web pages ------------------------------------------------------------------------


def test_web_page_draws_the_arrow_and_lists_it_in_a_table(world, client_for, board):
    factories.ConnectionFactory(
        community=world.community, need=board.need, helper=board.ana, expertise=board.offer
    )
    page = client_for("participant").get(url(world, "web"))
    html = page.content.decode()
    assert html.count('class="web-arrow"') == 1
    assert "Pat Participant needs help with Board development: recruit board members;" in html
    assert "<caption" in html and "Who helps" in html
    assert [p.name for p in page.context["unconnected"]] == ["Lee Leader", "Mo Moreno"]
    assert 'style="' not in html.split('id="web-picture"')[1].split("</div>")[0]
    svg_link = url(world, "web-svg")
    assert f'href="{svg_link}" download' in html
    assert 'data-web-png="web-picture"' in html and "data-print" in html
    assert 'data-filename="board-builders-web.png"' in html


def test_web_svg_is_a_download_of_a_standalone_svg(world, client_for, board):
    factories.ConnectionFactory(community=world.community, need=board.need, helper=board.ana)
    response = client_for("leader").get(url(world, "web-svg"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert response["Content-Disposition"] == 'attachment; filename="board-builders-web.svg"'
    root = ET.fromstring(response.content)  # noqa: S314 (copkit's own output)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    assert root.find(f"{ns}title").text == "Web of needs and expertise: Board Builders"
    assert len(root.findall(f".//{ns}path[@class='web-arrow']")) == 1


# -- filling from survey answers ----------------------------------------------------------


@pytest.fixture
def survey_answers(world):
    """A survey with a needs question (single), an expertise question (multiple), and a
    question that fills nothing; Raising funds is a second topic of the cohort."""
    funds = factories.TopicFactory(cohort=world.cohort, name="Raising funds")
    survey = factories.SurveyFactory(cohort=world.cohort)
    needs_q = factories.QuestionFactory(
        survey=survey, kind=Question.Kind.SINGLE, fills=Question.Fills.NEEDS
    )
    offers_q = factories.QuestionFactory(
        survey=survey, kind=Question.Kind.MULTIPLE, fills=Question.Fills.EXPERTISE
    )
    plain_q = factories.QuestionFactory(survey=survey, kind=Question.Kind.SINGLE)
    rating_q = factories.QuestionFactory(
        survey=survey, kind=Question.Kind.RATING, fills=Question.Fills.NEEDS, choices=[]
    )

    def respond(participant, needs, offers, plain="Raising funds", live_session=None):
        response = Response.objects.create(
            survey=survey,
            participant=participant,
            live_session=live_session,
            voter_key=f"p{participant.pk}" if live_session and participant else "",
        )
        Answer.objects.create(response=response, question=needs_q, value=needs)
        Answer.objects.create(response=response, question=offers_q, value=offers)
        Answer.objects.create(response=response, question=plain_q, value=plain)
        Answer.objects.create(response=response, question=rating_q, value=4)
        return response

    return type("Answers", (), {"funds": funds, "survey": survey, "respond": respond})


def test_fill_from_response_matches_topics_case_insensitively(world, survey_answers):
    pat = world.participant_participant
    response = survey_answers.respond(
        pat, "  board DEVELOPMENT ", ["raising funds", "Something else", "Board development"]
    )
    created = fill_from_response(response)
    got = sorted((e.kind, e.topic.name, e.source) for e in created)
    assert got == [
        (EXPERTISE, "Board development", "survey"),
        (EXPERTISE, "Raising funds", "survey"),
        (NEED, "Board development", "survey"),
    ]
    assert pat.inventory.count() == 3
    # Idempotent: nothing new, nothing lost.
    assert fill_from_response(response) == []
    assert pat.inventory.count() == 3


def test_fill_from_response_keeps_what_is_there(world, survey_answers):
    pat = world.participant_participant
    mine = entry(pat, world.topic, NEED, "my own words")
    other = entry(pat, None, NEED, "unrelated")
    response = survey_answers.respond(pat, "Board development", [])
    assert fill_from_response(response) == []
    mine.refresh_from_db()
    assert (mine.description, mine.source) == ("my own words", "self")
    assert InventoryEntry.objects.filter(pk=other.pk).exists()
    # A later answer without the topic deletes nothing.
    later = survey_answers.respond(world.leader_participant, None, ["Raising funds"])
    assert [e.topic for e in fill_from_response(later)] == [survey_answers.funds]
    assert pat.inventory.count() == 2


def test_fill_from_a_live_poll_vote_is_marked_live(world, survey_answers):
    session = factories.LiveSessionFactory(survey=survey_answers.survey)
    response = survey_answers.respond(
        world.leader_participant, "Raising funds", [], live_session=session
    )
    (made,) = fill_from_response(response)
    assert (made.kind, made.topic, made.source) == (NEED, survey_answers.funds, "live")


def test_fill_from_an_anonymous_response_adds_nothing(world, survey_answers):
    response = survey_answers.respond(None, "Raising funds", ["Board development"])
    assert fill_from_response(response) == []
    assert not InventoryEntry.objects.exists()


def test_fill_ignores_topics_of_another_cohort(world, survey_answers):
    factories.TopicFactory(cohort=world.other_cohort, name="Volunteers")
    response = survey_answers.respond(world.participant_participant, "Volunteers", [])
    assert fill_from_response(response) == []


# -- query counts -----------------------------------------------------------------------


def grow_members(world, n):
    """n members, each with a need and an expertise, each need helped by the previous."""
    previous = None
    for _ in range(n):
        person = factories.MembershipFactory(community=world.community).participant
        need = entry(person, world.topic, NEED, "a need")
        entry(person, world.topic, EXPERTISE, "an offer")
        if previous is not None:
            factories.ConnectionFactory(community=world.community, need=need, helper=previous)
        previous = person


@pytest.mark.parametrize("persona", ["participant", "leader", "staff"])
def test_inventory_page_query_count_is_flat(world, client_for, persona):
    client = client_for(persona)
    entry(world.participant_participant, world.topic, NEED)
    grow_members(world, 1)
    small, _ = count_queries(client, url(world, "inventory"))
    grow_members(world, 50)
    large, response = count_queries(client, url(world, "inventory"))
    assert large == small, f"{small} queries with 1 member, {large} with 50"
    assert len(response.context["members"]) == 53
    assert len(response.context["connections"]) == 49


@pytest.mark.parametrize("name", ["web", "web-svg"])
def test_web_query_count_is_flat(world, client_for, name):
    client = client_for("participant")
    need = entry(world.participant_participant, world.topic, NEED)

    def connect(n):
        for _ in range(n):
            helper = factories.MembershipFactory(community=world.community).participant
            factories.ConnectionFactory(community=world.community, need=need, helper=helper)

    connect(1)
    small, _ = count_queries(client, url(world, name))
    connect(49)
    large, response = count_queries(client, url(world, name))
    assert large == small, f"{small} queries with 1 connection, {large} with 50"
    assert response.content.decode().count('class="web-arrow"') == 50


def test_an_offer_of_help_names_the_helpers_expertise_in_that_area(world, client_for, board):
    client = add_login(client_for, board.ana)
    response = client.post(url(world, "connection-add"), {"need": str(board.need.public_id)})
    assert response.status_code == 302
    made = Connection.objects.get()
    assert (made.helper, made.expertise) == (board.ana, board.offer)
    page = client.get(url(world, "inventory")).content.decode()
    assert "Board development: ran our board recruitment" in page.split('id="connections"')[1]
