"""The check-in cycle: periods open, prompts go out, late ones are chased.

Three `copkit.later` sweeps, run with every other kind of later work by the one beat task
(`copkit.tasks.run_later_work`):

- `checkin_prompts`: before reading what is due it opens the current period of every
  community whose cadence runs: one `CheckIn` per leader and co-leader, inserted with
  `ignore_conflicts` under the unique (community, person, period) constraint, so any number
  of sweeps may open the same period at once. Each row is then claimed on `prompted_at`
  and its prompt queued (`checkin_prompt`, a personal link: always sent).
- `checkin_reminders`: an unanswered check-in `remind_after_days` late is claimed on
  `reminded_at`; the leader gets `checkin_reminder`.
- `checkin_escalations`: one `escalate_after_days` late is claimed on `escalated_at`; the
  community's coach gets `checkin_escalation`.

Every step is a timestamp on the row, so the community's pages show what happened. A paused
cadence opens nothing and chases nothing; a check-in whose period has given way to the next
one is not chased any more.
"""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Community
from cohorts.services.activity import record
from cohorts.services.coaches import coach_of
from copkit import later, outbox
from planning.checkins.services.rules import MAX_WEEKS, rules_for
from planning.models import Cadence, CheckIn

# Phases in which a COP is asked to check in.
CHECKING_PHASES = (
    Community.Phase.FORMING,
    Community.Phase.DEFINING,
    Community.Phase.ACTIVE,
    Community.Phase.SUNSETTING,
)
# A row made more than this long after its period came due (a new cadence whose first day
# is past, a co-leader added mid-period) is due when it is made, not in the past.
ON_TIME = timedelta(hours=6)


def _communities_with_cadence():
    cohorts = Cadence.objects.values("cohort_id")
    return (
        Community.objects.filter(
            cohort_id__in=cohorts, archived_at__isnull=True, phase__in=CHECKING_PHASES
        )
        .select_related("cohort")
        .with_leaders()
    )


def open_periods(now=None):
    """Make the missing CheckIn rows of every community's current period. Safe in any
    number of processes at once. Returns how many rows were new."""
    now = now or timezone.now()
    communities = list(_communities_with_cadence())
    rules = rules_for(communities)
    wanted = []
    for community in communities:
        rule = rules[community.pk]
        if rule is None or rule.paused:
            continue
        period = rule.current(now)
        if period is None or not rule.still_current(period.due_at, now):
            continue
        due_at = period.due_at if now - period.due_at <= ON_TIME else now
        for membership in community.leaders:
            wanted.append(
                CheckIn(
                    community=community,
                    participant=membership.participant,
                    leader_id=membership.participant.user_id,
                    period=period.key,
                    due_at=due_at,
                )
            )
    if not wanted:
        return 0
    have = set(
        CheckIn.objects.filter(
            community__in={row.community_id for row in wanted},
            period__in={row.period for row in wanted},
            participant__isnull=False,
        ).values_list("community_id", "participant_id", "period")
    )
    new = [row for row in wanted if (row.community_id, row.participant_id, row.period) not in have]
    # A person's account may have another row in this period (linked before): the leader
    # constraint then keeps that one, and ignore_conflicts skips this.
    CheckIn.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _open_rows(now, column):
    """Unanswered rows of people asked, not yet handled by `column`, recent enough to be in
    their period still."""
    return (
        CheckIn.objects.filter(
            answered_at__isnull=True,
            participant__isnull=False,
            due_at__lte=now,
            due_at__gt=now - timedelta(weeks=MAX_WEEKS),
            community__archived_at__isnull=True,
            community__phase__in=CHECKING_PHASES,
            **{f"{column}__isnull": True},
        )
        .select_related("community__cohort", "community__coach", "participant")
        .order_by("due_at", "pk")
    )


def _in_force(rows, now, when):
    """The rows whose rule runs, whose period is current and whose `when(rule, due_at)` has
    come."""
    rows = list(rows)
    rules = rules_for({row.community_id: row.community for row in rows}.values())
    due = []
    for row in rows:
        rule = rules.get(row.community_id)
        if rule is None or rule.paused or not rule.still_current(row.due_at, now):
            continue
        if when(rule, row.due_at) <= now:
            row.rule = rule
            due.append(row)
    return due


def due_prompts(now):
    open_periods(now)
    return _in_force(_open_rows(now, "prompted_at"), now, lambda rule, due_at: due_at)


def due_reminders(now):
    rows = _open_rows(now, "reminded_at").filter(prompted_at__isnull=False)
    return _in_force(rows, now, lambda rule, due_at: rule.reminder_due(due_at))


def due_escalations(now):
    rows = _open_rows(now, "escalated_at").filter(prompted_at__isnull=False)
    return _in_force(rows, now, lambda rule, due_at: rule.escalation_due(due_at))


def answer_url(checkin):
    return settings.SITE_URL + reverse("checkin-answer", kwargs={"token": checkin.token})


def history_url(community):
    return settings.SITE_URL + reverse(
        "planning:community-checkins",
        kwargs={"cohort_slug": community.cohort.slug, "community_slug": community.slug},
    )


def _context(checkin, **extra):
    community = checkin.community
    return {
        "cohort": community.cohort,
        "community": community,
        "checkin": checkin,
        "participant": checkin.participant,
        "answer_url": answer_url(checkin),
        "history_url": history_url(community),
        **extra,
    }


def send_prompt(checkin, now):
    """The prompt sweep's handler: the leader's email with their personal link."""
    if not checkin.participant.email:
        return 0
    return outbox.enqueue_many(
        [
            {
                "key": f"checkin_prompt:{checkin.pk}:{checkin.participant_id}",
                "kind": "checkin_prompt",
                "to_email": checkin.participant.email,
                "template": "checkin_prompt",
                "context": _context(checkin),
            }
        ]
    )


def send_reminder(checkin, now):
    if not checkin.participant.email:
        return 0
    return outbox.enqueue_many(
        [
            {
                "key": f"checkin_reminder:{checkin.pk}:{checkin.participant_id}",
                "kind": "checkin_reminder",
                "to_email": checkin.participant.email,
                "template": "checkin_reminder",
                "context": _context(checkin),
            }
        ]
    )


def send_escalation(checkin, now):
    """The coach's note: the community, the leader, how late. No coach (a cohort without
    staff): the step is still recorded on the row, and nothing is sent."""
    coach = coach_of(checkin.community)
    record(checkin.community.cohort, None, "escalated check-in", checkin.community)
    if coach is None:
        return 0
    zone = checkin.rule.zone if hasattr(checkin, "rule") else timezone.get_current_timezone()
    days = (now.astimezone(zone).date() - checkin.due_at.astimezone(zone).date()).days
    return outbox.enqueue_many(
        [
            {
                "key": f"checkin_escalation:{checkin.pk}:{coach.pk}",
                "kind": "checkin_escalation",
                "to_email": coach.email,
                "template": "checkin_escalation",
                "context": _context(checkin, coach=coach, days_late=days),
            }
        ]
    )


def _record_per_community(verb):
    def after(handled, now):
        by_community = defaultdict(list)
        for row, _queued in handled:
            by_community[row.community_id].append(row)
        for rows in by_community.values():
            community = rows[0].community
            record(community.cohort, None, verb, community, count=len(rows))

    return after


_unanswered = lambda checkin: {"answered_at__isnull": True}  # noqa: E731

checkin_prompts = later.register(
    later.Sweep(
        name="check-in prompts",
        cohort="community__cohort",
        due=due_prompts,
        column="prompted_at",
        still=_unanswered,
        handle=send_prompt,
        after=_record_per_community("sent check-in prompts"),
    )
)
checkin_reminders = later.register(
    later.Sweep(
        name="check-in reminders",
        cohort="community__cohort",
        due=due_reminders,
        column="reminded_at",
        still=_unanswered,
        handle=send_reminder,
        after=_record_per_community("sent check-in reminder"),
    )
)
checkin_escalations = later.register(
    later.Sweep(
        name="check-in escalations",
        cohort="community__cohort",
        due=due_escalations,
        column="escalated_at",
        still=_unanswered,
        handle=send_escalation,
    )
)


def run_cycle(now=None):
    """Run the three sweeps once (what the beat's run_later_work does with them). Returns
    {sweep name: Swept}."""
    now = now or timezone.now()
    return {
        sweep.name: sweep.run(now)
        for sweep in (checkin_prompts, checkin_reminders, checkin_escalations)
    }
