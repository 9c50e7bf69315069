"""The alumni network: opening the space (and its emails), who enters it, the knowledge it
shows by scope, the directory (opt in, what is shared, search, opt out), the discussion, the
COPs' groups on outside networks, and flat query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import CohortRole, Membership
from copkit.errors import ServiceError
from copkit.models import OutboxMessage
from planning.knowledge.models import KnowledgeItem, Scope
from planning.sunset.alumni import services
from planning.sunset.alumni.models import AlumniSpace, AlumniThread, DirectoryEntry, NetworkGroup
from tests import factories
from tests.matrix_alumni import MATRIX, url_for
from tests.queries import count_queries

pytestmark = pytest.mark.django_db


def item(community, title, scope, author=None):
    return KnowledgeItem.objects.create(
        community=community,
        cohort=community.cohort,
        kind=KnowledgeItem.Kind.LESSON,
        title=title,
        author=author,
        state=KnowledgeItem.State.SHARED,
        scope=scope,
        shared_at=timezone.now(),
        search_text=title.lower(),
    )


def earlier_member(world, name="Erin Earlier", email="erin@earlier.example"):
    """A member of a COP of a cohort that started a year before the world's."""
    cohort = factories.CohortFactory(
        name="Earlier Cohort",
        starts_on=world.cohort.starts_on - datetime.timedelta(days=365),
        ends_on=world.cohort.starts_on - datetime.timedelta(days=30),
    )
    community = factories.CommunityFactory(cohort=cohort, name="Old Hands")
    user = factories.UserFactory(email=email, name=name)
    person = factories.ParticipantFactory(cohort=cohort, user=user, name=name, email=email)
    factories.MembershipFactory(community=community, participant=person)
    return user, community


def visitor(world, persona, space):
    return services.Visitor(
        user=world.users[persona],
        space=space,
        standing=services.standing_of(world.users[persona], space),
    )


# -- opening ---------------------------------------------------------------------------------


def test_staff_open_the_space_and_every_member_is_emailed_once(world, client_for):
    earlier_member(world)
    client = client_for("staff")
    response = client.post(
        reverse("planning:alumni-open", args=[world.cohort.slug]),
        {"welcome": "Keep in touch!"},
    )
    assert response.status_code == 302
    space = AlumniSpace.objects.get()
    assert space.opened_by == world.staff and not space.include_earlier
    sent = OutboxMessage.objects.filter(kind="alumni_opened")
    assert sorted(sent.values_list("to_email", flat=True)) == [
        "lee@pantry.example",
        "pat@pantry.example",
    ]
    pat = sent.get(to_email="pat@pantry.example")
    assert pat.subject == "The alumni space of Riverbend Capacity Cohort is open"
    assert (
        "Keep in touch!" in pat.body_text
        and "/c/riverbend-capacity-cohort/alumni/" in pat.body_text
    )
    assert "Hello Pat Participant" in pat.body_html
    # Opening twice is refused; the open page then leads to the space.
    with pytest.raises(ServiceError):
        services.open_space(world.cohort, actor=world.staff)
    again = client.get(reverse("planning:alumni-open", args=[world.cohort.slug]))
    assert again.status_code == 302 and again.url.endswith("/alumni/")


SPACE_PAGES = [
    name for name in MATRIX if name.startswith("planning:alumni") and name != "planning:alumni-open"
]


@pytest.mark.parametrize("name", SPACE_PAGES)
@pytest.mark.parametrize(("include_earlier", "status"), [(True, 200), (False, 404)])
def test_a_member_of_an_earlier_cohort_enters_only_when_included(
    world, client, name, include_earlier, status
):
    erin, _community = earlier_member(world)
    space, sent = services.open_space(
        world.cohort, actor=world.staff, include_earlier=include_earlier
    )
    assert sent == (3 if include_earlier else 2)  # Erin is emailed only when included
    assert services.standing_of(erin, space) == (services.MEMBER if include_earlier else None)
    url = url_for(name, world)
    client.force_login(erin)
    assert client.get(url).status_code == status
    # The COP pages of the later cohort stay closed to her whatever the space.
    groups = reverse("planning:network-groups", args=[world.cohort.slug, world.community.slug])
    assert client.get(groups).status_code == 404


def test_a_later_cohort_is_never_included(world):
    starts = world.cohort.starts_on + datetime.timedelta(days=400)
    later = factories.CohortFactory(starts_on=starts, ends_on=starts + datetime.timedelta(days=200))
    space, _sent = services.open_space(world.cohort, actor=world.staff, include_earlier=True)
    assert later not in services.cohorts_of(space)


def test_no_space_yet_is_404_and_staff_are_sent_to_open_it(world, client_for):
    space_url = reverse("planning:alumni", args=[world.cohort.slug])
    assert client_for("participant").get(space_url).status_code == 404
    response = client_for("staff").get(space_url)
    assert response.status_code == 302
    assert response.url == reverse("planning:alumni-open", args=[world.cohort.slug])


# -- knowledge by scope ----------------------------------------------------------------------


def test_knowledge_respects_the_sharing_scopes(world, client_for):
    erin, old_hands = earlier_member(world)
    item(world.community, "Ours, COP only", Scope.COMMUNITY)
    item(world.community, "Ours, for the cohort", Scope.COHORT)
    item(world.community, "Ours, for the provider", Scope.PROVIDER)
    item(old_hands, "Theirs, COP only", Scope.COMMUNITY)
    item(old_hands, "Theirs, for their cohort", Scope.COHORT)
    item(old_hands, "Theirs, public", Scope.PUBLIC)
    space, _sent = services.open_space(world.cohort, actor=world.staff, include_earlier=True)

    def titles(user):
        who = services.Visitor(user=user, space=space, standing=services.standing_of(user, space))
        return sorted(row.title for row in services.knowledge_for(who))

    assert titles(world.participant) == [
        "Ours, for the cohort",
        "Ours, for the provider",
        "Theirs, public",
    ]
    assert titles(erin) == ["Ours, for the provider", "Theirs, for their cohort", "Theirs, public"]
    assert titles(world.observer) == []  # figures only
    assert services.knowledge_count(space) == 4  # cohort scope and wider, both cohorts
    page = client_for("participant").get(reverse("planning:alumni", args=[world.cohort.slug]))
    html = page.content.decode()
    assert "Ours, for the cohort" in html and "COP only" not in html
    found = client_for("participant").get(
        reverse("planning:alumni", args=[world.cohort.slug]), {"q": "provider"}
    )
    assert "Ours, for the provider" in found.content.decode()
    assert "Ours, for the cohort" not in found.content.decode()


def test_observers_see_figures_never_names_or_words(world, client_for):
    space = services.open_space(world.cohort, actor=world.staff, welcome="Hello all")[0]
    services.save_entry(visitor(world, "participant", space), listed=True, name="Pat Participant")
    client = client_for("observer")
    html = client.get(reverse("planning:alumni", args=[world.cohort.slug])).content.decode()
    assert "In figures" in html and "Pat Participant" not in html and "Find people" not in html
    with pytest.raises(ServiceError):
        services.save_entry(visitor(world, "observer", space), listed=True, name="Olive")


# -- the directory ---------------------------------------------------------------------------


def test_opting_in_shares_only_what_was_chosen_and_opting_out_removes_at_once(world, client_for):
    services.open_space(world.cohort, actor=world.staff)
    pat = client_for("participant")
    entry_url = reverse("planning:alumni-entry", args=[world.cohort.slug])
    form = pat.get(entry_url).content.decode()
    assert "pat@pantry.example" in form  # prefilled from the profile
    response = pat.post(
        entry_url,
        {
            "listed": "on",
            "name": "Pat Participant",
            "show_email": "on",
            "email": "pat@pantry.example",
            "phone": "+1 555 010 0100",  # typed but not ticked: not shared
            "show_expertise": "on",
            "expertise": "Grant writing, volunteer recruitment",
        },
    )
    assert response.status_code == 302
    entry = DirectoryEntry.objects.get()
    assert entry.phone == "" and not entry.show_phone
    directory_url = reverse("planning:alumni-directory", args=[world.cohort.slug])
    lee = client_for("leader")
    html = lee.get(directory_url, {"q": "grant"}).content.decode()
    assert "Pat Participant" in html and "pat@pantry.example" in html and "555" not in html
    assert "Pat Participant" not in lee.get(directory_url, {"q": "plumbing"}).content.decode()
    # Opting out: gone at once.
    pat = client_for("participant")
    pat.post(entry_url, {"name": "Pat Participant"})
    assert not DirectoryEntry.objects.exists()
    assert "Pat Participant" not in client_for("leader").get(directory_url).content.decode()


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"show_phone": "on", "phone": "call me"}, "phone", "7 to 15 digits"),
        ({"show_phone": "on", "phone": "12"}, "phone", "7 to 15 digits"),
        ({"show_link": "on", "link": "not a link at all"}, "link", "Enter a full link"),
        ({"show_expertise": "on", "expertise": ""}, "expertise", "untick it"),
    ],
)
def test_bad_entries_get_a_message_by_the_field(world, client_for, data, field, words):
    services.open_space(world.cohort, actor=world.staff)
    response = client_for("participant").post(
        reverse("planning:alumni-entry", args=[world.cohort.slug]),
        {"listed": "on", "name": "Pat", **data},
    )
    assert response.status_code == 200
    assert words in str(response.context["form"].errors[field])
    assert not DirectoryEntry.objects.exists()


def test_search_reads_only_what_was_shared(world):
    space = services.open_space(world.cohort, actor=world.staff)[0]
    services.save_entry(
        visitor(world, "participant", space),
        listed=True,
        name="Pat Participant",
        organization="Riverbend Food Pantry",  # typed, not shared
        expertise="Grant writing",
        show_expertise=True,
    )
    assert [e.name for e in services.directory(space, "grant")] == ["Pat Participant"]
    assert list(services.directory(space, "riverbend")) == []
    assert [e.name for e in services.directory(space, "pat")] == ["Pat Participant"]


# -- the discussion --------------------------------------------------------------------------


def test_members_talk_in_the_discussion(world, client_for):
    services.open_space(world.cohort, actor=world.staff)
    pat = client_for("participant")
    discussion = reverse("planning:alumni-discussion", args=[world.cohort.slug])
    empty = pat.post(discussion, {"title": "", "body": ""})
    assert empty.status_code == 200 and empty.context["form"].errors["title"]
    response = pat.post(discussion, {"title": "Still meeting monthly?", "body": "We are."})
    thread = AlumniThread.objects.get()
    assert response.url == reverse(
        "planning:alumni-thread", args=[world.cohort.slug, thread.public_id]
    )
    lee = client_for("leader")
    lee.post(response.url, {"body": "So are we."})
    html = lee.get(response.url).content.decode()
    assert "So are we." in html and "We are." in html


# -- groups on outside networks --------------------------------------------------------------


def test_leaders_add_groups_members_see_them_on_the_community_page(world, client_for):
    url = reverse("planning:network-groups", args=[world.cohort.slug, world.community.slug])
    lee = client_for("leader")
    bad = lee.post(url, {"kind": "linkedin", "url": "https://facebook.com/groups/x"})
    assert bad.status_code == 200 and "not a LinkedIn link" in str(
        bad.context["form"].errors["url"]
    )
    unnamed = lee.post(url, {"kind": "other", "url": "https://forum.example.org/board"})
    assert "Name the network" in str(unnamed.context["form"].errors["label"])
    scheme = lee.post(url, {"kind": "facebook", "url": "facebook.com/groups/x"})
    assert "https://" in str(scheme.context["form"].errors["url"])
    ok = lee.post(url, {"kind": "linkedin", "url": "https://www.linkedin.com/groups/123"})
    assert ok.status_code == 302 and NetworkGroup.objects.count() == 1
    pat = client_for("participant")
    assert pat.post(url, {"kind": "other", "label": "X", "url": "https://x.org"}).status_code == 403
    page = pat.get(world.community.get_absolute_url()).content.decode()
    assert "https://www.linkedin.com/groups/123" in page
    space = services.open_space(world.cohort, actor=world.staff)[0]
    assert list(services.groups_of_space(space)) == list(NetworkGroup.objects.all())
    page = pat.get(world.community.get_absolute_url()).content.decode()
    assert reverse("planning:alumni", args=[world.cohort.slug]) in page
    group = NetworkGroup.objects.get()
    delete = reverse(
        "planning:network-group-delete",
        args=[world.cohort.slug, world.community.slug, group.public_id],
    )
    lee = client_for("leader")  # one test client: log Lee back in
    assert lee.post(delete).status_code == 302 and not NetworkGroup.objects.exists()
    verbs = set(world.cohort.activities.values_list("verb", flat=True))
    assert {
        "opened the alumni space",
        "added a network group to",
        "removed a network group from",
    } <= verbs


# -- permissions and query counts ------------------------------------------------------------


def grow(world, n, with_space=True):
    """n more of every row the pages list: members, directory entries, shared items, groups,
    threads and replies (without the space: for the opening page, members only)."""
    space = AlumniSpace.objects.get_or_create(cohort=world.cohort)[0] if with_space else None
    for _ in range(n):
        user = factories.UserFactory()
        person = factories.ParticipantFactory(cohort=world.cohort, user=user, email=user.email)
        community = factories.CommunityFactory(cohort=world.cohort)
        factories.MembershipFactory(community=community, participant=person)
        factories.MembershipFactory(
            community=world.community, participant=person, role=Membership.Role.MEMBER
        )
        if space is None:
            continue
        DirectoryEntry.objects.create(
            space=space,
            user=user,
            name=person.name,
            show_expertise=True,
            expertise="grant writing",
            search_text=f"{person.name} grant writing".lower(),
        )
        item(community, f"Lesson of {community.name}", Scope.COHORT, author=person)
        NetworkGroup.objects.create(
            community=community, kind="linkedin", url="https://www.linkedin.com/groups/9"
        )
        NetworkGroup.objects.create(
            community=world.community, kind="facebook", url="https://facebook.com/groups/9"
        )
        thread = AlumniThread.objects.create(
            space=space, author=user, title="Hello", body="Hi", last_activity_at=timezone.now()
        )
        thread.replies.create(author=world.participant, body="Welcome")
        AlumniThread.objects.order_by("pk").first().replies.create(author=user, body="Again")


PERSONAS = [
    (name, persona)
    for name, (method, expected) in MATRIX.items()
    if method == "get"
    for persona in ("staff", "observer", "participant")
    if expected[persona] == 200
]


@pytest.mark.parametrize(("name", "persona"), PERSONAS)
def test_query_count_is_flat(name, persona, world, client_for):
    client = client_for(persona)
    page = url_for(name, world)
    with_space = name != "planning:alumni-open"
    grow(world, 1, with_space)
    small, _ = count_queries(client, page)
    grow(world, 20, with_space)
    large, response = count_queries(client, page)
    assert large == small, f"{name} as {persona}: {small} queries with 1 row, {large} with 21"
    assert len(response.content) > 2000


def test_staff_of_another_cohort_and_its_observers_stay_out(world, client_for):
    services.open_space(world.cohort, actor=world.staff, include_earlier=True)
    # The outsider is staff of a cohort that started at the same time: not earlier, 404.
    assert world.other_cohort.roles.filter(role=CohortRole.Role.STAFF).exists()
    response = client_for("outsider").get(reverse("planning:alumni", args=[world.cohort.slug]))
    assert response.status_code == 404
