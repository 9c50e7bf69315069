from django.http import HttpResponse

from copkit.access import cohort_view


@cohort_view("cohort.manage")
def participant_list(request, access):
    return HttpResponse("participant_list", status=501)


@cohort_view("cohort.manage")
def participant_edit(request, access, participant_id):
    return HttpResponse("participant_edit", status=501)
