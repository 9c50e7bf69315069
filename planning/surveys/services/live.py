"""Live polls: a presenter runs a survey's questions one at a time while people vote from
their phones with a short code, and the results show on the shared screen as they arrive.

- `start_session(survey, actor)` opens a session with a fresh join code, first question on;
- `control(session, action, actor, question=None)` is the presenter's remote: reveal or
  hide the results, go to the next, previous or a chosen question, close;
- `vote(session, question, raw, voter_key, participant=None)` records one phone's answer to
  the current question; voting again replaces the answer.

A voter is a `voter_key` within the session: "p<participant id>" for a participant of the
cohort who is logged in, "a<random>" for anyone else (kept in their browser session), so a
person who votes twice changes their answer instead of counting twice.
"""

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.services.activity import record
from copkit.errors import ServiceError
from planning.archived import refuse_if_archived
from planning.models import Answer, LiveSession, Response, Survey
from planning.needs.services import inventory
from planning.surveys.models import new_code
from planning.surveys.questions import clean_value, is_blank

CODE_ATTEMPTS = 20


class LiveError(ServiceError):
    """A live poll action refused for a reason the person can act on."""


class MovedOn(LiveError):
    """The vote was for a question that is no longer the current one."""


def participant_key(participant):
    return f"p{participant.pk}"


def new_anonymous_key():
    return f"a{secrets.token_urlsafe(12)}"


def normalise_code(code):
    return "".join((code or "").split()).upper()


def find_session(code):
    """The session a join code names: the open one, else the latest closed one; or None."""
    code = normalise_code(code)
    if not code:
        return None
    return (
        LiveSession.objects.filter(code=code)
        .select_related("survey", "current_question")
        .order_by("-status", "-created_at")  # "open" sorts after "closed": open first
        .first()
    )


def start_session(survey, actor):
    """Open a live session on `survey` with its first question current and a new join code
    (unique among open sessions; drawn again on the rare collision)."""
    refuse_if_archived(survey.community)
    first = survey.questions.order_by("position", "id").first()
    if first is None:
        raise LiveError(_("Add a question to this survey before you run it as a live poll."))
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                session = LiveSession.objects.create(
                    survey=survey, code=new_code(), current_question=first, started_by=actor
                )
                _open_for_the_room(survey)
                record(survey.cohort, actor, "started live poll", survey, code=session.code)
                return session
        except IntegrityError:
            continue  # another open session holds this code: draw again
    raise LiveError(_("Could not find a free join code; please try again."))


def _open_for_the_room(survey):
    """A draft run as a live poll opens: it takes answers now. Never sent to anyone, it
    reminds no one either."""
    if survey.status == Survey.Status.DRAFT:
        survey.status = Survey.Status.OPEN
        survey.reminder_limit = 0
        survey.save(update_fields=["status", "reminder_limit", "updated_at"])


def _close_after_the_room(session):
    """The survey of a closed session closes too when the room was its only audience: it was
    sent to no one and no other session of it is still open."""
    survey = session.survey
    others = survey.live_sessions.filter(status=LiveSession.Status.OPEN).exclude(pk=session.pk)
    if survey.status == Survey.Status.OPEN and not (survey.recipients.exists() or others.exists()):
        survey.status = Survey.Status.CLOSED
        survey.save(update_fields=["status", "updated_at"])


def questions_of(session):
    return list(session.survey.questions.order_by("position", "id"))


def position_of(session, questions=None):
    """(1-based number of the current question, how many questions) for "2 of 5"."""
    questions = questions_of(session) if questions is None else questions
    ids = [q.pk for q in questions]
    number = ids.index(session.current_question_id) + 1 if session.current_question_id in ids else 0
    return number, len(ids)


ACTIONS = ("reveal", "hide", "next", "previous", "goto", "close")


@transaction.atomic
def control(session, action, actor, question=None):
    """Apply one of the presenter's actions. `question` is the target of "goto". Moving to
    another question hides the results again, so the first votes do not sway the rest."""
    session = LiveSession.objects.select_for_update().get(pk=session.pk)
    if action not in ACTIONS:
        raise LiveError(_("Choose one of the presenter's actions."))
    if not session.is_open:
        raise LiveError(_("This live poll has ended."))
    now = timezone.now()
    if action in ("reveal", "hide"):
        session.results_visible = action == "reveal"
    elif action == "close":
        session.status = LiveSession.Status.CLOSED
        session.closed_at = now
        _close_after_the_room(session)
    else:
        questions = questions_of(session)
        ids = [q.pk for q in questions]
        if action == "goto":
            if question is None or question.pk not in ids:
                raise LiveError(_("Choose a question of this survey."))
            target = question
        else:
            here = (
                ids.index(session.current_question_id) if session.current_question_id in ids else -1
            )
            step = 1 if action == "next" else -1
            index = here + step
            if not 0 <= index < len(questions):
                raise LiveError(
                    _("This is the last question.")
                    if step > 0
                    else _("This is the first question.")
                )
            target = questions[index]
        if target.pk != session.current_question_id:
            session.current_question = target
            session.results_visible = False
    session.save()
    record(
        session.survey.cohort,
        actor,
        f"live poll: {action}",
        session.survey,
        code=session.code,
        question=str(session.current_question_id or ""),
    )
    return session


def vote(session, question, raw, voter_key, participant=None):
    """Record `raw` (a string, or a list for the multi kinds) as `voter_key`'s answer to
    `question`, which must be the session's current question. A second vote replaces the
    first. Returns the Response."""
    if not session.is_open:
        raise LiveError(_("This poll has ended. Thank you for taking part."))
    if question is None or question.pk != session.current_question_id:
        raise MovedOn(
            _("The presenter moved on to another question; here it is. Your answer was not saved.")
        )
    try:
        value = clean_value(question, raw)
    except ValidationError as error:
        raise LiveError(" ".join(error.messages)) from None
    if is_blank(value):
        if question.is_text:
            raise LiveError(_("Write your answer first."))
        raise LiveError(_("Choose an answer first."))
    if not voter_key:
        raise LiveError(_("Your browser did not keep our cookie; allow cookies and try again."))
    now = timezone.now()
    with transaction.atomic():
        # Write first: PostgreSQL then locks this voter's row (two taps from one phone wait
        # for each other) and SQLite takes its write lock at once, waiting its turn
        # instead of failing halfway through on a lock upgrade.
        mine = Response.objects.filter(live_session=session, voter_key=voter_key)
        if not mine.update(submitted_at=now, updated_at=now):
            try:
                with transaction.atomic():
                    Response.objects.create(
                        survey_id=session.survey_id,
                        live_session=session,
                        voter_key=voter_key,
                        participant=participant,
                        submitted_at=now,
                    )
            except IntegrityError:  # the same phone's other request created it just now
                mine.update(submitted_at=now, updated_at=now)
        response = mine.get()
        Answer.objects.bulk_create(
            [Answer(response=response, question=question, value=value, updated_at=now)],
            update_conflicts=True,
            unique_fields=["response", "question"],
            update_fields=["value", "updated_at"],
        )
        if participant is not None:
            inventory.fill_from_response(response)
    return response


def answer_of(session, voter_key):
    """The value this voter gave to the session's current question, or None."""
    if not voter_key or session.current_question_id is None:
        return None
    return (
        Answer.objects.filter(
            response__live_session=session,
            response__voter_key=voter_key,
            question_id=session.current_question_id,
        )
        .values_list("value", flat=True)
        .first()
    )


def current_values(session):
    """The answers given so far to the current question (one query)."""
    if session.current_question_id is None:
        return []
    return list(
        Answer.objects.filter(
            response__live_session=session,
            response__submitted_at__isnull=False,
            question_id=session.current_question_id,
        ).values_list("value", flat=True)
    )
