"""Figures about small groups, for people who may not see the people behind them.

Observers (funders, evaluators) read aggregates, never one person. A count, a percentage, a
bar or an average built from fewer than MIN_GROUP people can be traced back to someone (a
survey filtered down to the one food pantry of one community is that pantry's director's
answers), so such a figure is not shown to them: the page says "fewer than 5" instead. Staff,
and members looking at their own community, see the people anyway and get every figure.

Every page that shows figures to an observer asks `hide_small` before it shows one.
"""

MIN_GROUP = 5


def hide_small(count, *, sees_people=False):
    """True when a figure built from `count` people must be hidden from this viewer: they
    may not see the people (`sees_people` false) and the group is smaller than MIN_GROUP.
    An empty group counts as small too: "no one in that community answered" is a fact about
    the people in it."""
    return not sees_people and count < MIN_GROUP


def hide_difference(count, wider_counts, *, sees_people=False):
    """True when a group of `count` people, cut from wider groups of `wider_counts` people
    (the same figures with one filter fewer), leaves a remainder of 1 to MIN_GROUP - 1
    people: subtracting the two pages' figures would give that remainder's answers."""
    if sees_people:
        return False
    return any(0 < wider - count < MIN_GROUP for wider in wider_counts)


__all__ = ["MIN_GROUP", "hide_difference", "hide_small"]
