"""Dot voting on a community's common needs, and recording the top three it works on.

Each member holds `CommonNeed.VOTES_PER_MEMBER` dots and places at most one on a need.
The limit holds under concurrency: a vote locks the member's Membership row first, so two
requests of the same member are serialised and the second one counts the first's dot.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cohorts.models import Membership
from cohorts.services.activity import record
from copkit.errors import ServiceError
from planning.archived import refuse_if_archived
from planning.models import CommonNeed, InventoryEntry, NeedVote
from planning.needs.checks import same_title

SUGGESTIONS = 5  # at most this many candidates from one "Suggest" click


def _hold_the_list(community):
    """Lock the community's row: two leaders adding or suggesting at once (or a "Suggest"
    tapped twice) queue here, so the second sees the first's candidates and adds no
    duplicate."""
    type(community).objects.select_for_update().filter(pk=community.pk).first()


def ranked_needs(community, participant=None):
    """The community's candidates, most dots first (ties by title), each annotated with
    `vote_count` and `is_mine` (the participant placed a dot on it)."""
    needs = community.common_needs.select_related("topic").annotate(
        vote_count=Count("votes", distinct=True)
    )
    if participant is not None:
        needs = needs.annotate(
            is_mine=Exists(NeedVote.objects.filter(need=OuterRef("pk"), participant=participant))
        )
    return list(needs.order_by("-vote_count", "title", "pk"))


@dataclass
class Proposal:
    """The default top three (by dots) and the ties a group has to settle itself."""

    picks: list = field(default_factory=list)
    ties: list = field(default_factory=list)  # lists of needs with the same number of dots


def propose_top(ranked):
    """From `ranked_needs`: the first TOP needs, and every group of two or more needs that
    share a dot count with one of them (they decide a place in the top three or its order).
    Needs with no dots at all are not called tied."""
    picks = ranked[: CommonNeed.TOP]
    counts = {need.vote_count for need in picks if need.vote_count > 0}
    ties = []
    for count in sorted(counts, reverse=True):
        group = [need for need in ranked if need.vote_count == count]
        if len(group) > 1:
            ties.append(group)
    return Proposal(picks=picks, ties=ties)


@transaction.atomic
def add_candidate(community, *, actor, title, topic=None, description=""):
    refuse_if_archived(community)
    _hold_the_list(community)
    title = " ".join(title.split())
    if any(same_title(title, t) for t in community.common_needs.values_list("title", flat=True)):
        raise ServiceError(_("This need is already on the list."))
    need = community.common_needs.create(
        title=title, topic=topic, description=description.strip(), created_by=actor
    )
    record(community.cohort, actor, "added a common need", need, community=community.slug)
    return need


@transaction.atomic
def suggest_from_needs(community, *, actor, limit=SUGGESTIONS):
    """Add as candidates the practice areas the community's members most often named as a
    need in their inventory, leaving out those already on the list: a practice area a
    candidate has, or one named like a candidate (case and spacing aside). Returns the new
    ones."""
    refuse_if_archived(community)
    _hold_the_list(community)
    existing = list(community.common_needs.values_list("title", "topic_id"))
    taken_topics = {topic_id for _title, topic_id in existing if topic_id}
    taken_titles = [title for title, _topic in existing]
    areas = (
        InventoryEntry.objects.filter(
            kind=InventoryEntry.Kind.NEED,
            topic__isnull=False,
            participant__memberships__community=community,
        )
        .exclude(topic_id__in=taken_topics)
        .values("topic_id", "topic__name")
        .annotate(people=Count("participant", distinct=True))
        .order_by("-people", "topic__name")
    )
    created = []
    for area in areas:
        if len(created) >= limit:
            break
        if any(same_title(area["topic__name"], title) for title in taken_titles):
            continue
        created.append(
            community.common_needs.create(
                title=area["topic__name"],
                topic_id=area["topic_id"],
                description=ngettext(
                    "%(n)d member named this as a need.",
                    "%(n)d members named this as a need.",
                    area["people"],
                )
                % {"n": area["people"]},
                created_by=actor,
            )
        )
    if created:
        record(
            community.cohort,
            actor,
            "suggested common needs",
            community,
            needs=[need.title for need in created],
        )
    return created


@dataclass
class VoteResult:
    placed: bool  # the need now carries the member's dot
    changed: bool  # this request placed or removed a dot
    dots_left: int


def dots_used(community, participant):
    return NeedVote.objects.filter(need__community=community, participant=participant).count()


@transaction.atomic
def vote(need, *, participant, actor, place):
    """Place (`place=True`) or take back the participant's dot on `need`. Placing a dot when
    all of them are already out raises ServiceError and changes nothing."""
    refuse_if_archived(need.community)
    community = need.community
    # The lock: a member's concurrent votes queue here, so each one counts the others' dots.
    membership = (
        Membership.objects.select_for_update()
        .filter(community=community, participant=participant)
        .first()
    )
    if membership is None:
        raise ServiceError(_("Only the community's members hold dots."))
    existing = NeedVote.objects.filter(need=need, participant=participant)
    used = dots_used(community, participant)
    limit = CommonNeed.VOTES_PER_MEMBER
    if not place:
        removed, _rows = existing.delete()
        if removed:
            record(community.cohort, actor, "took back a dot", need, community=community.slug)
        return VoteResult(placed=False, changed=bool(removed), dots_left=limit - used + removed)
    if existing.exists():
        return VoteResult(placed=True, changed=False, dots_left=limit - used)
    if used >= limit:
        raise ServiceError(
            ngettext(
                "You have placed your %(n)d dot already. Take it back from a need to place it "
                "on another.",
                "You have placed all %(n)d of your dots already. Take one back from a need "
                "to place it on another.",
                limit,
            )
            % {"n": limit}
        )
    NeedVote.objects.create(need=need, participant=participant)
    record(community.cohort, actor, "placed a dot", need, community=community.slug)
    return VoteResult(placed=True, changed=True, dots_left=limit - used - 1)


@transaction.atomic
def choose_top(community, *, actor, needs):
    """Record `needs` (the community's own, distinct, at most TOP) as its top needs, ranked
    1, 2, 3 in the order given. The old ranks go first, all in one transaction."""
    refuse_if_archived(community)
    needs = list(needs)
    if not needs:
        raise ServiceError(_("Choose at least one need."))
    if len(needs) > CommonNeed.TOP:
        raise ServiceError(_("Choose at most %(n)d needs.") % {"n": CommonNeed.TOP})
    if len({need.pk for need in needs}) != len(needs):
        raise ServiceError(_("Choose a different need for each place."))
    if any(need.community_id != community.pk for need in needs):
        raise ServiceError(_("Choose needs of this community."))
    # Serialise two leaders recording at once: the second waits, then replaces the first's.
    type(community).objects.select_for_update().filter(pk=community.pk).first()
    community.common_needs.filter(chosen_rank__isnull=False).update(chosen_rank=None)
    for rank, need in enumerate(needs, start=1):
        CommonNeed.objects.filter(pk=need.pk).update(chosen_rank=rank)
        need.chosen_rank = rank
    record(
        community.cohort,
        actor,
        "recorded the top needs",
        community,
        needs=[need.title for need in needs],
    )
    return needs
