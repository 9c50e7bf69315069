"""URL patterns of this stage, gathered by planning/urls.py."""

from django.urls import path

from planning.evaluations.views import cohort, community

# Under /c/<cohort_slug>/.
cohort_urls = [
    path("evaluations/", cohort.evaluation_list, name="evaluations"),
    path("evaluations/new/", cohort.round_create, name="evaluation-schedule"),
    path("evaluations/template/", cohort.evaluation_template, name="evaluation-template"),
    path("evaluations/<uuid:round_id>/edit/", cohort.round_edit, name="evaluation-round-edit"),
    path(
        "evaluations/<uuid:round_id>/cancel/",
        cohort.round_cancel,
        name="evaluation-round-cancel",
    ),
]

# Under /c/<cohort_slug>/communities/<community_slug>/.
community_urls = [
    path("evaluations/<uuid:evaluation_id>/", community.evaluation_detail, name="evaluation"),
    path(
        "evaluations/<uuid:evaluation_id>/open/",
        community.evaluation_open,
        name="evaluation-open",
    ),
    path(
        "evaluations/<uuid:evaluation_id>/close/",
        community.evaluation_close,
        name="evaluation-close",
    ),
    path(
        "evaluations/<uuid:evaluation_id>/discussion/",
        community.evaluation_discussion,
        name="evaluation-discussion",
    ),
    path("decisions/new/", community.decision_add, name="structure-decision-add"),
]

public_urls = []
