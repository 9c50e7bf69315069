"""URL patterns of the alumni network, gathered by planning/urls.py."""

from django.urls import path

from planning.sunset.alumni import views

# Under /c/<cohort_slug>/. The space's pages resolve their own access (members of earlier
# cohorts enter them without a role in this cohort), the opening page is the staff's.
cohort_urls = [
    path("alumni/open/", views.open_space, name="alumni-open"),
    path("alumni/", views.space, name="alumni"),
    path("alumni/directory/", views.directory, name="alumni-directory"),
    path("alumni/directory/me/", views.my_entry, name="alumni-entry"),
    path("alumni/discussion/", views.discussion, name="alumni-discussion"),
    path("alumni/discussion/<uuid:thread_id>/", views.thread, name="alumni-thread"),
]

# Under /c/<cohort_slug>/communities/<community_slug>/.
community_urls = [
    path("networks/", views.groups, name="network-groups"),
    path("networks/<uuid:group_id>/delete/", views.group_delete, name="network-group-delete"),
]

public_urls = []
