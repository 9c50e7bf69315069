"""What the sunset plan's life tells the community's phase (planning.sunset.phases): started
on its first saved part, submitted, agreed by the TTA team (the community then continues on
its own) and, should an agreed plan be reopened, back to sunsetting. Called by the plan
services (planning.plans.services) inside their transactions, for plans of kind "sunset"."""

from cohorts.models import Community
from cohorts.services.activity import record
from planning.sunset import phases


def on_sunset_plan_saved(plan):
    phases.mark_sunset_started(plan.community)


def on_sunset_plan_submitted(plan):
    phases.mark_sunset_submitted(plan.community)


def on_sunset_plan_agreed(plan, *, actor=None):
    """The sunset plan of `plan.community` is approved: the community continues on its own
    (its meetings, workspace and library stay; the program's prompts stop) unless staff set
    its phase, noted in the activity log. Agreeing it again changes nothing more."""
    community = plan.community
    before = community.phase
    after = phases.mark_sunset_agreed(community)
    if after == Community.Phase.CONTINUING and before != after:
        record(community.cohort, actor, "moved to continuing on its own", community)


def on_sunset_plan_reopened(plan):
    phases.clear_sunset_agreed(plan.community)
