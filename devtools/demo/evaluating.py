"""Evaluations for the demo cohort (called from `seed_demo` after the plans and check-ins).

Through the services, as staff, leaders and members would have done it:

- a "Mid-way evaluation" online survey for every active community with leaders, opened
  today; about two in three members answered it (their goals mostly on track, with what
  works, what does not and what changed in their organizations); the first community's is
  closed, so its goals show the answers;
- a facilitated discussion with the leaders of the second community, recorded by staff;
- structure decisions the first two communities agreed after them;
- an "End-of-program evaluation" scheduled for the cohort's last month.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from planning.evaluations import bank
from planning.evaluations.services import evaluations
from planning.models import EvaluationRound, Question, StructureDecision, SurveyRecipient
from planning.surveys.services.answers import field_name, save_all

Form = EvaluationRound.Form
WORKS = [
    "Hearing how other pantries handle the same volunteer gaps.",
    "The shared drive of templates: I used the intake form the next day.",
    "Short meetings with one clear topic.",
]
DOESNT = [
    "Evening meetings are hard for small organizations with one staff member.",
    "We talk a lot and decide little between meetings.",
    "",
]
TAKING_PART = [
    "I would lead a session on our board recruitment process.",
    "Smaller working pairs between meetings.",
    "",
]
CHANGES = [
    "We now run a volunteer orientation every month instead of one a year.",
    "Our board adopted a gift acceptance policy drafted with the group.",
    "Nothing yet, but we are trying the shared intake form.",
]
EVIDENCE = [
    "Volunteer retention went from 40% to 65% over six months.",
    "The policy is in our board minutes of last month.",
    "",
]
SHOULD_CHANGE = [
    "Meet every two weeks for shorter sessions.",
    "Rotate who runs the meeting.",
    "",
]
TEXTS = {
    bank.WHAT_WORKS: WORKS,
    bank.WHAT_DOESNT: DOESNT,
    bank.WOULD_TAKE_PART: TAKING_PART,
    bank.PRACTICE_CHANGE: CHANGES,
    bank.PRACTICE_EVIDENCE: EVIDENCE,
    bank.SHOULD_CHANGE: SHOULD_CHANGE,
}
GOAL_WEIGHTS = (6, 3, 1)  # on track, some progress, stalled


@dataclass
class EvaluatingDemo:
    counts: dict


def _answers(questions, rng):
    data = {}
    for question in questions:
        name = field_name(question)
        if question.measures == bank.GOAL_PROGRESS:
            data[name] = rng.choices(question.choices, weights=GOAL_WEIGHTS)[0]
        elif question.kind == Question.Kind.RATING:
            data[name] = str(rng.choice([3, 4, 4, 5, 5]))
        elif question.kind == Question.Kind.MULTIPLE:
            data[name] = rng.sample(question.choices[:-1], 2)
        elif question.measures in TEXTS:
            data[name] = rng.choice(TEXTS[question.measures])
    return data


def add_evaluation_data(cohort, *, staff, seed=2026):
    rng = random.Random(f"evaluating-{seed}-{cohort.slug}")
    today = timezone.localdate()
    communities = [
        c for c in cohort.communities.active().with_leaders().order_by("name") if c.leaders
    ]
    if not communities:
        return EvaluatingDemo(counts={})
    midway = evaluations.schedule(
        cohort,
        actor=staff,
        title=str(bank.SUGGESTED_TITLES[0]),
        form=Form.SURVEY,
        opens_on=today,
        closes_on=today + timedelta(days=14),
        communities=communities[:1] + communities[2:],
    )
    answered = 0
    for evaluation in midway.evaluations.select_related("community", "survey"):
        evaluations.open_now(evaluation, actor=staff)
        questions = list(evaluation.survey.questions.order_by("position"))
        recipients = SurveyRecipient.objects.filter(survey=evaluation.survey).select_related(
            "survey__cohort", "participant__user"
        )
        for recipient in recipients:
            if rng.random() < 0.66:
                save_all(recipient, _answers(questions, rng), submit=True)
                answered += 1
    first = midway.evaluations.get(community=communities[0])
    evaluations.close_now(first, actor=staff)
    decisions = [
        (
            communities[0],
            first,
            StructureDecision.Area.FREQUENCY,
            "We meet every two weeks, for an hour, instead of once a month.",
        ),
        (
            communities[0],
            first,
            StructureDecision.Area.ROLES,
            "Two members take turns to run the meeting, so the leader can take part.",
        ),
    ]
    if len(communities) > 1:
        talk = evaluations.schedule(
            cohort,
            actor=staff,
            title="Leaders' evaluation discussion",
            form=Form.DISCUSSION,
            opens_on=today,
            communities=[communities[1]],
        ).evaluations.get()
        evaluations.open_now(talk, actor=staff)
        talk.refresh_from_db()
        evaluations.record_discussion(
            talk,
            actor=staff,
            held_on=today,
            data=_answers(evaluations.questions_of(talk), rng),
        )
        decisions.append(
            (
                communities[1],
                talk,
                StructureDecision.Area.MEETING_FORMAT,
                "Every other meeting is online, so members from the rural counties can join.",
            )
        )
    for community, evaluation, area, text in decisions:
        leader = community.leaders[0].participant.user or staff
        evaluations.record_decision(
            community,
            actor=leader,
            area=area,
            decision=text,
            decided_on=today,
            evaluation=evaluation,
        )
    end = max(cohort.ends_on - timedelta(days=21), today) if cohort.ends_on else today
    evaluations.schedule(
        cohort,
        actor=staff,
        title=str(bank.SUGGESTED_TITLES[1]),
        form=Form.SURVEY,
        opens_on=end,
        closes_on=end + timedelta(days=14),
        communities=communities,
    )
    return EvaluatingDemo(
        counts={
            "evaluation rounds": cohort.evaluation_rounds.count(),
            "evaluation answers": answered,
            "structure decisions": len(decisions),
        }
    )
