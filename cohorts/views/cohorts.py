from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from copkit.access import cohort_view


@login_required
def cohort_create(request):
    return HttpResponse("cohort_create", status=501)


@cohort_view("cohort.report")
def dashboard(request, access):
    return HttpResponse("dashboard", status=501)


@cohort_view("cohort.manage")
def cohort_edit(request, access):
    return HttpResponse("cohort_edit", status=501)


@cohort_view("cohort.manage")
def team(request, access):
    return HttpResponse("team", status=501)


@cohort_view("cohort.manage")
def team_remove(request, access, role_id):
    return HttpResponse("team_remove", status=501)


@cohort_view("cohort.manage")
def topic_list(request, access):
    return HttpResponse("topic_list", status=501)


@cohort_view("cohort.manage")
def organization_list(request, access):
    return HttpResponse("organization_list", status=501)


@cohort_view("cohort.profile")
def my_profile(request, access):
    return HttpResponse("my_profile", status=501)
