"""What happens when the TTA team agrees a community's sunset plan: the community moves to
"continuing on its own". Called by planning.plans.services.review.review, inside its
transaction, when staff approve a sunset plan."""

from cohorts.models import Community
from cohorts.services.activity import record


def on_sunset_plan_agreed(plan, *, actor=None):
    """The sunset plan of `plan.community` is approved: the community continues on its own
    (its meetings, workspace and library stay; the program's prompts stop), noted in the
    activity log. Agreeing it again (after a revision) changes nothing more."""
    community = plan.community
    if community.phase == Community.Phase.CONTINUING:
        return
    community.phase = Community.Phase.CONTINUING
    community.save(update_fields=["phase", "updated_at"])
    record(community.cohort, actor, "moved to continuing on its own", community)
