"""Demo data for collective TTA requests: a few communities of the demo cohort have asked
their TTA team for help over the last weeks, and staff answered most of them.

- One request per active community with a leader (up to five), filed by its leader (or by
  staff on the community's behalf when the leader has no login), through the service.
- Staff triaged them: one delivered, one scheduled onto the community's next meeting with a
  reply, one accepted and assigned, one declined with a reason, one still new. Their filing
  times are moved back a few days so that the dashboard's time to a first answer reads like
  a real one.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from cohorts.models import Membership
from planning.models import TTARequest, TTARequestEvent
from planning.support.requests import services

State = TTARequest.State
Format = TTARequest.Format

ASKS = [
    (
        "A training on reading a budget-to-actuals report, so every board treasurer can "
        "explain it at a board meeting.",
        "Two of us present our first quarterly report next month.",
        Format.TRAINING,
    ),
    (
        "Help writing a shared volunteer handbook we can each adapt.",
        "Spring volunteer recruiting starts soon and none of us has a handbook yet.",
        Format.RESOURCE,
    ),
    (
        "A peer exchange with a group that has already run a joint grant application.",
        "We are thinking of applying together for the county's capacity grant.",
        Format.PEER_EXCHANGE,
    ),
    (
        "One-to-one help for our two newest leaders on running an online meeting.",
        "Our meetings moved online and the first one did not go well.",
        Format.COACHING,
    ),
    (
        "A recording or guide on using the workspace: posting, sharing files, the calendar.",
        "Some members have not logged in yet and do not know where things are.",
        Format.RESOURCE,
    ),
]


@dataclass
class RequestsDemo:
    counts: dict = field(default_factory=dict)


def _leader_user(community):
    membership = (
        community.memberships.filter(role=Membership.Role.LEADER, participant__user__isnull=False)
        .select_related("participant__user")
        .first()
    )
    return membership.participant.user if membership else None


def add_tta_requests(cohort, *, staff):
    """File and triage a few TTA requests in `cohort`. Returns a RequestsDemo."""
    now = timezone.now()
    communities = [
        community
        for community in cohort.communities.active().select_related("cohort").order_by("name")
        if community.memberships.filter(role__in=Membership.LEADING_ROLES).exists()
    ][: len(ASKS)]
    made = []
    for index, (community, (what, why, form)) in enumerate(zip(communities, ASKS, strict=False)):
        row = services.file_request(
            community,
            actor=_leader_user(community) or staff,
            what=what,
            why_now=why,
            format=form,
            timing="a weekday afternoon" if index % 2 else "",
        )
        filed = now - timedelta(days=12 - 2 * index, hours=index)
        TTARequest.objects.filter(pk=row.pk).update(created_at=filed)
        row.created_at = filed
        made.append((index, community, row))
    for index, community, row in made:
        _triage(index, community, row, staff=staff)
        # Staff answered the day after filing, give or take a few hours.
        answered = row.created_at + timedelta(hours=20 + 3 * index)
        TTARequest.objects.filter(pk=row.pk, first_answer_at__isnull=False).update(
            first_answer_at=answered
        )
        TTARequest.objects.filter(pk=row.pk, replied_at__isnull=False).update(replied_at=answered)
        TTARequestEvent.objects.filter(request=row).update(at=answered)
    rows = TTARequest.objects.filter(community__cohort=cohort)
    return RequestsDemo(
        counts={
            "TTA requests": rows.count(),
            "TTA requests open": rows.filter(state__in=TTARequest.OPEN_STATES).count(),
        }
    )


def _triage(index, community, row, *, staff):
    today = timezone.localdate()
    if index == 0:
        services.triage(
            row,
            actor=staff,
            state=State.DELIVERED,
            assignee=staff,
            training="Budget basics for board treasurers (webinar)",
            reply="Thank you for asking. The recording and the slides are on the cohort's page.",
        )
    elif index == 1:
        meeting = (
            community.meetings.filter(cancelled_at__isnull=True, starts_at__gt=timezone.now())
            .order_by("starts_at")
            .first()
        )
        services.triage(
            row,
            actor=staff,
            state=State.SCHEDULED if meeting else State.ACCEPTED,
            assignee=staff,
            meeting=meeting,
            due_on=today + timedelta(days=14),
            reply="We will bring a handbook template to your next meeting and adapt it together.",
        )
    elif index == 2:
        services.triage(
            row, actor=staff, state=State.ACCEPTED, assignee=staff, due_on=today - timedelta(days=1)
        )
    elif index == 3:
        services.triage(
            row,
            actor=staff,
            state=State.DECLINED,
            decline_reason=(
                "Our online-meeting training next week covers this for every leader; we "
                "signed your two new leaders up."
            ),
        )
    # The fifth stays new: waiting for a first answer.
