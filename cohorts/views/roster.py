from django.http import HttpResponse

from copkit.access import cohort_view


@cohort_view("cohort.manage")
def roster_import(request, access):
    return HttpResponse("roster import: not built yet", status=501)
