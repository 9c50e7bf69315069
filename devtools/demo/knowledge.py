"""Demo knowledge for the demo cohort: case studies with the group's responses, promising
practices (one agreed and published to every cohort), lessons learned (one public), a draft,
a request for items to every community, and the TTA team's resources in the library."""

from datetime import timedelta

from django.utils import timezone

from cohorts.models import Membership
from planning.knowledge import services
from planning.knowledge.models import KnowledgeItem, Scope

Kind = KnowledgeItem.Kind

CASE_STUDIES = [
    (
        "Volunteers who leave after a month",
        {
            "context": "A food pantry open three days a week, run almost entirely by volunteers.",
            "problem": "Half of our new volunteers stop coming within four weeks, so the same "
            "few people carry every shift.",
            "tried": "Thank-you notes, a volunteer lunch, and a shorter first shift.",
            "question": "What has helped your organization keep volunteers past the first month?",
        },
        [
            "We pair every new volunteer with a regular for their first three shifts.",
            "A phone call at the end of week two made the biggest difference for us.",
        ],
    ),
    (
        "A board that does not ask for money",
        {
            "context": "A youth mentoring program with a board of nine.",
            "problem": "Board members are happy to advise, but nobody wants to ask donors.",
            "tried": "A fundraising training, and a goal for each member.",
            "question": "How did you get your board comfortable with asking?",
        },
        ["Start with thank-you calls to donors: asking comes easier after that."],
    ),
]

PRACTICE = (
    "A guest seat at every board meeting",
    {
        "activity": "Recruiting new board members",
        "practice": "Each board meeting keeps one seat for a guest a member invited. After "
        "the meeting the chair calls the guest to ask what they thought.",
        "why": "Guests see the board at work before anyone asks them to join, so the ones "
        "who say yes know what they are saying yes to.",
        "evidence": "Three of our last four board members first came as guests.",
        "conditions": "A board that meets at a regular time, and a chair willing to call.",
        "adopt": "Put the guest seat on the next agenda, and ask each member for one name.",
    },
)

LESSONS = [
    (
        "Send the agenda two days ahead",
        {
            "happened": "Members came to meetings without having read what we would discuss.",
            "learned": "An agenda that arrives two days early gets read; one sent the same "
            "morning does not.",
            "differently": "We would agree the agenda at the end of each meeting.",
            "who": "Any group that meets online.",
        },
        Scope.PUBLIC,
    ),
    (
        "Small asks first",
        {
            "happened": "Our first joint project was too big, and stalled.",
            "learned": "Two organizations trust each other after a small shared task.",
            "differently": "Start with a shared flyer, not a shared grant.",
        },
        Scope.COHORT,
    ),
]

RESOURCES = [
    (
        "Running an online meeting",
        "For leaders who host their community on a video call: before, during and after.",
        "https://example.org/guides/online-meetings",
        "online meetings, board development",
    ),
    (
        "Using your community's pages in copkit",
        "A tour of the pages your group shares: meetings, the plan, and what we know.",
        "",
        "online meetings",
    ),
    (
        "Recording: raising funds from individual donors",
        "The hour-long training of the fall, with the slides.",
        "https://example.org/recordings/individual-donors",
        "fundraising, raising funds",
    ),
]


def _members(community):
    return [
        m
        for m in community.memberships.select_related("participant__user").order_by("pk")
        if m.participant.user_id
    ]


def _write(community, kind, title, fields, writer, scope=Scope.COMMUNITY):
    item = services.draft(
        community,
        participant=writer.participant,
        kind=kind,
        title=title,
        fields=fields,
        topic=community.topic,
    )
    services.share(item, actor=writer.participant.user, scope=scope)
    return item


def add_knowledge_data(cohort, *, staff):
    """Returns the counts of what was made, for the seed command's summary."""
    communities = [c for c in cohort.communities.active().order_by("name") if len(_members(c)) >= 3]
    resources = [
        services.save_resource(
            cohort,
            actor=staff,
            title=title,
            description=description,
            url=url,
            body="" if url else "Open your community from your home page. " + description,
            areas=areas,
            scope=Scope.PROVIDER,
        )
        for title, description, url, areas in RESOURCES
    ]
    services.request_items(
        cohort,
        actor=staff,
        communities=cohort.communities.active(),
        kind="",
        note="One item from each group before the winter break, please.",
        due_on=timezone.localdate() + timedelta(days=14),
    )
    items = 0
    for index, community in enumerate(communities[:3]):
        members = _members(community)
        leaders = [m for m in members if m.role in Membership.LEADING_ROLES] or members[:1]
        writers = [m for m in members if m not in leaders] or members
        title, fields, responses = CASE_STUDIES[index % len(CASE_STUDIES)]
        case = _write(community, Kind.CASE_STUDY, title, fields, writers[0])
        for body, member in zip(responses, members[1:], strict=False):
            services.respond(
                case, actor=member.participant.user, participant=member.participant, body=body
            )
        items += 1
        if index == 0:
            title, fields = PRACTICE
            practice = _write(community, Kind.PRACTICE, title, fields, writers[-1])
            services.agree(practice, actor=leaders[0].participant.user)
            services.set_scope(practice, actor=staff, scope=Scope.PROVIDER)
            items += 1
        title, fields, scope = LESSONS[index % len(LESSONS)]
        lesson = _write(community, Kind.LESSON, title, fields, leaders[0], scope=Scope.COHORT)
        if scope != Scope.COHORT:
            services.set_scope(lesson, actor=staff, scope=scope)
        items += 1
        services.draft(
            community,
            participant=writers[0].participant,
            kind=Kind.LESSON,
            title="What our first evaluation taught us",
            fields={"happened": "We ran our first evaluation survey."},
        )
    return {"knowledge items shared": items, "library resources": len(resources)}
