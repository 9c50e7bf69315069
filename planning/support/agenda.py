"""A convening's agenda, drafted as a go-around of the communities' check-ins.

For each community, its latest successes and challenges from the check-ins answered since the
last convening; then the challenges that several communities name. Two challenges are "the
same" when their words are alike once stemmed (Snowball's English stemmer, so "recruitment",
"recruiting" and "recruit" are one word) and rapidfuzz's token ratios find them close; naming
the same practice area (the community's topic) makes them a little closer. So "board
recruitment" and "recruiting board members" fall together, "volunteer retention" does not.

Nothing here touches the database: `draft` takes plain rows, so the grouping can be tested
and tuned on its own.
"""

import re
from dataclasses import dataclass, field

import snowballstemmer
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

# Two challenges whose score reaches this fall in one group (0..100).
SIMILAR = 75
# Added to the score of two challenges from communities of the same practice area.
SAME_AREA_BONUS = 10
# Words that say nothing about what the challenge is.
_STOP_TEXT = """a an and are as at be been being but by can could do for from get getting had
has have how in into is it its keep keeping lack more most need needs not of on or our out over
so some still than that the their them there these they this those to too up us very was we
were what when which while who will with within without would your"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_ITEM_SPLIT = re.compile(r"(?:\r?\n|;|•)+")
_BULLET = re.compile(r"^\s*(?:[-*\u2013]|\d+[.)])\s*")
MAX_ITEM_LENGTH = 300

_stemmer = snowballstemmer.stemmer("english")


def items(text):
    """The separate points of an answer: its lines (or ";"-separated parts), bullets off."""
    found = []
    for part in _ITEM_SPLIT.split(text or ""):
        part = _BULLET.sub("", part).strip().rstrip(".")
        if part:
            found.append(part[:MAX_ITEM_LENGTH])
    return found


def stems(text):
    """The stemmed content words of `text`, in order, without repeats."""
    words = [word.lower() for word in _WORD.findall(text)]
    seen = []
    for stem in _stemmer.stemWords([w for w in words if w not in STOP_WORDS]):
        if stem not in seen:
            seen.append(stem)
    return seen


def similarity(a, b, same_area=False):
    """How alike two challenges are, 0..100: the mean of rapidfuzz's token-set and
    token-sort ratios over their stems, plus a bonus when they share a practice area."""
    left, right = " ".join(stems(a)), " ".join(stems(b))
    if not left or not right:
        return 0.0
    score = (fuzz.token_set_ratio(left, right) + fuzz.token_sort_ratio(left, right)) / 2
    return min(100.0, score + (SAME_AREA_BONUS if same_area else 0))


@dataclass
class Answer:
    """One answered check-in, as the draft reads it."""

    community_id: int
    successes: str
    challenges: str
    answered_at: object


@dataclass
class Community:
    id: int
    name: str
    area: str = ""  # the practice area: the community's topic


@dataclass
class Turn:
    """One community's part of the go-around."""

    community: Community
    successes: list = field(default_factory=list)
    challenges: list = field(default_factory=list)

    @property
    def answered(self):
        return bool(self.successes or self.challenges)


@dataclass
class SharedChallenge:
    """A challenge several communities name: its words as each community put them."""

    label: str
    mentions: list  # [(Community, text)]

    @property
    def communities(self):
        seen = []
        for community, _text in self.mentions:
            if community not in seen:
                seen.append(community)
        return seen


@dataclass
class Draft:
    turns: list
    shared: list


def _latest_first(answers):
    return sorted(answers, key=lambda a: a.answered_at, reverse=True)


def _unique(texts):
    seen, kept = set(), []
    for text in texts:
        if text.casefold() not in seen:
            seen.add(text.casefold())
            kept.append(text)
    return kept


def go_around(communities, answers):
    """A Turn per community, in the order given: the successes and challenges of its
    check-ins, the latest first, each point once."""
    by_community = {}
    for answer in _latest_first(answers):
        by_community.setdefault(answer.community_id, []).append(answer)
    turns = []
    for community in communities:
        mine = by_community.get(community.id, [])
        turns.append(
            Turn(
                community=community,
                successes=_unique(t for a in mine for t in items(a.successes)),
                challenges=_unique(t for a in mine for t in items(a.challenges)),
            )
        )
    return turns


def shared_challenges(turns, threshold=SIMILAR):
    """Groups of alike challenges named by two or more communities, the most widely named
    first. Grouping is single-link: a challenge joins a group when it is close to any
    challenge in it."""
    mentions = [(turn.community, text) for turn in turns for text in turn.challenges]
    parent = list(range(len(mentions)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (left_community, left) in enumerate(mentions):
        for j in range(i + 1, len(mentions)):
            right_community, right = mentions[j]
            same_area = bool(left_community.area) and left_community.area == right_community.area
            if similarity(left, right, same_area) >= threshold:
                parent[root(j)] = root(i)
    groups = {}
    for i, mention in enumerate(mentions):
        groups.setdefault(root(i), []).append(mention)
    shared = []
    for members in groups.values():
        group = SharedChallenge(label=_label(members), mentions=members)
        if len(group.communities) >= 2:
            shared.append(group)
    shared.sort(key=lambda g: (-len(g.communities), g.label.casefold()))
    return shared


def _label(members):
    """The group's name: the shortest of its wordings (usually the plainest)."""
    return min((text for _community, text in members), key=lambda t: (len(t), t))


def draft(communities, answers):
    """The go-around and the shared challenges of `answers` (Answer rows) for
    `communities` (Community rows, in the order they speak)."""
    turns = go_around(communities, answers)
    return Draft(turns=turns, shared=shared_challenges(turns))


def as_text(result, since_text=""):
    """The draft as agenda text: one item per line, a community's points indented under it."""
    lines = [_("Welcome, and who is here")]
    if since_text:
        lines.append(
            _("Go-around: what each community has done since %(date)s") % {"date": since_text}
        )
    else:
        lines.append(_("Go-around: what each community has done lately"))
    for turn in result.turns:
        if not turn.answered:
            lines.append(
                _("- %(community)s: no check-in since the last convening")
                % {"community": turn.community.name}
            )
            continue
        lines.append(_("- %(community)s") % {"community": turn.community.name})
        if turn.successes:
            lines.append("  " + _("Successes: %(list)s") % {"list": "; ".join(turn.successes)})
        if turn.challenges:
            lines.append("  " + _("Challenges: %(list)s") % {"list": "; ".join(turn.challenges)})
    if result.shared:
        lines.append(_("Challenges several communities name"))
        for group in result.shared:
            names = ", ".join(c.name for c in group.communities)
            wordings = "; ".join(_unique(text for _c, text in group.mentions))
            lines.append(
                _("- %(label)s (%(communities)s): %(wordings)s")
                % {"label": group.label, "communities": names, "wordings": wordings}
            )
    lines.append(_("Open questions between leaders"))
    lines.append(_("Next convening, and close"))
    return "\n".join(lines)
