"""URL patterns of this stage, gathered by planning/urls.py."""

from django.urls import path

from planning.deeper.views import activities, community

# Under /c/<cohort_slug>/.
cohort_urls = [
    path("deeper/", activities.activity_list, name="deeper-activities"),
    path("deeper/new/", activities.activity_create, name="deeper-activity-create"),
    path("deeper/progress/", activities.progress, name="deeper-progress"),
    path("deeper/<uuid:activity_id>/", activities.activity_detail, name="deeper-activity"),
    path("deeper/<uuid:activity_id>/edit/", activities.activity_edit, name="deeper-activity-edit"),
    path(
        "deeper/<uuid:activity_id>/retire/",
        activities.activity_retire,
        name="deeper-activity-retire",
    ),
    path("deeper/<uuid:activity_id>/suggest/", activities.activity_suggest, name="deeper-suggest"),
]

# Under /c/<cohort_slug>/communities/<community_slug>/.
community_urls = [
    path("deeper/", community.community_list, name="deeper-community"),
    path("deeper/<uuid:suggestion_id>/", community.suggestion_detail, name="deeper-suggestion"),
    path(
        "deeper/<uuid:suggestion_id>/answer/",
        community.suggestion_answer,
        name="deeper-answer",
    ),
    path("deeper/<uuid:suggestion_id>/plan/", community.suggestion_plan, name="deeper-plan"),
    path("deeper/<uuid:suggestion_id>/done/", community.suggestion_done, name="deeper-done"),
]

public_urls = []
