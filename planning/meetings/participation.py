"""Participation figures from recorded attendance, for the community page and the staff
dashboard; and where each community's action plan stands.

How the figures are counted (the pages say the same in plain words):

- A meeting is *held* once its start time has passed and it was not cancelled. Future and
  cancelled meetings never count.
- A held meeting counts toward attendance only when its attendance was *recorded*: at
  least one Attendance row exists for it. Held meetings without any row are reported
  separately as *not recorded*, so a leader sees what is missing; they lower no one's rate.
- The attendance rate of a meeting, a month or a community is the share of recorded rows
  marked present: present / (present + absent + excused). Excused counts as not present;
  the number excused is reported beside the rate.
- A member's rate is the meetings they were present at over the recorded meetings that
  concern them: those where a row was recorded for them, and those held since they joined
  the community (where no row for them means they did not come).

Each figure carries how many distinct people it was counted from (`people`), so that a page
can hide it from a viewer who may not see them when they are fewer than five
(`copkit.privacy.hide_small`).

Every function runs a fixed number of queries, whatever the number of meetings, members
or communities.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from planning.models import ActionPlan, Attendance, Meeting, PlanPart, PlanVersion
from planning.plans.parts import PARTS

PRESENT = Attendance.Status.PRESENT
EXCUSED = Attendance.Status.EXCUSED


def percent(part, whole):
    """`part` of `whole` as a whole percentage, or None when there is nothing to divide."""
    return round(100 * part / whole) if whole else None


def months_back(moment, months):
    """The first instant of the calendar month `months` before the month of `moment`, in
    the current time zone (months=0: the start of this month)."""
    local = timezone.localtime(moment)
    index = local.year * 12 + local.month - 1 - months
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=timezone.get_current_timezone())


def same_day_months_ago(moment, months):
    """`moment` moved back `months` calendar months, on the same day of the month (or the
    month's last day when that month is shorter), in the current time zone."""
    local = timezone.localtime(moment)
    start = months_back(moment, months)
    last_day = (months_back(moment, months - 1) - timedelta(days=1)).day if months else 31
    day = min(local.day, last_day)
    return start.replace(day=day, hour=local.hour, minute=local.minute, second=local.second)


def held_meetings(community, now=None):
    """The community's meetings that have taken place: started, not cancelled."""
    now = now or timezone.now()
    return community.meetings.filter(starts_at__lt=now, cancelled_at__isnull=True)


def _recorded():
    return Exists(Attendance.objects.filter(meeting=OuterRef("pk")))


# --- one community ------------------------------------------------------------------------


@dataclass
class Summary:
    """A community's meetings so far and its attendance over all of them."""

    held: int  # held meetings with attendance recorded
    not_recorded: int  # held meetings without any attendance recorded
    rows: int  # attendance rows at held meetings
    present: int
    excused: int
    last_meeting: datetime | None
    next_meeting: Meeting | None
    people: int = 0  # distinct people with attendance recorded at held meetings

    @property
    def rate(self):
        return percent(self.present, self.rows)


def community_summary(community, now=None):
    """The community's overall figures and its next meeting. Two queries."""
    now = now or timezone.now()
    figures = held_meetings(community, now).aggregate(
        meetings=Count("pk", distinct=True),
        recorded=Count("pk", filter=Q(attendance__isnull=False), distinct=True),
        rows=Count("attendance"),
        present=Count("attendance", filter=Q(attendance__status=PRESENT)),
        excused=Count("attendance", filter=Q(attendance__status=EXCUSED)),
        people=Count("attendance__participant", distinct=True),
        last=Max("starts_at"),
    )
    upcoming = (
        community.meetings.filter(starts_at__gte=now, cancelled_at__isnull=True)
        .order_by("starts_at")
        .first()
    )
    return Summary(
        held=figures["recorded"],
        not_recorded=figures["meetings"] - figures["recorded"],
        rows=figures["rows"],
        present=figures["present"],
        excused=figures["excused"],
        last_meeting=figures["last"],
        next_meeting=upcoming,
        people=figures["people"],
    )


@dataclass
class MemberRate:
    membership: object
    held: int  # recorded meetings that concern this member
    present: int
    excused: int

    @property
    def participant(self):
        return self.membership.participant

    @property
    def absent(self):
        return self.held - self.present - self.excused

    @property
    def rate(self):
        return percent(self.present, self.held)


def member_rates(community, since=None, now=None):
    """Each current member's attendance at the community's held, recorded meetings (since
    `since`, when given): lowest rate first, members with nothing to count last. One
    query."""
    now = now or timezone.now()
    recorded = held_meetings(community, now).filter(_recorded())
    rows = Q(
        participant__attendance__meeting__community=community,
        participant__attendance__meeting__starts_at__lt=now,
        participant__attendance__meeting__cancelled_at__isnull=True,
    )
    if since is not None:
        recorded = recorded.filter(starts_at__gte=since)
        rows &= Q(participant__attendance__meeting__starts_at__gte=since)
    theirs = (
        recorded.filter(
            Q(
                Exists(
                    Attendance.objects.filter(
                        meeting=OuterRef("pk"), participant=OuterRef(OuterRef("participant_id"))
                    )
                )
            )
            | Q(starts_at__gte=OuterRef("created_at"))
        )
        .order_by()
        .values("community")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    memberships = (
        community.memberships.select_related("participant")
        .annotate(
            held=Coalesce(Subquery(theirs, output_field=IntegerField()), Value(0)),
            present=Count(
                "participant__attendance",
                filter=rows & Q(participant__attendance__status=PRESENT),
            ),
            excused=Count(
                "participant__attendance",
                filter=rows & Q(participant__attendance__status=EXCUSED),
            ),
        )
        .order_by("participant__name", "pk")
    )
    figures = [MemberRate(m, m.held, m.present, m.excused) for m in memberships]
    figures.sort(key=lambda f: (f.rate is None, f.rate or 0))  # stable: names stay in order
    return figures


@dataclass
class MonthRate:
    month: date
    meetings: int  # held meetings with attendance recorded
    not_recorded: int
    rows: int
    present: int
    excused: int

    @property
    def label(self):
        return date_format(self.month, "YEAR_MONTH_FORMAT")

    @property
    def rate(self):
        return percent(self.present, self.rows)


def community_rate_by_month(community, months=6, now=None):
    """The attendance rate of each of the last `months` calendar months (this one
    included) that had a held meeting, oldest first. A month's rate is present over all
    rows recorded at its meetings. One query."""
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    grouped = (
        held_meetings(community, now)
        .filter(starts_at__gte=months_back(now, months - 1))
        .annotate(month=TruncMonth("starts_at", tzinfo=tz))
        .order_by()
        .values("month")
        .annotate(
            meetings=Count("pk", filter=Q(attendance__isnull=False), distinct=True),
            not_recorded=Count("pk", filter=Q(attendance__isnull=True), distinct=True),
            rows=Count("attendance"),
            present=Count("attendance", filter=Q(attendance__status=PRESENT)),
            excused=Count("attendance", filter=Q(attendance__status=EXCUSED)),
        )
        .order_by("month")
    )
    result = []
    for row in grouped:
        month = row["month"]
        if isinstance(month, datetime):
            month = timezone.localtime(month, tz).date() if timezone.is_aware(month) else month
            month = month.date() if isinstance(month, datetime) else month
        result.append(
            MonthRate(
                month=month,
                meetings=row["meetings"],
                not_recorded=row["not_recorded"],
                rows=row["rows"],
                present=row["present"],
                excused=row["excused"],
            )
        )
    return result


# --- a whole cohort ------------------------------------------------------------------------


@dataclass
class CommunityRate:
    community: object
    held: int  # held meetings in the window with attendance recorded
    not_recorded: int  # held meetings in the window without attendance
    rows: int
    present: int
    last_meeting: datetime | None  # the last held meeting, whenever it was
    people: int = 0  # distinct people with attendance recorded in the window

    @property
    def rate(self):
        return percent(self.present, self.rows)


def cohort_rates(cohort, months=3, now=None):
    """Per active community of `cohort`: meetings held in the last `months` months (with
    and without attendance recorded), their attendance rate, and the date of its last held
    meeting. Ordered by name. One query."""
    now = now or timezone.now()
    since = same_day_months_ago(now, months)
    held = Q(meetings__starts_at__lt=now, meetings__cancelled_at__isnull=True)
    window = held & Q(meetings__starts_at__gte=since)
    communities = (
        cohort.communities.active()
        .annotate(
            n_held=Count(
                "meetings", filter=window & Q(meetings__attendance__isnull=False), distinct=True
            ),
            n_not_recorded=Count(
                "meetings", filter=window & Q(meetings__attendance__isnull=True), distinct=True
            ),
            n_rows=Count("meetings__attendance", filter=window),
            n_present=Count(
                "meetings__attendance", filter=window & Q(meetings__attendance__status=PRESENT)
            ),
            n_people=Count("meetings__attendance__participant", filter=window, distinct=True),
            last_meeting=Max("meetings__starts_at", filter=held),
        )
        .order_by("name")
    )
    return [
        CommunityRate(
            c, c.n_held, c.n_not_recorded, c.n_rows, c.n_present, c.last_meeting, c.n_people
        )
        for c in communities
    ]


def needing_attention(rates):
    """`rates` (from cohort_rates) with the communities that most need a look first: no
    attendance recorded in the window, then the lowest rate."""
    return sorted(rates, key=lambda r: (r.rate is not None, r.rate or 0, r.community.name))


# --- action plans -----------------------------------------------------------------------------


@dataclass
class PlanStatus:
    """Where a community's action plan stands: its status (None: not started) and how many
    of its parts are complete."""

    status: str | None
    complete: int = 0
    total: int = len(PARTS)
    approved_before: bool = False  # a version was approved (the draft is a revision)

    @property
    def label(self):
        if self.status is None:
            return _("No plan yet")
        if self.status == ActionPlan.Status.DRAFT:
            if self.approved_before:
                return _("Revising the approved plan: %(done)s of %(total)s parts") % {
                    "done": self.complete,
                    "total": self.total,
                }
            return _("Being written: %(done)s of %(total)s parts") % {
                "done": self.complete,
                "total": self.total,
            }
        return ActionPlan.Status(self.status).label

    @property
    def is_approved(self):
        return self.status == ActionPlan.Status.APPROVED


def plan_statuses(communities):
    """{community id: PlanStatus} for `communities` (objects or ids). Two queries."""
    ids = [getattr(c, "pk", c) for c in communities]
    statuses = {pk: PlanStatus(None) for pk in ids}
    plans = (
        ActionPlan.objects.filter(community_id__in=ids, kind=ActionPlan.Kind.ACTION)
        .annotate(
            approvals=Count("versions", filter=Q(versions__outcome=PlanVersion.Outcome.APPROVED))
        )
        .values_list("community_id", "status", "approvals")
    )
    for community_id, status, approvals in plans:
        statuses[community_id] = PlanStatus(status, approved_before=approvals > 0)
    done = (
        PlanPart.objects.filter(
            plan__community_id__in=ids, plan__kind=ActionPlan.Kind.ACTION, complete=True
        )
        .values("plan__community_id")
        .annotate(n=Count("pk"))
        .values_list("plan__community_id", "n")
    )
    for community_id, n in done:
        statuses[community_id].complete = n
    return statuses
