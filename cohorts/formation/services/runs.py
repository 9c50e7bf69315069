"""Running the engine on a round: small rounds in the request, large ones in Celery.

A queued run carries a token; the task claims the run by clearing it with a conditional
update, so a task delivered twice adds one proposal. The task is defined here, next to its
service (`cohorts.tasks` re-exports it for autodiscovery; its name stays
`cohorts.tasks.run_formation_round`)."""

import time
import uuid

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.functions import Coalesce, Now
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.formation.engine import solve
from cohorts.formation.engine.problem import FormationError
from cohorts.models import (
    FormationProposal,
    FormationRound,
)
from cohorts.services.activity import record
from copkit.errors import ServiceError

from .problem import _explain, _humanize, build_problem
from .proposals import STALE_RUN, save_solution

# Rounds with more people than this run in Celery; smaller ones return at once.
BACKGROUND_FROM = 300


RUN_FIELDS = ["run_state", "run_progress", "run_started_at", "run_error"]


def run_round(formation_round, *, actor):
    """Form groups. A small round is solved now and returns the new FormationProposal; a
    large one (more than BACKGROUND_FROM people) is queued in Celery (run_state QUEUED, the
    review page polls `progress`) and returns None. Engine refusals (FormationError) become
    ServiceError with the engine's message and details joined."""
    if formation_round.is_published:
        raise ServiceError(_("This round is published already; its groups are communities now."))
    busy = (FormationRound.RunState.QUEUED, FormationRound.RunState.RUNNING)
    started = formation_round.run_started_at
    if (
        formation_round.run_state in busy
        and started is not None
        and timezone.now() - started < STALE_RUN
    ):
        raise ServiceError(_("copkit is forming these groups already; please wait a moment."))
    problem, warnings = build_problem(formation_round)
    if len(problem["participants"]) > BACKGROUND_FROM:
        with transaction.atomic():
            formation_round.run_state = FormationRound.RunState.QUEUED
            formation_round.run_progress = 0
            formation_round.run_started_at = timezone.now()
            formation_round.run_error = {}
            formation_round.run_token = uuid.uuid4()
            formation_round.save(update_fields=[*RUN_FIELDS, "run_token", "updated_at"])
            record(formation_round.cohort, actor, "queued forming groups", formation_round)
            run_formation_round.delay_on_commit(
                formation_round.pk, getattr(actor, "pk", None), str(formation_round.run_token)
            )
        return None
    try:
        solution = solve(problem)
    except FormationError as error:
        raise ServiceError(_explain(error, formation_round)) from error
    with transaction.atomic():
        proposal = save_solution(
            formation_round,
            problem,
            solution,
            actor=actor,
            source=FormationProposal.Source.ENGINE,
            warnings=warnings,
        )
        if formation_round.run_state != FormationRound.RunState.IDLE or formation_round.run_error:
            formation_round.run_state = FormationRound.RunState.IDLE
            formation_round.run_error = {}
            formation_round.save(update_fields=["run_state", "run_error", "updated_at"])
    return proposal


def run_in_background(round_pk, *, actor_pk=None, run_token=None):
    """The Celery side of run_round: claim the queued run, solve it, store the proposal, and
    update run_state/run_progress/run_error as it goes.

    The run is claimed by a conditional update that clears its `run_token`: a task delivered
    twice, or queued again for the same run, finds no token to clear and returns None without
    adding a proposal. (A task queued without a token claims any queued run of the round.)"""
    queued = FormationRound.objects.filter(pk=round_pk, run_state=FormationRound.RunState.QUEUED)
    if run_token is not None:
        queued = queued.filter(run_token=run_token)
    claimed = queued.update(
        run_state=FormationRound.RunState.RUNNING,
        run_token=None,
        run_progress=10,
        run_error={},
        run_started_at=Coalesce("run_started_at", Now()),
    )
    if claimed != 1:
        return None
    formation_round = FormationRound.objects.select_related("cohort").get(pk=round_pk)
    actor = get_user_model().objects.filter(pk=actor_pk).first() if actor_pk else None
    rounds = FormationRound.objects.filter(pk=round_pk)
    try:
        problem, warnings = build_problem(formation_round)
        rounds.update(run_progress=20)
        solution = solve(problem, progress=_progress_writer(rounds, 20, 90))
        rounds.update(run_progress=90)
        with transaction.atomic():
            proposal = save_solution(
                formation_round,
                problem,
                solution,
                actor=actor,
                source=FormationProposal.Source.ENGINE,
                warnings=warnings,
            )
            rounds.update(run_state=FormationRound.RunState.IDLE, run_progress=100)
    except FormationError as error:
        message, details = _humanize(error, formation_round)
        _fail_run(rounds, {"error": message, "details": details})
        return None
    except ServiceError as error:
        _fail_run(rounds, {"error": str(error), "details": []})
        return None
    except Exception:
        _fail_run(
            rounds,
            {
                "error": _("Something went wrong while forming the groups. Please try again."),
                "details": [],
            },
        )
        raise
    return proposal.pk


def _progress_writer(rounds, low, high):
    """A progress callback for the engine that moves run_progress from low to high, writing
    at most once a second and only in steps of 5 or more."""
    last = {"value": low, "at": 0.0}

    def report(share):
        value = low + int((high - low) * min(1.0, max(0.0, share)))
        now = time.monotonic()
        if value >= last["value"] + 5 and now - last["at"] >= 1.0:
            last.update(value=value, at=now)
            rounds.update(run_progress=value)

    return report


def _fail_run(rounds, error):
    rounds.update(run_state=FormationRound.RunState.FAILED, run_progress=0, run_error=error)


@shared_task(name="cohorts.tasks.run_formation_round", ignore_result=True, soft_time_limit=120)
def run_formation_round(round_pk, actor_pk=None, run_token=None):
    """Form the groups of a large round in the background (the review page shows progress).
    The run is claimed by its token, so a task delivered twice adds one proposal."""
    return run_in_background(round_pk, actor_pk=actor_pk, run_token=run_token)
