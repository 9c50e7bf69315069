"""Staff build surveys from question types or a ready template, send them to chosen participants
with personal links, and remind those who have not answered.

STUB: scaffolding only; each view is replaced by its real implementation."""

from django.http import HttpResponse
from django.views.decorators.http import require_POST

from copkit.access import cohort_view


@cohort_view("cohort.manage")
def survey_list(request, access):
    return HttpResponse("stub: survey_list")


@cohort_view("cohort.manage")
def survey_create(request, access):
    return HttpResponse("stub: survey_create")


@cohort_view("cohort.manage")
def survey_detail(request, access, survey_id):
    return HttpResponse("stub: survey_detail")


@cohort_view("cohort.manage")
def survey_edit(request, access, survey_id):
    return HttpResponse("stub: survey_edit")


@require_POST
@cohort_view("cohort.manage")
def survey_copy(request, access, survey_id):
    return HttpResponse("stub: survey_copy")


@require_POST
@cohort_view("cohort.manage")
def survey_status(request, access, survey_id):
    return HttpResponse("stub: survey_status")


@require_POST
@cohort_view("cohort.manage")
def survey_delete(request, access, survey_id):
    return HttpResponse("stub: survey_delete")


@cohort_view("cohort.manage")
def question_add(request, access, survey_id):
    return HttpResponse("stub: question_add")


@cohort_view("cohort.manage")
def question_edit(request, access, survey_id, question_id):
    return HttpResponse("stub: question_edit")


@require_POST
@cohort_view("cohort.manage")
def question_delete(request, access, survey_id, question_id):
    return HttpResponse("stub: question_delete")


@require_POST
@cohort_view("cohort.manage")
def question_move(request, access, survey_id, question_id):
    return HttpResponse("stub: question_move")


@cohort_view("cohort.manage")
def survey_recipients(request, access, survey_id):
    return HttpResponse("stub: survey_recipients")


@require_POST
@cohort_view("cohort.manage")
def survey_send(request, access, survey_id):
    return HttpResponse("stub: survey_send")


@require_POST
@cohort_view("cohort.manage")
def survey_remind(request, access, survey_id):
    return HttpResponse("stub: survey_remind")
