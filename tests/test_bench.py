"""The bench's machinery on tiny cohorts: builders, measuring, verdicts, scratch database.

The full bench (`make bench`) is not run here; it takes tens of seconds.
"""

import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from cohorts.models import Cohort, Membership, Participant
from devtools.bench_urls import urlpatterns as bench_urlpatterns
from devtools.demo import build_scaled_cohort
from devtools.demo.formation import add_formation_data
from devtools.demo.planning import add_planning_data
from devtools.management.commands import bench
from devtools.management.commands.bench import Page, Result, measure


def flat_view(request, cohort_slug):
    names = Participant.objects.filter(cohort__slug=cohort_slug).values_list(
        "organization__name", flat=True
    )
    return HttpResponse(", ".join(names))


def growing_view(request, cohort_slug):
    participants = Participant.objects.filter(cohort__slug=cohort_slug)
    return HttpResponse(", ".join(p.organization.name for p in participants))  # N+1


def stub_view(request, cohort_slug):
    return HttpResponse("not yet", status=501)


def broken_view(request, cohort_slug):
    raise RuntimeError("the page fell over")


urlpatterns = [
    path("t/<slug:cohort_slug>/flat/", flat_view, name="t-flat"),
    path("t/<slug:cohort_slug>/grows/", growing_view, name="t-grows"),
    path("t/<slug:cohort_slug>/stub/", stub_view, name="t-stub"),
    path("t/<slug:cohort_slug>/broken/", broken_view, name="t-broken"),
    *bench_urlpatterns,
]


@pytest.fixture
def cohorts(db):
    small = build_scaled_cohort("small", participants=3, organizations=2, communities=1)
    large = build_scaled_cohort("large", participants=20, organizations=8, communities=4)
    for built in (small, large):
        built.planning = add_planning_data(built.cohort, staff=built.staff)
        built.formation = add_formation_data(built.cohort, staff=built.staff)
    return small, large


def test_scaled_cohort_has_the_asked_shape(cohorts):
    _, large = cohorts
    cohort = large.cohort
    assert large.counts["participants"] == cohort.participants.count() == 20
    assert cohort.organizations.count() == 8
    assert cohort.communities.count() == 4
    assert cohort.topics.count() == 6
    assert cohort.invitations.count() == 12  # 60 %
    assert cohort.participants.filter(user__isnull=False).count() == 6  # 30 % joined
    assert cohort.invitations.filter(accepted_at__isnull=False).count() == 6
    members = large.community.memberships.select_related("participant")
    assert members.count() == 7
    roles = {m.participant.user_id: m.role for m in members}
    assert roles[large.leader.pk] == Membership.Role.LEADER
    assert roles[large.participant.pk] == Membership.Role.MEMBER
    assert cohort.roles.get(user=large.staff).role == "staff"
    assert cohort.roles.get(user=large.observer).role == "observer"
    org = cohort.organizations.first()
    assert org.latitude is not None and len(org.state) == 2
    assert org.name_key == org.name.lower()


@pytest.mark.urls("tests.test_bench")
def test_measure_flags_errors_and_growth_but_not_stubs(cohorts):
    small, large = cohorts
    pages = [
        Page("t-flat", "staff"),
        Page("t-grows", "staff"),
        Page("t-stub", "staff"),
        Page("t-broken", "staff"),
    ]
    # A time budget no machine reaches: the request counts end each measurement, so the
    # counts below hold however busy the machine is.
    bare, results = measure(pages, small, large, requests=3, seconds=600)
    by_name = {r.page.url_name: r for r in results}

    assert (bare.status, bare.queries_large, bare.problems) == (200, 0, [])
    assert bare.requests == 15 and bare.per_second > 0

    flat = by_name["t-flat"]
    assert flat.status == 200 and flat.flat and flat.problems == []
    assert flat.queries_small == flat.queries_large > 0
    assert flat.requests == 3

    grows = by_name["t-grows"]
    assert grows.status == 200 and not grows.flat
    assert grows.queries_large - grows.queries_small == 17  # one per extra participant
    assert "on the large one" in grows.problems[0]

    assert (by_name["t-stub"].status, by_name["t-stub"].problems) == (501, [])

    broken = by_name["t-broken"]
    assert broken.status == 500 and broken.problems == ["status 500"]
    assert "RuntimeError: the page fell over" in broken.errors[0]

    lines = bench.table(bare, results)
    assert len(lines) == 2 + 1 + len(pages)
    text = "\n".join(lines)
    assert "501 not built" in text and "500 FAIL" in text
    flags = [" NO " in line for line in lines[3:]]
    assert flags == [False, True, False, False]


@override_settings(ROOT_URLCONF="devtools.bench_urls")
def test_measure_visits_every_main_page_as_its_persona(cohorts):
    small, large = cohorts
    bare, results = measure(bench.PAGES, small, large, requests=1, seconds=0.01)
    assert [r.page for r in results] == bench.PAGES
    by_name = {r.page.url_name: r for r in results}
    # Anonymous visitors get the login form; a logged-in participant gets their home, not
    # a redirect to log in: the personas really are logged in.
    assert by_name["account_login"].status == 200
    assert by_name["home"].status == 200 and by_name["home"].queries_large > 0
    for result in results:
        assert result.status == 200, (result.page, result.status, result.errors[:1])
        assert result.requests == 1
        assert result.flat, (result.page, result.queries_small, result.queries_large)
    assert bare.status == 200


def test_plan_and_meeting_pages_visit_the_personas_community(cohorts):
    """The plan, meeting and calendar pages are measured on the leader's and participant's
    own community: its next meeting, the participant's calendar feed."""
    for built in cohorts:
        assert built.planning.home_community == built.community
        assert built.planning.next_meeting.community_id == built.community.pk
        assert built.planning.next_meeting.cancelled_at is None
        feed = built.planning.feeds[built.participant.pk]
        page = next(p for p in bench.PAGES if p.url_name == "planning:meeting-detail")
        assert str(built.planning.next_meeting.public_id) in page.url(built)
        page = next(p for p in bench.PAGES if p.scope == "feed")
        assert page.url(built) == feed.get_absolute_url()
        page = next(p for p in bench.PAGES if p.url_name == "planning:plan-part")
        assert page.url(built).endswith(f"/{built.community.slug}/plan/goals/")
        assert built.community.action_plan.versions.exists()


def test_table_shows_status_queries_and_ratio():
    page = Page("cohorts:team", "staff")
    bare = Result(bench.BARE, 200, 200, 0, 0, 100, 1000.0)
    rows = [
        Result(page, 200, 200, 6, 6, 100, 250.0),
        Result(Page("cohorts:dashboard", "staff"), 404, 404, 3, 3, 10, 100.0),
    ]
    lines = bench.table(bare, rows)
    assert lines[0].split()[:3] == ["page", "as", "status"]
    team = lines[3].split()
    assert team == ["cohorts:team", "staff", "200", "6", "6", "yes", "250", "4.0x"]
    assert "404 FAIL" in lines[4]
    assert rows[1].problems == ["status 404"]
    assert rows[0].problems == []


def test_scratch_url_keeps_server_credentials_and_options():
    url = "postgres://postgres:secret@127.0.0.1:5432/copkit?sslmode=disable"
    assert (
        bench.scratch_url(url, "copkit_bench_42")
        == "postgres://postgres:secret@127.0.0.1:5432/copkit_bench_42?sslmode=disable"
    )


@pytest.mark.parametrize(
    ("vendor", "name", "scratch"),
    [
        ("sqlite", "/scratch/copkit-bench-x1y2/bench.sqlite3", True),
        ("sqlite", "/srv/copkit/var/copkit.sqlite3", False),
        ("sqlite", "/scratch/copkit-bench.sqlite3", False),
        ("sqlite", ":memory:", False),
        ("postgresql", "copkit_bench_123", True),
        ("postgresql", "copkit", False),
        ("postgresql", "test_copkit", False),
    ],
)
def test_is_scratch(vendor, name, scratch):
    assert bench.is_scratch(vendor, name) is scratch


def test_child_refuses_a_database_that_is_not_scratch(db, monkeypatch):
    monkeypatch.setenv(bench.CHILD_FLAG, "1")
    with pytest.raises(CommandError, match="scratch database"):
        call_command("bench", participants=10, organizations=3, communities=2)
    assert not Cohort.objects.exists()


def test_parent_runs_the_child_in_a_scratch_database_and_removes_it(db, monkeypatch):
    seen = {}

    def fake_run(argv, env, cwd, check):
        seen["argv"], seen["env"] = argv, env
        url = env["DATABASE_URL"]
        if connection.vendor == "sqlite":
            seen["file"] = Path(url.removeprefix("sqlite:///"))
            seen["existed"] = seen["file"].parent.is_dir()
        else:
            seen["name"] = url.rsplit("/", 1)[1].split("?")[0]
            seen["existed"] = seen["name"] in pg_databases()
        return subprocess.CompletedProcess(argv, returncode=3)

    monkeypatch.setattr(bench.subprocess, "run", fake_run)
    with pytest.raises(SystemExit) as exited:
        call_command("bench", participants=10, organizations=3, communities=2, requests=5)
    assert exited.value.code == 3  # the child's failure is the command's failure

    assert seen["env"][bench.CHILD_FLAG] == "1"
    assert seen["env"]["DJANGO_DEBUG"] == "false"
    assert "--participants=10" in seen["argv"] and "--requests=5" in seen["argv"]
    assert seen["existed"]
    if connection.vendor == "sqlite":
        assert bench.is_scratch("sqlite", seen["file"])
        assert not seen["file"].parent.exists()
    else:
        assert bench.is_scratch("postgresql", seen["name"])
        assert seen["name"] not in pg_databases()


def pg_databases():
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database")
        return {row[0] for row in cursor.fetchall()}
