"""The cohort dashboard: people, communities, needs, surveys and meetings of one cohort."""

from django.db.models import Case, Count, Q, When
from django.shortcuts import render

from cohorts.access import cohort_view
from cohorts.models import Community, Membership
from copkit.privacy import MIN_GROUP, hide_small
from planning.evaluations.services.goals import cohort_figures as goal_figures
from planning.evaluations.services.goals import people_behind as goal_people
from planning.knowledge.summaries import counts_per_community
from planning.meetings import participation
from planning.summaries import needs_by_area, open_surveys
from planning.support.requests import summaries as tta_requests

DASHBOARD_COMMUNITIES = 12
ATTENDANCE_MONTHS = 3


def _participant_figures(cohort):
    invited_pending = Q(invitation__isnull=False, user__isnull=True)
    return cohort.participants.aggregate(
        total=Count("pk"),
        joined=Count("pk", filter=Q(user__isnull=False)),
        invited=Count("pk", filter=invited_pending),
        not_invited=Count("pk", filter=Q(invitation__isnull=True, user__isnull=True)),
    )


@cohort_view("cohort.report")
def dashboard(request, access):
    """Staff see the whole cohort; observers see the same figures without names, and none
    counted from fewer than five people (`copkit.privacy.hide_small`)."""
    cohort = access.cohort
    sees_people = access.is_staff
    figures = _participant_figures(cohort)
    figures["organizations"] = cohort.organizations.count()
    active = cohort.communities.active()
    phase_counts = dict(active.values_list("phase").annotate(n=Count("pk")).order_by())
    # The communities that most need staff attention first: no leader yet, then the smallest.
    communities = list(
        active.with_member_count()
        .annotate(
            leader_count=Count(
                "memberships",
                filter=Q(memberships__role__in=Membership.LEADING_ROLES),
                distinct=True,
            )
        )
        .select_related("topic")
        .with_leaders()
        .order_by(Case(When(leader_count=0, then=0), default=1), "member_count", "name")[
            :DASHBOARD_COMMUNITIES
        ]
    )
    for community in communities:
        community.size_hidden = hide_small(community.member_count, sees_people=sees_people)
    context = {
        "min_group": MIN_GROUP,
        "figures": figures,
        "figures_hidden": hide_small(figures["total"], sees_people=sees_people),
        "communities": communities,
        "phases": [(phase.label, phase_counts.get(phase, 0)) for phase in Community.Phase],
        "community_total": sum(phase_counts.values()),
        "leaderless": active.exclude(memberships__role__in=Membership.LEADING_ROLES).count(),
        "show_people": access.is_staff,
        "open_surveys": list(open_surveys(cohort)),
        # Counts of goals; observers see them without any goal's words, and only when the
        # communities holding goals have MIN_GROUP members or more between them.
        "goal_figures": goal_figures(cohort),
        "goal_figures_hidden": not sees_people and hide_small(goal_people(cohort)),
        "knowledge_counts": counts_per_community(cohort),  # items shared per community
    }
    for survey in context["open_surveys"]:
        survey.figures_hidden = hide_small(survey.sent, sees_people=sees_people)
    context["inventory_people"], context["areas"] = needs_by_area(cohort)
    context["areas_hidden"] = hide_small(context["inventory_people"], sees_people=sees_people)
    if context["areas_hidden"]:
        context["areas"] = []
    context.update(_meetings_and_attendance(cohort, sees_people))
    context["tta_requests"] = tta_requests.dashboard(cohort, sees_people=sees_people)
    if access.is_staff:
        unplaced = cohort.participants.without_community()
        context["unplaced"] = unplaced.select_related("organization").order_by("name")[:20]
        context["unplaced_count"] = unplaced.count()
        context["recent_activity"] = cohort.activities.select_related("actor")[:8]
    return render(request, "cohorts/dashboard.html", context)


def _meetings_and_attendance(cohort, sees_people):
    """Per community: meetings held in the last months, their attendance rate (not for a
    viewer who may not see people when fewer than five were recorded), the last meeting and
    the plan's status; those needing a look first. Three queries."""
    rates = participation.needing_attention(
        participation.cohort_rates(cohort, months=ATTENDANCE_MONTHS)
    )
    shown = rates[:DASHBOARD_COMMUNITIES]
    plans = participation.plan_statuses([r.community for r in shown])
    for row in shown:
        row.plan = plans[row.community.pk]
        row.rate_hidden = hide_small(row.people, sees_people=sees_people)
    return {
        "attendance_rows": shown,
        "attendance_total": len(rates),
        "attendance_months": ATTENDANCE_MONTHS,
        "not_recorded_total": sum(r.not_recorded for r in rates),
    }
