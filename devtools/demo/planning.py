"""Planning data for the demo cohort (`seed_demo`) and the bench's generated cohorts: a needs
assessment sent and mostly answered, a live poll run at the launch webinar, the
needs-and-expertise inventory with some confirmed connections, dot votes on common needs,
an interview rotation, and (devtools/demo/plans.py) action plans at every stage, monthly
meetings with attendance, and calendar feeds. Written with bulk_create and a seeded random
generator, so the same cohort always gets the same data."""

import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from cohorts.models import Community, Membership, Participant
from devtools.demo.plans import add_plans_and_meetings
from planning.models import (
    Answer,
    CommonNeed,
    Connection,
    InterviewPair,
    InterviewRotation,
    InventoryEntry,
    LiveSession,
    Meeting,
    NeedVote,
    Question,
    Response,
    Survey,
    SurveyRecipient,
)
from planning.needs.services.interviews import default_questions, round_robin
from planning.surveys import banks

Kind = Question.Kind

TEXT_ANSWERS = [
    "Finding board members who stay engaged beyond the first year.",
    "Learning from organizations that have already been through a leadership change.",
    "Practical templates we can adapt rather than theory.",
    "Time: our staff are stretched and meetings must be worth it.",
    "A network of peers to call when something goes wrong.",
    "Grant reporting that does not eat every Friday.",
    "Keeping volunteers once the first enthusiasm fades.",
    "How to measure what our programs change, simply.",
]

# What a member might write about a need or an offer, per practice area (the demo topics);
# any other topic gets the general line.
NOTES = {
    "Board development": (
        "Our board rarely meets quorum and we need a plan to recruit.",
        "Ran our board recruitment drive last spring and doubled attendance.",
    ),
    "Leadership and management": (
        "Our new director has never led a team this size.",
        "Coached two first-time managers through their first year.",
    ),
    "Staff development": (
        "Staff turnover means we train from scratch every year.",
        "Designed a peer mentoring scheme for new staff.",
    ),
    "Raising funds": (
        "We depend on one grant and want a second source of income.",
        "Wrote the individual giving plan that doubled our donors.",
    ),
    "Volunteer management": (
        "Volunteers drop off after a few months.",
        "Built a volunteer onboarding program that halved drop-out.",
    ),
    "Program evaluation": (
        "We count attendance but not what changes for the people we serve.",
        "Set up a simple outcome tracker that our funders now ask others to copy.",
    ),
}
GENERAL_NOTE = (
    "We would like to learn how others handle this.",
    "Happy to share what has worked for us.",
)
ROLES = ["Executive director", "Program manager", "Volunteer coordinator", "Board chair"]


@dataclass
class PlanningDemo:
    needs_survey: Survey
    poll_survey: Survey
    counts: dict = field(default_factory=dict)
    home_community: Community | None = None  # the personas' community
    next_meeting: Meeting | None = None  # its next meeting (its last, once the cohort ended)
    feeds: dict = field(default_factory=dict)  # user id -> CalendarFeed


def _value(question, rng):
    """A believable answer to `question`, valid for planning.surveys.questions.clean_value."""
    options = [str(option) for option in question.choices]
    if question.kind == Kind.SINGLE:
        return rng.choice(options)
    if question.kind == Kind.MULTIPLE:
        return rng.sample(options, rng.randint(1, min(3, len(options))))
    if question.kind == Kind.PICK_N:
        return rng.sample(options, rng.randint(1, min(question.max_picks or 3, len(options))))
    if question.kind == Kind.RANKING:
        return rng.sample(options, len(options))
    if question.kind == Kind.RATING:
        # Lean to the upper half, as needs assessments tend to.
        low, high = question.scale_min, question.scale_max
        return min(high, max(low, round(rng.triangular(low, high, high - 1))))
    if "role" in question.text.lower():
        return rng.choice(ROLES)
    if rng.random() < 0.6:
        return rng.choice(TEXT_ANSWERS)
    return None


def _survey(cohort, key, staff, **fields):
    point = banks.STARTING_POINTS[key]
    survey = Survey.objects.create(
        cohort=cohort,
        title=str(fields.pop("title", point["title"])),
        intro=str(point["intro"]),
        kind=point["kind"],
        created_by=staff,
        **fields,
    )
    questions = [
        Question(survey=survey, position=position, **spec)
        for position, spec in enumerate(banks.questions_for(key, cohort))
    ]
    return survey, Question.objects.bulk_create(questions)


def _answers(response, questions, rng):
    rows = []
    for question in questions:
        value = _value(question, rng)
        if value is not None:
            rows.append(Answer(response=response, question=question, value=value))
    return rows


def add_planning_data(cohort, *, staff, seed=2026, answered_share=0.65):
    """Surveys, a live poll, inventories, votes and interviews for `cohort`'s participants
    and communities. Returns a PlanningDemo with the surveys and what was made."""
    rng = random.Random(f"planning-{seed}-{cohort.slug}")
    now = timezone.now()
    people = list(cohort.participants.order_by("pk"))
    topics = list(cohort.topics.order_by("name"))

    # A needs assessment sent three weeks ago to everyone; most have answered.
    needs, needs_questions = _survey(
        cohort,
        banks.NEEDS,
        staff,
        status=Survey.Status.OPEN,
        closes_at=now + timedelta(days=10),
    )
    recipients = SurveyRecipient.objects.bulk_create(
        [
            SurveyRecipient(
                survey=needs,
                participant=person,
                sent_at=now - timedelta(days=21),
                reminder_count=1 if index % 3 else 0,
                last_reminded_at=now - timedelta(days=14) if index % 3 else None,
            )
            for index, person in enumerate(people)
        ],
        batch_size=1000,
    )
    responses = []
    for index, recipient in enumerate(recipients):
        roll = rng.random()
        if roll > answered_share + 0.1:
            continue  # not opened
        submitted = roll <= answered_share or index < 2
        responses.append(
            Response(
                survey=needs,
                participant=recipient.participant,
                recipient=recipient,
                submitted_at=now - timedelta(days=20 - index % 18) if submitted else None,
                created_at=now - timedelta(days=20 - index % 18),
            )
        )
    responses = Response.objects.bulk_create(responses, batch_size=1000)
    answers = []
    for response in responses:
        answers += _answers(response, needs_questions, rng)
    Answer.objects.bulk_create(answers, batch_size=2000)

    # A closed live poll from the launch webinar: the same practice-area questions, voted on
    # by phones, half of them anonymous.
    poll, poll_questions = _survey(
        cohort, banks.NEEDS, staff, title="Launch webinar poll", status=Survey.Status.CLOSED
    )
    poll_questions = [q for q in poll_questions if q.is_choice or q.kind == Kind.RATING][:3]
    session = LiveSession.objects.create(
        survey=poll,
        status=LiveSession.Status.CLOSED,
        current_question=poll_questions[-1] if poll_questions else None,
        results_visible=True,
        started_by=staff,
        closed_at=now - timedelta(days=25),
    )
    votes = []
    voters = people[: min(len(people), 40)]
    for index, person in enumerate(voters):
        known = index % 2 == 0
        votes.append(
            Response(
                survey=poll,
                live_session=session,
                participant=person if known else None,
                voter_key=f"p{person.pk}" if known else f"a{seed}{index:05d}",
                submitted_at=now - timedelta(days=25),
            )
        )
    votes = Response.objects.bulk_create(votes, batch_size=1000)
    vote_answers = []
    for response in votes:
        vote_answers += _answers(response, poll_questions, rng)
    Answer.objects.bulk_create(vote_answers, batch_size=2000)

    # An expertise inventory, still a draft.
    _expertise, _ = _survey(cohort, banks.EXPERTISE, staff)

    # Inventories: each member of a community names one or two needs and areas of expertise.
    members = (
        Participant.objects.filter(memberships__community__cohort=cohort).distinct().order_by("pk")
    )
    entries = []
    for person in members:
        if not topics:
            break
        chosen = rng.sample(topics, min(len(topics), 4))
        for number, topic in enumerate(chosen):
            kind = InventoryEntry.Kind.NEED if number < 2 else InventoryEntry.Kind.EXPERTISE
            if number == 1 and rng.random() < 0.5:
                continue
            need_note, offer_note = NOTES.get(topic.name, GENERAL_NOTE)
            entries.append(
                InventoryEntry(
                    participant=person,
                    kind=kind,
                    topic=topic,
                    description=need_note if kind == InventoryEntry.Kind.NEED else offer_note,
                    source=InventoryEntry.Source.SURVEY
                    if rng.random() < 0.5
                    else InventoryEntry.Source.SELF,
                )
            )
    entries = InventoryEntry.objects.bulk_create(entries, batch_size=2000)

    # Connections, common needs, votes and interviews in every community.
    by_person = {}
    for entry in entries:
        by_person.setdefault(entry.participant_id, []).append(entry)
    connections, candidates, rotations = [], [], []
    crews = {}
    for membership in (
        Membership.objects.filter(community__cohort=cohort)
        .select_related("participant")
        .order_by("community_id", "role", "participant__name")
    ):
        crews.setdefault(membership.community_id, []).append(membership.participant)
    communities = {c.pk: c for c in cohort.communities.all()}
    for community_id, crew in crews.items():
        community = communities[community_id]
        mine = [e for person in crew for e in by_person.get(person.pk, [])]
        needs_here = [e for e in mine if e.kind == InventoryEntry.Kind.NEED]
        offers = [e for e in mine if e.kind == InventoryEntry.Kind.EXPERTISE]
        made = set()
        for need in needs_here:
            helpers = [
                e
                for e in offers
                if e.topic_id == need.topic_id and e.participant_id != need.participant_id
            ]
            if helpers and rng.random() < 0.6:
                offer = rng.choice(helpers)
                if (need.pk, offer.participant_id) not in made:
                    made.add((need.pk, offer.participant_id))
                    connections.append(
                        Connection(
                            community=community,
                            need=need,
                            helper_id=offer.participant_id,
                            expertise=offer,
                            created_by=staff,
                        )
                    )
        named = {}
        for need in needs_here:
            named.setdefault(need.topic, 0)
            named[need.topic] += 1
        for topic, _count in sorted(named.items(), key=lambda item: (-item[1], item[0].name))[:5]:
            candidates.append(
                CommonNeed(community=community, topic=topic, title=topic.name, created_by=staff)
            )
        rotations.append(
            InterviewRotation(community=community, questions=default_questions(), created_by=staff)
        )
    Connection.objects.bulk_create(connections, batch_size=2000)
    candidates = CommonNeed.objects.bulk_create(candidates, batch_size=2000)
    rotations = InterviewRotation.objects.bulk_create(rotations, batch_size=1000)

    by_community = {}
    for candidate in candidates:
        by_community.setdefault(candidate.community_id, []).append(candidate)
    dots = []
    for community_id, crew in crews.items():
        options = by_community.get(community_id, [])
        if not options:
            continue
        for person in crew:
            if rng.random() < 0.7:
                for candidate in rng.sample(options, min(3, len(options))):
                    dots.append(NeedVote(need=candidate, participant=person))
    NeedVote.objects.bulk_create(dots, batch_size=2000)

    # Communities past forming have voted and recorded their top three needs.
    tally = {}
    for dot in dots:
        tally[dot.need] = tally.get(dot.need, 0) + 1
    chosen = []
    for community_id, options in by_community.items():
        if communities[community_id].phase == communities[community_id].Phase.FORMING:
            continue
        ranked = sorted(options, key=lambda need: (-tally.get(need, 0), need.title))
        for rank, need in enumerate(ranked[: CommonNeed.TOP], start=1):
            need.chosen_rank = rank
            chosen.append(need)
    CommonNeed.objects.bulk_update(chosen, ["chosen_rank"], batch_size=1000)

    pairs = []
    for rotation in rotations:
        crew = crews[rotation.community_id]
        for number, round_pairs in enumerate(round_robin(crew), start=1):
            for first, second in round_pairs:
                pairs.append(
                    InterviewPair(
                        rotation=rotation, round_number=number, first=first, second=second
                    )
                )
    InterviewPair.objects.bulk_create(pairs, batch_size=2000)

    made = add_plans_and_meetings(cohort, staff=staff, rng=rng, now=now)

    return PlanningDemo(
        needs_survey=needs,
        poll_survey=poll,
        home_community=made.home,
        next_meeting=made.next_meeting,
        feeds=made.feeds,
        counts={
            "surveys": 3,
            "survey responses": len(responses),
            "live poll votes": len(votes),
            "inventory entries": len(entries),
            "connections": len(connections),
            "common needs": len(candidates),
            "dots": len(dots),
            "interview pairs": len(pairs),
            **made.counts,
        },
    )
