"""What other pages show of the phases and the transition: the cohort's Transition page
rows and counts, and what a COP's page and a home page need. Fixed query counts."""

from collections import Counter
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cohorts.models import Cohort, Community
from planning.models import SunsetState, Transition
from planning.sunset import phases, timeline

Progress = SunsetState.Progress


def progress_by_community(community_ids):
    """{community id: Progress} (not started when no row). One query."""
    states = SunsetState.objects.filter(community_id__in=community_ids).only(
        "community_id", "sunset_started_at", "sunset_submitted_at", "sunset_agreed_at"
    )
    found = {state.community_id: state.progress for state in states}
    return {pk: found.get(pk, Progress.NOT_STARTED) for pk in community_ids}


def cohort_rows(cohort):
    """Every active COP of `cohort` with its phase, whether staff set it, and its sunset
    plan's progress; and the counts per progress and per phase. Two queries."""
    rows = list(cohort.communities.active().order_by("name"))
    progress = progress_by_community([row.pk for row in rows])
    for row in rows:
        row.progress = progress[row.pk]
        row.progress_label = Progress(row.progress).label
    by_progress = Counter(row.progress for row in rows)
    by_phase = Counter(row.phase for row in rows)
    return {
        "rows": rows,
        "progress_counts": [
            (label, by_progress.get(value, 0)) for value, label in Progress.choices
        ],
        "phase_counts": [
            (label, by_phase.get(value, 0)) for value, label in Community.Phase.choices
        ],
    }


def community_section(community):
    """The phase box of a COP's page: its phase, whether staff set it, its sunset plan's
    progress and link once the transition concerns it. One or two queries."""
    section = {
        "phase": community.get_phase_display(),
        "by_staff": community.phase_set_by_staff,
        "progress": None,
    }
    if community.phase in (Community.Phase.SUNSETTING, *phases.ON_ITS_OWN):
        progress = progress_by_community([community.pk])[community.pk]
        section["progress"] = Progress(progress).label
        section["sunset_url"] = timeline.sunset_plan_path(community)
    return section


# -- home pages ------------------------------------------------------------------------------

STAFF_HEADS_UP = timedelta(weeks=timeline.SUGGESTED_WEEKS + 4)


def leader_steps(community_ids):
    """{community id: [next step]} for the sunsetting communities among `community_ids`: start
    the sunset plan, or finish it and send it for review (with the day it is due). Nothing
    while it waits for review. Two queries."""
    if not community_ids:
        return {}
    communities = list(
        Community.objects.filter(pk__in=community_ids, phase=Community.Phase.SUNSETTING)
        .select_related("cohort")
        .order_by("pk")
    )
    if not communities:
        return {}
    progress = progress_by_community([c.pk for c in communities])
    finish_by = dict(
        Transition.objects.filter(cohort_id__in={c.cohort_id for c in communities}).values_list(
            "cohort_id", "finish_plans_by"
        )
    )
    steps = {}
    for community in communities:
        url = timeline.sunset_plan_path(community)
        due = finish_by.get(community.cohort_id)
        if progress[community.pk] == Progress.NOT_STARTED:
            text = _(
                "The TTA program is winding down: start your sunset plan with your members, "
                "to say how your COP will go on."
            )
            steps[community.pk] = [{"text": text, "url": url, "label": _("Start the sunset plan")}]
        elif progress[community.pk] == Progress.DRAFTING:
            text = (
                _("Finish your sunset plan and send it for review by %(date)s.")
                % {"date": date_format(due, "DATE_FORMAT")}
                if due
                else _("Finish your sunset plan and send it for review.")
            )
            steps[community.pk] = [{"text": text, "url": url, "label": _("Finish the sunset plan")}]
    return steps


def staff_steps(cohort_ids, now=None):
    """{cohort id: [step]} for staff: a cohort whose program ends within twelve weeks and
    whose transition timeline is not set. One query."""
    if not cohort_ids:
        return {}
    today = timezone.localdate(now or timezone.now())
    cohorts = Cohort.objects.filter(
        pk__in=cohort_ids,
        ends_on__gte=today,
        ends_on__lte=today + STAFF_HEADS_UP,
    ).exclude(transition__starts_on__isnull=False)
    return {
        cohort.pk: [
            {
                "text": _(
                    "%(cohort)s ends on %(date)s: set its transition timeline, so that each "
                    "COP hears in time that TTA support is ending."
                )
                % {"cohort": cohort.name, "date": date_format(cohort.ends_on, "DATE_FORMAT")},
                "url": reverse("planning:transition", kwargs={"cohort_slug": cohort.slug}),
                "label": _("Set the transition"),
            }
        ]
        for cohort in cohorts
    }
