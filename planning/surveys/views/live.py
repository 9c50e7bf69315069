"""Live polls: the presenter's view and controls, and the phone page participants vote on.

The presenter's page polls `live_results` every second for the counts; each phone polls
`live_vote_state` every two seconds, which answers 204 while nothing changed and otherwise
swaps in the new question, the revealed results or the end of the poll (htmx out-of-band).
Voting itself is a plain form POST, so it works without JavaScript.
"""

import uuid
import zlib
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cohorts.access import cohort_view
from cohorts.models import Participant
from copkit.errors import show_error
from planning.models import Answer, LiveSession, Question
from planning.surveys.questions import tally
from planning.surveys.services import live as services
from planning.surveys.views import live_codes

VOTER_SESSION_KEY = "live_voter_key"
ANSWERED = gettext_lazy("Your answer is in — you can change it until the presenter moves on.")
NO_SUCH_CODE = gettext_lazy("No live poll has this code. Check it on the screen.")
ENDED = gettext_lazy("This poll has ended. Thank you for taking part.")
TOO_MANY_TRIES = gettext_lazy("Too many tries, wait a minute.")
SCREEN = "screen"  # the control forms' `view` on the full-screen presenter view


# --- presenter (staff) -------------------------------------------------------------------


def _session_for(access, session_id):
    sessions = LiveSession.objects.filter(survey__cohort=access.cohort).select_related(
        "survey", "current_question"
    )
    return get_object_or_404(sessions, public_id=session_id)


@require_POST
@cohort_view("cohort.manage")
def live_start(request, access, survey_id):
    survey = get_object_or_404(access.cohort.surveys, public_id=survey_id)
    try:
        session = services.start_session(survey, request.user)
    except services.LiveError as error:
        show_error(request, error)
        return redirect(survey.get_absolute_url())
    messages.success(
        request,
        _("Live poll started. Share the code %(code)s; results stay hidden until you reveal them.")
        % {"code": session.code},
    )
    return redirect(_present_url(access, session))


def _present_url(access, session, view=""):
    """The presenter's page, or with view=SCREEN its full-screen view for a shared screen."""
    return reverse(
        "planning:live-screen" if view == SCREEN else "planning:live-present",
        kwargs={"cohort_slug": access.cohort.slug, "session_id": session.public_id},
    )


def _results_context(session, values=None):
    question = session.current_question
    if question is None:
        return {"tally": None, "visible": session.results_visible}
    values = services.current_values(session) if values is None else values
    return {"tally": tally(question, values), "visible": session.results_visible}


@cohort_view("cohort.manage")
def live_present(request, access, session_id):
    session = _session_for(access, session_id)
    context = present_context(request, access, session)
    return render(request, "planning/surveys/live/present.html", context)


def present_context(request, access, session):
    """What both presenter pages show: the question on the screen and its results while the
    session is open, every question's summary once it closed; the join address and code."""
    questions = services.questions_of(session)
    number, total = services.position_of(session, questions)
    context = {
        "live": session,
        "survey": session.survey,
        "questions": questions,
        "number": number,
        "total": total,
        "join_url": request.build_absolute_uri(reverse("live-join")),
        "direct_url": request.build_absolute_uri(session.get_join_url()),
        "results_url": reverse(
            "planning:live-results",
            kwargs={"cohort_slug": access.cohort.slug, "session_id": session.public_id},
        ),
        "control_url": reverse(
            "planning:live-control",
            kwargs={"cohort_slug": access.cohort.slug, "session_id": session.public_id},
        ),
        "present_url": _present_url(access, session),
        "screen_url": _present_url(access, session, SCREEN),
    }
    if session.is_open:
        context.update(_results_context(session))
    else:
        context["summaries"] = _summaries(session, questions)
    return context


def _summaries(session, questions):
    """Every question's tally, for the page of a finished session (one query)."""
    values = {}
    answers = Answer.objects.filter(
        response__live_session=session, response__submitted_at__isnull=False
    ).values_list("question_id", "value")
    for question_id, value in answers:
        values.setdefault(question_id, []).append(value)
    return [tally(question, values.get(question.pk, [])) for question in questions]


@cohort_view("cohort.manage")
def live_results(request, access, session_id):
    """The counts of the current question, polled by the presenter's page every second.
    When the presenter moved on or closed the poll elsewhere, the page reloads itself."""
    session = _session_for(access, session_id)
    shown = request.GET.get("q")
    current = str(session.current_question.public_id) if session.current_question else ""
    if request.htmx and (not session.is_open or (shown is not None and shown != current)):
        return HttpResponse(headers={"HX-Refresh": "true"})
    return render(request, "planning/surveys/live/_results.html", _results_context(session))


@require_POST
@cohort_view("cohort.manage")
def live_control(request, access, session_id):
    session = _session_for(access, session_id)
    action = request.POST.get("action", "")
    question = None
    if action == "goto":
        question = (
            Question.objects.filter(
                survey=session.survey, public_id=request.POST.get("question")
            ).first()
            if _is_uuid(request.POST.get("question"))
            else None
        )
    try:
        session = services.control(session, action, request.user, question=question)
    except services.LiveError as error:
        show_error(request, error)
    else:
        if action == "close":
            messages.success(request, _("The live poll is closed. Here is what people said."))
    return redirect(_present_url(access, session, request.POST.get("view", "")))


def _is_uuid(text):
    try:
        uuid.UUID(str(text))
    except ValueError:
        return False
    return True


# --- phones (anyone with the code) ---------------------------------------------------------


class JoinForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        help_text=gettext_lazy("The code on the presenter's screen: letters and numbers."),
        widget=forms.TextInput(
            attrs={
                "autocapitalize": "characters",
                "autocomplete": "off",
                "spellcheck": "false",
                "class": "form-control-lg live-code-input",
            }
        ),
    )

    def clean_code(self):
        return services.normalise_code(self.cleaned_data["code"])


def live_join(request):
    data = request.POST if request.method == "POST" else request.GET
    form = JoinForm(data if "code" in data else None)
    status = 200
    if form.is_bound and form.is_valid():
        session, found = _lookup(request, form.cleaned_data["code"])
        if session is None:
            form.add_error("code", _REFUSALS[found])
            status = 429 if found == 429 else 200  # a wrong code: the form page, with why
        elif session.is_open:
            return redirect("live-vote", code=session.code)
        else:
            form.add_error("code", ENDED)
    return render(request, "planning/surveys/live/join.html", {"form": form}, status=status)


_REFUSALS = {404: NO_SUCH_CODE, 429: TOO_MANY_TRIES}


def _lookup(request, code):
    """(the session `code` names, 200), or (None, 404) for a code no session has, or
    (None, 429) once this client named too many of those (live_codes)."""
    if live_codes.blocked(request):
        return None, 429
    session = services.find_session(code)
    if session is None:
        live_codes.missed(request)
        return None, 404
    return session, 200


def _refused(request, code, status):
    form = JoinForm({"code": code})
    form.is_valid()
    form.add_error("code", _REFUSALS[status])
    return render(request, "planning/surveys/live/join.html", {"form": form}, status=status)


def _voter(request, session, create=False):
    """(voter key, participant) of this browser in `session`: a logged-in participant of
    the cohort votes by name; anyone else by a random key kept in their session."""
    participant = None
    if request.user.is_authenticated:
        participant = Participant.objects.filter(
            cohort_id=session.survey.cohort_id, user=request.user
        ).first()
    if participant is not None:
        return services.participant_key(participant), participant
    key = request.session.get(VOTER_SESSION_KEY)
    if key is None and create:
        key = request.session[VOTER_SESSION_KEY] = services.new_anonymous_key()
    return key, None


def _raw_answer(question, post):
    """What the phone posted for `question`, in the shape clean_value takes."""
    if question.kind in (Question.Kind.MULTIPLE, Question.Kind.PICK_N):
        return post.getlist("answer")
    if question.kind == Question.Kind.RANKING:
        places = {}
        for index, option in enumerate(question.choices):
            place = post.get(f"rank_{index}", "").strip()
            if place:
                places.setdefault(place, []).append(str(option))
        if not places:
            return []
        if len(places) != len(question.choices):
            # A place given twice or left out: an incomplete ranking, which clean_value
            # refuses with its own message.
            return [options[0] for options in places.values()][: len(question.choices) - 1]
        return [places[place][0] for place in sorted(places, key=_place_number)]
    return post.get("answer", "")


def _place_number(place):
    try:
        return int(place)
    except ValueError:
        return 0


def _phone_context(request, session, error=None, results=None):
    question = session.current_question
    context = {"live": session, "question": question, "error": error}
    if session.is_open and question is not None:
        voter_key, _participant = _voter(request, session)
        value = services.answer_of(session, voter_key)
        context["value"] = value
        context["answered"] = value is not None
        context["answered_text"] = ANSWERED
        if question.kind == Question.Kind.RANKING:
            context["ranking"], context["places"] = _ranking_rows(question, value)
        if question.kind == Question.Kind.RATING:
            context["scale"] = list(range(question.scale_min, question.scale_max + 1))
        if session.results_visible:
            context.update(results or _results_context(session))
    context["state_url"] = _state_url(session, context)
    return context


def _ranking_rows(question, value):
    ranked = value if isinstance(value, list) else []
    places = list(range(1, len(question.choices) + 1))
    return [
        {
            "index": index,
            "label": str(option),
            "place": ranked.index(str(option)) + 1 if str(option) in ranked else None,
        }
        for index, option in enumerate(question.choices)
    ], places


def _fingerprint(session, counted=None):
    """What a phone has seen: status, question, results shown and, while they are shown,
    the split of the votes (`counted` is the Tally), so a changed vote shows as a change."""
    question = session.current_question
    split = ""
    if session.results_visible and counted is not None:
        seen = [row.count for row in counted.rows] + counted.texts
        split = f"{counted.answered}-{zlib.crc32(repr(seen).encode()):x}"
    return {
        "s": session.status,
        "q": str(question.public_id) if question else "",
        "r": "1" if session.results_visible else "0",
        "n": split,
    }


def _state_url(session, context):
    query = urlencode(_fingerprint(session, context.get("tally")))
    return f"{reverse('live-vote-state', kwargs={'code': session.code})}?{query}"


def live_vote(request, code):
    session, status = _lookup(request, code)
    if session is None:
        return _refused(request, code, status)
    if code != session.code and request.method == "GET":
        return redirect("live-vote", code=session.code)
    if request.method == "POST" and session.is_open:
        question = session.current_question
        posted = request.POST.get("question", "")
        voted_for = question if question and str(question.public_id) == posted else None
        voter_key, participant = _voter(request, session, create=True)
        raw = _raw_answer(question, request.POST) if voted_for else None
        try:
            services.vote(session, voted_for, raw, voter_key, participant)
        except services.MovedOn as error:
            messages.warning(request, str(error))
        except services.LiveError as error:
            context = _phone_context(request, session, error=str(error))
            return render(request, "planning/surveys/live/vote.html", context)
        return redirect("live-vote", code=session.code)
    if request.method == "POST":  # closed meanwhile: no vote is taken
        messages.warning(request, _("Your answer was not saved."))  # the page says it ended
        return redirect("live-vote", code=session.code)
    # A closed session's code says only that the poll has ended (410 Gone): no title, no
    # question, no results.
    status = 200 if session.is_open else 410
    return render(
        request, "planning/surveys/live/vote.html", _phone_context(request, session), status=status
    )


def live_vote_state(request, code):
    """What a phone shows now. 204 while nothing changed since the phone's last look
    (`s`, `q`, `r`, `n` in the query: status, question, results shown, votes counted);
    otherwise the parts that changed, swapped in out of band."""
    if live_codes.blocked(request):
        return HttpResponse(TOO_MANY_TRIES, status=429, content_type="text/plain; charset=utf-8")
    session = services.find_session(code)
    if session is None:
        live_codes.missed(request)
        return HttpResponse(status=404)
    results = None
    if session.is_open and session.results_visible and session.current_question is not None:
        results = _results_context(session)
    now = _fingerprint(session, results["tally"] if results else None)
    seen = {key: request.GET.get(key) for key in now}
    if seen == now:
        return HttpResponse(status=204)  # the cheap, common answer: one or two queries
    context = _phone_context(request, session, results=results)
    context["question_changed"] = seen["s"] != now["s"] or seen["q"] != now["q"]
    return render(request, "planning/surveys/live/_vote_state.html", context)
