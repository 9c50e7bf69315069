"""Writes of the survey builder: surveys (their questions are in `questions`), sending
personal links, and reminding the people who have not answered. Each takes domain values
(a view passes its form's cleaned values), never a form.

Every write is atomic and recorded in the cohort's activity log. Emails go through the
outbox in the same transaction, each under a unique key:

- `survey-invitation:<recipient id>`: the personal link, once per person and survey;
- `survey-reminder:<recipient id>:<n>`: the n-th reminder.

Reminders are due for a recipient of an open survey (not past its closing time) who has
not submitted, has had fewer than `survey.reminder_limit` reminders, and was last contacted
(sent the link, or reminded) at least `survey.reminder_interval_days` ago. They are the
`copkit.later` sweep `survey_reminders`, run by the beat's `copkit.tasks.run_later_work`;
each reminder is claimed with a conditional UPDATE on the old `reminder_count`, so two
sweeps at once (or a sweep and a "Remind now" click, which calls `survey_reminders.take`)
never remind the same person twice.
"""

from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.services import cohorts as cohort_services
from cohorts.services.activity import record
from cohorts.templatetags.zoned import when_text
from copkit import later, outbox
from copkit.errors import ServiceError
from planning.archived import refuse_if_archived
from planning.models import Evaluation, Question, Response, Survey, SurveyRecipient
from planning.sunset.phases import ON_ITS_OWN
from planning.surveys import banks

Status = Survey.Status

# "Remind now" leaves alone anyone contacted (sent the link or reminded) this recently.
REMIND_NOW_QUIET = timedelta(hours=24)

# The Question fields a copy carries over.
QUESTION_FIELDS = [
    "position",
    "kind",
    "text",
    "help_text",
    "required",
    "choices",
    "max_picks",
    "scale_min",
    "scale_max",
    "scale_min_label",
    "scale_max_label",
    "fills",
]


class SurveyError(ServiceError):
    """A survey action refused for a reason the person can act on (the message)."""


# -- reading -------------------------------------------------------------------------------


def _count(queryset):
    """A subquery counting the rows of `queryset` that belong to the outer survey."""
    return Coalesce(
        Subquery(
            queryset.filter(survey=OuterRef("pk"))
            .order_by()
            .values("survey")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def with_counts(surveys):
    """`surveys` annotated with question_count, recipient_count and submitted_count, in the
    same query however many surveys there are."""
    return surveys.annotate(
        question_count=_count(Question.objects.all()),
        recipient_count=_count(SurveyRecipient.objects.all()),
        submitted_count=_count(Response.objects.filter(submitted_at__isnull=False)),
    )


def recipient_summary(survey):
    """How far the people a survey went to have got: sent, started, answered, waiting."""
    counts = survey.recipients.aggregate(
        sent=Count("pk"),
        answered=Count("pk", filter=Q(response__submitted_at__isnull=False)),
        started=Count("pk", filter=Q(response__isnull=False, response__submitted_at__isnull=True)),
    )
    counts["waiting"] = counts["sent"] - counts["answered"]
    return counts


def is_past_closing(survey, now=None):
    return survey.closes_at is not None and survey.closes_at <= (now or timezone.now())


# -- surveys ---------------------------------------------------------------------------------


# What a survey's settings page sets (the status, the cohort and the author are set apart).
SETTINGS = [
    "title",
    "kind",
    "intro",
    "community",
    "closes_at",
    "reminder_limit",
    "reminder_interval_days",
]


def set_fields(row, values, names):
    """Set `values` (field name -> domain value) on `row`, refusing a name not in `names`.
    Returns the sorted names whose value changed."""
    unknown = set(values) - set(names)
    if unknown:
        raise TypeError(f"{type(row).__name__} has no settable field {sorted(unknown)}")
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, values[name])
    return sorted(changed)


@transaction.atomic
def create_survey(*, cohort, actor, starting_point, create_topics=False, **settings_):
    """A new draft survey in `cohort` with the questions of `starting_point` (a key of
    `banks.STARTING_POINTS`; none for a blank survey). `settings_` are values of SETTINGS;
    the kind, and a title or intro left empty, come from the starting point. With
    `create_topics`, the practice areas its questions offer become topics of the cohort
    first (those it has not got), so answers naming them reach the inventory."""
    point = banks.STARTING_POINTS[starting_point]
    if create_topics and banks.fills_from_topics(starting_point):
        cohort_services.add_topics(cohort, actor=actor, names=banks.areas_not_topics(cohort))
    survey = Survey(
        cohort=cohort,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        status=Status.DRAFT,
        kind=point["kind"],
    )
    set_fields(survey, settings_, SETTINGS)
    survey.title = survey.title or str(point["title"])
    survey.intro = survey.intro or str(point["intro"])
    survey.save()
    specs = banks.questions_for(starting_point, cohort)
    Question.objects.bulk_create(
        [Question(survey=survey, position=index, **spec) for index, spec in enumerate(specs)]
    )
    record(
        cohort,
        actor,
        "created survey",
        survey,
        starting_point=starting_point,
        questions=len(specs),
    )
    return survey


@transaction.atomic
def update_survey(survey, *, actor, **settings_):
    """Change the settings of `survey` (values of SETTINGS, by name)."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    changed = set_fields(survey, settings_, SETTINGS)
    survey.save()
    record(survey.cohort, actor, "updated survey", survey, fields=changed)
    return survey


@transaction.atomic
def copy_survey(survey, *, actor):
    """A new draft with the settings and all the questions of `survey`, no recipients and
    no answers. Its closing time is left empty: the old one has often passed."""
    title = _("Copy of %(title)s") % {"title": survey.title}
    copy = Survey.objects.create(
        cohort=survey.cohort,
        community=survey.community,
        title=title[: Survey._meta.get_field("title").max_length],
        intro=survey.intro,
        kind=survey.kind,
        status=Status.DRAFT,
        reminder_limit=survey.reminder_limit,
        reminder_interval_days=survey.reminder_interval_days,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    Question.objects.bulk_create(
        [
            Question(survey=copy, **{name: getattr(question, name) for name in QUESTION_FIELDS})
            for question in survey.questions.order_by("position", "pk")
        ]
    )
    record(survey.cohort, actor, "copied survey", copy, source=str(survey.public_id))
    return copy


# Allowed status changes: a draft opens; an open survey closes; a closed one re-opens.
TRANSITIONS = {
    Status.DRAFT: {Status.OPEN},
    Status.OPEN: {Status.CLOSED},
    Status.CLOSED: {Status.OPEN},
}


def set_status(survey, status, *, actor):
    """Open, close or re-open `survey`. Raises SurveyError when that change cannot be made."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if status not in TRANSITIONS.get(survey.status, set()):
            raise SurveyError(
                _("A survey that is %(current)s cannot be set to %(new)s.")
                % {
                    "current": survey.get_status_display().lower(),
                    "new": dict(Status.choices).get(status, status).lower(),
                }
            )
        if status == Status.OPEN:
            _check_evaluation(survey)
            _check_can_take_answers(survey)
        old = survey.status
        survey.status = status
        survey.save(update_fields=["status", "updated_at"])
        record(survey.cohort, actor, f"set survey {status}", survey, previous=old)
    return survey


def _check_evaluation(survey):
    """An evaluation's survey goes out only through its evaluation (planning.evaluations),
    which opens it on its date; the cohort's evaluation template is never sent."""
    if survey.kind != Survey.Kind.EVALUATION:
        return
    if survey.community_id is None:
        raise SurveyError(
            _(
                "This is the cohort's evaluation template: schedule an evaluation to send "
                "its questions to a community."
            )
        )
    opened = Evaluation.objects.filter(survey=survey).values_list("opened_at", flat=True).first()
    if opened is None:
        raise SurveyError(
            _(
                "This evaluation's survey goes to the members on the evaluation's date. To "
                "send it sooner, use “Open now” on the evaluation's page."
            )
        )


def _check_can_take_answers(survey, now=None):
    if not survey.questions.exists():
        raise SurveyError(_("Add at least one question first."))
    if is_past_closing(survey, now):
        raise SurveyError(
            _(
                "Its closing time (%(date)s) has passed. Set a later one (or none) in the "
                "settings first."
            )
            % {"date": when_text(survey.closes_at)}
        )


@transaction.atomic
def delete_survey(survey, *, actor):
    """Delete `survey` with its questions, recipients, responses and live sessions."""
    if Evaluation.objects.filter(survey=survey).exists():
        raise SurveyError(_("This survey belongs to an evaluation: cancel the evaluation instead."))
    responses = survey.responses.count()
    record(survey.cohort, actor, "deleted survey", survey, responses=responses)
    survey.delete()
    return responses


# -- sending ---------------------------------------------------------------------------------


def answer_url(recipient):
    """The absolute personal link of `recipient`."""
    return settings.SITE_URL + recipient.get_answer_url()


def _email(recipient, survey, *, template, key, sender, reminder=0):
    participant = recipient.participant
    return {
        "key": key,
        "kind": template,
        "to_email": participant.email,
        "template": template,
        "context": {
            "participant": participant,
            "survey": survey,
            "cohort": survey.cohort,
            "community": survey.community,
            "answer_url": answer_url(recipient),
            "closes_at": survey.closes_at,
            "question_count": survey.question_count,
            "sender": sender,
            "reminder": reminder,
        },
    }


def _sender_name(actor):
    if actor is not None and actor.is_authenticated:
        return actor.get_full_name() or actor.email
    return _("Your TTA team")


def send_survey(survey, participants, *, actor, now=None):
    """Send `survey` to each of `participants` (of its cohort) not sent it yet: a
    SurveyRecipient with a personal link and an email carrying it. A draft survey opens.

    Refused (SurveyError) for a closed survey, one past its closing time, or one without
    questions. Returns counts: {"sent": n, "already": n}."""
    refuse_if_archived(survey.community)
    now = now or timezone.now()
    ids = {participant.pk for participant in participants}
    with transaction.atomic():
        survey = (
            Survey.objects.select_for_update(of=("self",))
            .select_related("cohort", "community")
            .get(pk=survey.pk)
        )
        if survey.status == Status.CLOSED:
            raise SurveyError(
                _("This survey is closed. Re-open it before sending it to more people.")
            )
        _check_evaluation(survey)
        _check_can_take_answers(survey, now)
        rows = list(survey.cohort.participants.filter(pk__in=ids).order_by("pk"))
        already = set(
            survey.recipients.filter(participant__in=rows).values_list("participant_id", flat=True)
        )
        fresh = [participant for participant in rows if participant.pk not in already]
        counts = {"sent": 0, "already": len(already)}
        if not fresh:
            return counts
        # ignore_conflicts: a concurrent send of the same person (on a database without row
        # locks) made the row first; the email key below keeps them to one email.
        SurveyRecipient.objects.bulk_create(
            [SurveyRecipient(survey=survey, participant=p, sent_at=now) for p in fresh],
            batch_size=500,
            ignore_conflicts=True,
        )
        recipients = list(
            survey.recipients.filter(participant__in=fresh).select_related("participant")
        )
        if survey.status == Status.DRAFT:
            survey.status = Status.OPEN
            survey.save(update_fields=["status", "updated_at"])
        survey.question_count = survey.questions.count()
        sender = _sender_name(actor)
        outbox.enqueue_many(
            [
                _email(
                    recipient,
                    survey,
                    template="survey_invitation",
                    key=f"survey-invitation:{recipient.pk}",
                    sender=sender,
                )
                for recipient in recipients
            ]
        )
        counts["sent"] = len(recipients)
        record(survey.cohort, actor, "sent survey", survey, count=counts["sent"])
    return counts


# -- reminders -------------------------------------------------------------------------------


def _not_answered(recipients):
    submitted = Response.objects.filter(recipient=OuterRef("pk"), submitted_at__isnull=False)
    return recipients.filter(sent_at__isnull=False).exclude(Exists(submitted))


def _last_contact(recipients):
    return recipients.annotate(last_contact=Coalesce("last_reminded_at", "sent_at"))


def due_recipients(now):
    """The recipients due a reminder at `now`, across all open surveys, each with its
    `survey` (and the survey's question_count) attached."""
    surveys = (
        Survey.objects.filter(status=Status.OPEN, reminder_limit__gt=0)
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        # A COP that continues on its own is no longer chased by the TTA team's surveys.
        .exclude(community__phase__in=ON_ITS_OWN)
        .select_related("cohort", "community")
        .annotate(question_count=Count("questions"))
    )
    due = []
    for survey in surveys:
        cutoff = now - timedelta(days=survey.reminder_interval_days)
        for recipient in (
            _last_contact(_not_answered(survey.recipients.all()))
            .filter(reminder_count__lt=survey.reminder_limit, last_contact__lte=cutoff)
            .select_related("participant")
            .order_by("pk")
        ):
            recipient.survey = survey
            due.append(recipient)
    return due


def queue_reminder(recipient, now, *, sender=None):
    """The sweep's handler: queue the reminder just claimed (reminder_count is the old count
    on the row read) from `sender` (the TTA team unless someone clicked "Remind now")."""
    n = recipient.reminder_count + 1
    outbox.enqueue(
        **_email(
            recipient,
            recipient.survey,
            template="survey_reminder",
            key=f"survey-reminder:{recipient.pk}:{n}",
            sender=sender or _("Your TTA team"),
            reminder=n,
        )
    )
    return 1


def _record_sweep(handled, now):
    """One activity entry per survey the sweep reminded people of."""
    for survey, count in Counter(recipient.survey for recipient, _queued in handled).items():
        record(survey.cohort, None, "sent survey reminders", survey, count=count)


# The n-th reminder is claimed on the counter: reminder_count goes from n - 1 to n, so two
# sweeps (or a sweep and "Remind now") that read the same count remind once.
survey_reminders = later.register(
    later.Sweep(
        name="survey reminders",
        cohort="survey__cohort",
        due=due_recipients,
        column="reminder_count",
        mark=lambda recipient, now: recipient.reminder_count + 1,
        also=lambda recipient, now: {"last_reminded_at": now, "updated_at": now},
        handle=queue_reminder,
        after=_record_sweep,
    )
)


def _claim_and_queue(recipient, survey, now, sender):
    """Claim the next reminder of `recipient` and queue its email; False when another
    process claimed it first (its reminder_count is no longer the one read)."""
    recipient.survey = survey
    return survey_reminders.take(recipient, now, sender=sender) is not None


def queue_due_reminders(now=None):
    """Run the sweep once: queue the reminders due now across all open surveys. Safe to run
    in any number of processes at once. Returns how many reminders were queued."""
    return survey_reminders.run(now).queued


def remind_now(survey, *, actor, now=None):
    """Remind at once everyone `survey` went to who has not answered, within the survey's
    limit of reminders and not contacted in the last 24 hours.

    Returns counts: {"reminded", "at_limit", "recent"} (the last two were skipped)."""
    refuse_if_archived(survey.community)
    now = now or timezone.now()
    survey = Survey.objects.select_related("cohort", "community").get(pk=survey.pk)
    if survey.status != Status.OPEN or is_past_closing(survey, now):
        raise SurveyError(_("Only an open survey sends reminders."))
    survey.question_count = survey.questions.count()
    waiting = list(
        _last_contact(_not_answered(survey.recipients.all()))
        .select_related("participant")
        .order_by("pk")
    )
    counts = {"reminded": 0, "at_limit": 0, "recent": 0}
    sender = _sender_name(actor)
    for recipient in waiting:
        if recipient.reminder_count >= survey.reminder_limit:
            counts["at_limit"] += 1
        elif recipient.last_contact > now - REMIND_NOW_QUIET:
            counts["recent"] += 1
        elif _claim_and_queue(recipient, survey, now, sender):
            counts["reminded"] += 1
        else:
            counts["recent"] += 1
    if counts["reminded"]:
        with transaction.atomic():
            record(survey.cohort, actor, "reminded survey", survey, count=counts["reminded"])
    return counts
