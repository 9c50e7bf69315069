"""The sunset plan on pages that compose every stage: its section on the community's page.

The sunset plan's own pages (writing, versions, review, print, PDF, the staff list and the
template) are the action plan's views serving the plan of kind "sunset"; their URLs are in
planning/sunset/plan_urls.py."""

from dataclasses import dataclass

from django.db.models import Count, Q

from cohorts.models import Community
from planning.models import ActionPlan
from planning.plans.kinds import SUNSET

# The phases in which the community page speaks of the sunset plan even before it exists.
SUNSET_PHASES = (Community.Phase.SUNSETTING, Community.Phase.CONTINUING)


@dataclass
class SunsetSection:
    plan: object  # the sunset ActionPlan, or None before anyone opened it
    done: int
    total: int
    continuing: bool  # the community continues on its own

    @property
    def status(self):
        return self.plan.status if self.plan is not None else ""

    @property
    def label(self):
        if self.plan is None:
            return ""
        return self.plan.get_status_display()


def community_section(access):
    """The sunset plan's section of the community page, or None when it has nothing to
    say: no sunset plan yet, the community not in its last phases, and the person not on
    the cohort's staff (who may start one early). One query."""
    community = access.community
    plan = (
        ActionPlan.objects.filter(community=community, kind=SUNSET.key)
        .annotate(done=Count("parts", filter=Q(parts__complete=True)))
        .first()
    )
    if plan is None and community.phase not in SUNSET_PHASES and not access.is_staff:
        return None
    return SunsetSection(
        plan=plan,
        done=plan.done if plan is not None else 0,
        total=len(SUNSET.parts),
        continuing=community.phase == Community.Phase.CONTINUING,
    )
