"""Cohort pages of the planning app, under /c/<cohort_slug>/ beside the cohorts app's: each
stage's patterns, with their names and paths as they were before the stages had packages."""

from django.urls import include, path

from planning.checkins import urls as checkins
from planning.deeper import urls as deeper
from planning.evaluations import goal_urls as goals
from planning.evaluations import urls as evaluations
from planning.evidence import urls as evidence
from planning.knowledge import urls as knowledge
from planning.meetings import urls as meetings
from planning.needs import urls as needs
from planning.plans import urls as plans
from planning.sunset import plan_urls as sunset_plan
from planning.sunset import urls as sunset
from planning.sunset.alumni import urls as alumni
from planning.sunset.archive import urls as archive
from planning.support import urls as support
from planning.support.requests import urls as tta_requests
from planning.surveys import urls as surveys
from planning.workspace import urls as workspace

STAGES = (
    surveys,
    needs,
    plans,
    meetings,
    checkins,
    support,
    deeper,
    goals,
    evaluations,
    evidence,
    knowledge,
    workspace,
    tta_requests,
    sunset,
    sunset_plan,
    alumni,
    archive,
)

app_name = "planning"

urlpatterns = [
    *(pattern for stage in STAGES for pattern in stage.cohort_urls),
    path(
        "communities/<slug:community_slug>/",
        include([pattern for stage in STAGES for pattern in stage.community_urls]),
    ),
]

# Pages reached without a cohort in the URL: a personal survey link, the live poll a
# participant joins with a short code, the calendar feed. Included at the site root by
# copkit.urls.
public_urlpatterns = [pattern for stage in STAGES for pattern in stage.public_urls]
