"""The hub's URL patterns. `cohort_urlpatterns` are served under `c/` in the `cohorts`
namespace, after `cohorts.urls` (so `c/new/` and `communities/new/` keep going to cohorts)."""

from django.urls import path

from copkit.hub import community, dashboard, home

urlpatterns = [
    path("", home.home, name="home"),
]

cohort_urlpatterns = [
    path("<slug:cohort_slug>/", dashboard.dashboard, name="dashboard"),
    path(
        "<slug:cohort_slug>/communities/<slug:community_slug>/",
        community.community_detail,
        name="community-detail",
    ),
]
