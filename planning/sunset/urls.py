"""URL patterns of the phases and the transition, gathered by planning/urls.py. (The sunset
plan's and the alumni network's pages keep modules of their own beside this one.)"""

from django.urls import path

from planning.sunset import views

# Under /c/<cohort_slug>/.
cohort_urls = [
    path("transition/", views.transition, name="transition"),
]

# Under /c/<cohort_slug>/communities/<community_slug>/.
community_urls = [
    path("phase/", views.community_phase, name="community-phase"),
]

public_urls = []
