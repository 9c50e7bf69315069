import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "admin:copkit_user_changelist",
    "admin:copkit_outboxmessage_changelist",
    "admin:cohorts_cohort_changelist",
    "admin:cohorts_participant_changelist",
    "admin:cohorts_community_changelist",
    "admin:cohorts_invitation_changelist",
    "admin:cohorts_activity_changelist",
]


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_site_administrator_reads_every_admin_list(name, world, admin_client):
    response = admin_client.get(reverse(name))
    assert response.status_code == 200
    changelist = response.context["cl"]
    # The list shows every row of its model (none hidden by a cohort scope).
    assert changelist.result_count == changelist.model._default_manager.count()


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("admin:copkit_user_changelist", "pat@pantry.example"),
        ("admin:cohorts_cohort_changelist", "Elsewhere Cohort"),
        ("admin:cohorts_participant_changelist", "Lee Leader"),
        ("admin:cohorts_community_changelist", "Board Builders"),
    ],
)
def test_admin_lists_show_the_rows(name, text, world, admin_client):
    assert text in admin_client.get(reverse(name)).content.decode()


def test_cohort_staff_are_not_site_administrators(world, client_for):
    response = client_for("staff").get(reverse("admin:cohorts_cohort_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url
