"""The writes of forming, one module per concern: setup (rounds, people, topics, criteria),
input (what participants say), problem (the engine's input), runs (the engine, in the request
or in Celery), proposals (groups and their edits), csv_upload, publishing and reminders.

Views use `from cohorts.formation import services` and call `services.<function>`; the
names below are re-exported for that. Patch a module's own name (e.g. `runs.BACKGROUND_FROM`)
in tests."""

from copkit.errors import ServiceError

from .csv_upload import (
    CsvErrors,
    import_csv,
)
from .input import (
    InputError,
    answer_choices,
    check_can_save,
    clean_answers,
    clean_choices,
    clean_ranking,
    current_counts,
    question_text,
    save_answers,
    save_choices,
    save_ranking,
    topic_members,
)
from .problem import (
    build_problem,
    size_limits,
)
from .proposals import (
    add_group,
    add_lock,
    current_proposal,
    describe_lock,
    lock_is_met,
    move_member,
    remove_lock,
    rename_group,
    rescore,
    save_solution,
    unmet_locks,
)
from .publishing import (
    publish,
)
from .reminders import (
    answer_url,
    check_can_collect,
    queue_due_reminders,
    remind,
    send_formation_reminders,
    send_links,
)
from .runs import (
    run_formation_round,
    run_in_background,
    run_round,
)
from .setup import (
    add_missing,
    add_topic,
    cap_shortfall,
    create_round,
    delete_round,
    delete_topic,
    has_input,
    in_scope,
    method_locked,
    missing_from_scope,
    save_caps,
    save_criteria,
    set_people,
    sync_entries,
    update_round,
    with_counts,
)

__all__ = [
    "CsvErrors",
    "InputError",
    "ServiceError",
    "add_group",
    "add_lock",
    "add_missing",
    "add_topic",
    "answer_choices",
    "answer_url",
    "build_problem",
    "cap_shortfall",
    "check_can_collect",
    "check_can_save",
    "clean_answers",
    "clean_choices",
    "clean_ranking",
    "create_round",
    "current_counts",
    "current_proposal",
    "delete_round",
    "delete_topic",
    "describe_lock",
    "has_input",
    "import_csv",
    "in_scope",
    "lock_is_met",
    "method_locked",
    "missing_from_scope",
    "move_member",
    "publish",
    "question_text",
    "queue_due_reminders",
    "remind",
    "remove_lock",
    "rename_group",
    "rescore",
    "run_formation_round",
    "run_in_background",
    "run_round",
    "save_answers",
    "save_caps",
    "save_choices",
    "save_criteria",
    "save_ranking",
    "save_solution",
    "send_formation_reminders",
    "send_links",
    "set_people",
    "size_limits",
    "sync_entries",
    "topic_members",
    "unmet_locks",
    "update_round",
    "with_counts",
]
