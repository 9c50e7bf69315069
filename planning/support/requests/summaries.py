"""What other pages show of TTA requests: a leader's next steps on their home page, a
community's section on its page, and the dashboard's open requests and time to a first
answer. Each reads a fixed number of queries, however many requests there are."""

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from copkit.privacy import hide_small
from planning.models import TTARequest

OPEN = TTARequest.OPEN_STATES
SECTION_ROWS = 3


def _url(request, community):
    return reverse(
        "planning:tta-request", args=[community.cohort.slug, community.slug, request.public_id]
    )


def leader_steps(community_ids):
    """{community id: [next step]}: a request whose reply the leaders have not read since
    it came. One query."""
    if not community_ids:
        return {}
    rows = (
        TTARequest.objects.filter(community_id__in=community_ids, replied_at__isnull=False)
        .filter(Q(reply_seen_at__isnull=True) | Q(reply_seen_at__lt=F("replied_at")))
        .select_related("community__cohort")
        .order_by("-replied_at", "pk")
    )
    steps = {}
    for request in rows:
        steps.setdefault(request.community_id, []).append(
            {
                "text": _("Your TTA team answered your request “%(what)s”.")
                % {"what": str(request)},
                "url": _url(request, request.community),
                "label": _("Read the reply"),
            }
        )
    return steps


def community_section(community):
    """The few latest requests of `community` for its page (open ones first), and how many
    it has. One query."""
    rows = list(
        community.tta_requests.order_by("-created_at", "pk").only(
            "public_id", "what", "state", "created_at", "replied_at", "community_id"
        )
    )
    for request in rows:
        request.url = _url(request, community)
    ordered = [r for r in rows if r.is_open] + [r for r in rows if not r.is_open]
    return {"rows": ordered[:SECTION_ROWS], "total": len(rows)}


def _hours(duration):
    if duration is None:
        return None
    if not hasattr(duration, "total_seconds"):  # a backend that averages to microseconds
        seconds = float(duration) / 1_000_000
    else:
        seconds = duration.total_seconds()
    return round(max(seconds, 0) / 3600, 1)


WAIT = ExpressionWrapper(
    F("tta_requests__first_answer_at") - F("tta_requests__created_at"),
    output_field=DurationField(),
)


def dashboard(cohort, *, sees_people):
    """Per active community with requests: how many are open, how many wait for a first
    answer, and the average hours from filing to staff's first change or reply; and the
    same for the cohort. For a viewer who may not see people, an average built from fewer
    than five answered requests is hidden. Two queries."""
    rows = list(
        cohort.communities.active()
        .annotate(
            requests_total=Count("tta_requests"),
            requests_open=Count("tta_requests", filter=Q(tta_requests__state__in=OPEN)),
            requests_new=Count(
                "tta_requests",
                filter=Q(tta_requests__first_answer_at__isnull=True, tta_requests__state="new"),
            ),
            requests_answered=Count(
                "tta_requests", filter=Q(tta_requests__first_answer_at__isnull=False)
            ),
            wait=Avg(WAIT, filter=Q(tta_requests__first_answer_at__isnull=False)),
        )
        .filter(requests_total__gt=0)
        .order_by("-requests_open", "name")
    )
    for community in rows:
        community.wait_hours = _hours(community.wait)
        community.wait_hidden = hide_small(community.requests_answered, sees_people=sees_people)
    totals = cohort.communities.active().aggregate(
        total=Count("tta_requests"),
        open=Count("tta_requests", filter=Q(tta_requests__state__in=OPEN)),
        answered=Count("tta_requests", filter=Q(tta_requests__first_answer_at__isnull=False)),
        wait=Avg(WAIT, filter=Q(tta_requests__first_answer_at__isnull=False)),
    )
    totals["wait_hours"] = _hours(totals["wait"])
    totals["wait_hidden"] = hide_small(totals["answered"], sees_people=sees_people)
    return {"rows": rows, "totals": totals}
