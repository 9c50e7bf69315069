"""The evidence pages: a community's evidence (its staff and members), the cohort's report
(staff and observers) with its PDF, XLSX and CSV, and the compare page of the cohorts a
staff member runs."""

from django.http import Http404, HttpResponse
from django.shortcuts import render

from cohorts.access import cohort_view
from cohorts.models import Cohort, CohortRole
from copkit.privacy import MIN_GROUP
from planning.evidence import exports, figures, report
from planning.models import GoalStatus


def _context(viewer, **extra):
    return {
        "min_group": MIN_GROUP,
        "viewer": viewer,
        "statuses": GoalStatus.choices,
        "progress_labels": report.PROGRESS_LABELS,
        "success_labels": report.SUCCESS_LABELS,
        **extra,
    }


@cohort_view("community.members")
def community_evidence(request, access):
    viewer = report.viewer_of(access, community_page=True)
    evidence = report.community_evidence(access.community, viewer)
    return render(
        request,
        "planning/evidence/community.html",
        _context(
            viewer,
            community=access.community,
            evidence=evidence,
            charts=report.charts(evidence, "ev"),
        ),
    )


@cohort_view("cohort.report")
def cohort_report(request, access):
    viewer = report.viewer_of(access)
    rows, total = report.cohort_evidence(access.cohort, viewer)
    return render(
        request,
        "planning/evidence/report.html",
        _context(
            viewer,
            rows=rows,
            total=total,
            charts=report.charts(total, "all"),
            kinds=report.KINDS,
            is_staff=access.is_staff,
        ),
    )


def _download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@cohort_view("cohort.report")
def report_pdf(request, access):
    viewer = report.viewer_of(access)
    rows, total = report.cohort_evidence(access.cohort, viewer)
    content = exports.report_pdf(access.cohort, rows, total, viewer)
    return _download(content, "application/pdf", f"report-{access.cohort.slug}.pdf")


@cohort_view("cohort.report")
def report_xlsx(request, access):
    rows, total = report.cohort_evidence(access.cohort, report.viewer_of(access))
    return _download(
        exports.report_xlsx(rows, total),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"report-{access.cohort.slug}.xlsx",
    )


@cohort_view("cohort.report")
def report_csv(request, access, kind):
    if kind not in report.KINDS:
        raise Http404("No such table")
    rows, total = report.cohort_evidence(access.cohort, report.viewer_of(access))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="report-{access.cohort.slug}-{kind}.csv"'
    )
    exports.report_csv(kind, rows, total, response)
    return response


@cohort_view("cohort.manage")
def compare(request, access):
    cohorts = Cohort.objects.all()
    if not request.user.is_superuser:
        cohorts = cohorts.filter(roles__user=request.user, roles__role=CohortRole.Role.STAFF)
    return render(
        request,
        "planning/evidence/compare.html",
        _context(report.Viewer(True, False, False), headlines=figures.headlines(cohorts)),
    )
