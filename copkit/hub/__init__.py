"""The hub pages: the pages that compose every stage of the lifecycle (a person's home, the
cohort dashboard, a community's page). They sit on top of the layers (core <- cohorts <-
planning) and may read from all of them; no application package imports the hub.

Their URL names stay in the `cohorts` namespace (`cohorts:dashboard`,
`cohorts:community-detail`): `copkit/urls.py` serves `cohort_urlpatterns` together with
`cohorts.urls`.
"""
