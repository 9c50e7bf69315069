"""The action plan as a PDF, drawn with fpdf2 from the same `PrintablePlan` as the print page.

The PDF's own core fonts know Latin-1 only; members' answers have curly quotes, dashes and
accents, so the text is set in DejaVu Sans, bundled in planning/plans/fonts/ (licence beside it).
"""

import logging
from pathlib import Path

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"
INK = (33, 37, 41)
MUTED = (87, 96, 106)
BRAND = (31, 78, 121)
LINE = 5.2  # line height in mm of body text

# fpdf2 subsets the fonts with fontTools, which logs every step at INFO.
logging.getLogger("fontTools").setLevel(logging.WARNING)


class PlanPDF(FPDF):
    def __init__(self, title):
        super().__init__(format="A4")
        self.doc_title = title
        self.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_title(title)
        self.set_creator("copkit")
        self.alias_nb_pages()

    def footer(self):
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*MUTED)
        self.cell(
            0,
            5,
            _("%(title)s · page %(page)s of %(pages)s")
            % {"title": self.doc_title, "page": self.page_no(), "pages": "{nb}"},
            align="C",
        )

    # -- building blocks --

    def heading(self, text, size=13):
        if self.will_page_break(LINE * 4):  # keep a heading with the text after it
            self.add_page()
        self.ln(2)
        self.set_font(FAMILY, "B", size)
        self.set_text_color(*BRAND)
        self.multi_cell(0, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)
        self.ln(1)

    def paragraph(self, text, size=10, color=INK, bold=False):
        self.set_font(FAMILY, "B" if bold else "", size)
        self.set_text_color(*color)
        self.multi_cell(0, LINE, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)

    def labelled(self, label, text, size=10):
        """ "Label: text" as one flowing paragraph, the label in bold."""
        self.set_text_color(*INK)
        self.set_font(FAMILY, "B", size)
        self.write(LINE, f"{label}: ")
        self.set_font(FAMILY, "", size)
        self.write(LINE, text)
        self.ln(LINE)

    def grid(self, headers, rows, widths=None):
        self.set_font(FAMILY, "", 9)
        heading_style = FontFace(emphasis="BOLD", fill_color=(233, 236, 239))
        with self.table(
            col_widths=widths,
            headings_style=heading_style,
            line_height=LINE,
            text_align="LEFT",
            padding=1.2,
        ) as table:
            table.row(headers)
            for cells in rows:
                table.row([str(cell) for cell in cells])
        self.ln(1)


def plan_pdf(doc, *, compress=True):
    """The bytes of the PDF of `doc` (a planning.plans.services.overview.PrintablePlan).
    `compress=False` leaves the page streams readable (for tests)."""
    if doc.kind.is_sunset:
        title = _("Sunset plan of %(name)s") % {"name": doc.community.name}
    else:
        title = _("Action plan of %(name)s") % {"name": doc.community.name}
    pdf = PlanPDF(title)
    pdf.set_compression(compress)
    pdf.add_page()

    pdf.set_font(FAMILY, "B", 18)
    pdf.set_text_color(*BRAND)
    pdf.multi_cell(0, 9, title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.paragraph(doc.cohort.name, size=10, color=MUTED)
    status = doc.status_label
    if doc.version is not None:
        status = _("%(status)s · version %(number)s") % {
            "status": status,
            "number": doc.version.number,
        }
    pdf.paragraph(
        _("%(status)s · %(done)s of %(total)s parts done · printed %(date)s")
        % {
            "status": status,
            "done": doc.done,
            "total": len(doc.parts),
            "date": date_format(timezone.localtime(doc.printed_at), "DATE_FORMAT"),
        },
        size=9,
        color=MUTED,
    )

    pdf.heading(_("Members"), size=12)
    if doc.members:
        pdf.grid(
            [_("Name"), _("Organization"), _("Role")],
            [list(member) for member in doc.members],
            widths=(2, 2, 1),
        )
    else:
        pdf.paragraph(_("No members yet."), color=MUTED)

    if doc.top_needs:
        pdf.heading(_("Top three needs"), size=12)
        for rank, need in enumerate(doc.top_needs, start=1):
            pdf.paragraph(f"{rank}. {need}")

    for part in doc.parts:
        pdf.heading(f"{part.number}. {part.title}")
        pdf.paragraph(part.prompt, size=9, color=MUTED)
        pdf.ln(1)
        if part.empty:
            pdf.paragraph(_("Not answered yet."), color=MUTED)
            continue
        for block in part.blocks:
            if block.is_table:
                if block.rows:
                    pdf.grid(block.headers, block.rows)
                continue
            if not block.lines:
                continue
            if block.label and len(block.lines) == 1:
                pdf.labelled(block.label, block.lines[0])
                continue
            if block.label:
                pdf.paragraph(block.label, size=9, bold=True)
            pdf.paragraph("\n".join(block.lines))
            pdf.ln(1)
    return bytes(pdf.output())
