"""The cohort report as files: a PDF a funder can read on its own (cover, summary figures,
each community on a page of its own, its run charts), and the data behind it as an XLSX
workbook (one sheet per kind of data) or one CSV per kind (`report.KINDS`).

Every file is built from the same figures as the page, for the same viewer: an observer's
files hold aggregates only, and "fewer than 5" where the page says so. Text cells of the CSV
and of the workbook go through `copkit.csvfile.safe_cell`, so that a community or practice
area named "=..." is text, not a formula."""

import io

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from copkit import csvfile
from planning.evidence import report
from planning.evidence.charts import GRID, LEFT, MUTED, RIGHT
from planning.models import GoalStatus
from planning.plans.pdf import BRAND, FAMILY, PlanPDF

PDF_MUTED = (87, 96, 106)


def _rgb(color):
    color = color.lstrip("#")
    return tuple(int(color[i : i + 2], 16) for i in (0, 2, 4))


def _draw_chart(pdf, chart, *, width_mm=170, height_mm=55):
    """`chart` (a RunChart) drawn with fpdf2's lines, scaled into the width of the page."""
    if pdf.will_page_break(height_mm + 8):
        pdf.add_page()
    pdf.set_font(FAMILY, "B", 9)
    pdf.cell(0, 5, chart.title, new_x="LMARGIN", new_y="NEXT")
    x0, y0 = pdf.get_x(), pdf.get_y()
    sx, sy = width_mm / chart.width, height_mm / chart.plot_height
    pdf.set_line_width(0.2)
    pdf.set_draw_color(*_rgb(GRID))
    pdf.set_font(FAMILY, "", 6)
    pdf.set_text_color(*_rgb(MUTED))
    for value, y in chart.gridlines():
        pdf.line(x0 + LEFT * sx, y0 + y * sy, x0 + (chart.width - RIGHT) * sx, y0 + y * sy)
        pdf.text(x0, y0 + y * sy + 1, f"{value:g}{chart.unit}")
    for index, label in chart.axis_labels():
        pdf.text(x0 + chart.x(index) * sx - 4, y0 + height_mm - 1, label)
    if chart.median is not None:
        pdf.set_dash_pattern(dash=1, gap=1)
        y = y0 + chart.y(chart.median) * sy
        pdf.line(x0 + LEFT * sx, y, x0 + (chart.width - RIGHT) * sx, y)
        pdf.set_dash_pattern()
    pdf.set_line_width(0.5)
    legend = []
    for series in chart.series:
        pdf.set_draw_color(*_rgb(series.color))
        pdf.set_fill_color(*_rgb(series.color))
        for run in chart.segments(series):
            points = [(x0 + x * sx, y0 + y * sy) for x, y, _l, _v in run]
            if len(points) > 1:
                pdf.polyline(points)
            for x, y in points:
                pdf.circle(x, y, 0.8, style="F")
        legend.append(series)
    pdf.set_text_color(33, 37, 41)
    pdf.set_y(y0 + height_mm + 1)
    if len(legend) > 1:
        pdf.set_font(FAMILY, "", 7)
        for series in legend:
            pdf.set_text_color(*_rgb(series.color))
            pdf.write(4, f"■ {series.name}   ")
        pdf.set_text_color(33, 37, 41)
        pdf.ln(5)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    pdf.ln(2)


def _short(text, limit=34):
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cells(pdf, header, lines, *, first=1.0):
    """A plain grid of one-line cells (the first column `first` times as wide)."""
    unit = (pdf.w - pdf.l_margin - pdf.r_margin) / (len(header) - 1 + first)
    widths = [unit * first] + [unit] * (len(header) - 1)
    pdf.set_font(FAMILY, "B", 8)
    pdf.set_fill_color(233, 236, 239)
    for width, text in zip(widths, header, strict=True):
        pdf.cell(width, 5, _short(text, int(width / 1.7)), border=1, fill=True)
    pdf.ln(5)
    pdf.set_font(FAMILY, "", 8)
    for line in lines:
        for width, text in zip(widths, line, strict=True):
            pdf.cell(width, 5, str(text), border=1)
        pdf.ln(5)
    pdf.ln(2)


def _summary(pdf, evidence):
    """Baseline, participation and outcomes in three columns of short lines (plain cells:
    a wrapping table would cost a page of layout per community)."""
    show = report.show
    last = evidence.last_month
    top_need = (evidence.needs[0][0] or "—") if evidence.needs else "—"
    top_expertise = (evidence.expertise[0][0] or "—") if evidence.expertise else "—"
    columns = [
        (
            _("Baseline"),
            [
                _("Members: %(n)s") % {"n": evidence.members},
                _("Needs survey responses: %(n)s") % {"n": show(evidence.needs_responses)},
                _short(_("Top need: %(area)s") % {"area": top_need}),
                _short(_("Top expertise: %(area)s") % {"area": top_expertise}),
            ],
        ),
        (
            _("Participation"),
            [
                _("Meetings held: %(n)s") % {"n": show(evidence.meetings)},
                _("Attendance rate: %(n)s") % {"n": show(evidence.rate, "%")},
                _("Active last month: %(n)s") % {"n": show(last.active) if last else "—"},
                _("Check-ins answered: %(n)s") % {"n": show(evidence.checkins)},
                _("Activities done: %(n)s") % {"n": show(evidence.activities)},
            ],
        ),
        (
            _("Outcomes"),
            [
                _("Goals on track: %(n)s") % {"n": show(evidence.goal_counts[GoalStatus.ON_TRACK])},
                _("Goals met: %(n)s") % {"n": show(evidence.goals_met)},
                _("Goals missed: %(n)s") % {"n": show(evidence.goals_missed)},
                _("Evaluations with answers: %(n)s") % {"n": len(evidence.rounds)},
            ],
        ),
    ]
    width = (pdf.w - pdf.l_margin - pdf.r_margin) / len(columns)
    pdf.set_font(FAMILY, "B", 10)
    pdf.set_text_color(*BRAND)
    for title, _lines in columns:
        pdf.cell(width, 6, title)
    pdf.ln(6)
    pdf.set_font(FAMILY, "", 8)
    pdf.set_text_color(33, 37, 41)
    for index in range(max(len(lines) for _t, lines in columns)):
        for _title, lines in columns:
            pdf.cell(width, 4.6, lines[index] if index < len(lines) else "")
        pdf.ln(4.6)
    pdf.ln(3)


def _evidence_pages(pdf, evidence, viewer):
    for chart in report.charts(evidence, "pdf", svg=False).values():
        _draw_chart(pdf, chart)
    if evidence.rounds:
        pdf.heading(_("Evaluation results"), size=11)
        header = [
            _("Evaluation"),
            _("Responses"),
            *[str(v) for v in report.PROGRESS_LABELS.values()],
            _("Value"),
        ]
        lines = [
            [
                _short(r.round.title, 30),
                report.show(r.responses),
                *[report.show(r.progress[k]) for k in report.PROGRESS_LABELS],
                report.show(r.value),
            ]
            for r in evidence.rounds
        ]
        _cells(pdf, header, lines, first=2.2)
    if viewer.sees_words and evidence.success:
        pdf.heading(_("What success means"), size=11)
        for key, label in report.SUCCESS_LABELS.items():
            if evidence.success.get(key):
                pdf.labelled(str(label), evidence.success[key])


def report_pdf(cohort, rows, total, viewer, *, compress=True):
    title = _("%(cohort)s: evidence report") % {"cohort": cohort.name}
    pdf = PlanPDF(title)
    pdf.set_compression(compress)
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 22)
    pdf.set_text_color(*BRAND)
    pdf.ln(4)
    pdf.multi_cell(0, 11, title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.paragraph(
        _("%(n)s communities · printed %(date)s")
        % {"n": len(rows), "date": date_format(timezone.localdate(), "DATE_FORMAT")},
        size=11,
        color=PDF_MUTED,
    )
    pdf.ln(4)
    pdf.paragraph(
        _(
            "Baseline: what the members needed and knew when they started. Participation: how "
            "they took part, month by month. Outcomes: how the communities' goals moved, and "
            "what the evaluations found."
        )
    )
    if not viewer.sees_people:
        pdf.paragraph(
            _("Figures are totals only. A figure counted from fewer than 5 people is not shown."),
            size=9,
            color=PDF_MUTED,
        )
    pdf.ln(4)
    pdf.heading(_("All communities"), size=15)
    if total.leaves_out:
        pdf.paragraph(
            _(
                "These totals leave out %(n)s communities with fewer than 5 members between "
                "them, so that their figures cannot be worked out from them."
            )
            % {"n": total.leaves_out},
            size=9,
            color=PDF_MUTED,
        )
    _summary(pdf, total)
    _evidence_pages(pdf, total, viewer)
    hidden = [evidence.community.name for evidence in rows if evidence.hidden]
    for evidence in rows:
        if evidence.hidden:
            continue
        pdf.add_page()
        pdf.heading(evidence.community.name, size=15)
        _summary(pdf, evidence)
        _evidence_pages(pdf, evidence, viewer)
    if hidden:  # one line for them all, not a page each
        pdf.ln(4)
        pdf.heading(_("Communities not shown one by one"), size=13)
        pdf.paragraph(
            _("Fewer than 5 members each, so their figures are not shown: %(names)s.")
            % {"names": ", ".join(hidden)},
            color=PDF_MUTED,
        )
    return bytes(pdf.output())


def report_xlsx(rows, total):
    book = Workbook()
    book.remove(book.active)
    for kind, label in report.KINDS.items():
        sheet = book.create_sheet(str(label)[:31])
        header, lines = report.table(kind, rows, total)
        sheet.append([csvfile.safe_cell(h) for h in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for line in lines:
            sheet.append([csvfile.safe_cell(value) for value in line])
        for column, _h in enumerate(header, start=1):
            sheet.column_dimensions[sheet.cell(1, column).column_letter].width = 22
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_csv(kind, rows, total, stream):
    header, lines = report.table(kind, rows, total)
    writer = csvfile.writer(stream)
    writer.writerow(header)
    writer.writerows(lines)
