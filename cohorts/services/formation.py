"""Forming groups from a round: build the engine's problem from what the round holds, run the
engine (now, or in Celery for large rounds), keep each result as a proposal, let staff edit
the newest proposal (moves, new groups, names, locks, a CSV), and publish it as communities.

Every write here is atomic and records who did what (`activity.record`). Refusals a person
can act on raise `ServiceError` (message for them); CSV problems raise `CsvErrors`, one line
per row at fault.
"""

from .cohorts import ServiceError

__all__ = [
    "CsvErrors",
    "ServiceError",
    "add_group",
    "add_lock",
    "build_problem",
    "current_proposal",
    "import_csv",
    "move_member",
    "publish",
    "remove_lock",
    "rename_group",
    "run_round",
    "save_solution",
]

# Rounds with more people than this run in Celery; smaller ones return at once.
BACKGROUND_FROM = 300


class CsvErrors(ServiceError):
    """An uploaded CSV was refused. `rows` is [(row number, message)], nothing was saved."""

    def __init__(self, message, rows=()):
        super().__init__(message)
        self.rows = list(rows)


def build_problem(formation_round):
    """Return (problem dict in the engine's JSON format, warnings list of str).

    Participant ids are `str(participant.public_id)`. Group size from size_min/size_max or
    `"groups": group_count`; locks become together/apart pairs; the method's input comes
    from the entries (choices, ranking, answers) and the profiles (criteria attributes per
    `cohorts.formation_criteria`, map locations from the participant or their organization).
    What has to be left out (a choice naming someone no longer in the round, a person with
    no location on a map round) becomes a warning, not an error. An empty round, or sizes
    that cannot work, raise ServiceError with a clear message."""
    raise NotImplementedError


def current_proposal(formation_round):
    """The newest proposal of the round, or None."""
    raise NotImplementedError


def run_round(formation_round, *, actor):
    """Form groups. A small round is solved now and returns the new FormationProposal; a
    large one (more than BACKGROUND_FROM people) is queued in Celery (run_state QUEUED, the
    review page polls `progress`) and returns None. Engine refusals (FormationError) become
    ServiceError with the engine's message and details joined."""
    raise NotImplementedError


def run_in_background(round_pk, *, actor_pk=None):
    """The Celery side of run_round: solve the queued round, store the proposal, update
    run_state/run_progress/run_error as it goes."""
    raise NotImplementedError


def save_solution(formation_round, problem, solution, *, actor, source, warnings=()):
    """Store a solution dict as the next FormationProposal with its groups and members."""
    raise NotImplementedError


def move_member(proposal, participant, group, *, actor):
    """Move a person to another group of the proposal and rescore it. Refuses (ServiceError)
    a move that breaks a lock or leaves a group above the size limit; a group may go below
    the minimum while staff work, and the review page says so."""
    raise NotImplementedError


def add_group(proposal, *, actor, name=""):
    """An empty new group at the end of the proposal."""
    raise NotImplementedError


def rename_group(group, name, *, actor):
    """Set the community name a group will be published under (ServiceError when blank or
    already taken by another group of the proposal or an active community)."""
    raise NotImplementedError


def add_lock(formation_round, first, second, kind, *, actor):
    """Lock two people of the round together or apart (ServiceError for the same person twice,
    someone outside the round, or a pair locked already)."""
    raise NotImplementedError


def remove_lock(lock, *, actor):
    raise NotImplementedError


def import_csv(formation_round, uploaded_file, *, actor):
    """A CSV of person -> group (columns `email` or `name`, and `group`) becomes a new
    proposal (source CSV). Unknown people, people outside the round, people listed twice,
    missing columns, people left out and groups outside the size limits raise CsvErrors with
    each row at fault; nothing is saved then."""
    raise NotImplementedError


def publish(formation_round, *, actor):
    """The newest proposal's groups become Communities (named after the group, with its topic
    when it has one) with a Membership for each member; each member is emailed through the
    outbox; the round is marked PUBLISHED. Refuses (ServiceError) an already published round,
    a round with no proposal, empty groups, and groups outside the size limits."""
    raise NotImplementedError
