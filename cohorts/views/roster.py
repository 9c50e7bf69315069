"""The roster import page: upload a file, see what it would do, confirm to save."""

import csv

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cohorts.access import cohort_view
from cohorts.forms.roster import RosterConfirmForm, RosterUploadForm
from cohorts.services.roster import (
    RosterConflict,
    import_roster,
    plan_import,
    sign_rows,
)

TEMPLATE = "cohorts/roster_import.html"

SAMPLE_ROWS = [
    [
        "Name",
        "Email",
        "Organization",
        "ZIP code",
        "Role",
        "Expertise",
        "Format preference",
        "Organization type",
    ],
    [
        "Ana Ruiz",
        "ana.ruiz@example.org",
        "Riverbend Food Pantry",
        "22301",
        "Program director",
        "volunteer recruitment, grant writing",
        "In person",
        "Food bank",
    ],
    [
        "Marcus Lee",
        "marcus@example.org",
        "Eastside Youth League",
        "02134",
        "Board chair",
        "board development",
        "Virtual",
        "Youth services",
    ],
]


@cohort_view("cohort.manage")
def roster_import(request, access):
    """GET: the upload form (or ?download=sample, a sample file). POST with a file: the
    preview. POST with the signed payload: save, then go to the participant list."""
    cohort = access.cohort
    if request.method == "GET" and request.GET.get("download") == "sample":
        return _sample_csv()
    if request.method == "POST" and "payload" in request.POST:
        return _confirm(request, access)

    form = RosterUploadForm()
    context = {"access": access, "form": form}
    if request.method == "POST":
        form = context["form"] = RosterUploadForm(request.POST, request.FILES)
        if form.is_valid():
            roster = form.cleaned_data["file"]
            context.update(_preview(request, cohort, roster.rows))
            context["roster"] = roster
            context["form"] = RosterUploadForm()
    return render(request, TEMPLATE, context)


def _preview(request, cohort, rows):
    plan = plan_import(cohort, rows)
    context = {"rows": rows, "plan": plan, "counts": plan.counts}
    if not plan.errors:
        context["confirm_form"] = RosterConfirmForm(
            initial={"payload": sign_rows(rows, cohort=cohort, user=request.user)},
            cohort=cohort,
            user=request.user,
        )
    return context


def _confirm(request, access):
    cohort = access.cohort
    confirm = RosterConfirmForm(request.POST, cohort=cohort, user=request.user)
    context = {"access": access, "form": RosterUploadForm()}
    if not confirm.is_valid():
        context["confirm_errors"] = confirm.errors.get("payload", [])
        return render(request, TEMPLATE, context, status=400)
    rows = confirm.cleaned_data["payload"]
    if any(row.errors for row in rows):
        context.update(_preview(request, cohort, rows))
        return render(request, TEMPLATE, context)
    try:
        result = import_roster(cohort, rows, request.user)
    except RosterConflict:
        context.update(_preview(request, cohort, rows))
        context["confirm_errors"] = [
            _(
                "Someone else changed these participants while you were importing, so nothing "
                "was saved. Check the preview below and confirm again."
            )
        ]
        return render(request, TEMPLATE, context, status=409)
    messages.success(request, _summary(result))
    return redirect("cohorts:participant-list", cohort_slug=cohort.slug)


def _summary(result):
    parts = [
        ngettext("%(n)s new participant", "%(n)s new participants", result.created),
        _("%(n)s updated"),
        _("%(n)s unchanged"),
        ngettext("%(n)s new organization", "%(n)s new organizations", result.organizations_created),
    ]
    numbers = [result.created, result.updated, result.unchanged, result.organizations_created]
    text = ", ".join(part % {"n": n} for part, n in zip(parts, numbers, strict=True))
    return _("Roster imported: %(counts)s.") % {"counts": text}


def _sample_csv():
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="roster-sample.csv"'
    response.write("\ufeff")  # so Excel reads the file as UTF-8
    csv.writer(response).writerows(SAMPLE_ROWS)
    return response
