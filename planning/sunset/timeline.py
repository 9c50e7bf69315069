"""A cohort's transition timeline and its nudges, sent by copkit.later sweeps.

Staff set, per cohort (`Transition`): the day sunsetting starts (suggested: eight weeks
before the program ends), the days by which the sunset plans should be started and
finished, and the transition message. Then, per COP, three nudges, each claimed once by a
conditional UPDATE of its column on the COP's `SunsetState`:

- `announced_at`: on the start day, the COP moves to sunsetting and every member gets the
  transition message. Every member, not only the leaders: the lesson asks the TTA provider
  to plant with the members the idea that the COP can go on, so that each of them thinks
  about what they want from it next.
- `start_prompted_at`: a week later (or on the start-by day, if that comes first), the
  leaders are asked to start the sunset plan; not when they have started it.
- `finish_prompted_at`: two weeks before the finish-by day, the leaders are asked to finish
  it; not when it is submitted or agreed.

No nudge goes to a COP that continues on its own or has closed, nor to an archived one.
"""

import zoneinfo
from datetime import UTC, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import Community, Membership
from cohorts.services.activity import record
from copkit import later, outbox
from copkit.errors import ServiceError
from planning.models import SunsetState, Transition
from planning.sunset import phases

SUGGESTED_WEEKS = 8  # sunsetting starts this long before the program ends, by default
START_PROMPT_AFTER = timedelta(days=7)
FINISH_PROMPT_BEFORE = timedelta(days=14)


def default_message():
    return _(
        "Our TTA program is coming to its end, and with it the support our team has given "
        "your community of practice. We want to say so plainly, and early.\n\n"
        "The end of the program does not have to be the end of your COP. Many groups go on "
        "meeting once the program is over; the meetings change, since no TTA coach is there "
        "to prepare them, but the relationships you have built can stay just as useful.\n\n"
        "In the coming weeks, think about what you want from your COP next: whether and how "
        "often you would like to keep meeting, who could lead, where your documents should "
        "live, and what you still want to learn. Your leaders will write this down in a "
        "sunset plan with you, and copkit stays open for your meetings, workspace and library "
        "afterwards."
    )


def suggested_start(cohort):
    return cohort.ends_on - timedelta(weeks=SUGGESTED_WEEKS)


def suggested_dates(cohort, starts_on=None):
    """The dates the form proposes: start eight weeks before the end, plans started three
    weeks after, finished two weeks before the end."""
    starts_on = starts_on or suggested_start(cohort)
    return {
        "starts_on": starts_on,
        "start_plans_by": starts_on + timedelta(weeks=3),
        "finish_plans_by": cohort.ends_on - timedelta(weeks=2),
    }


def transition_of(cohort):
    """The cohort's Transition, or None when staff have not set one."""
    return Transition.objects.filter(cohort=cohort).select_related("cohort").first()


def message_of(transition):
    return (transition.message if transition else "") or default_message()


@transaction.atomic
def save_timeline(cohort, *, actor, starts_on, start_plans_by, finish_plans_by, message):
    """Set `cohort`'s transition timeline, and move its COPs' phases with it (a start day
    now past makes them sunsetting at once; the nudges follow with the next sweep)."""
    if starts_on and finish_plans_by and finish_plans_by < starts_on:
        raise ServiceError(_("Sunset plans can only be finished after sunsetting starts."))
    transition, _created = Transition.objects.select_for_update().get_or_create(cohort=cohort)
    transition.starts_on = starts_on
    transition.start_plans_by = start_plans_by
    transition.finish_plans_by = finish_plans_by
    # The default text is not stored: a later improvement of it reaches every cohort.
    transition.message = "" if message.strip() == default_message().strip() else message.strip()
    transition.updated_by = actor
    transition.save()
    phases.refresh_cohort(cohort)
    record(cohort, actor, "set the transition timeline", cohort)
    return transition


# -- links -----------------------------------------------------------------------------------


def sunset_plan_path(community):
    """The path of `community`'s sunset plan."""
    return reverse(
        "planning:sunset-plan",
        kwargs={"cohort_slug": community.cohort.slug, "community_slug": community.slug},
    )


# -- the sweeps ------------------------------------------------------------------------------


def _today(cohort, now):
    return timezone.localtime(now, zoneinfo.ZoneInfo(cohort.time_zone)).date()


def _ensure_states(now):
    """Make the missing SunsetState rows of the COPs whose cohort's sunsetting has started
    (a day of margin for the zones), so that each nudge has a row to claim."""
    horizon = now.astimezone(UTC).date() + timedelta(days=1)
    missing = Community.objects.filter(
        cohort__transition__starts_on__lte=horizon,
        archived_at__isnull=True,
        sunset_state__isnull=True,
    ).values_list("pk", flat=True)
    SunsetState.objects.bulk_create(
        [SunsetState(community_id=pk) for pk in missing], ignore_conflicts=True
    )


def _candidates(now, column):
    horizon = now.astimezone(UTC).date() + timedelta(days=1)
    return (
        SunsetState.objects.filter(
            **{f"{column}__isnull": True},
            community__cohort__transition__starts_on__lte=horizon,
            community__archived_at__isnull=True,
        )
        .exclude(community__phase__in=phases.ON_ITS_OWN)
        .select_related("community__cohort__transition")
        .order_by("pk")
    )


def due_announcements(now):
    """The COPs whose cohort's sunsetting has started, in the cohort's zone, not yet told."""
    _ensure_states(now)
    return [
        state
        for state in _candidates(now, "announced_at")
        if _today(state.community.cohort, now) >= state.community.cohort.transition.starts_on
    ]


def start_prompt_day(transition):
    day = transition.starts_on + START_PROMPT_AFTER
    if transition.start_plans_by:
        day = min(day, transition.start_plans_by)
    return day


def finish_prompt_day(transition):
    end = transition.finish_plans_by or transition.cohort.ends_on
    return max(end - FINISH_PROMPT_BEFORE, transition.starts_on)


def due_start_prompts(now):
    """Announced COPs whose start prompt's day has come and whose leaders have not started
    the sunset plan."""
    return [
        state
        for state in _candidates(now, "start_prompted_at").filter(
            announced_at__isnull=False, sunset_started_at__isnull=True
        )
        if _today(state.community.cohort, now)
        >= start_prompt_day(state.community.cohort.transition)
    ]


def due_finish_prompts(now):
    """Announced COPs whose finish prompt's day has come and whose sunset plan is neither
    submitted nor agreed."""
    return [
        state
        for state in _candidates(now, "finish_prompted_at").filter(
            announced_at__isnull=False,
            sunset_submitted_at__isnull=True,
            sunset_agreed_at__isnull=True,
        )
        if _today(state.community.cohort, now)
        >= finish_prompt_day(state.community.cohort.transition)
    ]


def _people(community, *, leaders_only):
    memberships = community.memberships.exclude(participant__email="").select_related("participant")
    if leaders_only:
        memberships = memberships.filter(role__in=Membership.LEADING_ROLES)
    return [m.participant for m in memberships.order_by("pk")]


def _emails(state, now, *, nudge, template, kind, leaders_only):
    community = state.community
    transition = community.cohort.transition
    context = {
        "cohort": community.cohort,
        "community": community,
        "message": message_of(transition),
        "start_plans_by": transition.start_plans_by,
        "finish_plans_by": transition.finish_plans_by,
        "ends_on": community.cohort.ends_on,
        "url": settings.SITE_URL + sunset_plan_path(community),
        "community_url": settings.SITE_URL + community.get_absolute_url(),
    }
    return outbox.enqueue_many(
        [
            {
                "key": f"{nudge}:{community.public_id}:{person.public_id}",
                "kind": kind,
                "to_email": person.email,
                "template": template,
                "context": {**context, "name": person.name},
            }
            for person in _people(community, leaders_only=leaders_only)
        ]
    )


def announce(state, now):
    """The first nudge's handler: the COP is sunsetting, and its members get the message."""
    community = state.community
    phases.refresh(community, now)
    queued = _emails(
        state,
        now,
        nudge="transition-message",
        template="sunset_transition",
        kind="sunset_transition",
        leaders_only=False,
    )
    record(community.cohort, None, "started sunsetting", community, emails=queued)
    return queued


def prompt_start(state, now):
    return _emails(
        state,
        now,
        nudge="sunset-start",
        template="sunset_start",
        kind="sunset_prompt",
        leaders_only=True,
    )


def prompt_finish(state, now):
    return _emails(
        state,
        now,
        nudge="sunset-finish",
        template="sunset_finish",
        kind="sunset_prompt",
        leaders_only=True,
    )


# No condition through a join (copkit.later's claim): the due query leaves archived COPs out.
_still_tta = lambda state: {}  # noqa: E731

announcements = later.register(
    later.Sweep(
        name="transition messages",
        due=due_announcements,
        column="announced_at",
        cohort="community__cohort",
        still=_still_tta,
        handle=announce,
    )
)
start_prompts = later.register(
    later.Sweep(
        name="sunset plan start prompts",
        due=due_start_prompts,
        column="start_prompted_at",
        cohort="community__cohort",
        still=lambda state: {"sunset_started_at__isnull": True},
        handle=prompt_start,
    )
)
finish_prompts = later.register(
    later.Sweep(
        name="sunset plan finish prompts",
        due=due_finish_prompts,
        column="finish_prompted_at",
        cohort="community__cohort",
        still=lambda state: {"sunset_submitted_at__isnull": True},
        handle=prompt_finish,
    )
)


def run_nudges(now=None):
    """Run the three sweeps once, in order. Returns {name: Swept}."""
    now = now or timezone.now()
    return {sweep.name: sweep.run(now) for sweep in (announcements, start_prompts, finish_prompts)}
