"""What staff read of action plans: the list of every community's plan with where it stands,
and the plan as one printable document (the print page and the PDF).

Submitting and reviewing are in `planning.plans.services.review`; editing the parts in
`planning.plans.services.plans`; the parts themselves in `planning.plans.parts`.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Max, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from planning.models import ActionPlan
from planning.plans.kinds import ACTION, get_kind, kind_of
from planning.plans.parts import GROUP, PER_MEMBER, Part, as_text, is_complete
from planning.plans.services import plans as plan_services
from planning.plans.services.review import part_answers

Status = ActionPlan.Status


# -- reading: the staff list of plans -------------------------------------------------------


@dataclass
class PlanRow:
    community: object
    plan: object
    state: str  # "none", "draft", "submitted", "returned", "approved"
    done: int = 0
    total: int = len(ACTION.parts)
    last_version: int = 0
    leaders: list = field(default_factory=list)

    @property
    def waiting_since(self):
        return self.plan.submitted_at if self.state == "submitted" else None


STATE_ORDER = {"submitted": 0, "returned": 1, "draft": 2, "none": 3, "approved": 4}


def plan_rows(cohort, kind=ACTION.key):
    """Every active community of `cohort` with where its plan of this kind stands: the ones
    waiting for review first (longest waiting first), then returned, being written, not
    started and approved. Four queries, whatever the number of communities."""
    plans = ActionPlan.objects.filter(kind=kind).annotate(
        last_version=Max("versions__number"),
        parts_done=Count("parts", filter=Q(parts__complete=True), distinct=True),
    )
    communities = (
        cohort.communities.active()
        .prefetch_related(Prefetch("plans", queryset=plans, to_attr="kind_plans"))
        .with_leaders(to_attr="leading")
    )
    total = len(get_kind(kind).parts)
    rows = []
    for community in communities:
        plan = community.kind_plans[0] if community.kind_plans else None
        row = PlanRow(
            community=community,
            plan=plan,
            state="none",
            total=total,
            leaders=[m.participant.name for m in community.leading],
        )
        if plan is not None:
            row.state = plan.status
            row.done = plan.parts_done
            row.last_version = plan.last_version or 0
        rows.append(row)

    def order(row):
        since = row.waiting_since.timestamp() if row.waiting_since else 0
        return (STATE_ORDER.get(row.state, 9), since, row.community.name.lower())

    return sorted(rows, key=order)


# -- reading: the whole plan as one document --------------------------------------------------


@dataclass
class Block:
    """One field of a part's answer: text lines, or a table (headers and rows of cells)."""

    label: str = ""
    lines: list = field(default_factory=list)
    headers: list = field(default_factory=list)
    rows: list = field(default_factory=list)

    @property
    def is_table(self):
        return bool(self.headers)

    @property
    def labelled_rows(self):
        """The rows with each cell's header: [[(header, text), ...], ...]."""
        return [list(zip(self.headers, cells, strict=False)) for cells in self.rows]


@dataclass
class PrintPart:
    number: int
    key: str
    title: str
    prompt: str
    done: bool
    blocks: list = field(default_factory=list)

    @property
    def empty(self):
        return not any(block.lines or block.rows for block in self.blocks)


@dataclass
class PrintablePlan:
    community: object
    cohort: object
    status: str
    status_label: str
    version: object  # the last PlanVersion, or None
    members: list  # (name, organization, role) tuples
    top_needs: list  # titles, in rank order
    parts: list  # PrintPart
    printed_at: object = None
    kind: object = ACTION  # the PlanKind

    @property
    def done(self):
        return sum(1 for part in self.parts if part.done)


def _cell(spec, value, names):
    """One value as text, read the way `as_text` reads it."""
    single = Part(key="", title="", prompt="", help_text="", fields=(spec,))
    return as_text(single, {spec.name: value}, names)


def _blocks(part, data, names):
    blocks = []
    several = len(part.fields) > 1
    for spec in part.fields:
        value = data.get(spec.name)
        if spec.kind == GROUP:
            rows = []
            for entry in value or []:
                if not isinstance(entry, dict):
                    continue
                cells = [_cell(sub, entry.get(sub.name), names) for sub in spec.fields]
                if any(cells):
                    rows.append(cells)
            blocks.append(
                Block(label=str(spec.label), headers=[str(s.label) for s in spec.fields], rows=rows)
            )
        elif spec.kind == PER_MEMBER:
            rows = [
                [names.get(key, _("(a former member)")), str(text)]
                for key, text in (value or {}).items()
                if str(text or "").strip()
            ]
            rows.sort(key=lambda row: str(row[0]).lower())
            blocks.append(
                Block(label=str(spec.label), headers=[_("Member"), str(spec.label)], rows=rows)
            )
        else:
            text = _cell(spec, value, names)
            blocks.append(Block(label=str(spec.label) if several else "", lines=text.splitlines()))
    return blocks


def printable(plan, community, kind=None):
    """The whole plan as one document: what the print page and the PDF show. `kind` (a
    kind's key) says which plan it is when `plan` is None (not started yet)."""
    cohort = community.cohort
    names = plan_services.member_names(community)
    kind = get_kind(kind) if plan is None else kind_of(plan)
    datas = part_answers(plan) if plan is not None and plan.pk else {p.key: {} for p in kind.parts}
    wordings = plan_services.wordings(cohort, kind.key)
    parts = []
    for number, part in enumerate(kind.parts, start=1):
        data = datas[part.key]
        parts.append(
            PrintPart(
                number=number,
                key=part.key,
                title=wordings[part.key]["title"],
                prompt=wordings[part.key]["prompt"],
                done=is_complete(part, data),
                blocks=_blocks(part, data, names),
            )
        )
    memberships = community.memberships.select_related("participant__organization").order_by(
        "role", "participant__name"
    )
    members = [
        (
            m.participant.name,
            m.participant.organization.name if m.participant.organization else "",
            m.title or m.get_role_display(),
        )
        for m in memberships
    ]
    top_needs = list(
        community.common_needs.filter(chosen_rank__isnull=False)
        .order_by("chosen_rank")
        .values_list("title", flat=True)
    )
    version = plan.versions.order_by("-number").first() if plan is not None and plan.pk else None
    status = plan.status if plan is not None else Status.DRAFT
    return PrintablePlan(
        community=community,
        cohort=cohort,
        status=status,
        status_label=str(Status(status).label),
        version=version,
        members=members,
        top_needs=top_needs,
        parts=parts,
        printed_at=timezone.now(),
        kind=kind,
    )
