"""URL patterns of this stage, gathered by planning/urls.py."""

from django.urls import path

from planning.evidence import views

# Under /c/<cohort_slug>/.
cohort_urls = [
    path("report/", views.cohort_report, name="report"),
    path("report/report.pdf", views.report_pdf, name="report-pdf"),
    path("report/data.xlsx", views.report_xlsx, name="report-xlsx"),
    path("report/<slug:kind>.csv", views.report_csv, name="report-csv"),
    path("report/compare/", views.compare, name="report-compare"),
]

# Under /c/<cohort_slug>/communities/<community_slug>/.
community_urls = [
    path("evidence/", views.community_evidence, name="evidence"),
]

public_urls = []
