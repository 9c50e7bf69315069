"""The knowledge pages and the library, as the people who use them: what each one sees, what
the public page leaves out, and the query counts of every page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import CohortRole, Membership
from copkit.models import OutboxMessage
from planning.knowledge import services
from planning.knowledge.models import KnowledgeComment, KnowledgeItem, Scope
from planning.models import InventoryEntry
from tests import factories
from tests.matrix_knowledge import ANSWERS, MATRIX, another_member, item_of, resource_of, url_for
from tests.queries import count_queries

Kind = KnowledgeItem.Kind

CASE = {
    "context": "A food pantry run by volunteers in a small town.",
    "problem": "Volunteers leave after their first month.",
    "tried": "Thank-you cards, a volunteer party.",
    "question": "How do you keep volunteers past the first month?",
}


def community_url(world, name, *args):
    return reverse(f"planning:{name}", args=[world.cohort.slug, world.community.slug, *args])


def case_study(world, **kwargs):
    item = services.draft(
        world.community,
        participant=world.participant_participant,
        kind=Kind.CASE_STUDY,
        title=kwargs.pop("title", "Volunteers who stay"),
        fields=kwargs.pop("fields", CASE),
        **kwargs,
    )
    return item


# -- writing, responding, agreeing, publishing -----------------------------------------------


def test_a_member_drafts_a_case_study_and_shares_it(world, client_for):
    client = client_for("participant")
    url = community_url(world, "knowledge-create", "case_study")
    page = client.get(url).content.decode()
    assert "Your question for the group" in page and "The outcome (optional)" in page
    response = client.post(url, {"title": "Volunteers who stay", **CASE, "action": "draft"})
    item = KnowledgeItem.objects.get()
    assert response.status_code == 302 and item.state == KnowledgeItem.State.DRAFT
    assert item.fields == CASE and item.author == world.participant_participant
    # A draft is the author's: the leader does not see it.
    leader = client_for("leader")
    assert leader.get(item.get_absolute_url()).status_code == 404
    client = client_for("participant")
    client.post(community_url(world, "knowledge-share", item.public_id), {"scope": "cohort"})
    item.refresh_from_db()
    assert item.is_shared and item.scope == Scope.COHORT
    assert client_for("leader").get(item.get_absolute_url()).status_code == 200


def test_sharing_with_a_missing_answer_saves_nothing_and_says_which(world, client_for):
    client = client_for("participant")
    url = community_url(world, "knowledge-create", "case_study")
    data = {"title": "Volunteers who stay", **CASE, "problem": "  ", "action": "share"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Answer “The problem” before you share it." in response.content.decode()
    assert not KnowledgeItem.objects.exists()  # not even a draft: nothing half saved
    data["problem"] = CASE["problem"]
    assert client.post(url, data).status_code == 302
    assert KnowledgeItem.objects.get().is_shared


def test_an_empty_title_is_refused_beside_the_field(world, client_for):
    client = client_for("participant")
    url = community_url(world, "knowledge-create", "lesson")
    response = client.post(url, {"title": "", "action": "draft"})
    assert response.status_code == 200
    assert "Give it a title, so others can find it." in response.content.decode()
    assert not KnowledgeItem.objects.exists()


def test_a_script_is_kept_as_text_and_shown_escaped(world, client_for):
    script = "<script>alert(1)</script>"
    item = case_study(world, title=script, fields={**CASE, "problem": script})
    services.share(item, actor=world.participant, scope=Scope.COMMUNITY)
    services.respond(item, actor=world.leader, participant=world.leader_participant, body=script)
    item.refresh_from_db()
    assert item.title == script and item.fields["problem"] == script
    page = client_for("leader").get(item.get_absolute_url()).content.decode()
    assert script not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_two_members_respond_and_an_empty_response_is_refused(world, client_for):
    item = case_study(world)
    services.share(item, actor=world.participant, scope=Scope.COMMUNITY)
    url = community_url(world, "knowledge-respond", item.public_id)
    response = client_for("leader").post(url, {"body": "  "})
    assert response.status_code == 200 and "Write your response first." in response.content.decode()
    assert client_for("leader").post(url, {"body": "Pair new volunteers."}).status_code == 302
    assert client_for("participant").post(url, {"body": "A first-month call."}).status_code == 302
    page = client_for("participant").get(item.get_absolute_url()).content.decode()
    assert "Pair new volunteers." in page and "Lee Leader" in page
    assert KnowledgeComment.objects.filter(item=item).count() == 2


def test_only_the_leaders_mark_a_promising_practice_agreed(world, client_for):
    item = item_of(world)
    url = community_url(world, "knowledge-agree", item.public_id)
    assert client_for("participant").post(url).status_code == 403
    assert client_for("staff").post(url).status_code == 403
    assert client_for("leader").post(url).status_code == 302
    item.refresh_from_db()
    assert item.is_agreed and item.agreed_by == world.leader
    page = client_for("participant").get(item.get_absolute_url()).content.decode()
    assert "Agreed by the group" in page


def test_staff_publish_to_every_cohort_and_a_later_cohort_reads_it(world, client_for):
    item = item_of(world)
    later = factories.CohortFactory(name="Next Year's Cohort")
    reader = factories.UserFactory(email="nia@later.example", name="Nia Newcomer")
    factories.ParticipantFactory(cohort=later, user=reader, name=reader.name, email=reader.email)
    client = client_for(None)
    client.force_login(reader)
    assert client.get(item.get_library_url()).status_code == 404
    staff = client_for("staff")
    url = community_url(world, "knowledge-scope", item.public_id)
    assert staff.post(url, {"scope": "provider"}).status_code == 302
    client.force_login(reader)
    page = client.get(reverse("library") + "?q=guest").content.decode()
    assert item.title in page
    assert client.get(item.get_library_url()).status_code == 200


def test_the_public_page_shows_no_names_unless_the_author_chose(world, client_for):
    item = item_of(world, scope=Scope.PUBLIC)
    services.respond(item, actor=world.leader, participant=world.leader_participant, body="Yes!")
    anonymous = client_for(None)
    page = anonymous.get(item.get_public_url()).content.decode()
    assert item.title in page and ANSWERS["why"] in page
    assert "Pat Participant" not in page and "Lee Leader" not in page and "Yes!" not in page
    item.show_author_publicly = True
    item.save()
    assert "Pat Participant" in anonymous.get(item.get_public_url()).content.decode()


def test_the_public_url_of_an_item_not_public_asks_to_log_in(world, client_for):
    item = item_of(world, scope=Scope.COHORT)
    response = client_for(None).get(item.get_public_url())
    assert response.status_code == 302 and reverse("account_login") in response.url
    # Logged in, it leads to the library's page of the item.
    assert client_for("participant").get(item.get_public_url()).url == item.get_library_url()


def test_another_communitys_member_does_not_read_a_community_item(world, client):
    item = item_of(world)  # shared with Board Builders only
    user, _person, _other = another_member(world)
    client.force_login(user)
    assert client.get(item.get_absolute_url()).status_code == 403
    assert client.get(item.get_library_url()).status_code == 404
    services.set_scope(item, actor=world.staff, scope=Scope.COHORT)
    assert client.get(item.get_library_url()).status_code == 200
    assert item.title in client.get(reverse("library")).content.decode()


def test_the_library_keeps_an_archived_communitys_items(world, client_for):
    item = item_of(world, scope=Scope.COHORT)
    world.community.archived_at = timezone.now()
    world.community.save()
    page = client_for("participant").get(reverse("library")).content.decode()
    assert item.title in page


def test_observers_see_counts_and_no_words(world, client_for):
    item = item_of(world, scope=Scope.COHORT)
    client = client_for("observer")
    page = client.get(reverse("planning:knowledge-overview", args=[world.cohort.slug]))
    text = page.content.decode()
    assert "Promising practice" in text and item.title not in text and "Board Builders" not in text
    assert item.title not in client.get(reverse("library")).content.decode()
    assert client.get(item.get_library_url()).status_code == 404


def test_the_library_filters_by_kind_area_cohort_community_and_year(world, client_for):
    practice = item_of(world, scope=Scope.COHORT)
    lesson = services.draft(
        world.community,
        participant=world.participant_participant,
        kind=Kind.LESSON,
        title="Send the agenda two days ahead",
        fields={"happened": "h", "learned": "l", "differently": "d"},
    )
    services.share(lesson, actor=world.participant, scope=Scope.COHORT)
    client = client_for("participant")

    def titles(**query):
        return client.get(reverse("library"), query).content.decode()

    page = titles(kind="lesson")
    assert lesson.title in page and practice.title not in page
    page = titles(area="Board development")
    assert practice.title in page and lesson.title not in page
    page = titles(community=str(world.community.public_id), year=str(practice.shared_at.year))
    assert practice.title in page and lesson.title in page
    page = titles(cohort=str(world.cohort.public_id), q="two days")
    assert lesson.title in page and practice.title not in page
    # A value the filters do not offer is dropped, the rest still applies (never a 500).
    page = titles(year="1999", kind="lesson", area="<script>")
    assert lesson.title in page and practice.title not in page


# -- requests, the dashboard and the home page -------------------------------------------------


def test_a_request_reaches_the_leaders_until_the_group_shares(
    world, client_for, django_capture_on_commit_callbacks
):
    staff = client_for("staff")
    due = timezone.localdate() + datetime.timedelta(days=14)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            reverse("planning:knowledge-request", args=[world.cohort.slug]),
            {"to": "all", "kind": "case_study", "due_on": due.isoformat(), "note": "Anything!"},
        )
    assert response.status_code == 302
    message = OutboxMessage.objects.get(kind="knowledge_requested")
    assert message.to_email == world.leader_participant.email
    home = client_for("leader").get(reverse("home")).content.decode()
    assert "Share what you know" in home
    # A lesson is not what was asked for; a case study answers it.
    item = case_study(world)
    services.share(item, actor=world.participant, scope=Scope.COMMUNITY)
    assert "Share what you know" not in client_for("leader").get(reverse("home")).content.decode()


def test_a_request_with_a_past_date_is_refused_beside_the_field(world, client_for):
    url = reverse("planning:knowledge-request", args=[world.cohort.slug])
    past = timezone.localdate() - datetime.timedelta(days=1)
    response = client_for("staff").post(url, {"to": "all", "due_on": past.isoformat()})
    assert response.status_code == 200
    assert "Choose a date that is still to come." in response.content.decode()


def test_the_dashboard_counts_items_per_community(world, client_for):
    item_of(world)
    case_study(world)  # a draft: not counted
    page = client_for("staff").get(reverse("cohorts:dashboard", args=[world.cohort.slug]))
    text = page.content.decode()
    assert "What the communities shared" in text
    row = text.split('id="knowledge"')[1]
    assert "Board Builders" in row and ">1</td>" in row


def test_a_participant_is_suggested_reading_for_their_needs(world, client_for):
    resource_of(world, scope=Scope.PROVIDER)
    factories.InventoryEntryFactory(
        participant=world.leader_participant, topic=world.topic, kind=InventoryEntry.Kind.NEED
    )
    other = item_of(world, scope=Scope.COHORT)  # Pat's, in the need's area
    page = client_for("leader").get(reverse("home")).content.decode()
    assert "For the needs you named" in page
    assert "Running an online meeting" in page and other.title in page


def test_resources_need_a_link_or_a_text(world, client_for):
    url = reverse("planning:resource-create", args=[world.cohort.slug])
    data = {"title": "Guide", "description": "For leaders.", "scope": "provider"}
    response = client_for("staff").post(url, data)
    assert response.status_code == 200
    assert "Give a link, or write the text here." in response.content.decode()
    data["url"] = "javascript:alert(1)"
    assert "starting with https://" in client_for("staff").post(url, data).content.decode()
    data["url"] = "https://example.org/guide"
    assert client_for("staff").post(url, data).status_code == 302


# -- query counts ------------------------------------------------------------------------------


def grow(world, n):
    """n more shared items of the persona's community (every kind, cohort-wide), each with
    two responses; n resources; n more communities with a request and an item each."""
    kinds = list(Kind)
    for i in range(n):
        topic = factories.TopicFactory(cohort=world.cohort, name=f"Area {i}")
        kind = kinds[i % 3]
        from planning.knowledge.blueprints import BLUEPRINTS

        fields = {f.name: f"answer {i}" for f in BLUEPRINTS[kind].fields}
        item = services.draft(
            world.community,
            participant=world.participant_participant,
            kind=kind,
            title=f"Item {i}",
            fields=fields,
            topic=topic,
        )
        services.share(item, actor=world.participant, scope=Scope.COHORT)
        for _ in range(2):
            services.respond(
                item, actor=world.leader, participant=world.leader_participant, body="r"
            )
        services.save_resource(
            world.cohort,
            actor=world.staff,
            title=f"Resource {i}",
            description="d",
            url="https://example.org/",
            areas=f"Area {i}",
            scope=Scope.PROVIDER,
        )
        community = factories.CommunityFactory(cohort=world.cohort)
        factories.MembershipFactory(community=community, role=Membership.Role.LEADER)
        services.request_items(
            world.cohort,
            actor=world.staff,
            communities=[community],
            kind="",
            note="",
            due_on=timezone.localdate(),
        )
    for item in KnowledgeItem.objects.filter(community=world.community, state="shared"):
        services.respond(item, actor=world.leader, participant=world.leader_participant, body="r")


PAGES = [
    (name, persona)
    for name, (method, expected) in sorted(MATRIX.items())
    for persona in ("staff", "leader", "participant", "observer", "outsider")
    if method == "get" and expected[persona] == 200 and name != "library-file"
]


@pytest.mark.parametrize(("name", "persona"), PAGES)
def test_query_count_is_flat(name, persona, world, client_for):
    client = client_for(persona)
    url = url_for(name, world)
    grow(world, 1)
    small, _ = count_queries(client, url)
    grow(world, 25)
    large, response = count_queries(client, url)
    assert large == small, f"{name} as {persona}: {small} queries with 1 row, {large} with 26"
    assert len(response.content) > 2000


def test_the_staff_role_of_the_other_cohort_reads_provider_items(world, client_for):
    """Oscar is staff of another cohort of the same provider: he reads items published to
    every cohort, not the cohort's own."""
    assert CohortRole.objects.filter(user=world.outsider).exists()
    cohort_item = item_of(world, scope=Scope.COHORT)
    client = client_for("outsider")
    assert client.get(cohort_item.get_library_url()).status_code == 404
    services.set_scope(cohort_item, actor=world.staff, scope=Scope.PROVIDER)
    assert client.get(cohort_item.get_library_url()).status_code == 200


def test_the_home_page_count_stays_flat_with_requests_and_suggestions(world, client_for):
    factories.InventoryEntryFactory(
        participant=world.leader_participant, topic=world.topic, kind=InventoryEntry.Kind.NEED
    )
    client = client_for("leader")

    def ask(community):
        services.request_items(
            world.cohort,
            actor=world.staff,
            communities=[community],
            kind="",
            note="",
            due_on=timezone.localdate(),
        )

    ask(world.community)
    resource_of(world)
    small, _ = count_queries(client, reverse("home"))
    for _i in range(10):
        community = factories.CommunityFactory(cohort=world.cohort)
        factories.MembershipFactory(
            community=community, participant=world.leader_participant, role="leader"
        )
        ask(community)
        resource_of(world)
        item_of(world, scope=Scope.COHORT)
    large, response = count_queries(client, reverse("home"))
    assert large == small
    page = response.content.decode()
    # Board Builders shared items after its request: answered; the ten new ones are open.
    assert page.count("Share what you know") == 10
    assert "For the needs you named" in page


def test_sharing_a_draft_with_a_missing_answer_leads_back_to_the_form(world, client_for):
    item = case_study(world, fields={"context": "Only the context so far."})
    response = client_for("participant").post(
        community_url(world, "knowledge-share", item.public_id), {"scope": "community"}
    )
    assert response.url == community_url(world, "knowledge-edit", item.public_id)
    item.refresh_from_db()
    assert item.state == KnowledgeItem.State.DRAFT
