"""Appreciative interviews: the rotation of pairs, rebuilt from a community's members,
and the notes each member writes about the partner they interviewed."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from cohorts.services.activity import record
from copkit.errors import ServiceError
from planning.archived import refuse_if_archived
from planning.models import InterviewPair, InterviewRotation

DEFAULT_MINUTES = 20


def default_questions():
    """Questions in the appreciative spirit: what people bring, not what they lack. The
    last two are copkit's own, in the same spirit. One per line, as the rotation keeps them."""
    return "\n".join(
        [
            _("What draws you to your work, and what keeps you going on the hard days?"),
            _("Which of your talents and skills make you good at what you do?"),
            _(
                "Tell me about the most fulfilling moment of your career so far. "
                "What made it count?"
            ),
            _("What does your organization do well that others in this group could learn from?"),
            _("What would you most like to learn from the people in this community?"),
        ]
    )


def round_robin(people):
    """Pair everyone with everyone else once, in rounds (the circle method).

    Returns a list of rounds; each round is a list of (a, b) pairs, with b None when a
    rests. n people give n - 1 rounds when n is even and n rounds when n is odd, with
    exactly one person resting in each. The same input gives the same schedule."""
    people = list(people)
    if len(people) < 2:
        return [[(person, None)] for person in people]
    circle = [*people, None] if len(people) % 2 else people
    size = len(circle)
    rounds = []
    for _round in range(size - 1):
        pairs = []
        for i in range(size // 2):
            a, b = circle[i], circle[size - 1 - i]
            if a is None:
                a, b = b, None
            elif b is not None and _round % 2 and i == 0:
                a, b = b, a  # the fixed person alternates sides, so no one is always first
            pairs.append((a, b))
        # Resting person last, so a round reads as its pairs then who rests.
        pairs.sort(key=lambda pair: pair[1] is None)
        rounds.append(pairs)
        # Keep the first place fixed; turn everyone else one step.
        circle = [circle[0], circle[-1], *circle[1:-1]]
    return rounds


def current_members(community):
    """The participants of the community, in a stable order (by name, then id)."""
    return [
        m.participant
        for m in community.memberships.select_related("participant").order_by(
            "participant__name", "participant_id"
        )
    ]


@dataclass
class RebuildPreview:
    """What rebuilding the rotation from the current members would change."""

    joined: list
    left: list
    notes_lost: int  # pairs with notes that would go (one of the two has left)

    @property
    def changed(self):
        return bool(self.joined or self.left)


def preview_rebuild(pairs, members):
    """Compare the rotation's `pairs` (with first and second loaded) with `members`."""
    scheduled = {}
    lost = 0
    member_ids = {person.pk for person in members}
    for pair in pairs:
        scheduled[pair.first_id] = pair.first
        if pair.second_id:
            scheduled[pair.second_id] = pair.second
            gone = pair.first_id not in member_ids or pair.second_id not in member_ids
            if gone and (pair.notes_on_first or pair.notes_on_second):
                lost += 1
    return RebuildPreview(
        joined=[person for person in members if person.pk not in scheduled],
        left=sorted(
            (person for pk, person in scheduled.items() if pk not in member_ids),
            key=lambda person: person.name,
        ),
        notes_lost=lost,
    )


@transaction.atomic
def set_up(community, *, actor, questions, minutes_per_round, rebuild=True):
    """Create or update the community's rotation. With `rebuild` (always for a new one),
    the rounds are made again from the current members; notes written in a pair whose two
    members meet again in the new schedule are kept."""
    refuse_if_archived(community)
    members = current_members(community)
    rotation = InterviewRotation.objects.filter(community=community).first()
    creating = rotation is None
    if (creating or rebuild) and len(members) < 2:
        raise ServiceError(_("Interviews need at least two members in the community."))
    if creating:
        rotation = InterviewRotation(community=community, created_by=actor)
    rotation.questions = questions
    rotation.minutes_per_round = minutes_per_round
    rotation.save()
    if creating or rebuild:
        kept = _rebuild(rotation, members)
        record(
            community.cohort,
            actor,
            "set up interviews" if creating else "rebuilt the interview rounds",
            community,
            members=len(members),
            notes_kept=kept,
        )
    else:
        record(community.cohort, actor, "edited the interview questions", community)
    return rotation


def _rebuild(rotation, members):
    """Replace the pairs; returns how many pairs' notes carried over."""
    notes = {}  # (interviewee id, interviewer id) -> notes on the interviewee
    for pair in rotation.pairs.filter(second__isnull=False):
        if pair.notes_on_first:
            notes[(pair.first_id, pair.second_id)] = pair.notes_on_first
        if pair.notes_on_second:
            notes[(pair.second_id, pair.first_id)] = pair.notes_on_second
    rotation.pairs.all().delete()
    pairs = []
    kept = 0
    for number, round_pairs in enumerate(round_robin(members), start=1):
        for first, second in round_pairs:
            pair = InterviewPair(rotation=rotation, round_number=number, first=first, second=second)
            if second is not None:
                pair.notes_on_first = notes.get((first.pk, second.pk), "")
                pair.notes_on_second = notes.get((second.pk, first.pk), "")
                kept += bool(pair.notes_on_first or pair.notes_on_second)
            pairs.append(pair)
    InterviewPair.objects.bulk_create(pairs)
    return kept


def partner_of(pair, participant):
    """The other member of the pair for `participant` (None when resting or not in it)."""
    if pair.first_id == participant.pk:
        return pair.second
    if pair.second_id == participant.pk:
        return pair.first
    return None


@transaction.atomic
def save_notes(pair, *, author, actor, text):
    """`author` (one of the pair) writes their notes on the partner they interviewed."""
    refuse_if_archived(pair.rotation.community)
    pair = InterviewPair.objects.select_for_update().get(pk=pair.pk)
    if pair.second_id is None:
        raise ServiceError(_("Nobody to interview this round: you rest."))
    if author.pk == pair.first_id:
        pair.notes_on_second = text
        field, about = "notes_on_second", pair.second
    elif author.pk == pair.second_id:
        pair.notes_on_first = text
        field, about = "notes_on_first", pair.first
    else:
        raise ServiceError(_("Only the two members of a pair write its notes."))
    pair.save(update_fields=[field, "updated_at"])
    community = pair.rotation.community
    record(community.cohort, actor, "wrote interview notes", about, community=community.slug)
    return pair
