"""What the check-in pages read: for staff, every community of a cohort at once; for one
community, its history. Each in a fixed number of queries, however many rows."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import Membership
from cohorts.services.coaches import coach_ids, first_staff_ids, staff_users
from cohorts.templatetags.zoned import day_text
from planning.checkins.chart import scale_chart
from planning.checkins.services.rules import rules_for
from planning.models import CheckIn, FollowUp

CHART_POINTS = 12


@dataclass
class Row:
    """One community on the Check-ins page."""

    community: object
    rule: object = None
    coach: object = None
    last: object = None  # the latest answered check-in
    next_due: object = None  # a Period
    waiting: list = field(default_factory=list)  # open check-ins of the current period
    overdue: bool = False
    open_followups: int = 0
    chart: str = ""


def _steps(checkin, rule, now):
    """What happened to an open check-in, as (text, moment) pairs, oldest first."""
    steps = []
    if checkin.prompted_at:
        steps.append((_("Asked"), checkin.prompted_at))
    if checkin.reminded_at:
        steps.append((_("Reminded"), checkin.reminded_at))
    if checkin.escalated_at:
        steps.append((_("Coach told"), checkin.escalated_at))
    return steps


def is_overdue(checkin, rule, now):
    """Unanswered, and late enough that the leader is (or would be) reminded."""
    return (
        checkin.answered_at is None
        and rule is not None
        and not rule.paused
        and rule.still_current(checkin.due_at, now)
        and rule.reminder_due(checkin.due_at) <= now
    )


def cohort_rows(cohort, *, coach=None, phase="", overdue=False, support=False, now=None):
    """Every open community of `cohort` with its check-in state, overdue ones first, then by
    name. Filters: `coach` (a user id), `phase`, only `overdue`, only those with an open
    follow-up (`support`)."""
    now = now or timezone.now()
    communities = list(
        cohort.communities.active()
        .select_related("cohort", "topic")
        .with_leaders()
        .order_by("name")
    )
    if phase:
        communities = [c for c in communities if c.phase == phase]
    rules = rules_for(communities)
    firsts = first_staff_ids([cohort.pk])
    coaches = coach_ids(communities, firsts)
    staff = {user.pk: user for user in staff_users(cohort)}
    ids = [c.pk for c in communities]
    answered, waiting = {}, {}
    for checkin in (
        CheckIn.objects.filter(community_id__in=ids)
        .select_related("participant")
        .order_by("answered_at", "pk")
    ):
        if checkin.answered_at is not None:
            answered.setdefault(checkin.community_id, []).append(checkin)
        elif checkin.participant_id is not None:
            waiting.setdefault(checkin.community_id, []).append(checkin)
    followups = {}
    for community_id in FollowUp.objects.filter(
        community_id__in=ids, state__in=(FollowUp.State.NEW, FollowUp.State.IN_PROGRESS)
    ).values_list("community_id", flat=True):
        followups[community_id] = followups.get(community_id, 0) + 1
    rows = []
    for community in communities:
        rule = rules[community.pk]
        row = Row(community=community, rule=rule, coach=staff.get(coaches[community.pk]))
        done = answered.get(community.pk, [])
        row.last = done[-1] if done else None
        row.next_due = rule.next(now) if rule else None
        row.waiting = [
            c for c in waiting.get(community.pk, []) if rule and rule.still_current(c.due_at, now)
        ]
        for checkin in row.waiting:
            checkin.steps = _steps(checkin, rule, now)
            checkin.overdue = is_overdue(checkin, rule, now)
        row.overdue = any(c.overdue for c in row.waiting)
        row.open_followups = followups.get(community.pk, 0)
        points = [(day_text(c.answered_at), c.scale) for c in done if c.scale][-CHART_POINTS:]
        row.chart = scale_chart(
            points,
            label=_("How %(name)s is doing over time") % {"name": community.name},
            id_prefix=f"scale-{community.slug}",
        )
        row.points = points
        rows.append(row)
    if coach:
        rows = [row for row in rows if row.coach is not None and str(row.coach.pk) == str(coach)]
    if overdue:
        rows = [row for row in rows if row.overdue]
    if support:
        rows = [row for row in rows if row.open_followups]
    rows.sort(key=lambda row: (not row.overdue, row.community.name.lower()))
    return rows, list(staff.values())


def community_history(community, *, now=None):
    """One community's check-ins, newest first, each with its follow-up; the open ones
    with their steps; the chart; the rule in force. A fixed number of queries."""
    now = now or timezone.now()
    rule = rules_for([community])[community.pk]
    checkins = list(
        community.checkins.select_related(
            "participant", "logged_by", "followup__replied_by"
        ).order_by("-period", "-answered_at", "pk")
    )
    for checkin in checkins:
        checkin.steps = _steps(checkin, rule, now)
        checkin.overdue = is_overdue(checkin, rule, now)
        try:
            checkin.the_followup = checkin.followup
        except FollowUp.DoesNotExist:
            checkin.the_followup = None
    done = sorted((c for c in checkins if c.answered_at and c.scale), key=lambda c: c.answered_at)
    points = [(day_text(c.answered_at), c.scale) for c in done][-CHART_POINTS:]
    chart = scale_chart(
        points,
        label=_("How %(name)s is doing over time") % {"name": community.name},
        id_prefix="scale-history",
        width=320,
        height=80,
    )
    return {
        "rule": rule,
        "next_due": rule.next(now) if rule else None,
        "checkins": checkins,
        "chart": chart,
        "points": points,
    }


def leaders(community):
    return [
        m.participant
        for m in community.memberships.filter(role__in=Membership.LEADING_ROLES)
        .select_related("participant")
        .order_by("role", "participant__name")
    ]


def latest_status(community, now=None):
    """For the community's page: the newest check-in (answered or not) and its steps; two
    queries."""
    now = now or timezone.now()
    checkin = community.checkins.select_related("participant").order_by("-due_at", "-pk").first()
    if checkin is None:
        return None
    rule = rules_for([community])[community.pk]
    checkin.steps = _steps(checkin, rule, now)
    checkin.overdue = is_overdue(checkin, rule, now)
    return checkin


def open_for_people(participant_ids):
    """The open check-ins (asked, unanswered) of these participants, by community: what a
    leader's home page asks of them. One query."""
    found = {}
    for checkin in CheckIn.objects.filter(
        participant_id__in=list(participant_ids),
        prompted_at__isnull=False,
        answered_at__isnull=True,
        community__archived_at__isnull=True,
    ).order_by("-due_at"):
        found.setdefault((checkin.participant_id, checkin.community_id), checkin)
    return found


def coach_followups(user, cohort_ids):
    """The open follow-ups of the communities `user` coaches in these cohorts (as a
    staff member), oldest first. Two queries."""
    cohort_ids = list(cohort_ids)
    if not cohort_ids:
        return []
    firsts = first_staff_ids(cohort_ids)
    rows = (
        FollowUp.objects.filter(
            community__cohort_id__in=cohort_ids,
            community__archived_at__isnull=True,
            state__in=(FollowUp.State.NEW, FollowUp.State.IN_PROGRESS),
        )
        .select_related("community__cohort", "checkin__participant")
        .order_by("created_at", "pk")
    )
    mine = []
    for followup in rows:
        community = followup.community
        coach = community.coach_id or firsts.get(community.cohort_id)
        if coach == user.pk:
            mine.append(followup)
    return mine
