"""URL patterns of collective TTA requests, gathered by planning/urls.py."""

from django.urls import path

from planning.support.requests import views

# Under /c/<cohort_slug>/: staff's triage.
cohort_urls = [
    path("requests/", views.triage_list, name="tta-requests"),
    path("requests/<uuid:request_id>/", views.triage_one, name="tta-request-triage"),
]

# Under /c/<cohort_slug>/communities/<community_slug>/.
community_urls = [
    path("requests/", views.request_list, name="tta-request-list"),
    path("requests/new/", views.request_create, name="tta-request-create"),
    path("requests/<uuid:request_id>/", views.request_detail, name="tta-request"),
]

public_urls = []
