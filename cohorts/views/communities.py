from django.http import HttpResponse

from copkit.access import cohort_view


@cohort_view("cohort.view")
def community_list(request, access):
    return HttpResponse("community_list", status=501)


@cohort_view("community.manage")
def community_create(request, access):
    return HttpResponse("community_create", status=501)


@cohort_view("community.view")
def community_detail(request, access):
    return HttpResponse("community_detail", status=501)


@cohort_view("community.manage")
def community_edit(request, access):
    return HttpResponse("community_edit", status=501)


@cohort_view("community.manage")
def community_archive(request, access):
    return HttpResponse("community_archive", status=501)


@cohort_view("community.manage")
def membership_add(request, access):
    return HttpResponse("membership_add", status=501)


@cohort_view("community.manage")
def membership_edit(request, access, membership_id):
    return HttpResponse("membership_edit", status=501)
