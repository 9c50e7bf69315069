"""Personas shared by every test.

One cohort, "Riverbend Capacity Cohort", with:
- staff:       Sam, TTA staff of the cohort
- observer:    Olive, a funder observing the cohort
- leader:      Lee, a participant who leads the community "Board Builders"
- participant: Pat, a participant and member of "Board Builders"
and an outsider, Oscar, who is staff of another cohort and holds no role in Riverbend.
"""

import os
from contextlib import nullcontext
from datetime import UTC, datetime
from types import SimpleNamespace
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction

from cohorts.models import CohortRole, Membership
from copkit.tasks import send_due_messages
from tests import factories
from tests.factories import PASSWORD


def _cache_prefix_per_worker():
    """Under pytest-xdist every worker shares the one Redis database: give each worker its
    own key prefix, before any cache is opened, so that a worker only sees its own keys."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    options = settings.CACHES["default"]
    if worker and "RedisCache" in options["BACKEND"]:
        options["KEY_PREFIX"] = f"{options.get('KEY_PREFIX', 'copkit-test')}-{worker}"


_cache_prefix_per_worker()


def clear_own_cache():
    """`cache.clear()` on Redis is FLUSHDB, which would also empty the other workers' keys
    in the middle of their tests: delete only the keys under this process's prefix."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        backend.clear()
        return
    client = backend._cache.get_client(None, write=True)
    keys = list(client.scan_iter(match=f"{backend.key_prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _clear_cache():
    clear_own_cache()
    yield


def fixed_now(value):
    """COPKIT_TEST_NOW as an aware datetime; a value without an offset is read as UTC."""
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


TEST_NOW = fixed_now(os.environ["COPKIT_TEST_NOW"]) if os.environ.get("COPKIT_TEST_NOW") else None

# `make test` runs the date-sensitive modules (COPKIT_DATE_TESTS, paths from the root) once more
# at each moment of COPKIT_TEST_DATES (a DST change, a leap day, a year's end), in the same
# parallel run as the rest: a test that passes only today fails at one of them.
DATE_MOMENTS = [fixed_now(value) for value in os.environ.get("COPKIT_TEST_DATES", "").split()]
DATE_MODULES = set(os.environ.get("COPKIT_DATE_TESTS", "").split())


def pytest_generate_tests(metafunc):
    if not DATE_MOMENTS or "clock_at" not in metafunc.fixturenames:
        return
    path = metafunc.definition.path.relative_to(metafunc.config.rootpath).as_posix()
    if path in DATE_MODULES:
        metafunc.parametrize(
            "clock_at",
            [TEST_NOW, *DATE_MOMENTS],
            indirect=True,
            ids=lambda moment: f"at-{moment:%Y-%m-%dT%H%M}" if moment else "now",
        )


@pytest.fixture
def clock_at(request):
    """The moment this test's clock starts at: COPKIT_TEST_NOW, or one of COPKIT_TEST_DATES
    for a date-sensitive test; None for the real clock."""
    return getattr(request, "param", TEST_NOW)


@pytest.fixture(autouse=True)
def _fixed_clock(clock_at):
    """With a moment set, every test runs with the clock starting there and ticking on."""
    with time_machine.travel(clock_at, tick=True) if clock_at else nullcontext():
        yield


def fixed_clock():
    """The clock at COPKIT_TEST_NOW, ticking; the real clock when it is not set."""
    return time_machine.travel(TEST_NOW, tick=True) if TEST_NOW else nullcontext()


@pytest.fixture(autouse=True)
def _no_sweep_published():
    """Commit callbacks that wake the outbox sweep would publish a real task to the broker;
    tests call `copkit.outbox.send_due` themselves instead."""
    with mock.patch.object(send_due_messages, "delay"):
        yield


@pytest.fixture
def wake():
    """The Celery task's `delay`, replaced: records that a sweep was asked for."""
    with mock.patch.object(send_due_messages, "delay") as delay:
        yield delay


def build_world():
    cohort = factories.CohortFactory(name="Riverbend Capacity Cohort")
    other = factories.CohortFactory(name="Elsewhere Cohort")
    topic = factories.TopicFactory(cohort=cohort, name="Board development")
    community = factories.CommunityFactory(cohort=cohort, name="Board Builders", topic=topic)
    org = factories.OrganizationFactory(cohort=cohort, name="Riverbend Food Pantry")

    staff = factories.UserFactory(
        email="sam@tta.example", name="Sam Staff", can_create_cohorts=True
    )
    observer = factories.UserFactory(email="olive@funder.example", name="Olive Observer")
    leader = factories.UserFactory(email="lee@pantry.example", name="Lee Leader")
    participant = factories.UserFactory(email="pat@pantry.example", name="Pat Participant")
    outsider = factories.UserFactory(email="oscar@elsewhere.example", name="Oscar Outsider")

    factories.CohortRoleFactory(cohort=cohort, user=staff, role=CohortRole.Role.STAFF)
    factories.CohortRoleFactory(cohort=cohort, user=observer, role=CohortRole.Role.OBSERVER)
    factories.CohortRoleFactory(cohort=other, user=outsider, role=CohortRole.Role.STAFF)

    leader_p = factories.ParticipantFactory(
        cohort=cohort, organization=org, user=leader, name=leader.name, email=leader.email
    )
    participant_p = factories.ParticipantFactory(
        cohort=cohort,
        organization=org,
        user=participant,
        name=participant.name,
        email=participant.email,
    )
    leader_m = factories.MembershipFactory(
        community=community, participant=leader_p, role=Membership.Role.LEADER
    )
    member_m = factories.MembershipFactory(
        community=community, participant=participant_p, role=Membership.Role.MEMBER
    )
    return SimpleNamespace(
        cohort=cohort,
        other_cohort=other,
        topic=topic,
        community=community,
        organization=org,
        staff=staff,
        observer=observer,
        leader=leader,
        participant=participant,
        outsider=outsider,
        leader_participant=leader_p,
        participant_participant=participant_p,
        leader_membership=leader_m,
        member_membership=member_m,
        users={
            "staff": staff,
            "observer": observer,
            "leader": leader,
            "participant": participant,
            "outsider": outsider,
        },
        password=PASSWORD,
    )


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """The personas built once for a whole module, inside a transaction rolled back when the
    module is done. A module opts in by overriding `world` with a fixture that asks for
    `module_world` and `db` (see tests/test_permissions.py); each of its tests still runs in
    its own savepoint (the `db` fixture), so what one test writes is gone before the next.

    Only for modules whose tests treat the personas as read-only: an object changed in memory
    by one test would be seen changed by the next."""
    with django_db_blocker.unblock(), fixed_clock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def client_for(client, world):
    """client_for("staff") -> a test client logged in as that persona (None: anonymous)."""

    def make(persona):
        if persona is not None and persona != "anonymous":
            client.force_login(world.users[persona])
        return client

    return make


def pytest_report_header():
    if TEST_NOW is not None:
        return f"clock: every test starts at COPKIT_TEST_NOW={TEST_NOW.isoformat()}"
    return None


def pytest_make_parametrize_id(config, val, argname):
    """Long bytes (a generated .xlsx, random junk) get a fixed test id instead of their
    escaped content: pytest-xdist refuses to run when the workers' collected ids differ, and
    a file generated with a timestamp differs from one worker to the next."""
    if isinstance(val, bytes | bytearray) and len(val) > 32:
        return f"{argname}-bytes"  # pytest numbers repeated ids, the same in every worker
    return None
