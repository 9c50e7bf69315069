"""An action plan's way to approval: submitting it (each submission a frozen version), the
review by the TTA team, the differences between versions, and comments.

The staff list of plans and the printable plan are in `planning.plans.services.overview`;
editing the parts in `planning.plans.services.plans`; the parts themselves (fields, when one
is complete, how it reads as text) in `planning.plans.parts`.
"""

import difflib
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import CohortRole, Membership
from cohorts.services.activity import record
from copkit import outbox
from copkit.errors import ServiceError
from planning.archived import refuse_if_archived
from planning.evaluations.services.goals import sync_goals
from planning.models import ActionPlan, PlanComment, PlanVersion
from planning.plans.kinds import ACTION, kind_of
from planning.plans.parts import as_text, is_complete
from planning.plans.services import plans as plan_services
from planning.sunset import phases, plan_events

Status = ActionPlan.Status
Outcome = PlanVersion.Outcome

DRAFT = "draft"  # the comparison's name for the parts as they are now, not yet submitted


class IncompletePlan(ServiceError):
    """The plan cannot be submitted: `missing` lists the titles of the parts not done."""

    def __init__(self, missing):
        self.missing = list(missing)
        super().__init__(
            _("Finish every part before submitting. Still to do: %(parts)s.")
            % {"parts": "; ".join(self.missing)}
        )


def part_answers(plan):
    """Every part's answer now: part key -> data ({} for a part never saved)."""
    saved = plan_services.part_data(plan)
    return {
        part.key: dict(getattr(saved.get(part.key), "data", None) or {})
        for part in kind_of(plan).parts
    }


def current_texts(plan, names=None):
    """Every part's answer now, as text (the draft a comparison can start or end at)."""
    if names is None:
        names = plan_services.member_names(plan.community)
    datas = part_answers(plan)
    return {part.key: as_text(part, datas[part.key], names) for part in kind_of(plan).parts}


def pending_version(plan):
    """The version waiting for review, or None."""
    if plan is None or plan.status != Status.SUBMITTED:
        return None
    return plan.versions.filter(outcome=Outcome.PENDING).order_by("-number").first()


def _lock(plan):
    return (
        ActionPlan.objects.select_for_update().select_related("community__cohort").get(pk=plan.pk)
    )


def _site_url(name, community, kind=ACTION):
    return settings.SITE_URL + reverse(
        kind.url_name(name), args=[community.cohort.slug, community.slug]
    )


@transaction.atomic
def submit(plan, *, actor):
    """Freeze the plan as a new version and send it to the cohort's TTA staff for review.
    Refused (ServiceError) when it is already waiting or approved, and (IncompletePlan)
    while a part is not done. Returns the new PlanVersion."""
    refuse_if_archived(plan.community)
    plan = _lock(plan)  # two leaders clicking Submit at once: the second waits, then is told
    community = plan.community
    cohort = community.cohort
    kind = kind_of(plan)
    parts = kind.parts
    if plan.status == Status.SUBMITTED:
        raise ServiceError(_("This plan is already waiting for review."))
    if plan.status == Status.APPROVED:
        raise ServiceError(
            _("This plan is approved. Start a revision to change it, then submit it again.")
        )
    datas = part_answers(plan)
    missing = [part for part in parts if not is_complete(part, datas[part.key])]
    if missing:
        titles = part_titles(cohort, kind.key)
        raise IncompletePlan(titles[part.key] for part in missing)
    names = plan_services.member_names(community)
    last = plan.versions.aggregate(last=Max("number"))["last"] or 0
    now = timezone.now()
    version = PlanVersion.objects.create(
        plan=plan,
        number=last + 1,
        data=datas,
        texts={part.key: as_text(part, datas[part.key], names) for part in parts},
        submitted_by=actor,
    )
    plan.status = Status.SUBMITTED
    plan.submitted_at = now
    plan.save(update_fields=["status", "submitted_at", "updated_at"])
    if kind.is_sunset:
        plan_events.on_sunset_plan_submitted(plan)

    context = {
        "cohort": cohort,
        "community": community,
        "version": version,
        "submitted_by": actor.get_full_name(),
        "url": _site_url("plan-versions", community, kind),
    }
    staff = get_user_model().objects.filter(
        cohort_roles__cohort=cohort, cohort_roles__role=CohortRole.Role.STAFF
    )
    for person in staff.order_by("email"):
        outbox.enqueue(
            key=f"plan-submitted:{version.public_id}:{person.pk}",
            kind="plan_submitted",
            to_email=person.email,
            template=f"{kind.email_prefix}_submitted",
            context={**context, "name": person.get_short_name()},
        )
    record(cohort, actor, kind.verbs.submitted, community, version=version.number)
    return version


@transaction.atomic
def review(plan, *, actor, approve, comment=""):
    """Approve the version waiting for review, or return it with `comment` (required then).
    Emails the community's leaders. Returns the reviewed PlanVersion."""
    plan = _lock(plan)
    community = plan.community
    cohort = community.cohort
    comment = (comment or "").strip()
    if plan.status != Status.SUBMITTED:
        raise ServiceError(_("Only a plan waiting for review can be approved or returned."))
    if not approve and not comment:
        raise ServiceError(_("Say what the leaders should change when you return the plan."))
    version = plan.versions.filter(outcome=Outcome.PENDING).order_by("-number").first()
    if version is None:  # a submitted plan always has one; refuse rather than guess
        raise ServiceError(_("There is no submitted version to review."))
    now = timezone.now()
    version.outcome = Outcome.APPROVED if approve else Outcome.RETURNED
    version.review_comment = comment
    version.reviewed_by = actor
    version.reviewed_at = now
    version.save(
        update_fields=["outcome", "review_comment", "reviewed_by", "reviewed_at", "updated_at"]
    )
    plan.status = Status.APPROVED if approve else Status.RETURNED
    plan.reviewed_by = actor
    plan.reviewed_at = now
    plan.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    kind = kind_of(plan)
    if approve and kind.is_sunset:
        plan_events.on_sunset_plan_agreed(plan, actor=actor)
    elif approve:
        sync_goals(community)  # the approved plan's goals are the ones to track
        phases.refresh(community)  # defining -> active

    context = {
        "cohort": cohort,
        "community": community,
        "version": version,
        "approved": approve,
        "comment": comment,
        "reviewer": actor.get_full_name(),
        "url": _site_url("plan-versions", community, kind),
        "plan_url": _site_url("plan", community, kind),
    }
    leaders = community.memberships.filter(role__in=Membership.LEADING_ROLES).select_related(
        "participant"
    )
    for membership in leaders.order_by("participant__email"):
        person = membership.participant
        outbox.enqueue(
            key=f"plan-reviewed:{version.public_id}:{person.public_id}",
            kind="plan_reviewed",
            to_email=person.email,
            template=f"{kind.email_prefix}_reviewed",
            context={**context, "name": person.name},
        )
    verb = kind.verbs.approved if approve else kind.verbs.returned
    record(cohort, actor, verb, community, version=version.number)
    return version


@transaction.atomic
def add_comment(plan, *, actor, text, part_key=""):
    """A comment on one part (or, with no `part_key`, on the whole plan), tied to the
    version waiting for review if there is one."""
    refuse_if_archived(plan.community)
    text = text.strip()
    if not text:
        raise ServiceError(_("Write a comment before sending it."))
    pending = pending_version(plan)
    comment = PlanComment.objects.create(
        plan=plan,
        part_key=part_key or "",
        author=actor,
        text=text,
        version_number=pending.number if pending else None,
    )
    community = plan.community
    record(
        community.cohort,
        actor,
        kind_of(plan).verbs.commented,
        community,
        part=part_key or "",
    )
    return comment


# -- reading: comments ---------------------------------------------------------------------

ROLE_LABELS = {"staff": _("TTA staff"), "leader": _("Leader"), "member": _("Member")}


def comments_for(plan, *, part_key=None, titles=None):
    """The plan's comments (only those on `part_key` when given; "" for the whole plan),
    oldest first, each with `author_name`, `role` ("staff", "leader", "member" or ""),
    `role_label` and (from `titles`, {part key: title}) `part_title` set. Three queries,
    whatever the number of comments."""
    if plan is None or plan.pk is None:
        return []
    comments = plan.comments.select_related("author")
    if part_key is not None:
        comments = comments.filter(part_key=part_key)
    comments = list(comments)
    if not comments:
        return []
    community = plan.community
    staff_ids = set(
        CohortRole.objects.filter(
            cohort_id=community.cohort_id, role=CohortRole.Role.STAFF
        ).values_list("user_id", flat=True)
    )
    members = {
        user_id: (role, name)
        for user_id, role, name in Membership.objects.filter(
            community=community, participant__user__isnull=False
        ).values_list("participant__user_id", "role", "participant__name")
    }
    for comment in comments:
        author = comment.author
        role, name = "", ""
        if author is not None:
            member_role, name = members.get(author.pk, ("", ""))
            if author.pk in staff_ids or author.is_superuser:
                role = "staff"
            elif member_role in Membership.LEADING_ROLES:
                role = "leader"
            elif member_role:
                role = "member"
            name = name or author.get_full_name()
        comment.author_name = name or _("A former user")
        comment.role = role
        comment.role_label = ROLE_LABELS.get(role, "")
        comment.part_title = (titles or {}).get(comment.part_key, "")
    return comments


# -- reading: versions and their differences ------------------------------------------------


@dataclass
class PartDiff:
    """What changed in one part between two texts. `lines` are (kind, text) with kind
    "added", "removed" or "same"; empty when nothing changed."""

    key: str
    title: str
    lines: list = field(default_factory=list)

    @property
    def changed(self):
        return bool(self.lines)

    @property
    def added(self):
        return sum(1 for kind, _text in self.lines if kind == "added")

    @property
    def removed(self):
        return sum(1 for kind, _text in self.lines if kind == "removed")


def diff_texts(before, after):
    """Line by line: the (kind, text) of every line, or [] when the texts are the same."""
    a = (before or "").splitlines()
    b = (after or "").splitlines()
    if a == b:
        return []
    lines = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            lines.extend(("same", text) for text in a[i1:i2])
        else:
            lines.extend(("removed", text) for text in a[i1:i2])
            lines.extend(("added", text) for text in b[j1:j2])
    return lines


def compare(before, after, titles, parts=ACTION.parts):
    """Per part, in the plan's order: a PartDiff between two {key: text} snapshots."""
    return [
        PartDiff(
            key=part.key,
            title=titles.get(part.key, str(part.title)),
            lines=diff_texts(before.get(part.key), after.get(part.key)),
        )
        for part in parts
    ]


def part_titles(cohort, kind=ACTION.key):
    """{part key: title} as the cohort words them (one query)."""
    return {key: wording["title"] for key, wording in plan_services.wordings(cohort, kind).items()}
