"""Survey results: counts, percentages and bars per question, free text, filters, CSV.

Staff and observers see the aggregate page; written answers are listed for staff only (an
observer sees how many there are), and an observer sees no figure of fewer than five people
(`results.guard`). The CSV holds each person's answers: staff only."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from cohorts.access import cohort_view
from cohorts.services.activity import record
from copkit.privacy import MIN_GROUP, hide_small
from planning.surveys import results as aggregate


def _survey_and_filters(request, access, survey_id):
    survey = get_object_or_404(access.cohort.surveys, public_id=survey_id)
    form = aggregate.ResultsFilterForm(request.GET or None, survey=survey)
    return survey, form, form.filters()


@cohort_view("cohort.report")
def survey_results(request, access, survey_id):
    survey, form, filters = _survey_and_filters(request, access, survey_id)
    recipients = survey.recipients.count()
    results = aggregate.guard(
        aggregate.survey_results(survey, filters), filters, sees_people=access.is_staff
    )
    return render(
        request,
        "planning/surveys/results/results.html",
        {
            "survey": survey,
            "form": form,
            "filters": filters,
            "results": results,
            "recipients": recipients,
            "recipients_hidden": hide_small(recipients, sees_people=access.is_staff),
            "can_read_texts": access.is_staff,
            "min_group": MIN_GROUP,
            "query": request.GET.urlencode(),
        },
    )


@cohort_view("cohort.manage")
def survey_export(request, access, survey_id):
    survey, _form, filters = _survey_and_filters(request, access, survey_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{aggregate.export_filename(survey)}"'
    response.write("\ufeff")  # so that Excel reads the file as UTF-8
    count = aggregate.write_csv(survey, response, filters)
    record(access.cohort, request.user, "exported survey answers", survey, responses=count)
    return response
