"""Survey results: counts, percentages and bars per question, free text, filters, CSV.

STUB: scaffolding only; each view is replaced by its real implementation."""

from django.http import HttpResponse

from copkit.access import cohort_view


@cohort_view("cohort.report")
def survey_results(request, access, survey_id):
    return HttpResponse("stub: survey_results")


@cohort_view("cohort.manage")
def survey_export(request, access, survey_id):
    return HttpResponse("stub: survey_export")
