"""The roster import page: upload a file, see what it would do, confirm to save."""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cohorts.access import cohort_view
from cohorts.forms.roster import RosterConfirmForm, RosterUploadForm
from cohorts.services.roster import (
    RosterConflict,
    RosterHasErrors,
    import_roster,
    plan_import,
    sign_rows,
    write_skipped_rows,
)
from copkit import csvfile

TEMPLATE = "cohorts/roster_import.html"
IMPORTED_TEMPLATE = "cohorts/roster_imported.html"

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
    preview. POST with the signed payload: save, then go to the participant list; or, when
    rows with problems were skipped, show them with a download of those rows."""
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
            context.update(_preview(request, cohort, roster))
            context["form"] = RosterUploadForm()
    return render(request, TEMPLATE, context)


def _preview(request, cohort, roster):
    """The preview's context. The signed rows go into the form that imports every row (with
    no problem), or that imports the good rows and skips the others (shown when there are
    good rows), and into the one that downloads the rows with problems."""
    rows = roster.rows
    plan = plan_import(cohort, rows)
    context = {"roster": roster, "rows": rows, "plan": plan, "counts": plan.counts}
    context["good_count"] = plan.counts["rows"] - plan.errors
    context["confirm_form"] = RosterConfirmForm(
        initial={
            "payload": sign_rows(rows, cohort=cohort, user=request.user, header=roster.header),
            "skip_bad_rows": bool(plan.errors),
        },
        cohort=cohort,
        user=request.user,
        auto_id=False,  # its hidden fields appear in more than one form on the page
    )
    return context


def _confirm(request, access):
    cohort = access.cohort
    confirm = RosterConfirmForm(request.POST, cohort=cohort, user=request.user)
    context = {"access": access, "form": RosterUploadForm()}
    if not confirm.is_valid():
        context["confirm_errors"] = confirm.errors.get("payload", [])
        return render(request, TEMPLATE, context, status=400)
    roster = confirm.cleaned_data["payload"]
    skip = confirm.cleaned_data["skip_bad_rows"]
    if roster.has_errors and not skip:
        context.update(_preview(request, cohort, roster))
        return render(request, TEMPLATE, context)
    try:
        result = import_roster(cohort, roster.rows, request.user, skip_bad_rows=skip)
    except RosterHasErrors as exc:
        context.update(_preview(request, cohort, roster))
        context["confirm_errors"] = [str(exc)]
        return render(request, TEMPLATE, context)
    except RosterConflict:
        context.update(_preview(request, cohort, roster))
        context["confirm_errors"] = [
            _(
                "Someone else changed these participants while you were importing, so nothing "
                "was saved. Check the preview below and confirm again."
            )
        ]
        return render(request, TEMPLATE, context, status=409)
    if not result.skipped:
        messages.success(request, _summary(result))
        return redirect("cohorts:participant-list", cohort_slug=cohort.slug)
    skipped = roster.bad_rows
    context.update(
        summary=_summary(result),
        result=result,
        skipped=skipped,
        skipped_payload=sign_rows(skipped, cohort=cohort, user=request.user, header=roster.header),
    )
    return render(request, IMPORTED_TEMPLATE, context)


@cohort_view("cohort.manage")
def roster_skipped(request, access):
    """POST with a signed payload: the rows of it that have problems, as a CSV file with
    their cells as they were and a `problem` column, to fix and upload again."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    cohort = access.cohort
    form = RosterConfirmForm(request.POST, cohort=cohort, user=request.user)
    if not form.is_valid():
        for error in form.errors.get("payload", []):
            messages.error(request, error)
        return redirect("cohorts:roster-import", cohort_slug=cohort.slug)
    roster = form.cleaned_data["payload"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{cohort.slug}-skipped-rows.csv"'
    response.write("\ufeff")  # so Excel reads the file as UTF-8
    write_skipped_rows(response, roster.header, roster.bad_rows)
    return response


def _summary(result):
    parts = [
        ngettext("%(n)s new participant", "%(n)s new participants", result.created),
        _("%(n)s updated"),
        _("%(n)s unchanged"),
        ngettext("%(n)s new organization", "%(n)s new organizations", result.organizations_created),
    ]
    numbers = [result.created, result.updated, result.unchanged, result.organizations_created]
    text = ", ".join(part % {"n": n} for part, n in zip(parts, numbers, strict=True))
    if result.skipped:
        skipped = ngettext(
            "%(n)s row with a problem skipped", "%(n)s rows with problems skipped", result.skipped
        ) % {"n": result.skipped}
        return _("Roster imported: %(counts)s; %(skipped)s.") % {
            "counts": text,
            "skipped": skipped,
        }
    return _("Roster imported: %(counts)s.") % {"counts": text}


def _sample_csv():
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="roster-sample.csv"'
    response.write("\ufeff")  # so Excel reads the file as UTF-8
    csvfile.writer(response).writerows(SAMPLE_ROWS)
    return response
