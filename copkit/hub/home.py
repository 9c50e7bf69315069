"""A person's home page: every stage that asks something of them, in one place."""

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.formation.wording import closes_words
from cohorts.guidance import next_link, next_step
from cohorts.models import CohortRole, Community, FormationEntry, FormationRound, Membership
from cohorts.templatetags.zoned import day_text
from planning.checkins.services.overview import coach_followups, open_for_people
from planning.deeper.summaries import leader_steps as deeper_steps
from planning.knowledge.summaries import leader_steps as knowledge_steps
from planning.knowledge.summaries import suggested_reading
from planning.meetings.participation import plan_statuses
from planning.models import ActionPlan, Attendance, Meeting, Survey, SurveyRecipient
from planning.sunset.summaries import leader_steps as sunset_steps
from planning.sunset.summaries import staff_steps as transition_steps
from planning.support.requests.summaries import leader_steps as request_steps
from planning.workspace.services.announcements import for_home as home_announcements

Phase = Community.Phase
# Phases in which a community meets and writes its plan; later ones get the phase's step, the
# sunset plan's and their own meetings' only.
WORKING_PHASES = {Phase.FORMING, Phase.DEFINING, Phase.ACTIVE}
MEETING_PHASES = {*WORKING_PHASES, Phase.SUNSETTING, Phase.CONTINUING}
PLAN_PHASES = {Phase.DEFINING, Phase.ACTIVE}


class LeadState:
    """What is pending in the communities a person leads, read in a fixed number of queries
    whatever their number: each one's plan status, its latest past meeting without
    attendance, whether a meeting is coming, the going-deeper activities to act on, and a
    sunset plan to start or finish."""

    def __init__(self, community_ids):
        self.plans, self.unrecorded, self.upcoming = {}, {}, set()
        self.deeper = {}
        self.knowledge = {}
        self.requests = {}
        self.sunset = {}
        if not community_ids:
            return
        now = timezone.now()
        self.plans = plan_statuses(community_ids)
        self.deeper = deeper_steps(community_ids, now)  # going-deeper activities to act on
        self.knowledge = knowledge_steps(community_ids)  # staff requests for items
        self.requests = request_steps(community_ids)  # TTA requests with an unread reply
        self.sunset = sunset_steps(community_ids)  # a sunset plan to start or finish
        meetings = Meeting.objects.filter(community_id__in=community_ids, cancelled_at__isnull=True)
        past = (
            meetings.filter(starts_at__lt=now)
            .exclude(Exists(Attendance.objects.filter(meeting=OuterRef("pk"))))
            .order_by("community_id", "-starts_at")
            .values_list("community_id", "public_id", "title", "starts_at")
        )
        for community_id, public_id, title, starts_at in past:
            self.unrecorded.setdefault(community_id, (public_id, title, starts_at))
        self.upcoming = set(
            meetings.filter(starts_at__gte=now).values_list("community_id", flat=True).distinct()
        )

    def steps(self, community, survey_links):
        """A leader's next steps in `community`, most pressing first, each with its link;
        `survey_links` are the leader's open links to surveys of this community."""
        args = {"cohort_slug": community.cohort.slug, "community_slug": community.slug}
        if community.phase not in WORKING_PHASES:
            steps = list(self.requests.get(community.pk, []))  # a reply is read in any phase
            steps.extend(self.sunset.get(community.pk, []))
            if community.phase in MEETING_PHASES:  # its own meetings go on after the program
                steps.extend(self._attendance_step(community, args))
            return steps
        plan_url = reverse("planning:plan", kwargs=args)
        plan = self.plans.get(community.pk)
        steps = list(self.requests.get(community.pk, []))
        if plan is not None and plan.status == ActionPlan.Status.RETURNED:
            steps.append(
                step(
                    _("Your action plan came back with comments: revise it and send it again."),
                    plan_url,
                    _("Revise the plan"),
                )
            )
        steps.extend(self._attendance_step(community, args))
        for link in survey_links:
            steps.append(
                step(
                    _("“%(title)s” is waiting for your answers.") % {"title": link.survey.title},
                    link.get_answer_url(),
                    _("Answer the survey"),
                )
            )
        writing = plan is not None and plan.status in (None, ActionPlan.Status.DRAFT)
        if writing and (plan.status is not None or community.phase in PLAN_PHASES):
            left = plan.total - plan.complete
            if left:
                steps.append(
                    step(
                        _("%(left)d of %(total)d parts of your action plan are left to write.")
                        % {"left": left, "total": plan.total},
                        plan_url,
                        _("Start the plan") if plan.status is None else _("Continue the plan"),
                    )
                )
            else:
                steps.append(
                    step(
                        _("Every part of your action plan is written: send it for review."),
                        plan_url,
                        _("Send the plan"),
                    )
                )
        steps.extend(self.deeper.get(community.pk, []))
        steps.extend(self.knowledge.get(community.pk, []))
        if community.pk not in self.upcoming:
            steps.append(
                step(
                    _("No meeting is scheduled: agree the next one with your members."),
                    reverse("planning:meetings", kwargs=args),
                    _("Schedule a meeting"),
                )
            )
        return steps

    def _attendance_step(self, community, args):
        if community.pk not in self.unrecorded:
            return []
        public_id, title, starts_at = self.unrecorded[community.pk]
        attendance = {**args, "meeting_id": public_id}
        return [
            step(
                _("Record who came to “%(title)s” on %(date)s.")
                % {"title": title, "date": day_text(starts_at)},
                reverse("planning:meeting-attendance", kwargs=attendance),
                _("Record attendance"),
            )
        ]


def step(text, url, label):
    return {"text": text, "url": url, "label": label}


@login_required
def home(request):
    """A person's home: the cohorts they run or observe, and, as a participant, their
    communities and what each asks of them next."""
    user = request.user
    roles = list(
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
                ).select_related("community__topic", "community__cohort"),
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
    lead = LeadState(
        [
            membership.community_id
            for participation in participations
            for membership in participation.memberships.all()
            if membership.is_leading
        ]
    )
    # Check-ins waiting for the leader's answer, and the follow-ups waiting for the coach.
    waiting_checkins = open_for_people(participation.pk for participation in participations)
    staff_cohorts = [role.cohort_id for role in roles if role.role == CohortRole.Role.STAFF]
    followups = coach_followups(user, staff_cohorts)
    # A cohort near its end without a transition timeline: staff's step.
    staff_steps = [s for steps in transition_steps(staff_cohorts).values() for s in steps]
    for participation in participations:
        participation.asks = []
        # A leader's steps in each community they lead; a survey of that community is asked
        # there rather than among the cohort's asks.
        in_steps = set()
        for membership in participation.memberships.all():
            membership.steps = []
            if membership.is_leading:
                links = [
                    link
                    for link in participation.open_links
                    if link.survey.community_id == membership.community_id
                ]
                in_steps.update(link.pk for link in links)
                membership.steps = lead.steps(membership.community, links)
                checkin = waiting_checkins.get((participation.pk, membership.community_id))
                if checkin is not None:
                    membership.steps.insert(
                        0,
                        step(
                            _(
                                "Tell your TTA coach how things are going: your check-in is "
                                "waiting."
                            ),
                            reverse("checkin-answer", kwargs={"token": checkin.token}),
                            _("Check in"),
                        ),
                    )
            membership.next_step = next_step(membership.community, membership.is_leading)
            membership.next_link = next_link(membership.community, membership.is_leading)
        if not participation.expertise or not participation.format_preference:
            participation.asks.append(
                {
                    "text": _("Tell your cohort what you know and how you like to meet."),
                    "url_name": "cohorts:my-profile",
                    "label": _("Complete your profile"),
                }
            )
        for link in participation.open_links:
            if link.pk in in_steps:
                continue
            participation.asks.append(
                {
                    "text": _("“%(title)s” is waiting for your answers.")
                    % {"title": link.survey.title},
                    "url": link.get_answer_url(),
                    "label": _("Answer the survey"),
                }
            )
        for entry in participation.open_formation:
            closes = closes_words(entry.round.deadline, zone=participation.cohort.time_zone)
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
            "followups": followups,
            "staff_steps": staff_steps,
            "participations": participations,
            "can_create_cohorts": user.can_create_cohorts or user.is_superuser,
            "library_suggestions": suggested_reading(user) if participations else [],
            "announcements": home_announcements(user),
        },
    )
