"""Going-deeper activities: the cohort's list (seeded with the starter set, then kept by
staff), suggesting an activity to communities, and a community's way from the suggestion to
the activity done.

Every write is atomic and recorded in the activity log. A suggestion's state only moves
under a lock on its row, so two leaders answering at once get one answer and a clear word
for the second."""

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import Membership
from cohorts.services.activity import record
from copkit import outbox
from copkit.errors import ServiceError
from planning.archived import refuse_if_archived
from planning.deeper.starters import STARTERS
from planning.models import DeeperActivity, DeeperSuggestion

State = DeeperSuggestion.State
ACTIVITY_FIELDS = ("title", "training", "description", "steps")
MAX_REFLECTION = 4000


# -- the cohort's list ---------------------------------------------------------------------


def ensure_starters(cohort):
    """Give `cohort` copkit's starter activities the first time its list is opened: only
    when it has no activity at all. Two first visits at once add them once (the starter's
    key is unique per cohort)."""
    if cohort.deeper_activities.exists():
        return 0
    rows = [
        DeeperActivity(
            cohort=cohort,
            starter=starter.key,
            title=str(starter.title),
            training=str(starter.training),
            description=str(starter.description),
            steps="\n".join(str(step) for step in starter.steps),
            position=index,
        )
        for index, starter in enumerate(STARTERS)
    ]
    DeeperActivity.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _clean_activity(values):
    values = {name: (values.get(name) or "").strip() for name in ACTIVITY_FIELDS}
    if not values["title"]:
        raise ServiceError(_("Give the activity a title."), field="title")
    if not values["description"]:
        raise ServiceError(_("Say what the activity is."), field="description")
    if not any(line.strip() for line in values["steps"].splitlines()):
        raise ServiceError(_("Write at least one step."), field="steps")
    return values


@transaction.atomic
def add_activity(cohort, *, actor, **values):
    """Add an activity of the staff's own to the end of the cohort's list."""
    values = _clean_activity(values)
    last = cohort.deeper_activities.aggregate(last=Max("position"))["last"]
    activity = DeeperActivity.objects.create(
        cohort=cohort, created_by=actor, position=(last or 0) + 1, **values
    )
    record(cohort, actor, "added a going-deeper activity", activity)
    return activity


@transaction.atomic
def update_activity(activity, *, actor, **values):
    """Change an activity's text. Returns the names of the fields that changed."""
    values = _clean_activity(values)
    changed = [name for name, value in values.items() if getattr(activity, name) != value]
    if changed:
        for name in changed:
            setattr(activity, name, values[name])
        activity.save(update_fields=[*changed, "updated_at"])
        record(activity.cohort, actor, "changed a going-deeper activity", activity, fields=changed)
    return changed


@transaction.atomic
def set_retired(activity, *, actor, retired):
    """Retire an activity (no new suggestions; what communities did with it stays) or bring
    it back. Returns True when it changed."""
    rows = DeeperActivity.objects.filter(pk=activity.pk, retired_at__isnull=retired)
    now = timezone.now() if retired else None
    if not rows.update(retired_at=now, updated_at=timezone.now()):
        return False
    activity.retired_at = now
    verb = "retired a going-deeper activity" if retired else "restored a going-deeper activity"
    record(activity.cohort, actor, verb, activity)
    return True


# -- suggesting ----------------------------------------------------------------------------


@dataclass
class Suggested:
    created: list
    skipped: list  # communities that already have this activity open


def suggestion_url(suggestion, community):
    return settings.SITE_URL + reverse(
        "planning:deeper-suggestion",
        args=[community.cohort.slug, community.slug, suggestion.public_id],
    )


@transaction.atomic
def suggest(activity, *, actor, communities, training, due_on, note=""):
    """Suggest `activity` to each of `communities` (active ones of the activity's cohort),
    following `training`, to be done by `due_on`. Each community's leaders and co-leaders
    get an email (kind `activity_suggested`). A community that has this activity open
    already is skipped. Returns a `Suggested`."""
    if activity.is_retired:
        raise ServiceError(_("This activity is retired: restore it before suggesting it."))
    training = (training or "").strip()
    if not training:
        raise ServiceError(_("Name the training this activity follows."), field="training")
    communities = [c for c in communities if c.cohort_id == activity.cohort_id]
    for community in communities:
        refuse_if_archived(community)
    open_already = set(
        activity.suggestions.filter(
            community__in=communities, state__in=DeeperSuggestion.OPEN_STATES
        ).values_list("community_id", flat=True)
    )
    result = Suggested(created=[], skipped=[])
    for community in communities:
        if community.pk in open_already:
            result.skipped.append(community)
            continue
        try:
            with transaction.atomic():  # a concurrent suggestion of the same: skipped
                suggestion = DeeperSuggestion.objects.create(
                    activity=activity,
                    community=community,
                    training=training,
                    due_on=due_on,
                    note=(note or "").strip(),
                    suggested_by=actor,
                )
        except IntegrityError:
            result.skipped.append(community)
            continue
        result.created.append(suggestion)
    _email_leaders(activity, result.created, actor)
    if result.created:
        record(
            activity.cohort,
            actor,
            "suggested a going-deeper activity",
            activity,
            communities=[str(s.community) for s in result.created],
            due_on=due_on.isoformat(),
        )
    return result


def _email_leaders(activity, suggestions, actor):
    if not suggestions:
        return 0
    by_community = {s.community_id: s for s in suggestions}
    leaders = (
        Membership.objects.filter(community_id__in=by_community, role__in=Membership.LEADING_ROLES)
        .exclude(participant__email="")
        .select_related("participant", "community__cohort")
        .order_by("community_id", "participant__email")
    )
    messages = []
    for membership in leaders:
        suggestion = by_community[membership.community_id]
        person = membership.participant
        community = membership.community
        messages.append(
            {
                "key": f"activity_suggested:{suggestion.public_id}:{person.public_id}",
                "kind": "activity_suggested",
                "to_email": person.email,
                "template": "activity_suggested",
                "context": {
                    "cohort": community.cohort,
                    "community": community,
                    "activity": activity,
                    "suggestion": suggestion,
                    "name": person.name,
                    "suggested_by": actor.get_full_name() if actor else "",
                    "url": suggestion_url(suggestion, community),
                },
            }
        )
    return outbox.enqueue_many(messages)


# -- a community's answer ------------------------------------------------------------------


def _lock(suggestion):
    fresh = DeeperSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    refuse_if_archived(suggestion.community)
    return fresh


def _moved_on(fresh, wanted):
    """The refusal when another person moved the suggestion on since this one looked."""
    if fresh.state == State.DONE:
        return ServiceError(_("This activity is already marked done."))
    if fresh.state == State.DECLINED:
        return ServiceError(_("This suggestion was declined; nothing more to do with it."))
    return ServiceError(
        _("This suggestion is already “%(state)s”: you cannot %(wanted)s it now.")
        % {"state": fresh.get_state_display(), "wanted": wanted}
    )


def _save(suggestion, fresh, fields):
    fresh.save(update_fields=[*fields, "updated_at"])
    for name in (*fields, "updated_at"):
        setattr(suggestion, name, getattr(fresh, name))


@transaction.atomic
def accept(suggestion, *, actor):
    """The leaders take the suggestion on."""
    fresh = _lock(suggestion)
    if fresh.state != State.SUGGESTED:
        raise _moved_on(fresh, _("accept"))
    fresh.state, fresh.answered_at, fresh.answered_by = State.ACCEPTED, timezone.now(), actor
    _save(suggestion, fresh, ["state", "answered_at", "answered_by"])
    record(suggestion.community.cohort, actor, "accepted a going-deeper activity", suggestion)
    return suggestion


@transaction.atomic
def decline(suggestion, *, actor, reason):
    """The leaders say no, and why (the TTA team reads it)."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(
            _("Say in a sentence why the group will not do it; it helps your TTA team."),
            field="reason",
        )
    fresh = _lock(suggestion)
    if fresh.state not in (State.SUGGESTED, State.ACCEPTED):
        raise _moved_on(fresh, _("decline"))
    fresh.state, fresh.decline_reason = State.DECLINED, reason
    fresh.answered_at, fresh.answered_by = timezone.now(), actor
    fresh.meeting = None
    _save(suggestion, fresh, ["state", "decline_reason", "answered_at", "answered_by", "meeting"])
    record(suggestion.community.cohort, actor, "declined a going-deeper activity", suggestion)
    return suggestion


def plannable_meetings(community, now=None):
    """The meetings an activity can be planned onto: the community's coming ones."""
    now = now or timezone.now()
    return community.meetings.filter(cancelled_at__isnull=True, starts_at__gt=now).order_by(
        "starts_at", "pk"
    )


@transaction.atomic
def plan(suggestion, *, actor, meeting):
    """Put the activity on one of the community's coming meetings (accepting it if it was
    only suggested; moving it if it was on another meeting)."""
    community = suggestion.community
    if meeting is None or meeting.community_id != community.pk:
        raise ServiceError(_("Choose one of your community's meetings."), field="meeting")
    if meeting.is_cancelled or meeting.starts_at <= timezone.now():
        raise ServiceError(
            _("Choose a meeting that is still to come and not cancelled."), field="meeting"
        )
    fresh = _lock(suggestion)
    if fresh.state not in (State.SUGGESTED, State.ACCEPTED, State.PLANNED):
        raise _moved_on(fresh, _("plan"))
    if fresh.answered_at is None:
        fresh.answered_at, fresh.answered_by = timezone.now(), actor
    fresh.state, fresh.meeting = State.PLANNED, meeting
    _save(suggestion, fresh, ["state", "meeting", "answered_at", "answered_by"])
    record(
        community.cohort,
        actor,
        "planned a going-deeper activity",
        suggestion,
        meeting=meeting.title,
    )
    return suggestion


@transaction.atomic
def mark_done(suggestion, *, actor, what_we_did, what_we_learned):
    """The group did it: keep a short reflection of what it did and what it learned."""
    did, learned = (what_we_did or "").strip(), (what_we_learned or "").strip()
    if not did:
        raise ServiceError(_("Say in a few words what the group did."), field="what_we_did")
    if not learned:
        raise ServiceError(_("Say in a few words what the group learned."), field="what_we_learned")
    if len(did) > MAX_REFLECTION or len(learned) > MAX_REFLECTION:
        raise ServiceError(_("Keep each answer under %(n)d characters.") % {"n": MAX_REFLECTION})
    fresh = _lock(suggestion)
    if fresh.state not in (State.SUGGESTED, State.ACCEPTED, State.PLANNED):
        raise _moved_on(fresh, _("mark done"))
    now = timezone.now()
    if fresh.answered_at is None:
        fresh.answered_at, fresh.answered_by = now, actor
    fresh.state, fresh.done_at, fresh.done_by = State.DONE, now, actor
    fresh.what_we_did, fresh.what_we_learned = did, learned
    _save(
        suggestion,
        fresh,
        [
            "state",
            "done_at",
            "done_by",
            "what_we_did",
            "what_we_learned",
            "answered_at",
            "answered_by",
        ],
    )
    record(suggestion.community.cohort, actor, "did a going-deeper activity", suggestion)
    return suggestion
