"""What staff gave the groups of one proposal that the next proposal keeps: the names (and
the chosen leaders) of the groups whose people mostly stay together.

Each new group is matched to the old group with which it shares the most members, greedily
by overlap (largest first; ties by the groups' order), each old group used once. A name is
kept only when the shared members are at least half of the new group, and (in a topic round)
when the two groups have the same topic. A leader or co-leader is kept when they are in the
new group. Names staff typed that find no such group are reported, so the page can say so.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

_NUMBERED = re.compile(r"^(.*?)(?: \d+)?$")


@dataclass
class Kept:
    """For each new group's position: the old name, leader and co-leader it keeps."""

    names: dict = field(default_factory=dict)
    leaders: dict = field(default_factory=dict)
    co_leaders: dict = field(default_factory=dict)
    lost: list = field(default_factory=list)  # names staff typed that no new group keeps


def match_groups(new_groups, old_groups):
    """Pairs (new index, old index) by greatest overlap, greedy. `new_groups` and
    `old_groups` are lists of sets of members; a pair is kept only when the overlap is at
    least half of the new group."""
    pairs = sorted(
        (
            (-len(new & old), n, o)
            for n, new in enumerate(new_groups)
            for o, old in enumerate(old_groups)
            if new & old
        )
    )
    used_new, used_old, matched = set(), set(), []
    for minus_overlap, n, o in pairs:
        if n in used_new or o in used_old:
            continue
        if -minus_overlap * 2 < len(new_groups[n]):
            continue
        used_new.add(n)
        used_old.add(o)
        matched.append((n, o))
    return matched


def typed_by_staff(group):
    """Whether a group's name is one copkit did not make up ("Group 3", its topic's name)."""
    name = group.name.strip()
    numbered = re.escape(_("Group %(number)s")).replace(re.escape("%(number)s"), r"\d+")
    if re.fullmatch(numbered, name):
        return False
    return not (group.topic_id and _NUMBERED.match(name).group(1) == group.topic.name)


def carry_over(previous, new_groups):
    """What the new groups (a list of (member participant ids, FormationTopic or None))
    keep from `previous` (the proposal before, or None)."""
    kept = Kept()
    if previous is None:
        return kept
    old = list(previous.groups.select_related("topic").prefetch_related("members"))
    old_sets = [{m.participant_id for m in group.members.all()} for group in old]
    new_sets = [set(members) for members, _topic in new_groups]
    keeping = set()
    for n, o in match_groups(new_sets, old_sets):
        group = old[o]
        topic = new_groups[n][1]
        if (topic.pk if topic else None) != group.topic_id:
            continue
        keeping.add(o)
        kept.names[n] = group.name
        if group.leader_id in new_sets[n]:
            kept.leaders[n] = group.leader_id
        if group.co_leader_id in new_sets[n]:
            kept.co_leaders[n] = group.co_leader_id
    kept.lost = [
        group.name
        for o, group in enumerate(old)
        if o not in keeping and old_sets[o] and typed_by_staff(group)
    ]
    return kept
