"""What an archive holds, as a list of sections. Each section writes its files for one
community (or, for the cohort-wide ones, once for the whole cohort) into the ZIP and says
what it wrote, for the MANIFEST.

A later part adds a section by writing a function `(ctx, out) -> None` and appending a
`Section` to COMMUNITY_SECTIONS or COHORT_SECTIONS (the alumni directory does so)."""

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder

from copkit import csvfile
from planning.knowledge.models import KnowledgeItem
from planning.meetings import ical
from planning.meetings.models import Attendance, Meeting
from planning.plans.models import ActionPlan
from planning.plans.pdf import plan_pdf
from planning.plans.services import overview
from planning.surveys.models import Survey
from planning.surveys.results import guard, survey_results, write_csv
from planning.workspace.models import Thread, WorkspaceFile


@dataclass
class Context:
    """What a section needs: the archive, the community written (None for cohort sections),
    and the folder its files go in."""

    archive: object
    community: object | None
    folder: str

    @property
    def for_staff(self):
        return self.archive.audience == self.archive.Audience.STAFF


@dataclass
class Out:
    """The ZIP being written, with the manifest lines of every file put in it."""

    zipfile: object
    manifest: list = field(default_factory=list)

    def write(self, path, data, description):
        if isinstance(data, str):
            data = data.encode("utf-8")
        self.zipfile.writestr(path, data)
        self.manifest.append((path, len(data), description))

    def json(self, path, value, description):
        text = json.dumps(value, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        self.write(path, text + "\n", description)

    def csv(self, path, header, rows, description):
        stream = io.StringIO()
        writer = csvfile.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
        self.write(path, stream.getvalue(), description)


@dataclass(frozen=True)
class Section:
    name: str
    write: Callable


def _name(user):
    return (user.name or user.email) if user is not None else ""


# -- plans: every plan of the community (the action plan, and the sunset plan where one is) -----


def plan_json(plan):
    """A plan as it is archived: its status, its kind where plans have kinds, and every part's
    saved answer under its key."""
    return {
        "kind": getattr(plan, "kind", "action"),
        "status": plan.status,
        "submitted_at": plan.submitted_at,
        "reviewed_at": plan.reviewed_at,
        "parts": {part.key: part.data for part in plan.parts.all()},
    }


def write_plans(ctx, out):
    plans = ActionPlan.objects.filter(community=ctx.community).prefetch_related("parts")
    for plan in plans:
        kind = getattr(plan, "kind", "action")
        base = f"{ctx.folder}plans/{kind}-plan"
        out.json(f"{base}.json", plan_json(plan), f"The {kind} plan's parts, as data")
        doc = overview.printable(plan, ctx.community)
        out.write(f"{base}.pdf", plan_pdf(doc), f"The {kind} plan, ready to print")


# -- meetings and attendance ------------------------------------------------------------------


def write_meetings(ctx, out):
    meetings = list(
        Meeting.objects.filter(community=ctx.community)
        .select_related("community__cohort", "community__meeting_settings")
        .order_by("starts_at")
    )
    name = f"{ctx.community.name} meetings"
    out.write(
        f"{ctx.folder}meetings/meetings.ics",
        ical.calendar(meetings, name),
        "Every meeting, for a calendar app",
    )
    out.csv(
        f"{ctx.folder}meetings/meetings.csv",
        ["starts_at", "minutes", "title", "format", "place", "agenda", "notes", "cancelled"],
        [
            [
                m.starts_at.isoformat(),
                m.duration_minutes,
                m.title,
                m.get_mode_display(),
                m.location,
                m.agenda,
                m.notes,
                "yes" if m.cancelled_at else "",
            ]
            for m in meetings
        ],
        "Every meeting with its agenda and notes",
    )
    rows = (
        Attendance.objects.filter(meeting__community=ctx.community)
        .select_related("meeting", "participant")
        .order_by("meeting__starts_at", "participant__name")
    )
    out.csv(
        f"{ctx.folder}meetings/attendance.csv",
        ["meeting", "starts_at", "person", "status"],
        [
            [a.meeting.title, a.meeting.starts_at.isoformat(), a.participant.name, a.status]
            for a in rows
        ],
        "Who came to each meeting",
    )


# -- knowledge items with their files -----------------------------------------------------------


def _file_path(folder, row):
    return f"{folder}{row.public_id.hex[:8]}-{row.name}"


def write_knowledge(ctx, out):
    items = list(
        # Shared items only: a draft is its author's until they share it (it is in their own
        # data download).
        KnowledgeItem.objects.filter(community=ctx.community, state=KnowledgeItem.State.SHARED)
        .select_related("author")
        .order_by("created_at")
    )
    item_type = ContentType.objects.get_for_model(KnowledgeItem)
    files = {}
    for row in WorkspaceFile.objects.filter(
        content_type=item_type, object_id__in=[i.pk for i in items]
    ):
        files.setdefault(row.object_id, []).append(row)
    listing = []
    for item in items:
        folder = f"{ctx.folder}knowledge/{item.public_id.hex[:8]}/"
        attached = []
        for row in files.get(item.pk, []):
            path = _file_path(folder, row)
            with row.stored.open("rb") as handle:
                out.write(path, handle.read(), f"A file attached to “{item.title}”")
            attached.append(path)
        listing.append(
            {
                "title": item.title,
                "kind": item.kind,
                "state": item.state,
                "scope": item.scope,
                "author": item.author.name if item.author_id else "",
                "fields": item.fields,
                "created_at": item.created_at,
                "files": attached,
            }
        )
    out.json(f"{ctx.folder}knowledge/items.json", listing, "The knowledge items, as data")


# -- the workspace: discussions and shared files -------------------------------------------------


def write_discussions(ctx, out):
    threads = (
        Thread.objects.filter(community=ctx.community, hidden_at__isnull=True)
        .select_related("author")
        .prefetch_related("replies__author")
        .order_by("created_at")
    )
    listing, lines = [], []
    for thread in threads:
        replies = [r for r in thread.replies.all() if r.hidden_at is None]
        listing.append(
            {
                "title": thread.title,
                "author": _name(thread.author),
                "posted_at": thread.created_at,
                "body": thread.body,
                "replies": [
                    {"author": _name(r.author), "posted_at": r.created_at, "body": r.body}
                    for r in replies
                ],
            }
        )
        lines += [f"# {thread.title}", f"{_name(thread.author)}, {thread.created_at:%Y-%m-%d}"]
        lines += ["", thread.body, ""]
        for reply in replies:
            lines += [f"  > {_name(reply.author)}, {reply.created_at:%Y-%m-%d}"]
            lines += [f"  {line}" for line in reply.body.splitlines()] + [""]
        lines.append("")
    out.json(f"{ctx.folder}discussions/threads.json", listing, "The workspace's discussions")
    out.write(
        f"{ctx.folder}discussions/threads.txt",
        "\n".join(lines) + "\n",
        "The same discussions, to read",
    )
    shared = WorkspaceFile.objects.filter(community=ctx.community, content_type__isnull=True)
    for row in shared:
        with row.stored.open("rb") as handle:
            out.write(
                _file_path(f"{ctx.folder}files/", row), handle.read(), f"Shared file “{row.title}”"
            )


# -- survey results --------------------------------------------------------------------------


def results_json(survey, results):
    return {
        "title": survey.title,
        "kind": survey.kind,
        "status": survey.status,
        "responses": results.responses,
        "hidden": results.hidden,
        "questions": [
            {
                "question": t.question.text,
                "answered": t.answered,
                "average": t.average,
                "rows": [
                    {"label": r.label, "count": r.count, "percent": r.percent} for r in t.rows
                ],
                "written_answers": t.written,
            }
            for t in results.tallies
        ],
    }


def _write_surveys(ctx, out, surveys):
    for survey in surveys:
        base = f"{ctx.folder}surveys/{survey.public_id.hex[:8]}"
        # Leaders see the people of their own community anyway (copkit.privacy), so every
        # figure is there; no one's written words, only how many wrote.
        results = guard(survey_results(survey), sees_people=True)
        out.json(f"{base}-results.json", results_json(survey, results), "Results in figures")
        if ctx.for_staff:
            stream = io.StringIO()
            write_csv(survey, stream)
            out.write(f"{base}-responses.csv", stream.getvalue(), "Every response (staff only)")


def write_community_surveys(ctx, out):
    _write_surveys(ctx, out, Survey.objects.filter(community=ctx.community).order_by("created_at"))


def write_cohort_surveys(ctx, out):
    surveys = Survey.objects.filter(cohort=ctx.archive.cohort, community__isnull=True)
    _write_surveys(ctx, out, surveys.order_by("created_at"))


COMMUNITY_SECTIONS = [
    Section("plans", write_plans),
    Section("meetings", write_meetings),
    Section("knowledge", write_knowledge),
    Section("discussions", write_discussions),
    Section("surveys", write_community_surveys),
]


def write_directory(ctx, out):
    """The alumni directory: only the people who opted in, and only what each chose to share
    (an entry exists only while its person is listed)."""
    from planning.sunset.alumni.models import DirectoryEntry

    entries = DirectoryEntry.objects.filter(space__cohort=ctx.archive.cohort).order_by("name")
    rows = [
        [
            entry.name,
            entry.email if entry.show_email else "",
            entry.phone if entry.show_phone else "",
            entry.organization if entry.show_organization else "",
            entry.expertise if entry.show_expertise else "",
            entry.link if entry.show_link else "",
        ]
        for entry in entries
    ]
    if rows:
        out.csv(
            f"{ctx.folder}alumni-directory.csv",
            ["name", "email", "phone", "organization", "expertise", "profile link"],
            rows,
            "The alumni directory: who chose to be listed, with what they chose to share",
        )


# Written once per cohort archive.
COHORT_SECTIONS = [
    Section("surveys", write_cohort_surveys),
    Section("directory", write_directory),
]
