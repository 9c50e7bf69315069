from django.contrib import admin
from django.urls import include, path

from cohorts import urls as cohorts_urls
from cohorts.formation.views import answer as formation_answer
from cohorts.views import invitations
from copkit import email_settings, views
from copkit.hub import urls as hub_urls
from copkit.mydata import views as mydata
from planning.urls import public_urlpatterns as planning_public

urlpatterns = [
    *hub_urls.urlpatterns,
    path("healthz/", views.healthz, name="healthz"),
    path("invite/<str:token>/", invitations.accept_invitation, name="accept-invitation"),
    path("f/<str:token>/", formation_answer.answer, name="formation-answer"),
    path("me/data/", mydata.my_data, name="my-data"),
    path("me/data/download/", mydata.my_data_download, name="my-data-download"),
    path("me/delete/", mydata.account_delete, name="account-delete"),
    path("emails/settings/", email_settings.my_email_settings, name="my-email-settings"),
    path("emails/<str:token>/", email_settings.email_settings, name="email-settings"),
    path(
        "emails/<str:token>/stop/<slug:kind>/",
        email_settings.email_unsubscribe,
        name="email-unsubscribe",
    ),
    # One namespace for cohorts' pages and the hub pages of a cohort (its dashboard, a
    # community's page): `cohorts:dashboard` and `cohorts:community-detail` as before.
    path("c/", include((cohorts_urls.urlpatterns + hub_urls.cohort_urlpatterns, "cohorts"))),
    path("c/<slug:cohort_slug>/", include("planning.urls")),
    *planning_public,
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "copkit.views.permission_denied"
handler404 = "copkit.views.page_not_found"
handler500 = "copkit.views.server_error"
