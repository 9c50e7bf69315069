"""A COP's phase follows its state, unless staff set it.

Derived, first match wins:

- staff's override (`Community.phase_override`), until they clear it; closing a COP is
  setting it to "closed";
- continuing on its own, once its sunset plan is agreed (`mark_sunset_agreed`);
- sunsetting, from the cohort's transition date (planning.sunset.timeline) on;
- forming, until it has a leader (or co-leader) and at least one other member;
- defining needs and plan, until a version of its action plan is approved (a plan
  reopened for revision later leaves it active);
- active.

`Community.phase` stores the result, so that lists and sweeps filter on it cheaply. It is
recomputed by `refresh`/`refresh_many` on the events that change the state: who is in the
COP (cohorts' `members_changed` signal), the plan's approval or return
(planning.plans.services.review), the timeline's date passing (the transition sweep,
planning.sunset.timeline) or being changed by staff, and the sunset plan's agreement.

The sunset plan's services call `mark_sunset_started`, `mark_sunset_submitted` and
`mark_sunset_agreed` as its plan moves; `sunset_agreed(community)` reads the last.
"""

import zoneinfo

from django.db import transaction
from django.db.models import Count, Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import Community, Membership
from cohorts.services.activity import record
from cohorts.services.communities import members_changed
from copkit.errors import ServiceError
from planning.models import ActionPlan, PlanVersion, SunsetState, Transition

Phase = Community.Phase

# Phases in which the TTA provider's prompts (check-ins, evaluations, suggested activities,
# requests for knowledge items, transition nudges) stop: the COP runs on its own, or closed.
ON_ITS_OWN = (Phase.CONTINUING, Phase.CLOSED)


def local_today(cohort, now=None):
    """Today in the cohort's time zone."""
    return timezone.localtime(now or timezone.now(), zoneinfo.ZoneInfo(cohort.time_zone)).date()


def sunsetting_started(transition, now=None):
    """Whether `transition` (a Transition or None) has reached its start date."""
    if transition is None or transition.starts_on is None:
        return False
    return local_today(transition.cohort, now) >= transition.starts_on


def derive(*, override="", agreed=False, sunsetting=False, has_leader, others, plan_approved):
    """The phase a COP with these facts is in; pure."""
    if override:
        return override
    if agreed:
        return Phase.CONTINUING
    if sunsetting:
        return Phase.SUNSETTING
    if not has_leader or others < 1:
        return Phase.FORMING
    if not plan_approved:
        return Phase.DEFINING
    return Phase.ACTIVE


def _derived(communities, now):
    """{community pk: derived phase} for `communities`, in four queries whatever their
    number."""
    ids = [community.pk for community in communities]
    counts = {
        row["pk"]: row
        for row in Community.objects.filter(pk__in=ids)
        .annotate(
            leading=Count("memberships", filter=Q(memberships__role__in=Membership.LEADING_ROLES)),
            everyone=Count("memberships"),
        )
        .values("pk", "leading", "everyone")
    }
    # Once approved, a plan reopened for revision leaves the COP active.
    approved = set(
        PlanVersion.objects.filter(
            plan__community_id__in=ids,
            plan__kind=ActionPlan.Kind.ACTION,
            outcome=PlanVersion.Outcome.APPROVED,
        ).values_list("plan__community_id", flat=True)
    )
    agreed = set(
        SunsetState.objects.filter(
            community_id__in=ids, sunset_agreed_at__isnull=False
        ).values_list("community_id", flat=True)
    )
    transitions = {
        t.cohort_id: t
        for t in Transition.objects.filter(
            cohort_id__in={c.cohort_id for c in communities}
        ).select_related("cohort")
    }
    phases = {}
    for community in communities:
        row = counts.get(community.pk, {"leading": 0, "everyone": 0})
        phases[community.pk] = derive(
            override=community.phase_override,
            agreed=community.pk in agreed,
            sunsetting=sunsetting_started(transitions.get(community.cohort_id), now),
            has_leader=row["leading"] > 0,
            others=row["everyone"] - min(row["leading"], 1),
            plan_approved=community.pk in approved,
        )
    return phases


def refresh_many(communities, now=None):
    """Recompute and store the phase of each of `communities` (not the archived ones, whose
    phase stays as it was). Returns the communities whose phase changed. A fixed number of
    queries, plus one update per phase that changed."""
    communities = [c for c in communities if not c.is_archived]
    if not communities:
        return []
    now = now or timezone.now()
    derived = _derived(communities, now)
    changed = []
    for community in communities:
        phase = derived[community.pk]
        if community.phase != phase:
            community.phase = phase
            changed.append(community)
    by_phase = {}
    for community in changed:
        by_phase.setdefault(community.phase, []).append(community.pk)
    for phase, ids in by_phase.items():
        Community.objects.filter(pk__in=ids, archived_at__isnull=True).update(
            phase=phase, updated_at=now
        )
    return changed


def refresh(community, now=None):
    """Recompute and store `community`'s phase; returns it."""
    refresh_many([community], now)
    return community.phase


def refresh_cohort(cohort, now=None):
    """Recompute the phase of every active community of `cohort` (the timeline changed)."""
    return refresh_many(list(cohort.communities.active().select_related("cohort")), now)


@receiver(members_changed)
def _members_changed(sender, communities, **kwargs):
    refresh_many(communities)


# -- staff's override ----------------------------------------------------------------------


@transaction.atomic
def set_override(community, phase, *, actor):
    """Staff set `community`'s phase to `phase`, which then wins over its state; an empty
    `phase` lets the phase follow the state again. Returns the phase it is in now."""
    if community.is_archived:
        raise ServiceError(_("This community is archived; restore it before changing it."))
    if phase and phase not in Phase.values:
        raise ServiceError(_("Choose one of the phases."))
    community = Community.objects.select_for_update().select_related("cohort").get(pk=community.pk)
    community.phase_override = phase
    community.save(update_fields=["phase_override", "updated_at"])
    refresh(community)
    if phase:
        record(community.cohort, actor, "set the phase", community, phase=phase)
    else:
        record(
            community.cohort,
            actor,
            "let the phase follow the state",
            community,
            phase=community.phase,
        )
    return community.phase


# -- the sunset plan's progress ----------------------------------------------------------------


def state_of(community):
    """`community`'s SunsetState, made when first needed."""
    state, _created = SunsetState.objects.get_or_create(community=community)
    return state


def sunset_agreed(community):
    """Whether `community`'s sunset plan is agreed."""
    return SunsetState.objects.filter(community=community, sunset_agreed_at__isnull=False).exists()


def _mark(community, when, columns):
    when = when or timezone.now()
    state_of(community)
    for column in columns:
        SunsetState.objects.filter(community=community, **{f"{column}__isnull": True}).update(
            **{column: when, "updated_at": timezone.now()}
        )
    return refresh(community)


def mark_sunset_started(community, when=None):
    """The sunset plan's services: the COP started writing its sunset plan."""
    return _mark(community, when, ["sunset_started_at"])


def mark_sunset_submitted(community, when=None):
    """The sunset plan's services: the COP sent its sunset plan for review. Sending it again
    after it came back keeps the first time."""
    return _mark(community, when, ["sunset_started_at", "sunset_submitted_at"])


def mark_sunset_agreed(community, when=None):
    """The sunset plan's services, on approval: the COP continues on its own from now on
    (unless staff set its phase). Returns the phase it is in now."""
    return _mark(community, when, ["sunset_started_at", "sunset_submitted_at", "sunset_agreed_at"])


def clear_sunset_agreed(community):
    """The sunset plan's services, should an agreed plan be reopened: the COP goes back to
    sunsetting."""
    SunsetState.objects.filter(community=community).update(
        sunset_agreed_at=None, updated_at=timezone.now()
    )
    return refresh(community)
