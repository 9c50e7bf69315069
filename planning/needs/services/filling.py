"""Filling the inventory from what people have already said: answers stored before the topics
they name existed, and the expertise a participant's record lists (from the roster, their
profile or staff's edit).

A chosen option or an expertise item reaches the inventory under the topic it is named like
(spaces and case aside). An expertise item that names no topic is kept as a described entry;
when a topic with its name appears, the entry is filed under it. Nothing here deletes, and
running a fill again adds nothing.
"""

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from cohorts.models import Cohort
from cohorts.services.activity import record
from cohorts.services.cohorts import expertise_changed, same_name, topics_changed
from planning.models import Answer, InventoryEntry, Question

Kind = InventoryEntry.Kind
Source = InventoryEntry.Source

_FILLS = {Question.Fills.NEEDS: Kind.NEED, Question.Fills.EXPERTISE: Kind.EXPERTISE}

# Who wrote a participant's expertise text, as the inventory labels it.
_EXPERTISE_SOURCE = {"roster": Source.STAFF, "staff": Source.STAFF, "profile": Source.SELF}


def _chosen(value):
    values = value if isinstance(value, list) else [value]
    return [item for item in values if isinstance(item, str)]


class _Inventory:
    """What the cohort's inventory holds, to add only what is missing."""

    def __init__(self, cohort, participant_ids=None):
        self.topics = {same_name(topic.name): topic for topic in cohort.topics.all()}
        entries = InventoryEntry.objects.filter(participant__cohort=cohort)
        if participant_ids is not None:
            entries = entries.filter(participant_id__in=participant_ids)
        self.by_topic = set()
        self.described = {}  # (participant id, kind, same_name(description)) -> entry
        for entry in entries.only("pk", "participant_id", "kind", "topic_id", "description"):
            if entry.topic_id:
                self.by_topic.add((entry.participant_id, entry.kind, entry.topic_id))
            elif entry.description:
                key = (entry.participant_id, entry.kind, same_name(entry.description))
                self.described.setdefault(key, entry)
        self.new = []
        self.filed = []

    def add_topic(self, participant_id, kind, topic, source):
        key = (participant_id, kind, topic.pk)
        if key not in self.by_topic:
            self.by_topic.add(key)
            self.new.append(
                InventoryEntry(participant_id=participant_id, kind=kind, topic=topic, source=source)
            )

    def add_named(self, participant_id, kind, name, source, *, keep_unnamed):
        """Add `name` under its topic; with `keep_unnamed`, as a described entry when no
        topic has that name."""
        topic = self.topics.get(same_name(name))
        if topic is not None:
            self.add_topic(participant_id, kind, topic, source)
            return
        key = (participant_id, kind, same_name(name))
        if keep_unnamed and key not in self.described:
            entry = InventoryEntry(
                participant_id=participant_id, kind=kind, description=name, source=source
            )
            self.described[key] = entry
            self.new.append(entry)

    def file_described(self):
        """Put described entries named like a topic under that topic (when the person has no
        entry of that kind and topic yet)."""
        for (participant_id, kind, name), entry in self.described.items():
            topic = self.topics.get(name)
            key = (participant_id, kind, topic.pk if topic else None)
            if topic is None or entry.pk is None or key in self.by_topic:
                continue
            self.by_topic.add(key)
            entry.topic, entry.description, entry.updated_at = topic, "", timezone.now()
            self.filed.append(entry)

    def save(self):
        # ignore_conflicts: a response filled at the same moment may have added the row.
        InventoryEntry.objects.bulk_create(self.new, ignore_conflicts=True)
        InventoryEntry.objects.bulk_update(self.filed, ["topic", "description", "updated_at"])
        return len(self.new) + len(self.filed)


def _lock(cohort):
    """Two fills of one cohort run one after the other."""
    Cohort.objects.select_for_update().filter(pk=cohort.pk).first()


@transaction.atomic
def fill_cohort(cohort, *, actor=None):
    """Fill the cohort's inventory from every submitted answer to a question that fills it,
    and from the expertise the participants' records list, under the topics the cohort has
    now; file described entries under the topics named like them. Returns how many entries
    were added or filed. Called whenever topics are added or renamed."""
    _lock(cohort)
    inventory = _Inventory(cohort)
    if not inventory.topics:
        return 0
    answers = (
        Answer.objects.filter(
            response__survey__cohort=cohort,
            response__participant__isnull=False,
            response__submitted_at__isnull=False,
            question__fills__in=list(_FILLS),
        )
        .order_by("response__submitted_at", "pk")
        .values_list(
            "response__participant_id", "question__fills", "value", "response__live_session_id"
        )
    )
    for participant_id, fills, value, live_session_id in answers.iterator():
        source = Source.LIVE if live_session_id else Source.SURVEY
        for option in _chosen(value):
            inventory.add_named(participant_id, _FILLS[fills], option, source, keep_unnamed=False)
    inventory.file_described()
    people = cohort.participants.exclude(expertise="").only("pk", "expertise", "user_id")
    for person in people:
        source = Source.SELF if person.user_id else Source.STAFF
        for item in person.expertise_list:
            inventory.add_named(person.pk, Kind.EXPERTISE, item, source, keep_unnamed=False)
    changed = inventory.save()
    if changed:
        record(cohort, actor, "filled inventory from answers", cohort, entries=changed)
    return changed


@transaction.atomic
def fill_expertise(cohort, participants, *, actor=None, source=Source.SELF):
    """Add each item of the participants' expertise text to their inventory: under the topic
    named like it, or as a described entry. Returns how many entries were added."""
    participants = [person for person in participants if person.pk and person.expertise]
    if not participants:
        return 0
    _lock(cohort)
    inventory = _Inventory(cohort, participant_ids=[person.pk for person in participants])
    for person in participants:
        for item in person.expertise_list:
            inventory.add_named(person.pk, Kind.EXPERTISE, item, source, keep_unnamed=True)
    changed = inventory.save()
    if changed:
        target = participants[0] if len(participants) == 1 else cohort
        record(cohort, actor, "filled inventory from answers", target, entries=changed)
    return changed


@receiver(topics_changed, dispatch_uid="planning.needs.fill_cohort")
def _on_topics_changed(sender, *, cohort, actor, **kwargs):
    fill_cohort(cohort, actor=actor)


@receiver(expertise_changed, dispatch_uid="planning.needs.fill_expertise")
def _on_expertise_changed(sender, *, cohort, participants, actor, source, **kwargs):
    fill_expertise(cohort, participants, actor=actor, source=_EXPERTISE_SOURCE[source])
