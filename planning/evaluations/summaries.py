"""What the community page shows of this stage: the community's evaluations and the changes
its group agreed, for its members and staff (observers see no community's words)."""

from planning.evaluations.services import evaluations as services


def community_section(community, *, can_lead, is_staff):
    """The `evaluations` context value of the community page's section, in three queries."""
    open_for_changes = not community.is_archived
    return {
        "rows": services.community_evaluations(community)[:5],
        "decisions": services.decisions_of(community),
        "can_decide": can_lead and open_for_changes,
        "can_schedule": is_staff and open_for_changes,
    }
