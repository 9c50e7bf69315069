"""URL patterns of this stage, gathered by planning/urls.py: the leaders' circle."""

from django.urls import path

from planning.support import views

# Under /c/<cohort_slug>/.
cohort_urls = [
    path("circle/", views.circle_home, name="circle"),
    path("circle/schedule/", views.circle_schedule, name="circle-schedule"),
    path("circle/convenings/new/", views.convening_create, name="convening-create"),
    path("circle/convenings/<uuid:convening_id>/", views.convening_detail, name="convening-detail"),
    path(
        "circle/convenings/<uuid:convening_id>/edit/",
        views.convening_edit,
        name="convening-edit",
    ),
    path(
        "circle/convenings/<uuid:convening_id>/agenda/",
        views.convening_agenda,
        name="convening-agenda",
    ),
    path(
        "circle/convenings/<uuid:convening_id>/notes/",
        views.convening_notes,
        name="convening-notes",
    ),
    path(
        "circle/convenings/<uuid:convening_id>/attendance/",
        views.convening_attendance,
        name="convening-attendance",
    ),
    path("circle/discussion/", views.post_list, name="circle-posts"),
    path("circle/discussion/new/", views.post_create, name="circle-post-create"),
    path("circle/discussion/<uuid:post_id>/", views.post_detail, name="circle-post"),
    path("circle/discussion/<uuid:post_id>/edit/", views.post_edit, name="circle-post-edit"),
]
community_urls = []
public_urls = []
