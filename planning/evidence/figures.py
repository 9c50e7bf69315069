"""The figures of the evidence pages, the cohort report and its exports: baseline →
participation → outcomes, for one community or for all of a cohort's communities.

Everything is counted by the database (grouped by community and by month). A few answers
are stored as JSON (a multiple-choice pick, a rating): the database groups them by value and
the code adds the groups up, as the survey results do, so the work per group never grows
with the number of rows. `build` runs a fixed number of queries whatever the number of
communities, members, meetings or goals.

How each figure is counted (the pages say the same in plain words):

- Needs and expertise by practice area: inventory entries of the community's members, by
  the practice area they are tagged with (people: the members who gave them).
- Learning preferences: the picks of "How do you like to learn?" in the cohort's needs
  surveys (submitted answers of the community's members).
- Per month: meetings held (started, not cancelled), attendance rate (present over all the
  attendance recorded at those meetings), active members (different people present at
  least once that month).
- Contributions: comments on the community's action plan; for the whole cohort, the posts and
  replies of the leaders' circle too. (The shared workspace comes later.)
- Goal status by month: each live goal's latest status as of the month's last day ("Not
  started" until its first update); met and missed against the goal's target date.
- Evaluation results: per round, the submitted responses, the goal-progress answers (on track,
  some progress, stalled: the choice's position, so that a reworded choice still counts),
  the average "value" rating and how many reported a change in their practice.

Privacy (`copkit.privacy`): for a viewer who may not see the people (an observer), a figure
built from fewer than MIN_GROUP people is hidden: `Figure.hidden`. A community's figures are
built from its members: every figure of a community with fewer than five members is hidden,
and a figure with a smaller group of its own (one month's attendance, one round's responses)
is hidden when that group is small.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.formats import date_format

from cohorts.models import Community, Membership
from copkit.privacy import MIN_GROUP, hide_small
from planning.meetings.participation import months_back, percent
from planning.models import (
    Answer,
    Attendance,
    CheckIn,
    CirclePost,
    CircleReply,
    DeeperSuggestion,
    Evaluation,
    EvaluationRound,
    Goal,
    GoalStatus,
    GoalUpdate,
    InventoryEntry,
    Meeting,
    PlanComment,
    PlanPart,
    Question,
    Response,
    StructureDecision,
    Survey,
)
from planning.surveys.banks import NEEDS_QUESTIONS

MONTHS = 12
PRESENT = Attendance.Status.PRESENT
# The goal-progress choices, by position in the question's list of choices.
PROGRESS = ("on_track", "some_progress", "stalled")
SUCCESS_FIELDS = ("funder", "members", "community")
TOTAL = "total"  # the key of the whole set's figures


def _learning_question_text():
    for item in NEEDS_QUESTIONS:
        if item["kind"] == Question.Kind.MULTIPLE and "learn" in str(item["text"]).lower():
            return str(item["text"])
    return ""


@dataclass
class Figure:
    """A number (or None: nothing to count), how many people it is built from, and whether
    the viewer must not see it."""

    value: object = None
    people: int = 0
    hidden: bool = False

    def __str__(self):
        return "" if self.value is None else str(self.value)


@dataclass
class Month:
    start: date
    end: date  # its last day

    @property
    def label(self):
        return date_format(self.start, "YEAR_MONTH_FORMAT")

    @property
    def short(self):
        return self.start.strftime("%b %y")


@dataclass
class MonthRow:
    month: Month
    meetings: Figure
    rate: Figure
    active: Figure
    goals: dict  # status -> Figure


@dataclass
class RoundResult:
    round: object
    responses: Figure
    progress: dict  # "on_track" / "some_progress" / "stalled" -> Figure
    value: Figure  # the average rating
    practice_changes: Figure


@dataclass
class Evidence:
    """The figures of one community (or, `community` None, of the whole set)."""

    community: object
    members: int
    hidden: bool  # every figure is hidden from this viewer (fewer than five members)
    needs: list = field(default_factory=list)  # [(area, Figure)]
    expertise: list = field(default_factory=list)
    learning: list = field(default_factory=list)  # [(choice, Figure)]
    needs_responses: Figure = field(default_factory=Figure)
    months: list = field(default_factory=list)  # [MonthRow], oldest first
    meetings: Figure = field(default_factory=Figure)
    rate: Figure = field(default_factory=Figure)
    checkins: Figure = field(default_factory=Figure)
    activities: Figure = field(default_factory=Figure)
    contributions: Figure = field(default_factory=Figure)
    goal_counts: dict = field(default_factory=dict)  # status -> Figure
    goals_met: Figure = field(default_factory=Figure)
    goals_missed: Figure = field(default_factory=Figure)
    goals: list = field(default_factory=list)  # the live goals (text), for who may read them
    rounds: list = field(default_factory=list)  # [RoundResult]
    practice_texts: list = field(default_factory=list)  # staff only
    success: dict = field(default_factory=dict)  # "funder"... -> text, for who may read them
    decisions: Figure = field(default_factory=Figure)
    leaves_out: int = 0  # (the whole set) communities too small to count in, for this viewer

    @property
    def last_month(self):
        """The last whole month (the one before this one)."""
        return self.months[-2] if len(self.months) > 1 else None


def window(months=MONTHS, first=None, last=None):
    """Calendar months, oldest first: at most `months` of them, ending with the month of
    `last` (default today) and starting no earlier than the month of `first` (a cohort's
    start, so that a report does not open with empty months from before the program)."""
    now = timezone.now()
    today = timezone.localdate()
    last = last or today
    back_to_last = max(0, (today.year - last.year) * 12 + today.month - last.month)
    count = months
    if first is not None and first <= last:
        count = min(months, (last.year - first.year) * 12 + last.month - first.month + 1)
    result = []
    for back in range(back_to_last + count - 1, back_to_last - 1, -1):
        start = months_back(now, back).date()
        following = months_back(now, back - 1).date()
        result.append(Month(start, following - timedelta(days=1)))
    return result


def _month_key(value, tz):
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, tz)
        value = value.date()
    return value.replace(day=1)


class _Guard:
    def __init__(self, sees_people):
        self.sees_people = sees_people

    def figure(self, value, people, *, floor=None):
        """`floor`: the wider group the figure comes from (the community's members)."""
        hidden = hide_small(people, sees_people=self.sees_people)
        if floor is not None:
            hidden = hidden or hide_small(floor, sees_people=self.sees_people)
        return Figure(None if hidden else value, people, hidden)


def _count(queryset, key):
    """{key value: n} from one GROUP BY query."""
    return dict(queryset.order_by().values(key).annotate(n=Count("pk")).values_list(key, "n"))


def build(cohort, communities, *, sees_people, sees_words=False, sees_texts=False, months=MONTHS):
    """{community id: Evidence, TOTAL: Evidence} for `communities` (a list of Community rows
    of `cohort`). `sees_people`: the viewer may see every figure (staff, or members of the
    one community); `sees_words`: the goals and the plan's success texts (staff and
    members); `sees_texts`: the evaluation answers in words (staff)."""
    guard = _Guard(sees_people)
    ids = [c.pk for c in communities]
    # With no community, every query still runs (matching nothing): the same number of
    # queries whatever the set, as the bench and the query-count tests check.
    query_ids = ids or [0]
    today = timezone.localdate()
    now = timezone.now()
    tz = timezone.get_current_timezone()
    # The program's months: from the cohort's start, up to this month or the cohort's end.
    month_list = window(months, first=cohort.starts_on, last=min(today, cohort.ends_on))
    since = datetime.combine(month_list[0].start, datetime.min.time(), tzinfo=tz)

    members = dict(
        Membership.objects.filter(community_id__in=query_ids)
        .order_by()
        .values("community_id")
        .annotate(n=Count("participant", distinct=True))
        .values_list("community_id", "n")
    )
    total_members = (
        Membership.objects.filter(community_id__in=query_ids)
        .values("participant")
        .distinct()
        .order_by()
        .count()
    )
    result = {}
    for c in communities:
        n = members.get(c.pk, 0)
        result[c.pk] = Evidence(c, n, hide_small(n, sees_people=sees_people))
    total = Evidence(None, total_members, hide_small(total_members, sees_people=sees_people))
    result[TOTAL] = total

    def floor_of(cid):
        return result[cid].members if cid != TOTAL else total_members

    # --- baseline ---------------------------------------------------------------------
    entries = InventoryEntry.objects.filter(participant__memberships__community_id__in=query_ids)
    for row in (
        entries.order_by()
        .values(cid=F("participant__memberships__community_id"), k=F("kind"), area=F("topic__name"))
        .annotate(n=Count("pk", distinct=True), people=Count("participant", distinct=True))
        .order_by("-n", "area")
    ):
        target = result[row["cid"]].needs if row["k"] == "need" else result[row["cid"]].expertise
        target.append(
            (row["area"], guard.figure(row["n"], row["people"], floor=floor_of(row["cid"])))
        )
    for row in (
        entries.order_by()
        .values(k=F("kind"), area=F("topic__name"))
        .annotate(n=Count("pk", distinct=True), people=Count("participant", distinct=True))
        .order_by("-n", "area")
    ):
        target = total.needs if row["k"] == "need" else total.expertise
        target.append((row["area"], guard.figure(row["n"], row["people"], floor=total_members)))

    needs_answers = Response.objects.filter(
        survey__cohort=cohort,
        survey__kind=Survey.Kind.NEEDS,
        submitted_at__isnull=False,
        participant__memberships__community_id__in=query_ids,
    )
    by_community = dict(
        needs_answers.order_by()
        .values(cid=F("participant__memberships__community_id"))
        .annotate(n=Count("participant", distinct=True))
        .values_list("cid", "n")
    )
    respondents_total = needs_answers.values("participant").distinct().order_by().count()
    for cid in ids:
        n = by_community.get(cid, 0)
        result[cid].needs_responses = guard.figure(n, n, floor=floor_of(cid))
    total.needs_responses = guard.figure(respondents_total, respondents_total, floor=total_members)

    learn_text = _learning_question_text()
    picks = (
        Answer.objects.filter(
            question__survey__cohort=cohort,
            question__survey__kind=Survey.Kind.NEEDS,
            question__kind=Question.Kind.MULTIPLE,
            question__text__iexact=learn_text,
            response__submitted_at__isnull=False,
            response__participant__memberships__community_id__in=query_ids,
        )
        .order_by()
        .values(cid=F("response__participant__memberships__community_id"), picked=F("value"))
        .annotate(n=Count("response__participant", distinct=True))
    )
    learning = {cid: {} for cid in [*ids, TOTAL]}
    for row in picks:  # one row per (community, set of picks): a handful of groups
        for choice in row["picked"] or []:
            for cid in (row["cid"], TOTAL):
                learning[cid][choice] = learning[cid].get(choice, 0) + row["n"]
    for cid, counts in learning.items():
        respondents = result[cid].needs_responses.people
        result[cid].learning = [
            (choice, guard.figure(n, respondents, floor=floor_of(cid)))
            for choice, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        ]

    # --- participation ----------------------------------------------------------------
    held = Q(meeting__community_id__in=query_ids, meeting__cancelled_at__isnull=True)
    held &= Q(meeting__starts_at__lt=now, meeting__starts_at__gte=since)
    attendance = Attendance.objects.filter(held).annotate(
        month=TruncMonth("meeting__starts_at", tzinfo=tz)
    )
    figures = {
        "rows": Count("pk"),
        "present": Count("pk", filter=Q(status=PRESENT)),
        "active": Count("participant", filter=Q(status=PRESENT), distinct=True),
        "people": Count("participant", distinct=True),
    }
    by_month = {}
    for row in (
        attendance.order_by().values("month", cid=F("meeting__community_id")).annotate(**figures)
    ):
        by_month[(row["cid"], _month_key(row["month"], tz))] = row
    for row in attendance.order_by().values("month").annotate(**figures):
        by_month[(TOTAL, _month_key(row["month"], tz))] = row
    meetings_by_month = {}
    for row in (
        Meeting.objects.filter(
            community_id__in=query_ids,
            cancelled_at__isnull=True,
            starts_at__lt=now,
            starts_at__gte=since,
        )
        .annotate(month=TruncMonth("starts_at", tzinfo=tz))
        .order_by()
        .values("month", "community_id")
        .annotate(n=Count("pk"))
    ):
        key = _month_key(row["month"], tz)
        meetings_by_month[(row["community_id"], key)] = row["n"]
        meetings_by_month[(TOTAL, key)] = meetings_by_month.get((TOTAL, key), 0) + row["n"]

    goal_months = _goal_status_by_month(query_ids, month_list)
    for cid in [*ids, TOTAL]:
        evidence = result[cid]
        floor = floor_of(cid)
        sums = {"rows": 0, "present": 0, "meetings": 0}
        for month in month_list:
            row = by_month.get((cid, month.start)) or {}
            people = row.get("people", 0)
            rows, present, active = row.get("rows", 0), row.get("present", 0), row.get("active", 0)
            n_meetings = meetings_by_month.get((cid, month.start), 0)
            sums["rows"] += rows
            sums["present"] += present
            sums["meetings"] += n_meetings
            statuses = goal_months.get((cid, month.start), {})
            evidence.months.append(
                MonthRow(
                    month=month,
                    meetings=guard.figure(n_meetings, floor, floor=floor),
                    rate=guard.figure(percent(present, rows), people, floor=floor),
                    active=guard.figure(active, max(active, people), floor=floor),
                    goals={
                        status: guard.figure(statuses.get(status, 0), floor, floor=floor)
                        for status in GoalStatus.values
                    },
                )
            )
        evidence.meetings = guard.figure(sums["meetings"], floor, floor=floor)
        evidence.rate = guard.figure(percent(sums["present"], sums["rows"]), floor)

    checkins = _count(
        CheckIn.objects.filter(community_id__in=query_ids, answered_at__isnull=False),
        "community_id",
    )
    done = _count(
        DeeperSuggestion.objects.filter(
            community_id__in=query_ids, state=DeeperSuggestion.State.DONE
        ),
        "community_id",
    )
    comments = _count(
        PlanComment.objects.filter(plan__community_id__in=query_ids), "plan__community_id"
    )
    decisions = _count(StructureDecision.objects.filter(community_id__in=query_ids), "community_id")
    circle = (
        CirclePost.objects.filter(cohort=cohort).count()
        + CircleReply.objects.filter(post__cohort=cohort).count()
    )
    for cid in ids:
        floor = floor_of(cid)
        result[cid].checkins = guard.figure(checkins.get(cid, 0), floor)
        result[cid].activities = guard.figure(done.get(cid, 0), floor)
        result[cid].contributions = guard.figure(comments.get(cid, 0), floor)
        result[cid].decisions = guard.figure(decisions.get(cid, 0), floor)
    total.checkins = guard.figure(sum(checkins.values()), total_members)
    total.activities = guard.figure(sum(done.values()), total_members)
    total.contributions = guard.figure(sum(comments.values()) + circle, total_members)
    total.decisions = guard.figure(sum(decisions.values()), total_members)

    # --- outcomes ---------------------------------------------------------------------
    live = Goal.objects.filter(community_id__in=query_ids, retired_at__isnull=True)
    missed = Q(target_date__lt=today) & ~Q(status__in=[GoalStatus.MET, GoalStatus.DROPPED])
    status_counts = {}
    for row in (
        live.order_by()
        .values("community_id", "status")
        .annotate(
            n=Count("pk"),
            met=Count("pk", filter=Q(status=GoalStatus.MET)),
            missed=Count("pk", filter=missed),
        )
    ):
        for cid in (row["community_id"], TOTAL):
            counts = status_counts.setdefault(cid, {"_met": 0, "_missed": 0})
            counts[row["status"]] = counts.get(row["status"], 0) + row["n"]
            counts["_met"] += row["met"]
            counts["_missed"] += row["missed"]
    for cid in [*ids, TOTAL]:
        counts = status_counts.get(cid, {})
        floor = floor_of(cid)
        result[cid].goal_counts = {
            status: guard.figure(counts.get(status, 0), floor) for status in GoalStatus.values
        }
        result[cid].goals_met = guard.figure(counts.get("_met", 0), floor)
        result[cid].goals_missed = guard.figure(counts.get("_missed", 0), floor)
    if sees_words:
        goals = live.order_by("community_id", "position")
        for goal in goals:  # the goals themselves are listed, one line each
            result[goal.community_id].goals.append(goal)
        for cid, data in PlanPart.objects.filter(
            plan__community_id__in=query_ids, key="success"
        ).values_list("plan__community_id", "data"):
            data = data if isinstance(data, dict) else {}
            result[cid].success = {key: str(data.get(key) or "").strip() for key in SUCCESS_FIELDS}

    _evaluation_results(cohort, query_ids, result, guard, sees_texts=sees_texts)
    return result


def _goal_status_by_month(query_ids, month_list):
    """{(community id or TOTAL, month start): {status: goals}}: each goal's latest status as
    of each month's last day, counted in two queries (one count per month and status)."""
    later = GoalUpdate.objects.filter(goal=OuterRef("goal")).filter(
        Q(recorded_on__gt=OuterRef("recorded_on"))
        | Q(recorded_on=OuterRef("recorded_on"), created_at__gt=OuterRef("created_at"))
    )
    next_on = Subquery(later.order_by("recorded_on", "created_at").values("recorded_on")[:1])

    def existing(prefix, month):
        return Q(**{f"{prefix}created_at__date__lte": month.end}) & (
            Q(**{f"{prefix}retired_at__isnull": True})
            | Q(**{f"{prefix}retired_at__date__gt": month.end})
        )

    per_month = {}
    for index, month in enumerate(month_list):
        current = Q(recorded_on__lte=month.end) & (
            Q(next_on__isnull=True) | Q(next_on__gt=month.end)
        )
        per_month[f"m{index}"] = Count("pk", filter=current & existing("goal__", month))
    updates = (
        GoalUpdate.objects.filter(goal__community_id__in=query_ids)
        .annotate(next_on=next_on)
        .order_by()
        .values("status", cid=F("goal__community_id"))
        .annotate(**per_month)
    )
    goal_counts = (
        Goal.objects.filter(community_id__in=query_ids)
        .order_by()
        .values("community_id")
        .annotate(
            **{
                f"m{index}": Count("pk", filter=existing("", month))
                for index, month in enumerate(month_list)
            }
        )
    )
    counts = {}

    def add(cid, month, status, n):
        for key in ((cid, month.start), (TOTAL, month.start)):
            bucket = counts.setdefault(key, {})
            bucket[status] = bucket.get(status, 0) + n

    with_status = {}
    for row in updates:
        for index, month in enumerate(month_list):
            n = row[f"m{index}"]
            if n:
                add(row["cid"], month, row["status"], n)
                key = (row["cid"], index)
                with_status[key] = with_status.get(key, 0) + n
    for row in goal_counts:
        for index, month in enumerate(month_list):
            waiting = row[f"m{index}"] - with_status.get((row["community_id"], index), 0)
            if waiting > 0:
                add(row["community_id"], month, GoalStatus.NOT_STARTED, waiting)
    return counts


def _evaluation_results(cohort, query_ids, result, guard, *, sees_texts):
    rounds = list(EvaluationRound.objects.filter(cohort=cohort).order_by("opens_on", "created_at"))
    if not rounds:
        return
    where = {
        "response__survey__evaluation__round__cohort": cohort,
        "response__survey__evaluation__community_id__in": query_ids,
        "response__submitted_at__isnull": False,
    }
    rkey, ckey = (
        "response__survey__evaluation__round_id",
        "response__survey__evaluation__community_id",
    )
    responses = {}
    for row in (
        Response.objects.filter(
            survey__evaluation__round__cohort=cohort,
            survey__evaluation__community_id__in=query_ids,
            submitted_at__isnull=False,
        )
        .order_by()
        .values(rid=F("survey__evaluation__round_id"), cid=F("survey__evaluation__community_id"))
        .annotate(n=Count("pk"))
    ):
        for cid in (row["cid"], TOTAL):
            key = (row["rid"], cid)
            responses[key] = responses.get(key, 0) + row["n"]
    choices = dict(
        Question.objects.filter(
            measures="goal_progress", survey__evaluation__round__cohort=cohort
        ).values_list("pk", "choices")
    )
    progress = {}
    for row in (
        Answer.objects.filter(question__measures="goal_progress", **where)
        .order_by()
        .values("question_id", "value", rid=F(rkey), cid=F(ckey))
        .annotate(n=Count("pk"))
    ):
        options = [str(c) for c in choices.get(row["question_id"]) or []]
        value = row["value"]
        if isinstance(value, list):
            value = value[0] if value else None
        position = options.index(str(value)) if value is not None and str(value) in options else -1
        if 0 <= position < len(PROGRESS):
            for cid in (row["cid"], TOTAL):
                bucket = progress.setdefault((row["rid"], cid), {})
                bucket[PROGRESS[position]] = bucket.get(PROGRESS[position], 0) + row["n"]
    ratings = {}
    for row in (
        Answer.objects.filter(question__measures="value", **where)
        .order_by()
        .values("value", rid=F(rkey), cid=F(ckey))
        .annotate(n=Count("pk"))
    ):
        if isinstance(row["value"], int) and not isinstance(row["value"], bool):
            for cid in (row["cid"], TOTAL):
                total, n = ratings.get((row["rid"], cid), (0, 0))
                ratings[(row["rid"], cid)] = (total + row["value"] * row["n"], n + row["n"])
    changes_q = (
        Answer.objects.filter(question__measures="practice_change", **where)
        .exclude(value__isnull=True)
        .exclude(value="")
    )
    changes = {}
    for row in changes_q.order_by().values(rid=F(rkey), cid=F(ckey)).annotate(n=Count("pk")):
        for cid in (row["cid"], TOTAL):
            changes[(row["rid"], cid)] = changes.get((row["rid"], cid), 0) + row["n"]
    if sees_texts:
        texts = changes_q.order_by(ckey, rkey, "pk").values_list(
            ckey, "response__survey__evaluation__community__name", "value"
        )
        for cid, name, text in texts:
            result[cid].practice_texts.append(str(text))
            result[TOTAL].practice_texts.append(f"{name}: {text}")
    for cid in result:
        evidence = result[cid]
        for round_ in rounds:
            n = responses.get((round_.pk, cid), 0)
            if not n:
                continue
            floor = evidence.members
            rated = ratings.get((round_.pk, cid))
            average = round(rated[0] / rated[1], 1) if rated and rated[1] else None
            counts = progress.get((round_.pk, cid), {})
            evidence.rounds.append(
                RoundResult(
                    round=round_,
                    responses=guard.figure(n, n, floor=floor),
                    progress={k: guard.figure(counts.get(k, 0), n, floor=floor) for k in PROGRESS},
                    value=guard.figure(average, rated[1] if rated else 0, floor=floor),
                    practice_changes=guard.figure(changes.get((round_.pk, cid), 0), n, floor=floor),
                )
            )


# --- the compare page: headline figures of several cohorts ---------------------------------


def _sub_count(queryset, outer="pk", key="cohort"):
    return Coalesce(
        Subquery(
            queryset.filter(**{key: OuterRef(outer)})
            .order_by()
            .values(key)
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def headlines(cohorts_qs, *, sees_people=True):
    """The same headline figures for each cohort of `cohorts_qs`, in a fixed number of
    queries whatever the number of cohorts."""
    now = timezone.now()
    today = timezone.localdate()
    last_month_start = months_back(now, 1)
    this_month_start = months_back(now, 0)
    held = Q(meeting__cancelled_at__isnull=True, meeting__starts_at__lt=now)
    attendance = Attendance.objects.filter(held)
    rows = list(
        cohorts_qs.annotate(
            n_communities=_sub_count(Community.objects.filter(archived_at__isnull=True)),
            n_members=Coalesce(
                Subquery(
                    Membership.objects.filter(community__cohort=OuterRef("pk"))
                    .order_by()
                    .values("community__cohort")
                    .annotate(n=Count("participant", distinct=True))
                    .values("n")[:1],
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
            n_rows=_sub_count(attendance, key="meeting__community__cohort"),
            n_present=_sub_count(
                attendance.filter(status=PRESENT), key="meeting__community__cohort"
            ),
            n_active=Coalesce(
                Subquery(
                    attendance.filter(
                        status=PRESENT,
                        meeting__community__cohort=OuterRef("pk"),
                        meeting__starts_at__gte=last_month_start,
                        meeting__starts_at__lt=this_month_start,
                    )
                    .order_by()
                    .values("meeting__community__cohort")
                    .annotate(n=Count("participant", distinct=True))
                    .values("n")[:1],
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
            n_meetings=_sub_count(
                Meeting.objects.filter(cancelled_at__isnull=True, starts_at__lt=now),
                key="community__cohort",
            ),
            n_checkins=_sub_count(
                CheckIn.objects.filter(answered_at__isnull=False), key="community__cohort"
            ),
            n_on_track=_sub_count(
                Goal.objects.filter(retired_at__isnull=True, status=GoalStatus.ON_TRACK),
                key="community__cohort",
            ),
            n_met=_sub_count(
                Goal.objects.filter(retired_at__isnull=True, status=GoalStatus.MET),
                key="community__cohort",
            ),
            n_missed=_sub_count(
                Goal.objects.filter(retired_at__isnull=True, target_date__lt=today).exclude(
                    status__in=[GoalStatus.MET, GoalStatus.DROPPED]
                ),
                key="community__cohort",
            ),
            n_evaluations=_sub_count(
                Evaluation.objects.filter(Q(closed_at__isnull=False) | Q(held_on__isnull=False)),
                key="round__cohort",
            ),
        ).order_by("name")
    )
    ratings = {}
    for cohort_id, value, n in (
        Answer.objects.filter(
            question__measures="value",
            response__submitted_at__isnull=False,
            question__survey__cohort__in=[c.pk for c in rows],
            question__survey__kind=Survey.Kind.EVALUATION,
        )
        .order_by()
        .values_list("question__survey__cohort", "value")
        .annotate(n=Count("pk"))
    ):
        if isinstance(value, int) and not isinstance(value, bool):
            total, count = ratings.get(cohort_id, (0, 0))
            ratings[cohort_id] = (total + value * n, count + n)
    guard = _Guard(sees_people)
    result = []
    for c in rows:
        floor = c.n_members
        rated = ratings.get(c.pk)
        result.append(
            {
                "cohort": c,
                "communities": Figure(c.n_communities, floor),
                "members": guard.figure(c.n_members, floor),
                "rate": guard.figure(percent(c.n_present, c.n_rows), floor),
                "active": guard.figure(c.n_active, floor),
                "meetings": guard.figure(c.n_meetings, floor),
                "checkins": guard.figure(c.n_checkins, floor),
                "on_track": guard.figure(c.n_on_track, floor),
                "met": guard.figure(c.n_met, floor),
                "missed": guard.figure(c.n_missed, floor),
                "evaluations": guard.figure(c.n_evaluations, floor),
                "value": guard.figure(
                    round(rated[0] / rated[1], 1) if rated and rated[1] else None,
                    rated[1] if rated else 0,
                ),
            }
        )
    return result


__all__ = ["MIN_GROUP", "PROGRESS", "TOTAL", "Evidence", "Figure", "build", "headlines", "window"]
