"""Personal links and reminders: sending each person their link once, reminding those who
have not answered, and `formation_reminders`, the `copkit.later` sweep of reminders due
before a deadline (each claimed by one sweep), run by `copkit.tasks.run_later_work`.
"Remind" by hand claims through the same sweep (`formation_reminders.take`). The old task
`cohorts.tasks.send_formation_reminders` stays defined here as an alias of the sweep."""

from collections import Counter
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.formation.checks import check_has_people
from cohorts.formation.methods import method_of
from cohorts.models import FormationRound
from cohorts.services.activity import record
from copkit import later, outbox
from copkit.errors import ServiceError

from .setup import _check_not_published

# The sweep reminds those who have not answered once the deadline is this close.
REMIND_BEFORE_DEADLINE = timedelta(hours=24)


# ... but not someone whose link went out this recently: they have just had it.
SWEEP_QUIET_AFTER_SENT = timedelta(hours=12)


# "Remind" by hand leaves alone anyone reminded this recently.
REMIND_NOW_QUIET = timedelta(hours=24)


Method = FormationRound.Method


Status = FormationRound.Status


def answer_url(entry):
    """The absolute personal link of `entry`."""
    return settings.SITE_URL + entry.get_answer_url()


def _sender_name(actor):
    if actor is not None and actor.is_authenticated:
        return actor.get_full_name() or actor.email
    return _("Your TTA team")


def _email(entry, formation_round, *, template, key, sender):
    participant = entry.participant
    return {
        "key": key,
        "kind": "formation",
        "to_email": participant.email,
        "template": template,
        "context": {
            "participant": participant,
            "round": formation_round,
            "cohort": formation_round.cohort,
            "method": formation_round.method,
            "answer_url": answer_url(entry),
            "deadline": formation_round.deadline,
            "instructions": formation_round.instructions,
            "sender": sender,
        },
    }


def check_can_collect(formation_round, now=None):
    """Raise ServiceError when the round can't take input through personal links now."""
    now = now or timezone.now()
    _check_not_published(formation_round)
    if not formation_round.asks_participants:
        raise ServiceError(_("This method asks participants nothing: form the groups directly."))
    if formation_round.deadline is not None and formation_round.deadline <= now:
        raise ServiceError(_("The deadline has passed. Set a later one (or none) first."))
    check_has_people(formation_round)
    method_of(formation_round).check_can_collect(formation_round)


def send_links(formation_round, actor, now=None):
    """Email each person of the round who has not had their personal link yet. The round
    starts collecting. Returns how many were sent (0: everyone had it already)."""
    now = now or timezone.now()
    with transaction.atomic():
        formation_round = (
            FormationRound.objects.select_for_update(of=("self",))
            .select_related("cohort")
            .get(pk=formation_round.pk)
        )
        check_can_collect(formation_round, now)
        entries = list(
            formation_round.entries.filter(sent_at__isnull=True)
            .select_related("participant")
            .order_by("pk")
        )
        if not entries:
            return 0
        # The round's row lock keeps two sends apart; the outbox key keeps each person to
        # one email even where there are no row locks.
        formation_round.entries.filter(pk__in=[e.pk for e in entries]).update(
            sent_at=now, updated_at=now
        )
        sender = _sender_name(actor)
        outbox.enqueue_many(
            [
                _email(
                    entry,
                    formation_round,
                    template="formation_invite",
                    key=f"formation-invite:{entry.pk}",
                    sender=sender,
                )
                for entry in entries
            ]
        )
        formation_round.links_sent_at = now
        fields = ["links_sent_at", "updated_at"]
        if formation_round.status == Status.SETUP:
            formation_round.status = Status.COLLECTING
            fields.append("status")
        formation_round.save(update_fields=fields)
        record(
            formation_round.cohort,
            actor,
            "sent formation links",
            formation_round,
            count=len(entries),
        )
    return len(entries)


def _waiting(formation_round):
    """Entries sent their link who have not submitted."""
    return formation_round.entries.filter(sent_at__isnull=False, submitted_at__isnull=True)


def queue_reminder(entry, now, *, sender=None, by_hand=False):
    """The handler of `formation_reminders`: queue the reminder of the entry just claimed.
    The sweep reminds once (one key per entry); "Remind" by hand may remind again a day
    later, so its key carries the time, and it comes from the person who clicked."""
    key = f"formation-reminder:{entry.pk}"
    outbox.enqueue(
        **_email(
            entry,
            entry.round,
            template="formation_reminder",
            key=f"{key}:{int(now.timestamp())}" if by_hand else key,
            sender=sender or _("Your TTA team"),
        )
    )
    return 1


def due_entries(now):
    """Entries due the sweep's one reminder at `now`: not answered in a collecting round
    whose deadline is less than a day away (and not yet past), never reminded, and sent
    their link more than 12 hours ago. Each carries its round (and the round its cohort)."""
    rounds = FormationRound.objects.filter(
        status=Status.COLLECTING,
        deadline__gt=now,
        deadline__lte=now + REMIND_BEFORE_DEADLINE,
    ).select_related("cohort")
    due = []
    for formation_round in rounds:
        due.extend(
            _waiting(formation_round)
            .filter(reminded_at__isnull=True, sent_at__lte=now - SWEEP_QUIET_AFTER_SENT)
            .select_related("participant")
            .order_by("pk")
        )
    return due


def _record_sweep(handled, now):
    """One activity entry per round the sweep reminded people of."""
    counts = Counter(entry.round for entry, _queued in handled)
    for formation_round, count in counts.items():
        record(
            formation_round.cohort, None, "sent formation reminders", formation_round, count=count
        )


# Claimed on `reminded_at` (set to now), and only while the entry is still unanswered.
formation_reminders = later.register(
    later.Sweep(
        name="formation reminders",
        cohort="round__cohort",
        due=due_entries,
        column="reminded_at",
        also=lambda entry, now: {"updated_at": now},
        still=lambda entry: {"submitted_at__isnull": True},
        handle=queue_reminder,
        after=_record_sweep,
    )
)


def _claim_reminder(entry, now):
    """Set `reminded_at` only if it is still what was read; True when this process won."""
    return formation_reminders.claim(entry, now)


def remind(formation_round, actor, now=None):
    """Remind at once everyone sent a link who has not answered, except those reminded in
    the last 24 hours. Returns {"reminded", "recent"}."""
    now = now or timezone.now()
    formation_round = FormationRound.objects.select_related("cohort").get(pk=formation_round.pk)
    if formation_round.status != Status.COLLECTING or not formation_round.is_open_for_input:
        raise ServiceError(_("Reminders go out only while the round collects input."))
    counts = {"reminded": 0, "recent": 0}
    sender = _sender_name(actor)
    for entry in _waiting(formation_round).select_related("participant").order_by("pk"):
        recent = entry.reminded_at is not None and entry.reminded_at > now - REMIND_NOW_QUIET
        # Not claimed: reminded a moment ago by another click or the sweep.
        if recent or formation_reminders.take(entry, now, sender=sender, by_hand=True) is None:
            counts["recent"] += 1
        else:
            counts["reminded"] += 1
    if counts["reminded"]:
        with transaction.atomic():
            record(
                formation_round.cohort,
                actor,
                "reminded formation round",
                formation_round,
                count=counts["reminded"],
            )
    return counts


def queue_due_reminders(now=None):
    """Run the sweep once: queue one reminder to each person due one (see `due_entries`).
    Safe to run in any number of processes at once. Returns how many were queued."""
    return formation_reminders.run(now).queued


@shared_task(name="cohorts.tasks.send_formation_reminders", ignore_result=True)
def send_formation_reminders():
    """Run the formation reminder sweep once. The beat no longer queues this task (its
    sweep runs in `copkit.tasks.run_later_work`); the name stays for messages queued by an
    old beat."""
    return queue_due_reminders()
