"""A community's page: who is in it, what it does next, its needs and its participation."""

from django.shortcuts import render

from cohorts.access import cohort_view
from cohorts.forms.communities import AddMemberForm
from cohorts.guidance import next_link, next_step
from cohorts.models import Membership
from copkit.privacy import MIN_GROUP, hide_small
from planning.checkins.services.overview import latest_status as checkin_status
from planning.deeper import summaries as deeper
from planning.evaluations.services.goals import community_goals
from planning.evaluations.summaries import community_section as evaluations_section
from planning.meetings import participation
from planning.sunset import plan_views as sunset_plan
from planning.sunset.alumni import services as alumni
from planning.support.requests import summaries as tta_requests


@cohort_view("community.view")
def community_detail(request, access):
    community = access.community
    membership = access.membership()
    context = {
        "community": community,
        "membership": membership,
        "can_see_members": access.can("community.members"),
        "can_manage": access.can("community.manage"),
        "can_edit": access.can("community.lead") and not community.is_archived,
        "next_step": next_step(community, membership.is_leading) if membership else "",
        "next_link": next_link(community, membership.is_leading) if membership else None,
        "top_needs": community.common_needs.filter(chosen_rank__isnull=False).order_by(
            "chosen_rank"
        ),
    }
    if context["can_see_members"]:
        memberships = list(
            community.memberships.select_related("participant__organization").order_by(
                "role", "participant__name"
            )
        )
        context["memberships"] = memberships
        if context["can_manage"] and not community.is_archived:
            context["add_form"] = AddMemberForm(community=community)
            context["role_choices"] = Membership.Role.choices
    else:
        context["member_count"] = community.memberships.count()
        context["members_hidden"] = hide_small(context["member_count"])
    context["leaderless"] = not community.memberships.filter(
        role__in=Membership.LEADING_ROLES
    ).exists()
    context["min_group"] = MIN_GROUP
    if access.can("community.lead"):
        # The check-in steps (asked, reminded, coach told, answered): staff and leaders.
        context["show_checkins"] = True
        context["checkin"] = checkin_status(community)
    context.update(_participation(access, community, membership))
    context["sunset_plan"] = sunset_plan.community_section(access)
    if context["can_see_members"]:  # going-deeper activities: members and staff
        context["deeper"] = deeper.community_suggestions(
            community, sees_all=access.can("community.lead")
        )
        context["goals"] = community_goals(community)  # no goal's words for observers
        context["evaluations"] = evaluations_section(
            community, can_lead=access.can("community.lead"), is_staff=access.is_staff
        )
        context["tta_requests"] = tta_requests.community_section(community)
        context["network_groups"] = list(community.network_groups.all())
        context["alumni_open"] = alumni.space_of(access.cohort) is not None
    return render(request, "cohorts/community_detail.html", context)


def _participation(access, community, membership):
    """The Participation section: overall figures and the plan's status for everyone who
    sees the page, except the rate of fewer than five people for those who may not see the
    members; months and the meetings link for members and staff; each member's attendance
    for leaders and staff (a member sees only their own). Fixed query count."""
    summary = participation.community_summary(community)
    context = {
        "summary": summary,
        "rate_hidden": hide_small(summary.people, sees_people=access.can("community.members")),
        "plan_status": participation.plan_statuses([community])[community.pk],
    }
    if access.can("community.members"):
        context["months"] = participation.community_rate_by_month(community)
        rates = participation.member_rates(community)
        if access.can("community.lead"):
            context["member_rates"] = rates
        elif membership is not None:
            context["my_rate"] = next((r for r in rates if r.membership.pk == membership.pk), None)
    return context
