"""Answers: a leader's through their link, a call staff logged, and the follow-ups that
"support wanted" opens for the coach."""

from datetime import datetime, time

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import Membership
from cohorts.services.activity import record
from cohorts.services.coaches import coach_of
from copkit import outbox
from copkit.concurrency import hold_unchanged
from copkit.errors import ServiceError
from planning.archived import refuse_if_archived
from planning.evaluations.services.goals import record_checkin_updates
from planning.models import CheckIn, FollowUp

ANSWER_FIELDS = ("scale", "successes", "challenges", "support_wanted", "anything_else")


def _clean(values):
    values = {name: values.get(name) for name in ANSWER_FIELDS}
    for name in ANSWER_FIELDS[1:]:
        values[name] = (values[name] or "").strip()
    if values["scale"] not in CheckIn.Scale.values:
        raise ServiceError(_("Choose how the COP is doing, from 1 to 5."), field="scale")
    return values


def _apply(checkin, values, now):
    for name, value in values.items():
        setattr(checkin, name, value)
    if checkin.answered_at is None:
        checkin.answered_at = now


def answer(checkin, *, values, user=None, goal_updates=()):
    """Save a leader's answers (first time or a change). "Support wanted" opens a
    follow-up for the coach, or changes its words while the coach has not started on it.
    `goal_updates`: (goal, status, note) of the goals whose status the leader gave, recorded
    in the same transaction. Returns the check-in."""
    values = _clean(values)
    now = timezone.now()
    with transaction.atomic():
        checkin = (
            CheckIn.objects.select_for_update(of=("self",))
            .select_related("community__cohort", "participant")
            .get(pk=checkin.pk)
        )
        refuse_if_archived(checkin.community)
        first = checkin.answered_at is None
        _apply(checkin, values, now)
        checkin.how = CheckIn.How.WEB
        checkin.save()
        _follow_up(checkin)
        record_checkin_updates(
            checkin,
            goal_updates,
            actor=user,
            recorded_on=timezone.localtime(now).date(),
        )
        if first:
            record(
                checkin.community.cohort,
                user,
                "answered check-in",
                checkin.community,
                participant=checkin.participant.name if checkin.participant else "",
            )
    return checkin


@transaction.atomic
def log_call(community, *, actor, how, held_on, values, participant=None, goal_updates=()):
    """Staff log a check-in they held by phone, in a call or in person. With a leader
    named, it answers that leader's open check-in of the current period (no reminder
    follows it); otherwise it is a check-in of its own, on the day it was held.
    `goal_updates`: (goal, status, note) given in the call, recorded as of that day."""
    refuse_if_archived(community)
    if how not in CheckIn.How.values or how == CheckIn.How.WEB:
        raise ServiceError(_("Say how the check-in happened."), field="how")
    values = _clean(values)
    zone = timezone.get_current_timezone()
    now = timezone.now()
    held_at = min(datetime.combine(held_on, time(12), tzinfo=zone), now)
    if held_on > now.astimezone(zone).date():
        raise ServiceError(
            _("Give the day the check-in was held, not a later one."), field="held_on"
        )
    checkin = None
    if participant is not None:
        if not community.memberships.filter(
            participant=participant, role__in=Membership.LEADING_ROLES
        ).exists():
            raise ServiceError(_("Choose one of this community's leaders."), field="participant")
        checkin = (
            community.checkins.select_for_update()
            .filter(participant=participant, answered_at__isnull=True)
            .order_by("-due_at")
            .first()
        )
        if (
            checkin is not None
            and checkin.due_at
            and checkin.due_at.astimezone(zone).date() > held_on
        ):
            checkin = None  # held before this period was asked: a check-in of its own
    if checkin is None:
        period = held_on.isoformat()
        if (
            participant is not None
            and community.checkins.filter(participant=participant, period=period).exists()
        ):
            raise ServiceError(
                _("A check-in with this leader is already recorded for that day."),
                field="held_on",
            )
        checkin = CheckIn(
            community=community,
            participant=participant,
            leader_id=participant.user_id if participant is not None else None,
            period=period,
            due_at=held_at,
        )
    _apply(checkin, values, held_at)
    checkin.answered_at = held_at
    checkin.how = how
    checkin.logged_by = actor
    checkin.save()
    _follow_up(checkin)
    record_checkin_updates(checkin, goal_updates, actor=actor, recorded_on=held_on)
    record(
        community.cohort,
        actor,
        "logged check-in",
        community,
        how=how,
        participant=participant.name if participant else "",
    )
    return checkin


def _follow_up(checkin):
    """Open a follow-up for "support wanted", or change its words while it is new."""
    wanted = checkin.support_wanted
    followup = FollowUp.objects.filter(checkin=checkin).first()
    if followup is not None:
        if followup.state == FollowUp.State.NEW and wanted and followup.request != wanted:
            followup.request = wanted
            followup.save(update_fields=["request", "updated_at"])
        return followup
    if not wanted:
        return None
    followup = FollowUp.objects.create(checkin=checkin, community=checkin.community, request=wanted)
    coach = coach_of(checkin.community)
    if coach is not None:
        outbox.enqueue(
            key=f"followup_new:{followup.pk}:{coach.pk}",
            kind="followup_new",
            to_email=coach.email,
            template="followup_new",
            context={
                "cohort": checkin.community.cohort,
                "community": checkin.community,
                "followup": followup,
                "checkin": checkin,
                "coach": coach,
                "who": checkin.participant.name if checkin.participant else "",
                "url": settings.SITE_URL + followup_path(followup),
            },
        )
    return followup


def followup_path(followup):
    community = followup.community
    return reverse(
        "planning:followup-edit",
        kwargs={"cohort_slug": community.cohort.slug, "followup_id": followup.public_id},
    )


@transaction.atomic
def update_followup(followup, *, actor, state, reply, token=None):
    """The coach moves a follow-up on and answers it; a new or changed reply goes to the
    leader who asked (or, for a call logged without one, the community's leaders).
    `token`: the edit form's fingerprint (copkit.concurrency)."""
    refuse_if_archived(followup.community)
    if state not in FollowUp.State.values:
        raise ServiceError(_("Choose a state."), field="state")
    reply = (reply or "").strip()
    followup = hold_unchanged(followup, token)
    changed_reply = reply != followup.reply
    followup.state = state
    followup.reply = reply
    now = timezone.now()
    if changed_reply and reply:
        followup.replied_at = now
        followup.replied_by = actor
    followup.save()
    community = followup.community
    record(community.cohort, actor, "updated follow-up", community, state=state)
    if changed_reply and reply:
        checkin = followup.checkin
        people = (
            [checkin.participant]
            if checkin.participant is not None
            else [
                m.participant
                for m in community.memberships.filter(
                    role__in=Membership.LEADING_ROLES
                ).select_related("participant")
            ]
        )
        url = settings.SITE_URL + reverse(
            "planning:community-checkins",
            kwargs={"cohort_slug": community.cohort.slug, "community_slug": community.slug},
        )
        outbox.enqueue_many(
            [
                {
                    "key": f"followup_reply:{followup.pk}:{person.pk}:{int(now.timestamp())}",
                    "kind": "followup_reply",
                    "to_email": person.email,
                    "template": "followup_reply",
                    "context": {
                        "cohort": community.cohort,
                        "community": community,
                        "followup": followup,
                        "participant": person,
                        "coach": actor,
                        "url": url,
                    },
                }
                for person in people
                if person.email
            ]
        )
    return followup
