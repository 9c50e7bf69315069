"""The evidence pages: what each role reads on a community's evidence page, the cohort report
and the compare page, and their query counts (flat in communities, members and rows)."""

import pytest
from django.urls import reverse

from cohorts.models import CohortRole
from tests import evidence_rows as rows
from tests import factories
from tests.queries import count_queries


@pytest.fixture(autouse=True)
def _program_around_today(world):
    rows.long_program(world.cohort)


def _report(world):
    return reverse("planning:report", args=[world.cohort.slug])


def _evidence(world, community=None):
    return reverse(
        "planning:evidence", args=[world.cohort.slug, (community or world.community).slug]
    )


@pytest.fixture
def filled(world):
    """The persona's community with six more members and a year's worth of rows, and a
    small community of three."""
    people = rows.fill(world.community, 6, name="Bigname")
    rows.success(world.community, funder="Funder sees fewer hungry families")
    small = factories.CommunityFactory(cohort=world.cohort, name="Tiny Circle")
    rows.fill(small, 3, name="Smallname")
    rows.needs_survey(world.cohort, people)
    rows.inventory(people, world.topic)
    return people


PAGES = [
    ("planning:evidence", "leader", _evidence),
    ("planning:evidence", "staff", _evidence),
    ("planning:report", "staff", _report),
    ("planning:report", "observer", _report),
    (
        "planning:report-pdf",
        "observer",
        lambda w: reverse("planning:report-pdf", args=[w.cohort.slug]),
    ),
    (
        "planning:report-xlsx",
        "staff",
        lambda w: reverse("planning:report-xlsx", args=[w.cohort.slug]),
    ),
    (
        "planning:report-csv",
        "staff",
        lambda w: reverse("planning:report-csv", args=[w.cohort.slug, "participation"]),
    ),
]


@pytest.mark.parametrize(
    ("name", "persona", "make_url"), PAGES, ids=[f"{p[0]}-{p[1]}" for p in PAGES]
)
def test_query_count_is_flat(name, persona, make_url, world, client_for):
    client = client_for(persona)
    url = make_url(world)
    rows.fill(world.community, 3)  # five members: an observer sees its figures too
    small, _response = count_queries(client, url)
    for index in range(4):
        community = factories.CommunityFactory(cohort=world.cohort, name=f"Grown {index}")
        rows.fill(community, 6)
        rows.evaluation(community, rows.add_members(community, 2), title="End of the program")
    rows.fill(world.community, 5)
    rows.needs_survey(world.cohort, rows.add_members(world.community, 3))
    large, response = count_queries(client, url)
    assert large == small, f"{name} as {persona}: {small} queries, then {large}"
    assert len(response.content) > 2000


def test_compare_query_count_is_flat(world, client_for):
    client = client_for("staff")
    url = reverse("planning:report-compare", args=[world.cohort.slug])
    rows.fill(world.community, 6)
    small, response = count_queries(client, url)
    assert world.cohort.name in response.content.decode()
    names = []
    for index in range(3):
        cohort = factories.CohortFactory(name=f"Second cohort {index}")
        factories.CohortRoleFactory(cohort=cohort, user=world.staff, role=CohortRole.Role.STAFF)
        rows.fill(factories.CommunityFactory(cohort=cohort), 6)
        names.append(cohort.name)
    large, response = count_queries(client, url)
    assert large == small
    page = response.content.decode()
    assert all(name in page for name in names)
    assert world.other_cohort.name not in page  # staff of it is someone else


def test_observer_reads_aggregates_only(world, client_for, filled):
    page = client_for("observer").get(_report(world)).content.decode()
    assert "Board Builders" in page and "Tiny Circle" in page
    for words in ("Bigname", "Smallname", "Lee Leader", "We now", "Funder sees", "Twenty pantries"):
        assert words not in page, words
    assert "fewer than 5" in page
    assert "No one&#x27;s words" not in page
    # The big community's attendance shows; the small one's row is hidden.
    assert "Attendance rate" in page


def test_small_community_is_hidden_from_observers_but_not_from_staff(world, client_for, filled):
    from planning.evidence import figures

    small = world.cohort.communities.get(name="Tiny Circle")
    data = figures.build(world.cohort, [world.community, small], sees_people=False)
    assert data[small.pk].hidden
    assert data[small.pk].meetings.hidden and data[small.pk].meetings.value is None
    assert data[small.pk].goals_missed.hidden
    assert not data[world.community.pk].meetings.hidden
    assert data[world.community.pk].meetings.value == 3
    staff = figures.build(world.cohort, [world.community, small], sees_people=True)
    assert staff[small.pk].meetings.value == 3 and not staff[small.pk].meetings.hidden


def test_staff_read_the_words(world, client_for, filled):
    client = client_for("staff")
    page = client.get(_report(world)).content.decode()
    assert "Board Builders: We now Bigname" in page
    assert _evidence(world) in page  # each community links to its evidence page
    page = client.get(_evidence(world)).content.decode()
    assert "Twenty pantries" in page and "Funder sees fewer hungry families" in page
    assert "We now Bigname" in page


def test_leader_reads_the_plan_but_not_the_answers(world, client_for, filled):
    response = client_for("leader").get(_evidence(world))
    page = response.content.decode()
    assert "Twenty pantries" in page and "Funder sees fewer hungry families" in page
    assert "We now" not in page
    assert "<svg" in page and "<title" in page and "<table" in page
    assert "fewer than 5" not in page  # members see every figure of their own community


def test_unknown_csv_kind_is_404_then_a_known_one_works(world, client_for):
    client = client_for("staff")
    bad = reverse("planning:report-csv", args=[world.cohort.slug, "people"])
    assert client.get(bad).status_code == 404
    good = reverse("planning:report-csv", args=[world.cohort.slug, "goals"])
    assert client.get(good).status_code == 200


def test_navigation_links(world, client_for):
    staff = client_for("staff").get(reverse("cohorts:dashboard", args=[world.cohort.slug]))
    assert _report(world) in staff.content.decode()
    client = client_for("observer")
    observer = client.get(reverse("cohorts:dashboard", args=[world.cohort.slug]))
    assert _report(world) in observer.content.decode()
    leader = client_for("leader").get(world.community.get_absolute_url())
    assert _evidence(world) in leader.content.decode()


def test_observer_totals_leave_out_a_small_community_so_it_cannot_be_worked_out(
    world, client_for, filled
):
    """Board Builders (8 members) shows; Tiny Circle (3) does not. Were Tiny Circle in the
    totals, totals minus Board Builders would be its figures: the observer's totals leave it
    out and say so. Staff's totals count everyone."""
    from planning.evidence import report

    observer = report.Viewer(False, False, False)
    rows_, total = report.cohort_evidence(world.cohort, observer)
    board, tiny = rows_
    assert tiny.hidden and not board.hidden
    assert total.leaves_out == 1
    assert total.meetings.value == board.meetings.value == 3
    page = client_for("observer").get(_report(world)).content.decode()
    assert "leave out 1 community" in page
    _rows, staff_total = report.cohort_evidence(world.cohort, report.Viewer(True, True, True))
    assert staff_total.leaves_out == 0 and staff_total.meetings.value == 6
    # Two more small communities make the left-out group five people or more: counted again.
    for name in ("Second small", "Third small"):
        rows.fill(factories.CommunityFactory(cohort=world.cohort, name=name), 1)
    _rows, total = report.cohort_evidence(world.cohort, observer)
    assert total.leaves_out == 0 and total.meetings.value == 3 * 4
