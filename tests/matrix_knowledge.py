"""Permission matrix rows of the knowledge pages and the library (merged by
tests/test_permissions.py).

A community's knowledge is its members' and staff's; members (not staff) write items, from
the template of their choice; the author, the leaders and staff edit one; members and staff
respond; the author shares their draft (a draft is nobody else's to see: 404); only the
leaders mark a practice agreed; only staff change who reads an item. The cohort's knowledge
page is for staff, and for observers as counts only. The library is for anyone logged in: it
shows what each one may read, and an item or resource they may not read is a 404 (observers
read what the public reads). An item's public page needs no login. An empty response or scope
re-renders the page with the error beside the field (200)."""

from django.core.files.base import ContentFile
from django.urls import reverse

from planning.knowledge import services
from planning.knowledge.models import KnowledgeItem, Scope
from planning.workspace import files
from tests import factories
from tests.matrix_common import EVERYONE, MEMBERS, REPORT, STAFF_ONLY

WRITERS = {**MEMBERS, "staff": 403}
FORBIDDEN = {**MEMBERS, "staff": 403, "leader": 403, "participant": 403}

MATRIX = {
    "planning:knowledge-overview": ("get", REPORT),
    "planning:knowledge-request": ("get", STAFF_ONLY),
    "planning:resource-create": ("get", STAFF_ONLY),
    "planning:resource-edit": ("get", STAFF_ONLY),
    "planning:knowledge-community": ("get", MEMBERS),
    "planning:knowledge-create": ("get", WRITERS),
    "planning:knowledge-item": ("get", MEMBERS),
    "planning:knowledge-edit": ("get", MEMBERS),
    "planning:knowledge-respond": ("post", MEMBERS),
    # Pat's draft: Pat shares it; to anyone else in the community it does not exist yet.
    "planning:knowledge-share": (
        "post",
        {**FORBIDDEN, "participant": 302, "leader": 404, "staff": 404},
    ),
    "planning:knowledge-agree": ("post", {**FORBIDDEN, "leader": 302}),
    "planning:knowledge-scope": ("post", {**FORBIDDEN, "staff": 200}),
    "library": ("get", {**EVERYONE, "outsider": 200}),
    # An item shared with the cohort, and a resource of the cohort.
    "library-item": ("get", {**EVERYONE, "observer": 404}),
    "library-resource": ("get", {**EVERYONE, "observer": 404}),
    # A file attached to that item.
    "library-file": ("get", {**EVERYONE, "observer": 404}),
    "library-public": ("get", dict.fromkeys(EVERYONE, 200)),
}

PINNED = {
    name: "test_knowledge_pages.py::test_query_count_is_flat"
    for name, (method, _expected) in MATRIX.items()
    if method == "get" and name != "library-file"
}

ANSWERS = {
    "activity": "Recruiting board members",
    "practice": "Each board member brings one guest to a meeting a year.",
    "why": "Guests see the board at work before they are asked to join.",
    "evidence": "Three new members in a year.",
    "conditions": "A board that meets in person.",
    "adopt": "Put a guest seat on the agenda.",
}


def item_of(world, *, scope=Scope.COMMUNITY, shared=True, kind=KnowledgeItem.Kind.PRACTICE):
    """Pat's promising practice in Board Builders, shared with `scope` (or a draft)."""
    item = services.draft(
        world.community,
        participant=world.participant_participant,
        kind=kind,
        title="A guest seat at every board meeting",
        fields=ANSWERS,
        topic=world.topic,
    )
    if shared:
        services.share(item, actor=world.participant, scope=Scope.COMMUNITY)
        if scope != Scope.COMMUNITY:
            services.set_scope(item, actor=world.staff, scope=scope)
    return item


def resource_of(world, scope=Scope.COHORT):
    return services.save_resource(
        world.cohort,
        actor=world.staff,
        title="Running an online meeting",
        description="For leaders who host their group on a video call.",
        url="https://example.org/online-meetings",
        areas="Board development, online meetings",
        scope=scope,
    )


def url_for(name, world):
    cohort, community = world.cohort.slug, world.community.slug
    rest = name.removeprefix("planning:")
    if rest in {"knowledge-overview", "knowledge-request", "resource-create"}:
        return reverse(name, args=[cohort])
    if rest == "resource-edit":
        return reverse(name, args=[cohort, resource_of(world).public_id])
    if rest == "knowledge-community":
        return reverse(name, args=[cohort, community])
    if rest == "knowledge-create":
        return reverse(name, args=[cohort, community, "case_study"])
    if name == "library":
        return reverse(name)
    if name == "library-item":
        return reverse(name, args=[item_of(world, scope=Scope.COHORT).public_id])
    if name == "library-file":
        item = item_of(world, scope=Scope.COHORT)
        row = files.upload(
            world.community,
            ContentFile(b"%PDF-1.4\n%%EOF\n", name="notes.pdf"),
            actor=world.participant,
            to=item,
        )
        return reverse(name, args=[item.public_id, row.public_id])
    if name == "library-resource":
        return reverse(name, args=[resource_of(world).public_id])
    if name == "library-public":
        return reverse(name, args=[item_of(world, scope=Scope.PUBLIC).public_id])
    item = item_of(world, shared=rest != "knowledge-share")
    return reverse(name, args=[cohort, community, item.public_id])


def another_member(world):
    """A member of another community of the same cohort (the "another COP" persona)."""
    other = factories.CommunityFactory(cohort=world.cohort, name="Grant Getters")
    user = factories.UserFactory(email="gia@grants.example", name="Gia Grants")
    person = factories.ParticipantFactory(
        cohort=world.cohort, user=user, name=user.name, email=user.email
    )
    factories.MembershipFactory(community=other, participant=person)
    return user, person, other
