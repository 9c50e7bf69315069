"""The map review's base map: US state outlines drawn offline under the pins, in the pins'
projection; distances in miles by default for a US cohort."""

import re

import pytest
from django.urls import reverse

from cohorts.formation.board import default_unit
from cohorts.formation.mapsvg import render_map_svg
from cohorts.models import FormationRound
from tests import factories

# Richmond, VA and Raleigh, NC; and two points in the middle of the Pacific.
EAST_COAST = [
    {"id": 1, "label": "Richmond", "lat": 37.54, "lon": -77.43, "group": 0},
    {"id": 2, "label": "Raleigh", "lat": 35.78, "lon": -78.64, "group": 0},
]


def test_the_map_draws_the_states_around_the_pins():
    svg = render_map_svg(EAST_COAST, title="Map")
    states = set(re.findall(r'<path d="M[^"]+" data-state="([^"]+)"', svg))
    assert {"Virginia", "North Carolina"} <= states
    assert "California" not in states  # far outside the frame
    assert 'clip-path="url(#map-box)"' in svg
    # Under the pins: the outlines come before the first pin.
    assert svg.index('class="states"') < svg.index('class="pins"')


def test_outlines_are_in_the_pins_projection():
    """A pin placed on a state's corner lands on that outline's point: Colorado's south-west
    corner (Four Corners, 37.0 N 109.05 W) is close to a point of its path."""
    points = [
        {"id": 1, "label": "Four Corners", "lat": 37.0, "lon": -109.05, "group": 0},
        {"id": 2, "label": "Denver", "lat": 39.74, "lon": -104.99, "group": 0},
    ]
    svg = render_map_svg(points, title="Map")
    pin = re.search(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="\d+" data-id="1"', svg)
    px, py = float(pin.group(1)), float(pin.group(2))
    colorado = re.search(r'<path d="(M[^"]+)" data-state="Colorado"', svg).group(1)
    corners = [tuple(map(float, c.split())) for c in colorado[1:-1].split("L")]
    assert min(abs(x - px) + abs(y - py) for x, y in corners) < 6


def test_no_states_away_from_the_united_states():
    svg = render_map_svg(
        [{"id": 1, "label": "Sea", "lat": -30.0, "lon": -140.0, "group": 0}], title="Map"
    )
    assert 'class="states"' not in svg


def test_us_cohorts_read_miles_by_default():
    us = type("C", (), {"time_zone": "America/Chicago"})
    indiana = type("C", (), {"time_zone": "America/Indiana/Indianapolis"})
    canada = type("C", (), {"time_zone": "America/Toronto"})
    paris = type("C", (), {"time_zone": "Europe/Paris"})
    assert [default_unit(c) for c in (us, indiana, canada, paris)] == ["mi", "mi", "km", "km"]


@pytest.mark.django_db
def test_map_review_of_a_us_cohort_shows_states_and_miles(world, client_for):
    world.cohort.time_zone = "America/New_York"
    world.cohort.save(update_fields=["time_zone"])
    rnd = factories.FormationRoundFactory(
        cohort=world.cohort, method=FormationRound.Method.MAP, size_min=2, size_max=4
    )
    proposal = factories.FormationProposalFactory(round=rnd, number=1)
    group = factories.ProposedGroupFactory(
        proposal=proposal, label="g1", name="Group 1", details={"mean_km": 100.0}
    )
    for point in EAST_COAST:
        person = factories.ParticipantFactory(
            cohort=world.cohort, latitude=point["lat"], longitude=point["lon"]
        )
        factories.FormationEntryFactory(round=rnd, participant=person)
        factories.ProposedMemberFactory(group=group, participant=person)
    url = reverse(
        "cohorts:formation-review",
        kwargs={"cohort_slug": world.cohort.slug, "round_id": rnd.public_id},
    )
    staff = client_for("staff")
    html = staff.get(url).content.decode()
    assert 'data-state="Virginia"' in html
    assert "62.1 mi" in html and "100.0 km" not in html
    # Kilometres stay one click away, and stay chosen.
    html = staff.get(url + "?unit=km").content.decode()
    assert "100.0 km" in html and 'name="unit" value="km"' in html
