"""What other pages show of going-deeper activities: a leader's next steps on their home
page, a community's section on its page, the activity on a meeting's agenda, and the staff's
board of which communities did which activity. Each reads a fixed number of queries,
however many communities, activities and suggestions there are."""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from copkit.privacy import hide_small
from planning.models import DeeperActivity, DeeperSuggestion

State = DeeperSuggestion.State


def _url(suggestion, community):
    return reverse(
        "planning:deeper-suggestion",
        args=[community.cohort.slug, community.slug, suggestion.public_id],
    )


def leader_steps(community_ids, now):
    """{community id: [next step]} for the leaders of the communities `community_ids`: a
    suggestion to answer, an accepted one (or one whose meeting was cancelled) to put on a
    meeting, a planned one whose meeting is over to mark done. One query."""
    if not community_ids:
        return {}
    rows = (
        DeeperSuggestion.objects.filter(
            community_id__in=community_ids, state__in=DeeperSuggestion.OPEN_STATES
        )
        .select_related("activity", "meeting", "community__cohort")
        .order_by("due_on", "pk")
    )
    steps = {}
    for suggestion in rows:
        if suggestion.state == State.SUGGESTED:
            text = _("Your TTA team suggests an activity to go deeper: “%(title)s”.")
            label = _("Accept or decline")
        elif suggestion.state == State.ACCEPTED:
            text = _("Plan “%(title)s” onto one of your meetings.")
            label = _("Plan it")
        elif suggestion.meeting is None or suggestion.meeting.is_cancelled:
            text = _("The meeting “%(title)s” was planned for is cancelled: plan it again.")
            label = _("Plan it")
        elif suggestion.meeting.starts_at <= now:
            text = _("Did the group do “%(title)s”? Mark it done and say what it learned.")
            label = _("Mark it done")
        else:
            continue  # planned onto a meeting still to come: nothing to do yet
        steps.setdefault(suggestion.community_id, []).append(
            {
                "text": text % {"title": suggestion.activity.title},
                "url": _url(suggestion, suggestion.community),
                "label": label,
            }
        )
    return steps


def community_suggestions(community, *, sees_all):
    """The community's suggestions as its page lists them: leaders and staff see every one,
    members what the group accepted, planned or did. One query."""
    rows = community.deeper_suggestions.select_related("activity", "meeting")
    if not sees_all:
        rows = rows.filter(state__in=DeeperSuggestion.MEMBER_STATES)
    rows = list(rows.order_by("due_on", "pk"))
    for suggestion in rows:
        suggestion.url = _url(suggestion, community)
    return [s for s in rows if s.is_open] + [s for s in rows if not s.is_open]


def on_meeting(meeting):
    """The activities planned onto `meeting`. One query."""
    return list(
        meeting.deeper_suggestions.filter(state__in=(State.PLANNED, State.DONE))
        .select_related("activity")
        .order_by("pk")
    )


@dataclass
class Board:
    """Communities by activities, each cell the community's latest suggestion of it."""

    communities: list
    activities: list
    cells: dict = field(default_factory=dict)  # (community id, activity id) -> suggestion

    def rows(self):
        for community in self.communities:
            yield community, [(a, self.cells.get((community.pk, a.pk))) for a in self.activities]


def board(cohort):
    """The staff's board: the cohort's active communities, and the activities suggested at
    least once or not retired, with each community's latest suggestion. Three queries."""
    communities = list(cohort.communities.active().order_by("name"))
    activities = list(
        cohort.deeper_activities.annotate(times=Count("suggestions"))
        .filter(Q(retired_at__isnull=True) | Q(times__gt=0))
        .order_by("position", "title")
    )
    result = Board(communities=communities, activities=activities)
    rows = (
        DeeperSuggestion.objects.filter(
            activity__cohort=cohort, community__archived_at__isnull=True
        )
        .only(
            "public_id",
            "activity_id",
            "community_id",
            "state",
            "due_on",
            "done_at",
        )
        .order_by("created_at", "pk")
    )
    slugs = {community.pk: community for community in communities}
    for suggestion in rows:
        community = slugs.get(suggestion.community_id)
        if community is None:
            continue
        suggestion.url = reverse(
            "planning:deeper-suggestion",
            args=[cohort.slug, community.slug, suggestion.public_id],
        )
        result.cells[(suggestion.community_id, suggestion.activity_id)] = suggestion  # latest
    return result


def counts(cohort, *, sees_people):
    """Per activity ever suggested: to how many communities, and how many accepted,
    planned, did or declined it. For a viewer who may not see people, an activity
    suggested to fewer than five communities shows no figure (`hidden`). One query."""
    tally = {
        state.value: Count("suggestions", filter=Q(suggestions__state=state)) for state in State
    }
    activities = list(
        DeeperActivity.objects.filter(cohort=cohort)
        .annotate(suggested_to=Count("suggestions__community", distinct=True), **tally)
        .filter(suggested_to__gt=0)
        .order_by("position", "title")
    )
    for activity in activities:
        activity.hidden = hide_small(activity.suggested_to, sees_people=sees_people)
    return activities
