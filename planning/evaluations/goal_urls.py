"""URL patterns of goals and their progress, gathered by planning/urls.py."""

from django.urls import path

from planning.evaluations.views import goals

# Under /c/<cohort_slug>/.
cohort_urls = [
    path("goals/", goals.cohort_goals, name="goals"),
]
# Under /c/<cohort_slug>/communities/<community_slug>/.
community_urls = [
    path("goals/<uuid:goal_id>/", goals.goal_detail, name="goal"),
    path("goals/<uuid:goal_id>/update/", goals.goal_update, name="goal-update"),
]
public_urls = []
