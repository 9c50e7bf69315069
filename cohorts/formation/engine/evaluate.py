"""Score a given grouping with the engine's own figures (no search, no Django).

`evaluate(problem_dict, groups, topics=None)` takes the problem the engine was given and a
grouping of its participant ids (as staff left it after moving people, or as a CSV gave it)
and returns `{"scores": {...}, "groups": [{...} per group]}`: the same `scores` and per-group
fields the engine's solution carries for that grouping. Ids the problem does not know are
left out; an empty group is scored as empty.

Topic rounds: `topics` gives each group's topic id (None for a group without one). A topic
counts as closed when it has no group although somebody ranked it, or when its cap cannot
fill a group.
"""

from __future__ import annotations

from .problem import parse
from .solver import scores_for
from .topic import topic_scores


def evaluate(problem_dict: dict, groups: list, topics: list | None = None) -> dict:
    """Raises FormationError when the problem itself is not valid."""
    problem = parse(problem_dict)
    index = {pid: i for i, pid in enumerate(problem.ids)}
    people = [[index[pid] for pid in members if pid in index] for members in groups]
    if problem.method == "topic":
        return _evaluate_topics(problem, people, topics or [None] * len(groups))
    scores, extras = scores_for(problem, [sorted(m) for m in people])
    if extras is None:
        extras = [{} for _ in people]
    return {"scores": scores, "groups": extras}


def _evaluate_topics(problem, people, topics):
    topic_index = {t["id"]: pos for pos, t in enumerate(problem.topics)}
    topic_of = [topic_index.get(t, -1) for t in topics]
    used = set(topic_of)
    ranked = {t for ranking in problem.rankings for t in ranking}
    closed = []
    for t, topic in enumerate(problem.topics):
        cap = topic["cap"]
        too_small = cap is not None and cap < problem.size_min
        closed.append(t not in used and (too_small or t in ranked))
    scores, extras = topic_scores(problem, people, topic_of, closed)
    for extra, t in zip(extras, topic_of, strict=True):
        if t >= 0:
            extra["topic"] = problem.topics[t]["id"]
    return {"scores": scores, "groups": extras}
