"""The knowledge services: the templates' required answers, sharing scopes, the leaders'
agreement, requests, resources, and the library's visibility and search on both databases."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from copkit.errors import ServiceError
from planning.knowledge import library, services
from planning.knowledge.blueprints import BLUEPRINTS
from planning.knowledge.models import KnowledgeItem, KnowledgeRequest, Scope
from tests import factories
from tests.matrix_knowledge import ANSWERS, another_member, item_of, resource_of

Kind = KnowledgeItem.Kind


def draft(world, kind=Kind.PRACTICE, fields=None, title="A guest seat"):
    return services.draft(
        world.community,
        participant=world.participant_participant,
        kind=kind,
        title=title,
        fields=ANSWERS if fields is None else fields,
    )


def test_each_template_asks_its_own_questions():
    assert [f.name for f in BLUEPRINTS["case_study"].fields] == [
        "context",
        "problem",
        "tried",
        "question",
        "outcome",
    ]
    assert [f.name for f in BLUEPRINTS["practice"].fields] == [
        "activity",
        "practice",
        "why",
        "evidence",
        "conditions",
        "adopt",
    ]
    assert [f.name for f in BLUEPRINTS["lesson"].fields] == [
        "happened",
        "learned",
        "differently",
        "who",
    ]
    for plan in BLUEPRINTS.values():
        assert all(f.help for f in plan.fields)
    assert not BLUEPRINTS["case_study"].field("outcome").required  # added later


def test_a_draft_may_be_half_written_but_not_shared(world):
    item = draft(world, fields={"activity": "Recruiting", "unknown": "dropped"})
    assert item.fields == {"activity": "Recruiting"}
    with pytest.raises(ServiceError) as refused:
        services.share(item, actor=world.participant, scope=Scope.COMMUNITY)
    assert refused.value.field == "practice"
    item.refresh_from_db()
    assert item.state == KnowledgeItem.State.DRAFT
    services.update(item, actor=world.participant, title=item.title, fields=ANSWERS)
    services.share(item, actor=world.participant, scope=Scope.COMMUNITY)
    assert item.is_shared and item.shared_at is not None


def test_a_shared_item_keeps_its_required_answers(world):
    item = item_of(world)
    with pytest.raises(ServiceError) as refused:
        services.update(
            item, actor=world.participant, title=item.title, fields={**ANSWERS, "why": ""}
        )
    assert refused.value.field == "why"
    changed = services.update(
        item, actor=world.participant, title="New", fields=ANSWERS, topic=world.topic
    )
    assert changed == ["title"]


@pytest.mark.parametrize(
    ("title", "field"),
    [("", "title"), ("   ", "title"), ("x" * 201, "title")],
)
def test_a_bad_title_is_refused_on_its_field(world, title, field):
    with pytest.raises(ServiceError) as refused:
        draft(world, title=title)
    assert refused.value.field == field
    assert not KnowledgeItem.objects.exists()


def test_a_nul_or_an_overlong_answer_is_refused(world):
    for value in ("a\x00b", "x" * 4001):
        with pytest.raises(ServiceError) as refused:
            draft(world, fields={**ANSWERS, "why": value})
        assert refused.value.field == "why"


def test_only_members_write_and_only_for_their_community(world):
    _user, person, _other = another_member(world)
    with pytest.raises(ServiceError):
        services.draft(world.community, participant=person, kind=Kind.LESSON, title="t", fields={})
    other_topic = factories.TopicFactory(cohort=world.other_cohort)
    with pytest.raises(ServiceError) as refused:
        services.draft(
            world.community,
            participant=world.participant_participant,
            kind=Kind.LESSON,
            title="t",
            fields={},
            topic=other_topic,
        )
    assert refused.value.field == "topic"


def test_authors_share_up_to_the_cohort_and_staff_publish_wider(world):
    item = draft(world)
    for scope in (Scope.PROVIDER, Scope.PUBLIC, "everyone"):
        with pytest.raises(ServiceError) as refused:
            services.share(item, actor=world.participant, scope=scope)
        assert refused.value.field == "scope"
    services.share(item, actor=world.participant, scope=Scope.COHORT)
    with pytest.raises(ServiceError):
        services.share(item, actor=world.participant, scope=Scope.COHORT)  # shared already
    assert services.set_scope(item, actor=world.staff, scope=Scope.PUBLIC)
    assert not services.set_scope(item, actor=world.staff, scope=Scope.PUBLIC)
    with pytest.raises(ServiceError):
        services.set_scope(item, actor=world.staff, scope="nowhere")
    with pytest.raises(ServiceError):
        services.set_scope(draft(world), actor=world.staff, scope=Scope.PUBLIC)


def test_agreement_is_for_leaders_and_promising_practices_only(world):
    lesson = draft(
        world, kind=Kind.LESSON, fields={"happened": "h", "learned": "l", "differently": "d"}
    )
    services.share(lesson, actor=world.participant, scope=Scope.COMMUNITY)
    with pytest.raises(ServiceError):
        services.agree(lesson, actor=world.leader)
    unshared = draft(world)
    with pytest.raises(ServiceError):
        services.agree(unshared, actor=world.leader)
    practice = item_of(world)
    for someone in (world.participant, world.staff):
        with pytest.raises(ServiceError):
            services.agree(practice, actor=someone)
    services.agree(practice, actor=world.leader)
    assert practice.is_agreed
    with pytest.raises(ServiceError):
        services.agree(practice, actor=world.leader)


def test_responses_need_words_and_a_shared_item(world):
    item = draft(world)
    with pytest.raises(ServiceError):
        services.respond(item, actor=world.leader, body="Good idea")
    services.share(item, actor=world.participant, scope=Scope.COMMUNITY)
    for body in ("", "   ", "x" * 4001, "a\x00"):
        with pytest.raises(ServiceError) as refused:
            services.respond(item, actor=world.leader, body=body)
        assert refused.value.field == "body"
    comment = services.respond(
        item, actor=world.leader, participant=world.leader_participant, body=" Good idea "
    )
    assert comment.body == "Good idea" and comment.author_name == "Lee Leader"


def test_an_archived_community_takes_no_new_items(world):
    world.community.archived_at = timezone.now()
    world.community.save()
    with pytest.raises(ServiceError):
        draft(world)


def test_requests_go_to_active_communities_of_the_cohort(world):
    archived = factories.CommunityFactory(cohort=world.cohort, archived_at=timezone.now())
    elsewhere = factories.CommunityFactory(cohort=world.other_cohort)
    due = timezone.localdate() + datetime.timedelta(days=7)
    result = services.request_items(
        world.cohort,
        actor=world.staff,
        communities=[world.community, archived, elsewhere],
        kind="",
        note="",
        due_on=due,
    )
    assert [r.community for r in result.created] == [world.community]
    with pytest.raises(ServiceError) as refused:
        services.request_items(
            world.cohort, actor=world.staff, communities=[archived], kind="", note="", due_on=due
        )
    assert refused.value.field == "to"
    with pytest.raises(ServiceError) as refused:
        services.request_items(
            world.cohort,
            actor=world.staff,
            communities=[world.community],
            kind="poem",
            note="",
            due_on=due,
        )
    assert refused.value.field == "kind"
    assert KnowledgeRequest.objects.count() == 1


def test_who_reads_what(world):
    community_item = item_of(world)
    cohort_item = item_of(world, scope=Scope.COHORT)
    provider_item = item_of(world, scope=Scope.PROVIDER)
    public_item = item_of(world, scope=Scope.PUBLIC)
    draft(world)  # a draft is in nobody's library

    def reads(user):
        return set(library.items_for(user))

    everything = {community_item, cohort_item, provider_item, public_item}
    assert reads(world.participant) == everything
    assert reads(world.staff) == everything
    assert reads(world.observer) == {public_item}
    assert reads(world.outsider) == {provider_item, public_item}
    user, _person, _other = another_member(world)
    assert reads(user) == {cohort_item, provider_item, public_item}
    nobody = factories.UserFactory(email="nobody@example.org")
    assert reads(nobody) == {public_item}
    from django.contrib.auth.models import AnonymousUser

    assert reads(AnonymousUser()) == {public_item}


def test_resources_are_read_by_scope(world):
    cohort_resource = resource_of(world, scope=Scope.COHORT)
    provider_resource = resource_of(world, scope=Scope.PROVIDER)
    assert set(library.resources_for(world.participant)) == {cohort_resource, provider_resource}
    assert set(library.resources_for(world.outsider)) == {provider_resource}
    assert set(library.resources_for(world.observer)) == set()
    assert cohort_resource.area_list == ["board development", "online meetings"]


def _search_titles(world, words):
    return {item.title for item in library.search(library.items_for(world.staff), words)}


def _items_to_search(world):
    first = item_of(world, scope=Scope.COHORT)
    second = draft(
        world,
        kind=Kind.LESSON,
        title="Send the agenda two days ahead",
        fields={
            "happened": "Members came unprepared to meetings.",
            "learned": "People read an agenda that arrives early.",
            "differently": "Email it on Monday.",
        },
    )
    services.share(second, actor=world.participant, scope=Scope.COHORT)
    return first, second


def test_search_on_sqlite_matches_every_word(world):
    if connection.vendor != "sqlite":
        pytest.skip("the plain fallback is SQLite's")
    first, second = _items_to_search(world)
    assert _search_titles(world, "GUEST") == {first.title}
    assert _search_titles(world, "agenda unprepared") == {second.title}
    assert _search_titles(world, "agenda nothing-like-this") == set()
    assert _search_titles(world, "   ") == {first.title, second.title}


@pytest.mark.postgres
def test_search_on_postgresql_uses_full_text(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's full-text search")
    first, second = _items_to_search(world)
    assert _search_titles(world, "guests") == {first.title}  # stemmed: guest, guests
    assert _search_titles(world, "agenda unprepared") == {second.title}
    assert _search_titles(world, "agenda -unprepared") == {first.title}  # websearch syntax
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'knowledge_item_search'")
        assert "gin" in cursor.fetchone()[0]
