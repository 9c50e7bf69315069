"""What the evidence page, the report page and the exports show, from the figures: who may
read what, the run charts of one Evidence, and the rows of the data exports."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from copkit.privacy import MIN_GROUP, hide_difference, hide_small
from planning.evidence import figures
from planning.evidence.charts import COLORS, RunChart, Series, value_of
from planning.evidence.figures import Figure
from planning.models import GoalStatus

PROGRESS_LABELS = {
    "on_track": gettext_lazy("On track"),
    "some_progress": gettext_lazy("Some progress"),
    "stalled": gettext_lazy("Stalled"),
}
SUCCESS_LABELS = {
    "funder": gettext_lazy("To the funder"),
    "members": gettext_lazy("To the member organizations"),
    "community": gettext_lazy("To the community served"),
}


@dataclass
class Viewer:
    sees_people: bool  # every figure, whatever the size of its group
    sees_words: bool  # the goals and what success means, from the plan
    sees_texts: bool  # the evaluation answers in words


def viewer_of(access, *, community_page=False):
    """Staff see everything; a community's members see every figure of their community and
    its plan's words, not the answers in words; observers see aggregates only."""
    if access.is_staff:
        return Viewer(True, True, True)
    if community_page:
        return Viewer(True, True, False)
    return Viewer(False, False, False)


def cohort_evidence(cohort, viewer):
    """(each active community's Evidence, the Evidence of them all).

    For a viewer who may not see the people, a community of fewer than five members shows
    "fewer than 5" for everything; if such communities together have fewer than five
    members, the totals leave them out too, or the totals minus the shown communities would
    give their figures (`copkit.privacy.hide_difference`)."""
    communities = list(cohort.communities.active().with_member_count().order_by("name"))
    counted = communities
    small = [c for c in communities if hide_small(c.member_count, sees_people=viewer.sees_people)]
    small_members = sum(c.member_count for c in small)
    everyone = sum(c.member_count for c in communities)
    if hide_difference(everyone - small_members, [everyone], sees_people=viewer.sees_people):
        counted = [c for c in communities if c not in small]
    data = figures.build(
        cohort,
        counted,
        sees_people=viewer.sees_people,
        sees_words=viewer.sees_words,
        sees_texts=viewer.sees_texts,
    )
    rows = [data.get(c.pk) or figures.Evidence(c, c.member_count, True) for c in communities]
    total = data[figures.TOTAL]
    total.leaves_out = len(communities) - len(counted)
    return rows, total


def community_evidence(community, viewer):
    data = figures.build(
        community.cohort,
        [community],
        sees_people=viewer.sees_people,
        sees_words=viewer.sees_words,
        sees_texts=viewer.sees_texts,
    )
    return data[community.pk]


def charts(evidence, prefix, *, svg=True):
    """The three run charts of `evidence` (attendance rate, active members, goal status):
    {key: (RunChart, its SVG)}, or {key: RunChart} with `svg` false (the PDF)."""
    labels = [row.month.short for row in evidence.months]
    rate = RunChart(
        labels,
        [Series(_("Attendance rate"), [value_of(r.rate) for r in evidence.months])],
        title=_("Attendance rate by month"),
        unit="%",
        top=100,
    )
    active = RunChart(
        labels,
        [Series(_("Active members"), [value_of(r.active) for r in evidence.months])],
        title=_("Active members by month"),
    )
    goals = RunChart(
        labels,
        [
            Series(
                str(label),
                [value_of(r.goals[status]) for r in evidence.months],
                COLORS[index % len(COLORS)],
            )
            for index, (status, label) in enumerate(GoalStatus.choices)
        ],
        title=_("Goals by status, month by month"),
    )
    made = {"rate": rate, "active": active, "goals": goals}
    if not svg:
        return made
    return {key: (chart, chart.svg(f"{prefix}-{key}")) for key, chart in made.items()}


def show(figure, suffix=""):
    """A figure as text for the exports: "fewer than 5", "—" or the number."""
    if figure.hidden:
        return _("fewer than %(n)s") % {"n": MIN_GROUP}
    if figure.value is None:
        return "—"
    return f"{figure.value}{suffix}"


def cell(figure):
    """A figure for a spreadsheet cell: the number itself, or the words."""
    if figure.hidden or figure.value is None:
        return show(figure)
    return figure.value


def name_of(evidence):
    return evidence.community.name if evidence.community else _("All communities")


# --- the data exports: one table per kind of data -------------------------------------------

KINDS = {
    "baseline": gettext_lazy("Baseline"),
    "participation": gettext_lazy("Participation by month"),
    "goals": gettext_lazy("Outcomes, goals"),
    "evaluations": gettext_lazy("Evaluations"),
}


def table(kind, rows, total):
    """(header, rows) of the export `kind` for the communities' Evidence `rows` and the
    whole set's `total`. A community hidden from the viewer (fewer than five members) gets
    one line saying so, after the others."""
    everyone = [e for e in [*rows, total] if not e.hidden]
    out_hidden = [[name_of(e), show(Figure(hidden=True))] for e in [*rows, total] if e.hidden]
    header, out = _table(kind, everyone)
    return header, out + out_hidden


def _table(kind, everyone):
    """(header, rows) of `kind` for the Evidence of `everyone`, each shown in full."""
    if kind == "baseline":
        header = [_("Community"), _("Kind"), _("Practice area or preference"), _("Count")]
        out = []
        for evidence in everyone:
            name = name_of(evidence)
            out.append([name, _("Needs survey responses"), "", cell(evidence.needs_responses)])
            for area, figure in evidence.needs:
                out.append([name, _("Need"), area or _("No practice area"), cell(figure)])
            for area, figure in evidence.expertise:
                out.append([name, _("Expertise"), area or _("No practice area"), cell(figure)])
            for choice, figure in evidence.learning:
                out.append([name, _("Likes to learn by"), choice, cell(figure)])
        return header, out
    if kind == "participation":
        header = [
            _("Community"),
            _("Month"),
            _("Meetings held"),
            _("Attendance rate (%)"),
            _("Active members"),
        ]
        out = [
            [
                name_of(e),
                row.month.start.isoformat()[:7],
                cell(row.meetings),
                cell(row.rate),
                cell(row.active),
            ]
            for e in everyone
            for row in e.months
        ]
        return header, out
    if kind == "goals":
        statuses = GoalStatus.choices
        header = [_("Community"), _("Month"), *[str(label) for _v, label in statuses]]
        out = [
            [
                name_of(e),
                row.month.start.isoformat()[:7],
                *[cell(row.goals[s]) for s, _l in statuses],
            ]
            for e in everyone
            for row in e.months
        ]
        out.append([])
        out.append(
            [
                _("Community"),
                _("Met by its date"),
                _("Missed its date"),
                _("Check-ins answered"),
                _("Activities done"),
                _("Contributions"),
            ]
        )
        out.extend(
            [
                name_of(e),
                cell(e.goals_met),
                cell(e.goals_missed),
                cell(e.checkins),
                cell(e.activities),
                cell(e.contributions),
            ]
            for e in everyone
        )
        return header, out
    header = [
        _("Community"),
        _("Evaluation"),
        _("Responses"),
        *[str(label) for label in PROGRESS_LABELS.values()],
        _("Average value (rating)"),
        _("Practice changes reported"),
    ]
    out = [
        [
            name_of(e),
            r.round.title,
            cell(r.responses),
            *[cell(r.progress[key]) for key in PROGRESS_LABELS],
            cell(r.value),
            cell(r.practice_changes),
        ]
        for e in everyone
        for r in e.rounds
    ]
    return header, out
