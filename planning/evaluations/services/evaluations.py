"""Evaluations: the cohort's evaluation template, scheduling a round for one community or
all, opening each community's evaluation on its date, closing it, the discussion staff
record for a group, and the goals the answers feed.

- The template is a Survey of kind EVALUATION with no community, made from
  `planning.evaluations.bank` on first use; staff edit it on the survey pages like any
  survey. A round copies it into one Survey per community (with the community set), plus one
  question per live goal of that community's plan.
- Opening is the `copkit.later` sweep `evaluations_opening` over `Evaluation.opened_at`: on
  the round's date (in the cohort's zone), the survey form sends the survey to the
  community's members through `send_survey` (personal links, reminders within the survey's
  limits, answering on a phone); the discussion form tells the leaders and the community's
  coach that the discussion is due (kind `evaluation_due`). "Open now" is `sweep.take`.
- Closing is the sweep `evaluations_closing` over `Evaluation.closed_at`, the day after the
  round's answers-close date (the survey stops taking answers at the end of that day
  already); staff can close by hand. Closing, and recording a discussion, feed the goals
  (`record_from_evaluation`).
"""

import datetime
import zoneinfo
from collections import defaultdict
from datetime import UTC, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import Membership
from cohorts.services.activity import record
from cohorts.services.coaches import coach_of
from copkit import later, outbox
from copkit.errors import ServiceError
from planning.archived import refuse_if_archived
from planning.evaluations import bank
from planning.evaluations.services import goals
from planning.models import (
    ActionPlan,
    Answer,
    Evaluation,
    EvaluationRound,
    GoalStatus,
    GoalUpdate,
    Question,
    Response,
    StructureDecision,
    Survey,
)
from planning.plans.services import plans
from planning.sunset.phases import ON_ITS_OWN
from planning.surveys.questions import clean_value, is_blank
from planning.surveys.services import answers
from planning.surveys.services import surveys as survey_services

Form = EvaluationRound.Form
MAX_TEXT = 4000
# The Question fields a community's evaluation copies from the template.
COPIED = [*survey_services.QUESTION_FIELDS, "measures"]


# -- the template ----------------------------------------------------------------------------


def template_of(cohort):
    """The cohort's evaluation template, or None before its first use."""
    return (
        Survey.objects.filter(cohort=cohort, community=None, kind=Survey.Kind.EVALUATION)
        .order_by("created_at", "pk")
        .first()
    )


@transaction.atomic
def ensure_template(cohort, actor=None):
    """The cohort's evaluation template, made from copkit's default evaluation the first
    time (two first uses at once make one: the cohort row is locked)."""
    template = template_of(cohort)
    if template is not None:
        return template
    type(cohort).objects.select_for_update().filter(pk=cohort.pk).first()
    template = template_of(cohort)
    if template is not None:
        return template
    template = Survey.objects.create(
        cohort=cohort,
        community=None,
        kind=Survey.Kind.EVALUATION,
        title=str(bank.TITLE),
        intro=str(bank.INTRO),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    Question.objects.bulk_create(
        [
            Question(survey=template, position=index, **spec)
            for index, spec in enumerate(bank.template_questions())
        ]
    )
    return template


def is_template(survey):
    return survey.kind == Survey.Kind.EVALUATION and survey.community_id is None


# -- scheduling ------------------------------------------------------------------------------


def _clean_round(title, form, opens_on, closes_on, today):
    title = " ".join((title or "").split())
    if not title:
        raise ServiceError(_("Give the evaluation a title."), field="title")
    if len(title) > 200:
        raise ServiceError(_("Keep the title under 200 characters."), field="title")
    if form not in Form.values:
        raise ServiceError(_("Choose how the group will be asked."), field="form")
    if opens_on is None:
        raise ServiceError(_("Choose the date of the evaluation."), field="opens_on")
    if opens_on < today:
        raise ServiceError(_("Choose today or a later date."), field="opens_on")
    if form == Form.SURVEY:
        if closes_on is None:
            raise ServiceError(_("Choose the last day members can answer."), field="closes_on")
        if closes_on < opens_on:
            raise ServiceError(
                _("The last day to answer comes on or after the evaluation's date."),
                field="closes_on",
            )
    else:
        closes_on = None  # a discussion is recorded by staff: no answers to close
    return title, closes_on


def _closes_at(cohort, closes_on):
    """The end of `closes_on` in the cohort's zone: when the survey stops taking answers."""
    if closes_on is None:
        return None
    zone = zoneinfo.ZoneInfo(cohort.time_zone)
    return datetime.datetime.combine(closes_on + timedelta(days=1), datetime.time(), zone)


def _evaluation_survey(evaluation_round, community, template, actor):
    survey = Survey.objects.create(
        cohort=evaluation_round.cohort,
        community=community,
        kind=Survey.Kind.EVALUATION,
        title=evaluation_round.title,
        intro=template.intro,
        closes_at=_closes_at(evaluation_round.cohort, evaluation_round.closes_on),
        reminder_limit=template.reminder_limit,
        reminder_interval_days=template.reminder_interval_days,
        created_by=actor,
    )
    copied = [
        Question(survey=survey, **{name: getattr(question, name) for name in COPIED})
        for question in template.questions.order_by("position", "pk")
    ]
    goal_rows = [
        Question(survey=survey, **bank.goal_question(goal)) for goal in goals.sync_goals(community)
    ]
    # The plan's goals come first: they are what the group set out to do.
    rows = goal_rows + copied
    for position, row in enumerate(rows):
        row.position = position
    Question.objects.bulk_create(rows)
    return survey


@transaction.atomic
def schedule(cohort, *, actor, title, form, opens_on, closes_on=None, communities):
    """Schedule an evaluation round for `communities` (active ones of `cohort`): one
    `Evaluation` per community, each with its own survey copied from the template plus one
    question per goal of its plan. Returns the round."""
    today = timezone.localdate()
    title, closes_on = _clean_round(title, form, opens_on, closes_on, today)
    communities = [c for c in communities if c.cohort_id == cohort.pk]
    if not communities:
        raise ServiceError(_("Choose at least one community."), field="communities")
    for community in communities:
        refuse_if_archived(community)
    template = ensure_template(cohort, actor)
    evaluation_round = EvaluationRound.objects.create(
        cohort=cohort,
        title=title,
        form=form,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=actor,
    )
    for community in sorted(communities, key=lambda c: c.name):
        Evaluation.objects.create(
            round=evaluation_round,
            community=community,
            survey=_evaluation_survey(evaluation_round, community, template, actor),
        )
    record(
        cohort,
        actor,
        "scheduled an evaluation",
        evaluation_round,
        form=form,
        opens_on=opens_on.isoformat(),
        communities=[c.name for c in communities],
    )
    return evaluation_round


def _refuse_if_started(evaluation_round, wanted):
    if evaluation_round.evaluations.filter(opened_at__isnull=False).exists():
        raise ServiceError(
            _("This evaluation has opened already, so you cannot %(wanted)s it.")
            % {"wanted": wanted}
        )


@transaction.atomic
def change_round(evaluation_round, *, actor, title, opens_on, closes_on=None):
    """Change a round's title and dates before any of its evaluations opens. Returns the
    names of the fields that changed."""
    evaluation_round = EvaluationRound.objects.select_for_update().get(pk=evaluation_round.pk)
    _refuse_if_started(evaluation_round, _("change"))
    title, closes_on = _clean_round(
        title, evaluation_round.form, opens_on, closes_on, timezone.localdate()
    )
    values = {"title": title, "opens_on": opens_on, "closes_on": closes_on}
    changed = [name for name, value in values.items() if getattr(evaluation_round, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(evaluation_round, name, values[name])
    evaluation_round.save(update_fields=[*changed, "updated_at"])
    Survey.objects.filter(evaluation__round=evaluation_round).update(
        title=title,
        closes_at=_closes_at(evaluation_round.cohort, closes_on),
        updated_at=timezone.now(),
    )
    record(
        evaluation_round.cohort, actor, "changed an evaluation", evaluation_round, fields=changed
    )
    return changed


@transaction.atomic
def cancel_round(evaluation_round, *, actor):
    """Cancel a round that has not opened: its evaluations and their surveys go."""
    evaluation_round = EvaluationRound.objects.select_for_update().get(pk=evaluation_round.pk)
    _refuse_if_started(evaluation_round, _("cancel"))
    record(
        evaluation_round.cohort,
        actor,
        "changed an evaluation",
        evaluation_round,
        cancelled=True,
    )
    Survey.objects.filter(evaluation__round=evaluation_round).delete()
    evaluation_round.delete()


# -- reading ---------------------------------------------------------------------------------


def state_of(evaluation):
    """ "scheduled", "open", "recorded" (a discussion written down) or "closed"."""
    if evaluation.discussion_id is not None:
        return "recorded"
    if evaluation.closed_at is not None:
        return "closed"
    if evaluation.opened_at is not None:
        return "open"
    return "scheduled"


def rounds_of(cohort):
    """The cohort's rounds, latest date first, each with `rows`: its evaluations (community,
    survey counts and `state`), in a fixed number of queries."""
    rounds = list(cohort.evaluation_rounds.order_by("-opens_on", "-created_at"))
    evaluations = (
        Evaluation.objects.filter(round__cohort=cohort)
        .select_related("community")
        .annotate(
            sent=Count("survey__recipients", distinct=True),
        )
        .order_by("community__name", "pk")
    )
    answered = dict(
        Response.objects.filter(
            survey__evaluation__round__cohort=cohort,
            submitted_at__isnull=False,
            participant__isnull=False,
        )
        .values("survey__evaluation")
        .annotate(n=Count("pk"))
        .values_list("survey__evaluation", "n")
    )
    by_round = defaultdict(list)
    for evaluation in evaluations:
        evaluation.state = state_of(evaluation)
        evaluation.answered = answered.get(evaluation.pk, 0)
        by_round[evaluation.round_id].append(evaluation)
    for evaluation_round in rounds:
        evaluation_round.rows = by_round.get(evaluation_round.pk, [])
        evaluation_round.started = any(e.opened_at for e in evaluation_round.rows)
    return rounds


def community_evaluations(community):
    """The community's evaluations, latest first, with their round and `state`."""
    rows = list(community.evaluations.select_related("round").order_by("-round__opens_on", "-pk"))
    for evaluation in rows:
        evaluation.state = state_of(evaluation)
    return rows


def decisions_of(community):
    return list(
        community.structure_decisions.select_related("evaluation__round").order_by(
            "-decided_on", "-created_at"
        )
    )


# -- opening ---------------------------------------------------------------------------------


def _local_today(cohort, now):
    return timezone.localtime(now, zoneinfo.ZoneInfo(cohort.time_zone)).date()


def due_to_open(now):
    """The evaluations whose date has come (in their cohort's zone) and not yet opened."""
    horizon = now.astimezone(UTC).date() + timedelta(days=1)
    candidates = Evaluation.objects.filter(
        opened_at__isnull=True,
        closed_at__isnull=True,
        round__opens_on__lte=horizon,
        community__archived_at__isnull=True,
    )
    # A COP that continues on its own (or closed) is no longer evaluated by the TTA team.
    candidates = candidates.exclude(community__phase__in=ON_ITS_OWN).select_related(
        "round", "community__cohort", "survey"
    )
    return [
        e
        for e in candidates.order_by("round__opens_on", "pk")
        if e.round.opens_on <= _local_today(e.community.cohort, now)
    ]


def evaluation_url(evaluation):
    community = evaluation.community
    return settings.SITE_URL + reverse(
        "planning:evaluation",
        args=[community.cohort.slug, community.slug, evaluation.public_id],
    )


def _members(community):
    return [
        m.participant
        for m in community.memberships.select_related("participant").order_by("pk")
        if m.participant.email
    ]


def _tell_discussion_due(evaluation):
    """Email the leaders and the community's coach that the discussion is due."""
    community = evaluation.community
    people = [
        (m.participant.public_id, m.participant.email, m.participant.name)
        for m in community.memberships.filter(role__in=Membership.LEADING_ROLES)
        .exclude(participant__email="")
        .select_related("participant")
        .order_by("pk")
    ]
    coach = coach_of(community)
    if coach is not None and coach.email:
        people.append((f"coach-{coach.pk}", coach.email, coach.get_full_name() or coach.email))
    url = evaluation_url(evaluation)
    return outbox.enqueue_many(
        [
            {
                "key": f"evaluation_due:{evaluation.public_id}:{who}",
                "kind": "evaluation_due",
                "to_email": email,
                "template": "evaluation_due",
                "context": {
                    "cohort": community.cohort,
                    "community": community,
                    "title": evaluation.round.title,
                    "name": name,
                    "url": url,
                },
            }
            for who, email, name in people
        ]
    )


def open_evaluation(evaluation, now, *, actor=None):
    """The opening sweep's handler: send the survey to the members, or tell the leaders and
    the coach that the discussion is due. Returns how many emails were queued."""
    refuse_if_archived(evaluation.community)
    community = evaluation.community
    if evaluation.round.form == Form.SURVEY:
        counts = survey_services.send_survey(
            evaluation.survey, _members(community), actor=actor, now=now
        )
        queued = counts["sent"]
    else:
        queued = _tell_discussion_due(evaluation)
    record(community.cohort, actor, "opened an evaluation", community, title=evaluation.round.title)
    return queued


evaluations_opening = later.register(
    later.Sweep(
        name="evaluations opening",
        cohort="community__cohort",
        due=due_to_open,
        column="opened_at",
        still=lambda evaluation: {
            "closed_at__isnull": True,
            "round__opens_on": evaluation.round.opens_on,
        },
        handle=open_evaluation,
    )
)


def open_now(evaluation, *, actor):
    """Staff's "Open now": the sweep's claim and handler for one evaluation. Returns how
    many emails went, or None when it was open already."""
    refuse_if_archived(evaluation.community)
    evaluation = Evaluation.objects.select_related("round", "community__cohort", "survey").get(
        pk=evaluation.pk
    )
    if evaluation.opened_at is not None:
        raise ServiceError(_("This evaluation is open already."))
    return evaluations_opening.take(evaluation, actor=actor)


# -- closing ---------------------------------------------------------------------------------


def due_to_close(now):
    """The open survey-form evaluations whose last day to answer has passed."""
    horizon = now.astimezone(UTC).date()
    candidates = Evaluation.objects.filter(
        opened_at__isnull=False,
        closed_at__isnull=True,
        round__form=Form.SURVEY,
        round__closes_on__lt=horizon + timedelta(days=1),
    ).select_related("round", "community__cohort", "survey")
    return [
        e
        for e in candidates.order_by("round__closes_on", "pk")
        if e.round.closes_on < _local_today(e.community.cohort, now)
    ]


def close_evaluation(evaluation, now, *, actor=None):
    """The closing sweep's handler: the survey takes no more answers, and its goal answers
    feed the goals."""
    if evaluation.survey_id:
        Survey.objects.filter(pk=evaluation.survey_id, status=Survey.Status.OPEN).update(
            status=Survey.Status.CLOSED, updated_at=now
        )
    community = evaluation.community
    if not community.is_archived:
        record_from_evaluation(evaluation, actor)
    record(community.cohort, actor, "closed an evaluation", community, title=evaluation.round.title)
    return 0


evaluations_closing = later.register(
    later.Sweep(
        name="evaluations closing",
        cohort="community__cohort",
        due=due_to_close,
        column="closed_at",
        still=lambda evaluation: {"opened_at__isnull": False},
        handle=close_evaluation,
    )
)


def close_now(evaluation, *, actor):
    """Staff close an open survey-form evaluation before its date."""
    refuse_if_archived(evaluation.community)
    if evaluation.round.form != Form.SURVEY:
        raise ServiceError(_("A discussion closes when you record it."))
    if evaluation.opened_at is None:
        raise ServiceError(_("This evaluation has not opened yet."))
    if evaluation.closed_at is not None:
        raise ServiceError(_("This evaluation is closed already."))
    return evaluations_closing.take(evaluation, actor=actor)


# -- the discussion --------------------------------------------------------------------------


def questions_of(evaluation):
    return list(evaluation.survey.questions.select_related("goal").order_by("position", "pk"))


@transaction.atomic
def record_discussion(evaluation, *, actor, held_on, data):
    """Record the group's answers from a facilitated discussion (`data`: the posted form,
    keyed like a survey's answers) as one response with no participant, held on `held_on`.
    Saving again changes the same response. Returns {question pk: message} for answers at
    fault, and saves nothing then."""
    refuse_if_archived(evaluation.community)
    evaluation = (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("round", "community__cohort", "survey")
        .get(pk=evaluation.pk)
    )
    if evaluation.round.form != Form.DISCUSSION:
        raise ServiceError(_("Members answer this evaluation themselves, online."))
    today = timezone.localdate()
    if held_on is None:
        raise ServiceError(_("Enter the day the discussion took place."), field="held_on")
    if held_on > today:
        raise ServiceError(_("The discussion's date cannot be in the future."), field="held_on")
    errors, values = {}, {}
    for question in questions_of(evaluation):
        try:
            values[question] = clean_value(question, answers.raw_from_data(question, data))
        except ValidationError as error:
            errors[question.pk] = error.messages[0]
    if errors:
        return errors
    if not any(not is_blank(value) for value in values.values()):
        raise ServiceError(_("Write down at least one of the group's answers."))
    now = timezone.now()
    response = evaluation.discussion
    first = response is None
    if first:
        response = Response.objects.create(survey=evaluation.survey, submitted_at=now)
    answers.store_values(response, values)  # the survey's own upsert of answers
    evaluation.discussion, evaluation.held_on, evaluation.recorded_by = response, held_on, actor
    fields = ["discussion", "held_on", "recorded_by", "updated_at"]
    if evaluation.opened_at is None:
        evaluation.opened_at = now  # recorded before its date: nobody is told it is due
        fields.append("opened_at")
    if evaluation.closed_at is None:
        evaluation.closed_at = now
        fields.append("closed_at")
    evaluation.save(update_fields=fields)
    record_from_evaluation(evaluation, actor)
    community = evaluation.community
    record(
        community.cohort,
        actor,
        "recorded an evaluation discussion",
        community,
        title=evaluation.round.title,
        changed=not first,
    )
    return {}


def discussion_values(evaluation):
    """{question pk: value} of the discussion recorded so far."""
    if evaluation.discussion_id is None:
        return {}
    return dict(
        Answer.objects.filter(response_id=evaluation.discussion_id).values_list(
            "question_id", "value"
        )
    )


# -- goals -----------------------------------------------------------------------------------


def status_from(counts, current):
    """The goal status the answers [on track, some progress, stalled] point to: mostly on
    track -> on track; mostly stalled -> at risk; otherwise the goal keeps `current`. A goal
    met or dropped keeps its status."""
    total = sum(counts)
    if not total or current in (GoalStatus.MET, GoalStatus.DROPPED):
        return current
    if counts[0] * 2 > total:
        return GoalStatus.ON_TRACK
    if counts[2] * 2 > total:
        return GoalStatus.AT_RISK
    return current


def _goal_counts(evaluation):
    """{question: [n per choice]} of the evaluation's goal questions, from its submitted
    answers (a discussion's included), counted in the database."""
    goal_questions = {
        q.pk: q
        for q in evaluation.survey.questions.filter(
            measures=bank.GOAL_PROGRESS, goal__isnull=False, goal__retired_at__isnull=True
        ).select_related("goal__community")
    }
    counts = {q: [0] * len(q.choices) for q in goal_questions.values()}
    rows = (
        Answer.objects.filter(question_id__in=goal_questions, response__submitted_at__isnull=False)
        .values("question_id", "value")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        question = goal_questions[row["question_id"]]
        choices = [str(c) for c in question.choices]
        if row["value"] in choices:
            counts[question][choices.index(row["value"])] += row["n"]
    return counts


def _note(evaluation, question, tally):
    parts = [
        f"{n} {str(choice).lower()}" for choice, n in zip(question.choices, tally, strict=False)
    ]
    return f"{evaluation.round.title}: {', '.join(parts)}"


def record_from_evaluation(evaluation, actor):
    """Feed the goals from the evaluation's goal answers: one `GoalUpdate` per goal (source
    EVALUATION), its status from `status_from` and a note with the counts. Run again (a
    discussion saved twice), it changes the same updates. Returns the updates."""
    evaluation = Evaluation.objects.select_related("round", "survey").get(pk=evaluation.pk)
    recorded_on = evaluation.held_on or timezone.localdate()
    existing = {
        update.goal_id: update
        for update in GoalUpdate.objects.filter(
            evaluation=evaluation, source=GoalUpdate.Source.EVALUATION
        )
    }
    updates = []
    for question, tally in _goal_counts(evaluation).items():
        if len(tally) < 3 or not sum(tally):
            continue
        goal = question.goal
        note = _note(evaluation, question, tally)
        before = existing.get(goal.pk)
        if before is None:
            status = status_from(tally[:1] + tally[1:2] + tally[-1:], goal.status)
            updates.append(
                goals.record_update(
                    goal,
                    status=status,
                    actor=actor,
                    note=note,
                    recorded_on=min(recorded_on, timezone.localdate()),
                    source=GoalUpdate.Source.EVALUATION,
                    evaluation=evaluation,
                )
            )
            continue
        # Saved again: the same update changes; the goal follows it while it is the latest.
        status = status_from(tally[:1] + tally[1:2] + tally[-1:], before.status)
        before.status, before.note, before.recorded_on = status, note, recorded_on
        before.save(update_fields=["status", "note", "recorded_on", "updated_at"])
        latest = goal.updates.order_by("-recorded_on", "-created_at").first()
        if latest is not None and latest.pk == before.pk:
            type(goal).objects.filter(pk=goal.pk).update(status=status, status_on=recorded_on)
        updates.append(before)
    return updates


# -- structure decisions ---------------------------------------------------------------------


@transaction.atomic
def record_decision(
    community,
    *,
    actor,
    area,
    decision,
    decided_on,
    evaluation=None,
    reopen_plan=False,
    tell_leaders=False,
):
    """Record what leaders and staff agreed to change in the COP's structure; with
    `reopen_plan`, the action plan opens for a revision. With `tell_leaders` (staff
    recorded it), the leaders get an email (kind `structure_decision`)."""
    refuse_if_archived(community)
    if area not in StructureDecision.Area.values:
        raise ServiceError(_("Choose what the change is about."), field="area")
    decision = (decision or "").strip()
    if not decision:
        raise ServiceError(_("Say in a sentence or two what you agreed."), field="decision")
    if len(decision) > MAX_TEXT or "\x00" in decision:
        raise ServiceError(_("Keep it under %(n)d characters.") % {"n": MAX_TEXT}, field="decision")
    if decided_on is None:
        raise ServiceError(_("Enter the day you agreed it."), field="decided_on")
    if decided_on > timezone.localdate():
        raise ServiceError(_("The date cannot be in the future."), field="decided_on")
    if evaluation is not None and evaluation.community_id != community.pk:
        raise ServiceError(_("Choose one of this community's evaluations."), field="evaluation")
    row = StructureDecision.objects.create(
        community=community,
        evaluation=evaluation,
        area=area,
        decision=decision,
        decided_on=decided_on,
        recorded_by=actor,
    )
    if reopen_plan:
        plan = ActionPlan.objects.filter(community=community, kind=ActionPlan.Kind.ACTION).first()
        if plan is None:
            raise ServiceError(
                _("This community has no action plan yet, so there is nothing to reopen."),
                field="reopen_plan",
            )
        if plans.reopen(plan, actor):
            row.reopened_plan = True
            row.save(update_fields=["reopened_plan", "updated_at"])
    record(community.cohort, actor, "recorded a structure decision", community, area=area)
    if tell_leaders:
        _tell_leaders(row, actor)
    return row


def _tell_leaders(decision, actor):
    community = decision.community
    url = settings.SITE_URL + reverse(
        "cohorts:community-detail", args=[community.cohort.slug, community.slug]
    )
    leaders = (
        community.memberships.filter(role__in=Membership.LEADING_ROLES)
        .exclude(participant__email="")
        .select_related("participant")
        .order_by("pk")
    )
    return outbox.enqueue_many(
        [
            {
                "key": f"structure_decision:{decision.public_id}:{m.participant.public_id}",
                "kind": "structure_decision",
                "to_email": m.participant.email,
                "template": "structure_decision",
                "context": {
                    "cohort": community.cohort,
                    "community": community,
                    "decision": decision,
                    "area": decision.get_area_display(),
                    "name": m.participant.name,
                    "by": actor.get_full_name() if actor else "",
                    "reopened_plan": decision.reopened_plan,
                    "url": url,
                },
            }
            for m in leaders
        ]
    )
