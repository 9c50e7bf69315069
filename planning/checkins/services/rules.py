"""The cadence staff set: for the cohort, and changed or paused for one community."""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cohorts.services.activity import record
from copkit.errors import ServiceError
from planning.archived import refuse_if_archived
from planning.checkins.cadence import Rule
from planning.models import Cadence

MAX_WEEKS = 12
MAX_DAYS = 60
FIELDS = ("every_weeks", "starts_on", "paused", "remind_after_days", "escalate_after_days")


def cohort_cadence(cohort):
    """The cohort's own cadence row, or None before staff set one."""
    return cohort.checkin_cadences.filter(community__isnull=True).first()


def community_cadence(community):
    """The community's own row (an override), or None when it follows the cohort."""
    return Cadence.objects.filter(community=community).first()


def rules_for(communities):
    """{community id: the Rule in force, or None} for `communities` (rows with `cohort`
    loaded): the community's own row, else its cohort's. One query."""
    communities = list(communities)
    if not communities:
        return {}
    cohort_ids = {community.cohort_id for community in communities}
    rows = Cadence.objects.filter(
        Q(community__in=communities) | Q(cohort_id__in=cohort_ids, community__isnull=True)
    )
    own, of_cohort = {}, {}
    for row in rows:
        if row.community_id is None:
            of_cohort[row.cohort_id] = row
        else:
            own[row.community_id] = row
    rules = {}
    for community in communities:
        row = own.get(community.pk) or of_cohort.get(community.cohort_id)
        rules[community.pk] = Rule.of(row, community.cohort.time_zone) if row else None
    return rules


def rule_for(community):
    return rules_for([community])[community.pk]


def _check(values):
    weeks = values["every_weeks"]
    if not 1 <= weeks <= MAX_WEEKS:
        raise ServiceError(
            _("Choose from 1 to %(n)d weeks.") % {"n": MAX_WEEKS}, field="every_weeks"
        )
    for name in ("remind_after_days", "escalate_after_days"):
        if not 0 <= values[name] <= MAX_DAYS:
            raise ServiceError(_("Choose from 0 to %(n)d days.") % {"n": MAX_DAYS}, field=name)
    if values["escalate_after_days"] < values["remind_after_days"]:
        raise ServiceError(
            _("Tell the coach no sooner than the leader is reminded."),
            field="escalate_after_days",
        )


@transaction.atomic
def set_cadence(cohort, *, actor, community=None, **values):
    """Save the cohort's cadence, or `community`'s own. Returns the row."""
    values = {name: values[name] for name in FIELDS}
    _check(values)
    if community is not None and community.cohort_id != cohort.pk:
        raise ServiceError(_("That community is not in this cohort."))
    refuse_if_archived(community)
    row = cohort_cadence(cohort) if community is None else community_cadence(community)
    if row is None:
        row = Cadence(cohort=cohort, community=community)
    for name, value in values.items():
        setattr(row, name, value)
    row.save()
    record(cohort, actor, "set check-in cadence", community or cohort, **_described(values))
    return row


@transaction.atomic
def follow_cohort(community, *, actor):
    """Drop `community`'s own cadence: it follows the cohort's again."""
    deleted, _rows = Cadence.objects.filter(community=community).delete()
    if deleted:
        record(community.cohort, actor, "set check-in cadence", community, follows="cohort")
    return bool(deleted)


def _described(values):
    return {
        name: value.isoformat() if hasattr(value, "isoformat") else value
        for name, value in values.items()
    }
