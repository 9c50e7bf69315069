"""What can go wrong with a roster as a whole (single rows carry their own problems)."""

from copkit.errors import ServiceError


class RosterFileError(ServiceError):
    """The file as a whole cannot be read as a roster. The message says why, for its sender."""


class RosterConflict(Exception):
    """Someone else changed the same participants while this import was being saved."""


class RosterHasErrors(ServiceError):
    """import_roster was handed rows that still have problems (or, skipping them, no row
    without one)."""
