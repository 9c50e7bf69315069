"""URL patterns of this stage, gathered by planning/urls.py."""

from django.urls import path

from planning.checkins import views

# Under /c/<cohort_slug>/.
cohort_urls = [
    path("checkins/", views.checkin_overview, name="checkins"),
    path("checkins/cadence/", views.cohort_cadence, name="checkin-cadence"),
    path("checkins/follow-ups/<uuid:followup_id>/", views.followup_edit, name="followup-edit"),
]
# Under /c/<cohort_slug>/communities/<community_slug>/.
community_urls = [
    path("checkins/", views.community_checkins, name="community-checkins"),
    path("checkins/cadence/", views.community_cadence, name="community-checkin-cadence"),
    path("checkins/log/", views.checkin_log, name="checkin-log"),
]
# At the site root: a leader's personal check-in link (the token is the key).
public_urls = [
    path("k/<str:token>/", views.checkin_answer, name="checkin-answer"),
]
