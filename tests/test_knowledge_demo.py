"""The demo's knowledge: items of every kind, shared as the demo says, and the library shows
them to the demo's logins."""

from django.urls import reverse

from cohorts.models import CohortRole
from planning.knowledge.models import KnowledgeItem, KnowledgeRequest, Resource, Scope
from tests.test_seed_demo import seeded  # noqa: F401 - the fixture


def test_the_demo_has_knowledge_in_its_library(seeded, client):  # noqa: F811
    cohort, output = seeded
    assert "knowledge items shared" in output
    shared = KnowledgeItem.objects.filter(cohort=cohort, state="shared")
    assert {item.kind for item in shared} == set(KnowledgeItem.Kind)
    assert shared.filter(scope=Scope.PUBLIC).exists()
    assert shared.filter(kind="practice", agreed_at__isnull=False, scope=Scope.PROVIDER).exists()
    assert Resource.objects.filter(cohort=cohort).count() == 3
    assert KnowledgeRequest.objects.filter(cohort=cohort).exists()
    staff = CohortRole.objects.filter(cohort=cohort, role="staff").first().user
    client.force_login(staff)
    page = client.get(reverse("library")).content.decode()
    assert "A guest seat at every board meeting" in page
    assert "Running an online meeting" in page
