"""A NUL character in a link's query is refused with 400, never a server error."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("name", "param"),
    [
        ("cohorts:participant-list", "q"),
        ("cohorts:community-list", "q"),
        ("cohorts:organization-list", "q"),
    ],
)
def test_a_nul_in_a_search_box_is_a_bad_request(client_for, world, name, param):
    client = client_for("staff")
    url = reverse(name, args=[world.cohort.slug])
    assert client.get(url, {param: "board\x00"}).status_code == 400
    # The same search without the NUL works.
    assert client.get(url, {param: "board"}).status_code == 200
