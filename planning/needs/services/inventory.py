"""Writes to the needs-and-expertise inventory and its connections, and the rules of who may
make them.

An entry belongs to a participant (cohort-wide): someone in two communities carries one
inventory. A connection belongs to a community: in it, `helper` can help with `need`.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cohorts.services.activity import record
from copkit.errors import ServiceError
from planning.archived import refuse_if_archived
from planning.models import Connection, InventoryEntry, Question
from planning.needs.checks import duplicate_message

# -- who may ----------------------------------------------------------------------------


def may_edit_others(access):
    """Staff and the community's leaders keep anyone's entries and connections."""
    return access.is_staff or access.is_leader()


def may_edit_entry(access, entry):
    return may_edit_others(access) or (
        access.participant is not None and entry.participant_id == access.participant.pk
    )


def may_connect(access, need, helper):
    """Confirm or remove a connection: the person with the need, the helper, leaders, staff."""
    if may_edit_others(access):
        return True
    me = access.participant
    return me is not None and me.pk in {need.participant_id, helper.pk}


# -- entries -----------------------------------------------------------------------------


@transaction.atomic
def add_entry(*, community, actor, participant, kind, topic=None, description="", source):
    """Add a need or an area of expertise to `participant`'s inventory, from the page of
    `community` (None when no community is involved). Refused in an archived community."""
    refuse_if_archived(community)
    if topic is not None and topic.cohort_id != participant.cohort_id:
        raise ServiceError(_("Choose a practice area of this cohort."))
    try:
        with transaction.atomic():
            entry = InventoryEntry.objects.create(
                participant=participant,
                kind=kind,
                topic=topic,
                description=description.strip(),
                source=source,
            )
    except IntegrityError as error:
        raise ServiceError(duplicate_message(kind, topic)) from error
    record(
        participant.cohort,
        actor,
        f"added {kind}",
        participant,
        topic=topic.name if topic else "",
        source=source,
    )
    return entry


@transaction.atomic
def delete_entry(entry, *, community, actor):
    """Remove an entry, from the page of `community` (None when no community is involved);
    the connections made for it as a need go with it. Refused in an archived community."""
    refuse_if_archived(community)
    participant = entry.participant
    record(
        participant.cohort,
        actor,
        f"removed {entry.kind}",
        participant,
        entry=entry.label,
        connections=entry.connections.count(),
    )
    entry.delete()


# -- connections -------------------------------------------------------------------------


@transaction.atomic
def add_connection(community, *, actor, need, helper, expertise=None, note=""):
    """Confirm that `helper` can help with `need` in `community`. The caller has fetched
    `need`, `helper` and `expertise` through the community and checked `may_connect`."""
    refuse_if_archived(community)
    if need.kind != InventoryEntry.Kind.NEED:
        raise ServiceError(_("Only a need can be connected to a helper."))
    if need.participant_id == helper.pk:
        raise ServiceError(_("A member cannot be connected to their own need."))
    if expertise is not None and (
        expertise.participant_id != helper.pk or expertise.kind != InventoryEntry.Kind.EXPERTISE
    ):
        raise ServiceError(_("That expertise is not the helper's."))
    try:
        with transaction.atomic():
            connection = Connection.objects.create(
                community=community,
                need=need,
                helper=helper,
                expertise=expertise,
                note=note.strip(),
                created_by=actor,
            )
    except IntegrityError as error:
        raise ServiceError(
            _("%(helper)s is already connected to this need of %(owner)s.")
            % {"helper": helper.name, "owner": need.participant.name}
        ) from error
    record(
        community.cohort,
        actor,
        "connected need to helper",
        community,
        need=need.label,
        owner=need.participant.name,
        helper=helper.name,
    )
    return connection


@transaction.atomic
def remove_connection(connection, *, actor):
    refuse_if_archived(connection.community)
    record(
        connection.community.cohort,
        actor,
        "removed connection",
        connection.community,
        need=connection.need.label,
        owner=connection.need.participant.name,
        helper=connection.helper.name,
    )
    connection.delete()


# -- from surveys and live polls ---------------------------------------------------------

_FILLS = {
    Question.Fills.NEEDS: InventoryEntry.Kind.NEED,
    Question.Fills.EXPERTISE: InventoryEntry.Kind.EXPERTISE,
}


def _chosen(value):
    """The option names an answer holds: a string, or a list of them (other values none)."""
    values = value if isinstance(value, list) else [value]
    return [item for item in values if isinstance(item, str)]


def fill_from_response(response):
    """Add the needs and expertise a survey or live poll response names to the responder's
    inventory: for each answer to a question whose `fills` is set, every chosen option named
    like a topic of the cohort (case and surrounding spaces aside) becomes an entry, unless
    the participant already has that kind and topic. Never deletes; calling it again adds
    nothing. Returns the entries created."""
    participant = response.participant
    if participant is None:
        return []
    topics = {" ".join(t.name.split()).casefold(): t for t in participant.cohort.topics.all()}
    wanted = []
    for answer in response.answers.select_related("question"):
        kind = _FILLS.get(answer.question.fills)
        if kind is None:
            continue
        for option in _chosen(answer.value):
            topic = topics.get(" ".join(option.split()).casefold())
            if topic is not None and (kind, topic) not in wanted:
                wanted.append((kind, topic))
    if not wanted:
        return []
    source = (
        InventoryEntry.Source.LIVE if response.live_session_id else InventoryEntry.Source.SURVEY
    )
    created = []
    with transaction.atomic():
        have = set(participant.inventory.values_list("kind", "topic_id"))
        for kind, topic in wanted:
            if (kind, topic.pk) in have:
                continue
            # get_or_create: a second request filling the same answers at the same moment
            # finds the row instead of failing on the unique constraint.
            entry, made = InventoryEntry.objects.get_or_create(
                participant=participant, kind=kind, topic=topic, defaults={"source": source}
            )
            if made:
                created.append(entry)
        if created:
            record(
                participant.cohort,
                None,
                "filled inventory from answers",
                participant,
                entries=[f"{entry.kind}: {entry.topic.name}" for entry in created],
                source=source,
            )
    return created
