"""A community's action plan, written part by part: reading it, saving a part without ever
overwriting someone else's change, and the cohort's wording of the parts.

Saving is optimistic: a part carries a `revision`, and a save names the revision it started
from. The save is one conditional UPDATE (`... WHERE revision = base`); when no row changes,
someone saved in between and the save raises `PartConflict` with the part as it is now, so
the person can compare both texts and choose. A submitted or approved plan is frozen
(`PlanLocked`) until staff return it or the leaders reopen it.
"""

from collections import namedtuple
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.services.activity import record
from copkit.concurrency import check_unchanged
from copkit.errors import ServiceError
from planning.archived import refuse_if_archived
from planning.evaluations.services.goals import GOALS_PART, sync_goals
from planning.models import ActionPlan, PlanPart, PlanTemplate
from planning.plans.kinds import ACTION, SUNSET, get_kind, kind_of
from planning.plans.parts import is_complete
from planning.sunset import plan_events

WORDING_KEYS = ("title", "prompt", "help_text")

# An autosave every second while someone types would flood the activity log: one entry per
# person per part per sitting is enough to see who worked on what.
RECORD_AGAIN_AFTER = timedelta(minutes=30)

LOCKED_STATUSES = (ActionPlan.Status.SUBMITTED, ActionPlan.Status.APPROVED)


class PlanLocked(ServiceError):
    """The plan is submitted (waiting for review) or approved: its parts don't change."""


class PartConflict(ServiceError):
    """Someone saved the part after the revision this save started from. `current` is the
    part as it is now (with its data, revision, updated_by and updated_at)."""

    def __init__(self, current):
        self.current = current
        super().__init__(_("Someone else changed this part since you opened it."))


PartProgress = namedtuple("PartProgress", "part wording done updated_at updated_by")


def get_plan(community, kind=ACTION.key):
    """The community's plan of this kind ("action" or "sunset"), made on first use (two
    first visits at once make one)."""
    plan, _created = ActionPlan.objects.get_or_create(community=community, kind=kind)
    return plan


def is_locked(plan):
    return plan.status in LOCKED_STATUSES


def locked_message(plan):
    if plan.status == ActionPlan.Status.APPROVED:
        return _(
            "This plan is approved, so it can't be changed as it is. To change it, choose "
            "“Revise the plan” on the plan's page, then submit it again."
        )
    return _(
        "This plan is submitted and waiting for the TTA team's review. It can be changed "
        "again once they return it."
    )


# -- wording -------------------------------------------------------------------------------


def template_overrides(cohort):
    """The cohort's changed wording: {part key: {"title": ..., ...}} (one query)."""
    parts = PlanTemplate.objects.filter(cohort=cohort).values_list("parts", flat=True).first()
    return parts if isinstance(parts, dict) else {}


def _wording(part, overrides):
    changed = overrides.get(part.key) or {}
    return {name: str(changed.get(name) or getattr(part, name)) for name in WORDING_KEYS}


def wording(cohort, part, overrides=None):
    """The title, prompt and help text of `part` as the cohort words them: the staff's
    change where there is one, copkit's default otherwise. Pass `overrides` (from
    `template_overrides`) to word many parts with one query."""
    if overrides is None:
        overrides = template_overrides(cohort)
    return _wording(part, overrides)


def wordings(cohort, kind=ACTION.key):
    """{part key: wording} for every part of the plan of this kind, in one query."""
    overrides = template_overrides(cohort)
    return {part.key: _wording(part, overrides) for part in get_kind(kind).parts}


def is_reworded(part, overrides):
    return any((overrides.get(part.key) or {}).get(name) for name in WORDING_KEYS)


@transaction.atomic
def save_wording(
    cohort,
    key,
    *,
    title="",
    prompt="",
    help_text="",
    actor,
    unchanged_since=None,
    kind=ACTION.key,
):
    """Set the cohort's wording of one part of the plan of this `kind`. A blank text, or
    one the same as copkit's, goes back to copkit's default wording. With `unchanged_since`
    (a fingerprint of the wording as the person read it), raises EditConflict when it
    changed since."""
    part = get_kind(kind).part(key)
    if part is None:
        raise ServiceError(_("There is no such part of the plan."))
    template, _created = PlanTemplate.objects.get_or_create(cohort=cohort)
    template = PlanTemplate.objects.select_for_update().get(pk=template.pk)
    check_unchanged(_wording(part, template.parts or {}), unchanged_since)
    given = {"title": title, "prompt": prompt, "help_text": help_text}
    changed = {}
    for name in WORDING_KEYS:
        text = (given[name] or "").strip()
        if text and text != str(getattr(part, name)).strip():
            changed[name] = text
    parts = dict(template.parts or {})
    if changed:
        parts[key] = changed
    else:
        parts.pop(key, None)
    template.parts = parts
    template.save(update_fields=["parts", "updated_at"])
    record(
        cohort,
        actor,
        "edited the plan template",
        template,
        part=key,
        changed=sorted(changed),
    )
    return template


# -- reading a plan --------------------------------------------------------------------------


def part_data(plan):
    """{part key: PlanPart} of every part saved so far (one query)."""
    return {part.key: part for part in plan.parts.select_related("updated_by")}


def member_names(community):
    """{participant public id (str): name} of the community's current members."""
    return {
        str(public_id): name
        for public_id, name in community.memberships.values_list(
            "participant__public_id", "participant__name"
        )
    }


def members(community):
    """The current members as (public id str, name) pairs, by name: the choices of a
    MEMBER field and the rows of a PER_MEMBER field."""
    return sorted(member_names(community).items(), key=lambda item: (item[1].lower(), item[0]))


def progress(plan):
    """Every part in order with its wording, whether it is done, and when and by whom it
    was last saved (None and None when never)."""
    saved = part_data(plan)
    overrides = template_overrides(plan.community.cohort)
    rows = []
    for part in kind_of(plan).parts:
        row = saved.get(part.key)
        rows.append(
            PartProgress(
                part=part,
                wording=_wording(part, overrides),
                done=row is not None and is_complete(part, row.data),
                updated_at=row.updated_at if row else None,
                updated_by=row.updated_by if row else None,
            )
        )
    return rows


# -- writing ----------------------------------------------------------------------------------


def _lock_plan(plan):
    """Take the plan row's lock and check it can change: a submission (which freezes the
    parts into a version) and a save queue behind each other."""
    current = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    plan.status = current.status
    if is_locked(current):
        raise PlanLocked(locked_message(current))
    return current


@transaction.atomic
def save_part(plan, key, data, *, base_revision, actor):
    """Save `data` as the answer to part `key`, starting from `base_revision` (0 when the
    part was never saved). Returns the PlanPart as saved.

    Raises PartConflict when the part changed since `base_revision` (nothing is written),
    PlanLocked when the plan is submitted or approved, ServiceError for an unknown part.
    Saving what is already there changes nothing (the revision stays)."""
    refuse_if_archived(plan.community)
    part = kind_of(plan).part(key)
    if part is None:
        raise ServiceError(_("There is no such part of the plan."))
    _lock_plan(plan)
    data = data or {}
    current = PlanPart.objects.filter(plan=plan, key=key).select_related("updated_by").first()
    if current is not None and current.data == data:
        return current  # nothing to write, nothing to conflict with
    if current is None:
        try:
            with transaction.atomic():
                saved = PlanPart.objects.create(
                    plan=plan, key=key, data=data, revision=1, updated_by=actor
                )
        except IntegrityError:
            # Another first save landed in between.
            raise PartConflict(
                current=PlanPart.objects.select_related("updated_by").get(plan=plan, key=key)
            ) from None
        _record(plan, actor, part, saved, previous=None)
        _sync_goals(plan, key)
        _tell_sunset(plan)
        return saved
    now = timezone.now()
    changed = PlanPart.objects.filter(pk=current.pk, revision=base_revision).update(
        data=data,
        complete=is_complete(part, data),
        revision=F("revision") + 1,
        updated_by=actor,
        updated_at=now,
    )
    if not changed:
        raise PartConflict(current=current)
    saved = PlanPart.objects.select_related("updated_by").get(pk=current.pk)
    _record(plan, actor, part, saved, previous=current)
    _sync_goals(plan, key)
    _tell_sunset(plan)
    return saved


def _sync_goals(plan, key):
    """The action plan's goals part was saved: its goals' rows follow it (see
    planning.evaluations). The sunset plan has no goals to track."""
    if key == GOALS_PART and plan.kind == ACTION.key:
        sync_goals(plan.community)


def _tell_sunset(plan):
    """A sunset plan's first saved part starts it, for the community's phase."""
    if plan.kind == SUNSET.key:
        plan_events.on_sunset_plan_saved(plan)


def _record(plan, actor, part, saved, previous):
    if (
        previous is not None
        and previous.updated_by_id == getattr(actor, "pk", None)
        and saved.updated_at - previous.updated_at < RECORD_AGAIN_AFTER
    ):
        return
    community = plan.community
    record(
        community.cohort,
        actor,
        kind_of(plan).verbs.edited,
        community,
        part=part.key,
        revision=saved.revision,
    )


@transaction.atomic
def reopen(plan, actor):
    """Make an approved or returned plan a draft again, so its leaders can revise it.
    Returns whether the status changed."""
    refuse_if_archived(plan.community)
    changed = ActionPlan.objects.filter(
        pk=plan.pk, status__in=(ActionPlan.Status.APPROVED, ActionPlan.Status.RETURNED)
    ).update(status=ActionPlan.Status.DRAFT, updated_at=timezone.now())
    if changed:
        plan.status = ActionPlan.Status.DRAFT
        community = plan.community
        record(community.cohort, actor, kind_of(plan).verbs.reopened, community)
        if plan.kind == SUNSET.key:
            plan_events.on_sunset_plan_reopened(plan)
    return bool(changed)
