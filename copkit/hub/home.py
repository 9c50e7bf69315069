"""A person's home page: every stage that asks something of them, in one place."""

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.formation.wording import closes_words
from cohorts.guidance import next_step
from cohorts.models import CohortRole, FormationEntry, FormationRound, Membership
from planning.models import Survey, SurveyRecipient


@login_required
def home(request):
    """A person's home: the cohorts they run or observe, and, as a participant, their
    communities and what each asks of them next."""
    user = request.user
    roles = (
        CohortRole.objects.filter(user=user)
        .select_related("cohort")
        .order_by("-cohort__starts_on", "cohort__name")
    )
    participations = list(
        user.participations.select_related("cohort", "organization")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(
                    community__archived_at__isnull=True
                ).select_related("community__topic"),
            ),
            Prefetch(
                "survey_links",
                queryset=SurveyRecipient.objects.filter(survey__status=Survey.Status.OPEN)
                .filter(Q(survey__closes_at__isnull=True) | Q(survey__closes_at__gt=timezone.now()))
                .exclude(response__submitted_at__isnull=False)
                .select_related("survey")
                .order_by("survey__closes_at", "survey__created_at"),
                to_attr="open_links",
            ),
            Prefetch(
                "formation_entries",
                queryset=FormationEntry.objects.filter(
                    round__status=FormationRound.Status.COLLECTING,
                    round__method__in=FormationRound.ASKS_PARTICIPANTS,
                    submitted_at__isnull=True,
                )
                .filter(Q(round__deadline__isnull=True) | Q(round__deadline__gt=timezone.now()))
                .select_related("round")
                .order_by("round__deadline", "round__created_at"),
                to_attr="open_formation",
            ),
        )
        .order_by("-cohort__starts_on")
    )
    for participation in participations:
        participation.asks = []
        if not participation.expertise or not participation.format_preference:
            participation.asks.append(
                {
                    "text": _("Tell your cohort what you know and how you like to meet."),
                    "url_name": "cohorts:my-profile",
                    "label": _("Complete your profile"),
                }
            )
        for link in participation.open_links:
            participation.asks.append(
                {
                    "text": _("“%(title)s” is waiting for your answers.")
                    % {"title": link.survey.title},
                    "url": link.get_answer_url(),
                    "label": _("Answer the survey"),
                }
            )
        for entry in participation.open_formation:
            closes = closes_words(entry.round.deadline)
            participation.asks.append(
                {
                    "text": (
                        _("Help form the groups: %(name)s — %(closes)s")
                        if closes
                        else _("Help form the groups: %(name)s")
                    )
                    % {"name": entry.round.name, "closes": closes},
                    "url": entry.get_answer_url(),
                    "label": _("Make your choices"),
                }
            )
        for membership in participation.memberships.all():
            membership.next_step = next_step(membership.community, membership.is_leading)
        if not participation.memberships.all():
            participation.asks.append(
                {
                    "text": _(
                        "You are not in a community yet. Look at the communities your "
                        "cohort has; your TTA team will help you find a place."
                    ),
                    "url_name": "cohorts:community-list",
                    "label": _("See the communities"),
                }
            )
    return render(
        request,
        "home.html",
        {
            "roles": roles,
            "participations": participations,
            "can_create_cohorts": user.can_create_cohorts or user.is_superuser,
        },
    )
