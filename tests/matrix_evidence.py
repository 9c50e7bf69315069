"""Permission matrix rows of the evidence pages (merged by tests/test_permissions.py).

A community's evidence page is for its members and staff (observers read the cohort report,
where every figure is an aggregate); the cohort report and its PDF, XLSX and CSV are for
staff and observers, never leaders or participants as such; the compare page of several
cohorts is staff work."""

from django.urls import reverse

from tests.matrix_common import MEMBERS, REPORT, STAFF_ONLY

MATRIX = {
    "planning:evidence": ("get", MEMBERS),
    "planning:report": ("get", REPORT),
    "planning:report-pdf": ("get", REPORT),
    "planning:report-xlsx": ("get", REPORT),
    "planning:report-csv": ("get", REPORT),
    "planning:report-compare": ("get", STAFF_ONLY),
}

PINNED = {
    "planning:evidence": "test_evidence_pages.py::test_query_count_is_flat",
    "planning:report": "test_evidence_pages.py::test_query_count_is_flat",
    "planning:report-pdf": "test_evidence_pages.py::test_query_count_is_flat",
    "planning:report-xlsx": "test_evidence_pages.py::test_query_count_is_flat",
    "planning:report-csv": "test_evidence_pages.py::test_query_count_is_flat",
    "planning:report-compare": "test_evidence_pages.py::test_compare_query_count_is_flat",
}


def url_for(name, world):
    cohort = world.cohort.slug
    if name == "planning:evidence":
        return reverse(name, args=[cohort, world.community.slug])
    if name == "planning:report-csv":
        return reverse(name, args=[cohort, "baseline"])
    return reverse(name, args=[cohort])
