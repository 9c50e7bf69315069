from django.contrib import admin
from django.urls import include, path

from cohorts.views import formation_answer, invitations
from copkit import views
from planning.urls import public_urlpatterns as planning_public

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("invite/<str:token>/", invitations.accept_invitation, name="accept-invitation"),
    path("f/<str:token>/", formation_answer.answer, name="formation-answer"),
    path("c/", include("cohorts.urls")),
    path("c/<slug:cohort_slug>/", include("planning.urls")),
    *planning_public,
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "copkit.views.permission_denied"
handler404 = "copkit.views.page_not_found"
handler500 = "copkit.views.server_error"
