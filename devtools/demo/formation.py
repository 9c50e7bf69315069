"""Formation rounds for the demo cohort (`seed_demo`) and the bench's generated cohorts:

- "Launch event speed matching": everyone took part; after short conversations each person
  marked two to five good matches, mostly within a circle of people who met (planted
  groups, with some noise). The engine's proposal is ready for review.
- "Choose your subject area": a topic-choice round still collecting, with the cohort's
  topics, a cap on the first, and about two thirds of the people's rankings in.

Rows are written with bulk_create and a seeded random generator; the matching proposal comes
from the engine itself, so it is what a TTA provider would see after clicking "Form groups".
"""

import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from cohorts.formation.engine import solve
from cohorts.formation.services.problem import build_problem
from cohorts.formation.services.proposals import save_solution
from cohorts.models import FormationEntry, FormationRound, FormationTopic


@dataclass
class FormationDemo:
    matching_round: FormationRound
    topic_round: FormationRound
    counts: dict = field(default_factory=dict)


def _matching_choices(people, rng, circle=6):
    """person pk -> the pks they marked: mostly people of their own circle of `circle`."""
    order = list(people)
    rng.shuffle(order)
    circles = [order[i : i + circle] for i in range(0, len(order), circle)]
    choices = {}
    for members in circles:
        for person in members:
            others = [p for p in members if p != person]
            picks = rng.sample(others, min(len(others), rng.randint(2, 4)))
            if rng.random() < 0.3:
                stranger = rng.choice(order)
                if stranger != person and stranger not in picks:
                    picks.append(stranger)
            choices[person] = picks
    return choices


def add_formation_data(cohort, *, staff, seed=2026):
    rng = random.Random(seed)
    now = timezone.now()
    people = list(cohort.participants.order_by("name").values_list("pk", "public_id"))
    public = dict(people)

    matching = FormationRound.objects.create(
        cohort=cohort,
        name="Launch event speed matching",
        method=FormationRound.Method.MATCHING,
        status=FormationRound.Status.COLLECTING,
        # Groups of five to seven; a tiny cohort (the bench's small one) makes one group.
        size_min=min(5, len(people)),
        size_max=max(min(5, len(people)), min(7, len(people))),
        instructions=(
            "Thank you for the conversations at the launch event. Mark the people you would "
            "like to keep learning with: anyone you talked with and felt you could work with."
        ),
        deadline=now - timedelta(days=2),
        links_sent_at=now - timedelta(days=9),
        created_by=staff,
    )
    choices = _matching_choices([pk for pk, _ in people], rng)
    FormationEntry.objects.bulk_create(
        [
            FormationEntry(
                round=matching,
                participant_id=pk,
                choices=[str(public[c]) for c in choices[pk]] if rng.random() < 0.9 else [],
                submitted_at=now - timedelta(days=rng.randint(3, 8)),
                sent_at=now - timedelta(days=9),
            )
            for pk, _ in people
        ],
        batch_size=2000,
    )
    problem, warnings = build_problem(matching)
    save_solution(
        matching,
        problem,
        solve(problem),
        actor=staff,
        source="engine",
        warnings=warnings,
    )

    topic = FormationRound.objects.create(
        cohort=cohort,
        name="Choose your subject area",
        method=FormationRound.Method.TOPIC,
        status=FormationRound.Status.COLLECTING,
        size_min=4,
        size_max=8,
        instructions=(
            "Rank the subject areas you most want to work on with peers. You can see who "
            "has chosen each area so far, and change your mind until the deadline."
        ),
        deadline=now + timedelta(days=6),
        links_sent_at=now - timedelta(days=1),
        created_by=staff,
    )
    topics = FormationTopic.objects.bulk_create(
        [
            FormationTopic(
                round=topic,
                topic=t,
                name=t.name,
                description=t.description,
                position=i,
                cap=max(8, len(people) // 4) if i == 0 else None,
            )
            for i, t in enumerate(cohort.topics.order_by("name"))
        ]
    )
    topic_ids = [str(t.public_id) for t in topics]
    entries = []
    for pk, _ in people:
        answered = topic_ids and rng.random() < 0.65
        entries.append(
            FormationEntry(
                round=topic,
                participant_id=pk,
                ranking=rng.sample(topic_ids, min(3, len(topic_ids))) if answered else [],
                submitted_at=now - timedelta(hours=rng.randint(1, 20)) if answered else None,
                sent_at=now - timedelta(days=1),
            )
        )
    FormationEntry.objects.bulk_create(entries, batch_size=2000)

    return FormationDemo(
        matching_round=matching,
        topic_round=topic,
        counts={"formation rounds": 2, "formation entries": 2 * len(people)},
    )
