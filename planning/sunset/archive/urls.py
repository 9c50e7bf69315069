"""URL patterns of the archive export, gathered by planning/urls.py."""

from django.urls import path

from planning.sunset.archive import views

# Under /c/<cohort_slug>/.
cohort_urls = [
    path("export/", views.cohort_archive, name="cohort-export"),
    path("export/start/", views.cohort_archive_start, name="cohort-export-start"),
    path(
        "export/<uuid:archive_id>/progress/",
        views.cohort_archive_progress,
        name="cohort-export-progress",
    ),
    path("export/download/<str:token>/", views.download, name="export-download"),
]

# Under /c/<cohort_slug>/communities/<community_slug>/.
community_urls = [
    path("export/", views.community_archive, name="community-export"),
    path("export/start/", views.community_archive_start, name="community-export-start"),
    path(
        "export/<uuid:archive_id>/progress/",
        views.community_archive_progress,
        name="community-export-progress",
    ),
]

public_urls = []
