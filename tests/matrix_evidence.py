"""Permission matrix rows of the evidence pages (merged by tests/test_permissions.py).

A community's evidence page is for its members and staff (observers read the cohort report,
where every figure is an aggregate); the cohort report and its PDF, XLSX and CSV are for
staff and observers, never leaders or participants as such; the compare page of several
cohorts is staff work."""

from django.urls import reverse

LOGIN = "login"
EVERYONE = {
    "anonymous": LOGIN,
    "staff": 200,
    "observer": 200,
    "leader": 200,
    "participant": 200,
    "outsider": 404,
}
MEMBERS = {**EVERYONE, "observer": 403}
REPORT = {**EVERYONE, "leader": 403, "participant": 403}
STAFF_ONLY = {**REPORT, "observer": 403}

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
