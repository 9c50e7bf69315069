"""Every refusal a service makes is a copkit.errors.ServiceError, which views, tasks and
commands catch alike; a programming error stays what it is."""

import pytest

from cohorts.formation.checks import InputError
from cohorts.formation.services.csv_upload import CsvErrors
from cohorts.services.activity import record
from cohorts.services.invitations import AccountExists, InvitationError
from cohorts.services.roster import RosterFileError, RosterHasErrors, read_roster
from copkit.concurrency import EditConflict
from copkit.errors import ServiceError
from planning.surveys.services.live import LiveError
from planning.surveys.services.surveys import SurveyError


@pytest.mark.parametrize(
    "error",
    [
        InvitationError,
        AccountExists,
        RosterFileError,
        RosterHasErrors,
        CsvErrors,
        InputError,
        SurveyError,
        LiveError,
        EditConflict,
    ],
)
def test_each_service_error_is_a_service_error(error):
    assert issubclass(error, ServiceError)


def test_a_refused_roster_file_is_caught_as_a_service_error():
    with pytest.raises(ServiceError, match="empty"):
        read_roster("people.csv", b"")


def test_an_unknown_activity_verb_is_a_programming_error(world):
    with pytest.raises(ValueError, match="not an activity action") as caught:
        record(world.cohort, world.staff, "danced", world.community)
    assert not isinstance(caught.value, ServiceError)
