"""Collective TTA requests: a community files one; staff triage it.

Every write is atomic and recorded in the activity log. Triage locks the request's row and
checks that the fields the person saw are still as they were (copkit.concurrency): two staff
members saving at once never overwrite each other unseen. Each triage that changes something
adds one history row, and one email per member of the community (kind `tta_request_update`,
keyed by that history row, so it is queued once)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cohorts.models import CohortRole, Membership
from cohorts.services.activity import record
from copkit import outbox
from copkit.concurrency import hold_unchanged
from copkit.errors import ServiceError
from planning.archived import refuse_if_archived
from planning.models import TTARequest, TTARequestEvent

State = TTARequest.State
Format = TTARequest.Format
MAX_TEXT = 4000
MAX_LINE = 200
# The fields staff change when they triage, in the order the history lists them.
TRIAGE_FIELDS = (
    "state",
    "decline_reason",
    "assignee",
    "due_on",
    "meeting",
    "convening",
    "training",
    "reply",
)


def _text(value, *, field, limit, empty=None):
    value = (value or "").replace("\x00", "").strip()
    if not value and empty:
        raise ServiceError(empty, field=field)
    if len(value) > limit:
        raise ServiceError(_("Keep it to %(n)d characters or fewer.") % {"n": limit}, field=field)
    return value


def staff_of(cohort):
    """The cohort's staff members, by name: who a request can be assigned to."""
    return (
        get_user_model()
        .objects.filter(cohort_roles__cohort=cohort, cohort_roles__role=CohortRole.Role.STAFF)
        .order_by("name", "email")
    )


# -- filing --------------------------------------------------------------------------------


@transaction.atomic
def file_request(
    community,
    *,
    actor,
    what,
    why_now,
    for_everyone=True,
    serves=(),
    format,
    format_other="",
    wanted_by=None,
    timing="",
):
    """A new request of `community`, filed by a leader (or staff on its behalf). `serves`:
    the members it is for when it is not for everyone. Tells the cohort's staff (kind
    `tta_request_filed`). Returns the request."""
    refuse_if_archived(community)
    what = _text(what, field="what", limit=MAX_TEXT, empty=_("Say what help the group wants."))
    why_now = _text(
        why_now, field="why_now", limit=MAX_TEXT, empty=_("Say why the group needs it now.")
    )
    if format not in Format.values:
        raise ServiceError(_("Choose the form the help should take."), field="format")
    format_other = _text(format_other, field="format_other", limit=MAX_LINE)
    if format == Format.OTHER and not format_other:
        raise ServiceError(_("Say what form the help should take."), field="format_other")
    if format != Format.OTHER:
        format_other = ""
    timing = _text(timing, field="timing", limit=300)
    if wanted_by is not None and wanted_by < timezone.localdate():
        raise ServiceError(_("Choose today or a later date."), field="wanted_by")
    people = []
    if not for_everyone:
        members = set(community.memberships.values_list("participant_id", flat=True))
        people = [person for person in serves if person.pk in members]
        if not people or len(people) != len(list(serves)):
            raise ServiceError(
                _("Choose the members it is for, or say it is for everyone."), field="serves"
            )
    request = TTARequest.objects.create(
        community=community,
        what=what,
        why_now=why_now,
        for_everyone=for_everyone,
        format=format,
        format_other=format_other,
        wanted_by=wanted_by,
        timing=timing,
        filed_by=actor,
    )
    if people:
        request.serves.set(people)
    record(community.cohort, actor, "filed a TTA request", request)
    _tell_staff(request, actor)
    return request


def request_url(request):
    return settings.SITE_URL + request.get_absolute_url()


def _tell_staff(request, actor):
    community = request.community
    messages = [
        {
            "key": f"tta_request_filed:{request.public_id}:{user.pk}",
            "kind": "tta_request_filed",
            "to_email": user.email,
            "template": "tta_request_filed",
            "context": {
                "cohort": community.cohort,
                "community": community,
                "request": request,
                "name": user.get_full_name() or user.email,
                "url": settings.SITE_URL + _triage_path(community.cohort.slug, request.public_id),
            },
        }
        for user in staff_of(community.cohort)
        if user.email and user.pk != getattr(actor, "pk", None)
    ]
    return outbox.enqueue_many(messages)


def _triage_path(cohort_slug, public_id):
    return reverse("planning:tta-request-triage", args=[cohort_slug, public_id])


# -- triage --------------------------------------------------------------------------------


def _shown(name, value):
    """A triage field's value as the history shows it."""
    if value in (None, ""):
        return ""
    if name == "state":
        return str(State(value).label)
    if name == "assignee":
        return value.get_full_name() or value.email
    if name == "due_on":
        return formats.date_format(value, "DATE_FORMAT")
    if name in ("meeting", "convening"):
        day = formats.date_format(timezone.localtime(value.starts_at), "DATE_FORMAT")
        return f"{value.title} ({day})"
    text = " ".join(str(value).split())
    return text if len(text) <= 300 else text[:299] + "…"


def field_label(name):
    """A triage field's name as people read it (in the active language)."""
    return {
        "state": _("State"),
        "decline_reason": _("Why not"),
        "assignee": _("Assigned to"),
        "due_on": _("Due"),
        "meeting": _("Meeting"),
        "convening": _("Leaders' circle convening"),
        "training": _("Training"),
        "reply": _("Reply"),
    }[name]


@transaction.atomic
def triage(
    request,
    *,
    actor,
    state,
    assignee=None,
    due_on=None,
    meeting=None,
    convening=None,
    training="",
    reply="",
    decline_reason="",
    token=None,
):
    """Staff's changes to `request`. `token` is the edit fingerprint of the values the
    person saw (copkit.concurrency): when another change landed since, EditConflict.
    Returns the history row, or None when nothing changed."""
    community = request.community
    cohort = community.cohort
    if state not in State.values:
        raise ServiceError(_("Choose one of the states."), field="state")
    decline_reason = _text(decline_reason, field="decline_reason", limit=MAX_TEXT)
    if state == State.DECLINED and not decline_reason:
        raise ServiceError(
            _("Say why the request is declined; the community reads it."), field="decline_reason"
        )
    if state != State.DECLINED:
        decline_reason = ""
    training = _text(training, field="training", limit=MAX_LINE)
    reply = _text(reply, field="reply", limit=MAX_TEXT)
    if assignee is not None and not staff_of(cohort).filter(pk=assignee.pk).exists():
        raise ServiceError(_("Choose a staff member of this cohort."), field="assignee")
    if meeting is not None and meeting.community_id != community.pk:
        raise ServiceError(_("Choose one of this community's meetings."), field="meeting")
    if convening is not None and convening.cohort_id != cohort.pk:
        raise ServiceError(_("Choose one of this cohort's convenings."), field="convening")
    if state == State.SCHEDULED and meeting is None and convening is None and not training:
        raise ServiceError(
            _("Say when it happens: link a meeting, a convening or name the training."),
            field="meeting",
        )
    refuse_if_archived(community)
    fresh = hold_unchanged(request, token) if token else _lock(request)
    wanted = {
        "state": state,
        "decline_reason": decline_reason,
        "assignee": assignee,
        "due_on": due_on,
        "meeting": meeting,
        "convening": convening,
        "training": training,
        "reply": reply,
    }
    changes, fields = [], []
    for name in TRIAGE_FIELDS:
        before = getattr(fresh, name)
        after = wanted[name]
        if _key(before) == _key(after):
            continue
        changes.append(
            {"field": name, "before": _shown(name, before), "after": _shown(name, after)}
        )
        setattr(fresh, name, after)
        fields.append(name)
    if not changes:
        return None
    now = timezone.now()
    if "reply" in fields and reply:
        fresh.replied_at = now
        fields.append("replied_at")
    if fresh.first_answer_at is None:
        fresh.first_answer_at = now
        fields.append("first_answer_at")
    fresh.save(update_fields=[*fields, "updated_at"])
    for name in (*fields, "updated_at"):
        setattr(request, name, getattr(fresh, name))
    event = TTARequestEvent.objects.create(request=fresh, actor=actor, at=now, changes=changes)
    record(
        cohort,
        actor,
        "triaged a TTA request",
        fresh,
        fields=[change["field"] for change in changes],
    )
    _tell_members(fresh, event, actor)
    return event


def _lock(request):
    return TTARequest.objects.select_for_update().get(pk=request.pk)


def _key(value):
    return getattr(value, "pk", value) if value != "" else ""


def _tell_members(request, event, actor):
    """One `tta_request_update` email per member of the community (leaders too) with an
    email address, other than the one who made the change. Keyed by the history row."""
    community = request.community
    memberships = (
        Membership.objects.filter(community=community)
        .exclude(participant__email="")
        .select_related("participant")
        .order_by("participant__email")
    )
    actor_email = (getattr(actor, "email", "") or "").lower()
    changes = [
        {**change, "label": field_label(change["field"])}
        for change in event.changes
        if change["field"] != "reply"
    ]
    messages = [
        {
            "key": f"tta_request_update:{event.pk}:{membership.participant.public_id}",
            "kind": "tta_request_update",
            "to_email": membership.participant.email,
            "template": "tta_request_update",
            "context": {
                "cohort": community.cohort,
                "community": community,
                "request": request,
                "name": membership.participant.name,
                "changes": changes,
                "reply_changed": any(c["field"] == "reply" for c in event.changes),
                "url": request_url(request),
            },
        }
        for membership in memberships
        if membership.participant.email.lower() != actor_email
    ]
    return outbox.enqueue_many(messages)


def mark_reply_seen(request, *, now=None):
    """A leader opened the request: its reply no longer shows as a step on their home."""
    now = now or timezone.now()
    if request.replied_at is None:
        return False
    return bool(
        TTARequest.objects.filter(pk=request.pk, replied_at__isnull=False)
        .exclude(reply_seen_at__gte=request.replied_at)
        .update(reply_seen_at=now)
    )
