"""The one guard of closed cohorts: every write to a closed cohort is refused, here.

`ClosedCohortMiddleware` looks at every request that may write (any method but GET, HEAD,
OPTIONS, TRACE) before its view runs. It finds the cohort the request is about:

- from the URL's `cohort_slug` (every cohort page, `c/<cohort>/...`), or
- from the token or code of a link that names no cohort (`TOKEN_LINKS`): a survey's personal
  link, a live poll vote, a check-in link, a formation answer, an invitation, a discussion
  reply link. A new token URL that writes must be added there (a test lists every URL
  without a cohort slug and fails on one that is in neither table).

When that cohort is closed, the request is refused with 409 Conflict and a page saying when
the cohort closed, that it is read-only, and a link back; an htmx request is sent to that
page instead (HX-Redirect), since htmx swaps no error response. 409, not 403: the person may
well be allowed to do this; it is the cohort's state that refuses it, and reopening the
cohort lifts it. A person with no role in the cohort is not told anything: their request goes
on to the view, which answers 404 (or the login page) as it always does.

`ALLOWED_WHEN_CLOSED` is the short list of POST URLs that change no cohort data and so still
work in a closed cohort; each says why. A person's own data download and account deletion
(`me/...`) name no cohort, so they pass without being listed: deleting an account must
remove the person's name from a closed cohort too.

Sits in the hub (which may import every app) because the token links belong to `planning`.
"""

from django.core import signing
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from cohorts.models import Cohort, CohortRole, FormationEntry, Invitation, Participant
from cohorts.views.closing import back_url
from planning.models import CheckIn, SurveyRecipient, Thread
from planning.surveys.services.live import find_session
from planning.workspace import replylink

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

# URL name -> why a POST to it is fine in a closed cohort.
ALLOWED_WHEN_CLOSED = {
    "cohorts:cohort-close": "staff reopen the cohort here (closing it again is refused)",
    "account_logout": "logging out ends a session; it touches no cohort",
    "my-email-settings": "a person's own email preferences, which belong to no cohort",
    "email-settings": "the same preferences, through the link in an email",
    "email-unsubscribe": "turning one kind of email off, a person's own preference",
    "live-join": "typing a poll code only finds the poll and redirects to it; votes go to "
    "live-vote, which is guarded",
    # The archive export (issue 16, its own branch): building one reads the cohort and
    # writes only the export's own row and file, which is what "exportable" needs.
    "planning:cohort-export-start": "builds the cohort's archive: reads it, changes none of it",
    "planning:community-export-start": "builds a community's archive, the same way",
}


def _one(queryset, path):
    return queryset.values_list(path, flat=True).first()


def _survey_recipient(kwargs):
    return _one(SurveyRecipient.objects.filter(token=kwargs["token"]), "survey__cohort")


def _live_session(kwargs):
    session = find_session(kwargs["code"])
    return session.survey.cohort_id if session else None


def _checkin(kwargs):
    return _one(CheckIn.objects.filter(token=kwargs["token"]), "community__cohort")


def _reply_link(kwargs):
    try:
        thread_hex, _email = replylink.read(kwargs["token"])
    except (signing.BadSignature, replylink.Expired):
        return None  # the view explains a bad or old link
    return _one(Thread.objects.filter(public_id=thread_hex), "community__cohort")


# URL name of a link without a cohort slug -> its cohort's id from the URL's kwargs.
TOKEN_LINKS = {
    "accept-invitation": lambda kw: _one(Invitation.objects.filter(token=kw["token"]), "cohort"),
    "formation-answer": lambda kw: _one(
        FormationEntry.objects.filter(token=kw["token"]), "round__cohort"
    ),
    "survey-answer": _survey_recipient,
    "survey-answer-save": _survey_recipient,
    "live-vote": _live_session,
    "live-vote-state": _live_session,
    "checkin-answer": _checkin,
    "workspace-reply-link": _reply_link,
}


def cohort_of(view_name, kwargs):
    """The cohort a request to `view_name` with `kwargs` is about, or None."""
    if "cohort_slug" in kwargs:
        return Cohort.objects.filter(slug=kwargs["cohort_slug"]).first()
    resolve = TOKEN_LINKS.get(view_name)
    cohort_id = resolve(kwargs) if resolve else None
    return Cohort.objects.filter(pk=cohort_id).first() if cohort_id else None


def _in_cohort(user, cohort):
    if not user.is_authenticated:
        return False
    return (
        user.is_superuser
        or CohortRole.objects.filter(cohort=cohort, user=user).exists()
        or Participant.objects.filter(cohort=cohort, user=user).exists()
    )


def closed_page(request, cohort, status=409):
    return render(
        request,
        "cohorts/closed.html",
        {"closed_cohort": cohort, "back_url": back_url(request)},
        status=status,
    )


def refuse(request, cohort):
    """The answer to a write to a closed cohort."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=409)
        response["HX-Redirect"] = reverse(
            "cohorts:closed-notice", kwargs={"cohort_slug": cohort.slug}
        )
        return response
    return closed_page(request, cohort)


class ClosedCohortMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in SAFE_METHODS:
            return None
        view_name = request.resolver_match.view_name if request.resolver_match else ""
        if view_name in ALLOWED_WHEN_CLOSED:
            return None
        cohort = cohort_of(view_name, view_kwargs)
        if cohort is None or not cohort.is_closed:
            return None
        if getattr(view_func, "cohort_ability", None) and not _in_cohort(request.user, cohort):
            return None  # the access layer answers 404 or the login page, as for any page
        return refuse(request, cohort)
