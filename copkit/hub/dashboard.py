"""The cohort dashboard: people, communities, needs, surveys and meetings of one cohort."""

from django.db.models import Case, Count, Q, When
from django.shortcuts import render

from cohorts.access import cohort_view
from cohorts.models import Community, Membership
from planning.meetings import participation
from planning.summaries import needs_by_area, open_surveys

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
    """Staff see the whole cohort; observers see the same figures without names."""
    cohort = access.cohort
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
    context = {
        "figures": figures,
        "communities": communities,
        "phases": [(phase.label, phase_counts.get(phase, 0)) for phase in Community.Phase],
        "community_total": sum(phase_counts.values()),
        "leaderless": active.exclude(memberships__role__in=Membership.LEADING_ROLES).count(),
        "show_people": access.is_staff,
        "open_surveys": open_surveys(cohort),
    }
    context["inventory_people"], context["areas"] = needs_by_area(cohort)
    context.update(_meetings_and_attendance(cohort))
    if access.is_staff:
        unplaced = cohort.participants.without_community()
        context["unplaced"] = unplaced.select_related("organization").order_by("name")[:20]
        context["unplaced_count"] = unplaced.count()
        context["recent_activity"] = cohort.activities.select_related("actor")[:8]
    return render(request, "cohorts/dashboard.html", context)


def _meetings_and_attendance(cohort):
    """Per community: meetings held in the last months, their attendance rate, the last
    meeting and the plan's status; those needing a look first. Three queries."""
    rates = participation.needing_attention(
        participation.cohort_rates(cohort, months=ATTENDANCE_MONTHS)
    )
    shown = rates[:DASHBOARD_COMMUNITIES]
    plans = participation.plan_statuses([r.community for r in shown])
    for row in shown:
        row.plan = plans[row.community.pk]
    return {
        "attendance_rows": shown,
        "attendance_total": len(rates),
        "attendance_months": ATTENDANCE_MONTHS,
        "not_recorded_total": sum(r.not_recorded for r in rates),
    }
