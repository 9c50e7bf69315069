"""The activity log: who did what in a cohort, to what, written by the service functions.

An action's value is the short verb the services pass to `cohorts.services.activity.record`
(the value stored in the `verb` column); its label is the translatable sentence the feed
shows, with `%(actor)s` and `%(target)s` filled in when it is read."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .core import Cohort, Community


class Action(models.TextChoices):
    # The cohort, its team, topics, organizations and participants
    CREATED_COHORT = "created cohort", _("%(actor)s created the cohort %(target)s")
    UPDATED_COHORT = "updated cohort", _("%(actor)s changed the cohort's settings")
    CLOSED_COHORT = "closed cohort", _("%(actor)s closed the cohort: it is read-only now")
    REOPENED_COHORT = "reopened cohort", _("%(actor)s reopened the cohort")
    ADDED_TO_TEAM = "added to team", _("%(actor)s added %(target)s to the team")
    REMOVED_FROM_TEAM = "removed from team", _("%(actor)s removed %(target)s from the team")
    ADDED_TOPIC = "added topic", _("%(actor)s added the topic %(target)s")
    UPDATED_TOPIC = "updated topic", _("%(actor)s changed the topic %(target)s")
    DELETED_TOPIC = "deleted topic", _("%(actor)s deleted the topic %(target)s")
    UPDATED_ORGANIZATION = (
        "updated organization",
        _("%(actor)s changed the organization %(target)s"),
    )
    IMPORTED_ROSTER = "imported roster", _("%(actor)s imported the roster")
    UPDATED_PARTICIPANT = "updated participant", _("%(actor)s changed %(target)s's details")
    UPDATED_OWN_PROFILE = "updated own profile", _("%(actor)s changed their profile")
    REMOVED_PARTICIPANT = "removed participant", _("%(actor)s removed the participant %(target)s")
    INVITED_PARTICIPANTS = "invited participants", _("%(actor)s invited participants")
    RESENT_INVITATION = "resent invitation", _("%(actor)s sent %(target)s's invitation again")
    ACCEPTED_INVITATION = "accepted invitation", _("%(actor)s accepted their invitation")
    # Communities and their members
    CREATED_COMMUNITY = "created community", _("%(actor)s created the community %(target)s")
    UPDATED_COMMUNITY = "updated community", _("%(actor)s changed the community %(target)s")
    ARCHIVED_COMMUNITY = "archived community", _("%(actor)s archived the community %(target)s")
    RESTORED_COMMUNITY = "restored community", _("%(actor)s restored the community %(target)s")
    ADDED_MEMBER = "added member", _("%(actor)s added %(target)s to a community")
    CHANGED_MEMBER_ROLE = "changed member role", _("%(actor)s changed the role of %(target)s")
    REMOVED_MEMBER = "removed member", _("%(actor)s removed %(target)s from a community")
    ASSIGNED_COACH = "assigned coach", _("%(actor)s chose the coach of %(target)s")
    # Check-ins (planning.checkins)
    SET_CHECKIN_CADENCE = (
        "set check-in cadence",
        _("%(actor)s set the check-in cadence of %(target)s"),
    )
    SENT_CHECKIN_PROMPTS = (
        "sent check-in prompts",
        _("%(actor)s asked %(target)s's leaders to check in"),
    )
    SENT_CHECKIN_REMINDER = (
        "sent check-in reminder",
        _("%(actor)s reminded %(target)s's leader to check in"),
    )
    ESCALATED_CHECKIN = (
        "escalated check-in",
        _("%(actor)s told the coach that %(target)s's check-in is late"),
    )
    ANSWERED_CHECKIN = "answered check-in", _("%(actor)s answered the check-in of %(target)s")
    LOGGED_CHECKIN = "logged check-in", _("%(actor)s logged a check-in call with %(target)s")
    UPDATED_FOLLOWUP = "updated follow-up", _("%(actor)s answered a follow-up of %(target)s")
    # Formation
    CREATED_FORMATION_ROUND = (
        "created formation round",
        _("%(actor)s created the formation round %(target)s"),
    )
    UPDATED_FORMATION_ROUND = (
        "updated formation round",
        _("%(actor)s changed the formation round %(target)s"),
    )
    DELETED_FORMATION_ROUND = (
        "deleted formation round",
        _("%(actor)s deleted the formation round %(target)s"),
    )
    CHANGED_FORMATION_PEOPLE = (
        "changed formation people",
        _("%(actor)s changed who takes part in %(target)s"),
    )
    ADDED_FORMATION_TOPIC = "added formation topic", _("%(actor)s added the topic %(target)s")
    SET_FORMATION_TOPIC_CAPS = (
        "set formation topic caps",
        _("%(actor)s set the topics' group sizes in %(target)s"),
    )
    DELETED_FORMATION_TOPIC = (
        "deleted formation topic",
        _("%(actor)s deleted the topic %(target)s"),
    )
    SET_FORMATION_CRITERIA = (
        "set formation criteria",
        _("%(actor)s set what matters when forming %(target)s"),
    )
    ENTERED_FORMATION_CHOICES = (
        "entered formation choices",
        _("%(actor)s entered someone's choices in %(target)s"),
    )
    ENTERED_FORMATION_RANKING = (
        "entered formation ranking",
        _("%(actor)s entered someone's ranking in %(target)s"),
    )
    ENTERED_FORMATION_ANSWERS = (
        "entered formation answers",
        _("%(actor)s entered someone's answers in %(target)s"),
    )
    SENT_FORMATION_LINKS = "sent formation links", _("%(actor)s sent the links for %(target)s")
    SENT_FORMATION_REMINDERS = (
        "sent formation reminders",
        _("%(actor)s sent reminders for %(target)s"),
    )
    REMINDED_FORMATION_ROUND = (
        "reminded formation round",
        _("%(actor)s reminded the people of %(target)s"),
    )
    QUEUED_FORMING_GROUPS = (
        "queued forming groups",
        _("%(actor)s started forming groups for %(target)s"),
    )
    FORMED_GROUPS = "formed groups", _("%(actor)s formed groups for %(target)s")
    MOVED_PERSON = "moved person", _("%(actor)s moved %(target)s to another group")
    ADDED_GROUP = "added group", _("%(actor)s added the group %(target)s")
    RENAMED_GROUP = "renamed group", _("%(actor)s renamed a group to %(target)s")
    CHOSE_GROUP_LEADERS = "chose group leaders", _("%(actor)s chose who leads %(target)s")
    ADDED_LOCK = "added lock", _("%(actor)s kept %(target)s fixed")
    REMOVED_LOCK = "removed lock", _("%(actor)s released %(target)s")
    PUBLISHED_GROUPS = "published groups", _("%(actor)s published the groups of %(target)s")
    # Surveys and live polls
    CREATED_SURVEY = "created survey", _("%(actor)s created the survey %(target)s")
    UPDATED_SURVEY = "updated survey", _("%(actor)s changed the survey %(target)s")
    COPIED_SURVEY = "copied survey", _("%(actor)s made the copy %(target)s of a survey")
    DELETED_SURVEY = "deleted survey", _("%(actor)s deleted the survey %(target)s")
    SET_SURVEY_DRAFT = "set survey draft", _("%(actor)s set the survey %(target)s back to draft")
    SET_SURVEY_OPEN = "set survey open", _("%(actor)s opened the survey %(target)s")
    SET_SURVEY_CLOSED = "set survey closed", _("%(actor)s closed the survey %(target)s")
    ADDED_QUESTION = "added question", _("%(actor)s added the question %(target)s")
    EDITED_QUESTION = "edited question", _("%(actor)s changed the question %(target)s")
    DELETED_QUESTION = "deleted question", _("%(actor)s deleted the question %(target)s")
    MOVED_QUESTION = "moved question", _("%(actor)s moved the question %(target)s")
    SENT_SURVEY = "sent survey", _("%(actor)s sent the survey %(target)s")
    SENT_SURVEY_REMINDERS = (
        "sent survey reminders",
        _("%(actor)s sent reminders for the survey %(target)s"),
    )
    REMINDED_SURVEY = "reminded survey", _("%(actor)s reminded people of the survey %(target)s")
    SUBMITTED_SURVEY_ANSWERS = (
        "submitted survey answers",
        _("%(actor)s answered the survey %(target)s"),
    )
    CHANGED_SURVEY_ANSWERS = (
        "changed survey answers",
        _("%(actor)s changed their answers to %(target)s"),
    )
    EXPORTED_SURVEY_ANSWERS = (
        "exported survey answers",
        _("%(actor)s downloaded the answers to %(target)s"),
    )
    STARTED_LIVE_POLL = "started live poll", _("%(actor)s started a live poll of %(target)s")
    LIVE_POLL_REVEAL = "live poll: reveal", _("%(actor)s showed live results of %(target)s")
    LIVE_POLL_HIDE = "live poll: hide", _("%(actor)s hid live results of %(target)s")
    LIVE_POLL_NEXT = "live poll: next", _("%(actor)s moved on in the live poll %(target)s")
    LIVE_POLL_PREVIOUS = (
        "live poll: previous",
        _("%(actor)s went back in the live poll %(target)s"),
    )
    LIVE_POLL_GOTO = "live poll: goto", _("%(actor)s jumped to a question of %(target)s")
    LIVE_POLL_CLOSE = "live poll: close", _("%(actor)s closed the live poll %(target)s")
    # Needs and expertise
    ADDED_NEED = "added need", _("%(actor)s added a need for %(target)s")
    ADDED_EXPERTISE = "added expertise", _("%(actor)s added expertise for %(target)s")
    REMOVED_NEED = "removed need", _("%(actor)s removed a need of %(target)s")
    REMOVED_EXPERTISE = "removed expertise", _("%(actor)s removed expertise of %(target)s")
    CONNECTED_NEED_TO_HELPER = (
        "connected need to helper",
        _("%(actor)s connected a need with a helper: %(target)s"),
    )
    REMOVED_CONNECTION = "removed connection", _("%(actor)s removed a connection: %(target)s")
    FILLED_INVENTORY_FROM_ANSWERS = (
        "filled inventory from answers",
        _("%(actor)s filled the inventory of %(target)s"),
    )
    ADDED_A_COMMON_NEED = "added a common need", _("%(actor)s added the common need %(target)s")
    SUGGESTED_COMMON_NEEDS = (
        "suggested common needs",
        _("%(actor)s suggested common needs for %(target)s"),
    )
    PLACED_A_DOT = "placed a dot", _("%(actor)s placed a dot on %(target)s")
    TOOK_BACK_A_DOT = "took back a dot", _("%(actor)s took back a dot from %(target)s")
    RECORDED_THE_TOP_NEEDS = (
        "recorded the top needs",
        _("%(actor)s recorded the top needs of %(target)s"),
    )
    SET_UP_INTERVIEWS = "set up interviews", _("%(actor)s set up interviews in %(target)s")
    REBUILT_THE_INTERVIEW_ROUNDS = (
        "rebuilt the interview rounds",
        _("%(actor)s rebuilt the interview rounds of %(target)s"),
    )
    EDITED_THE_INTERVIEW_QUESTIONS = (
        "edited the interview questions",
        _("%(actor)s changed the interview questions of %(target)s"),
    )
    WROTE_INTERVIEW_NOTES = "wrote interview notes", _("%(actor)s wrote notes about %(target)s")
    # Action plans
    EDITED_THE_PLAN_TEMPLATE = (
        "edited the plan template",
        _("%(actor)s changed the action plan template of %(target)s"),
    )
    EDITED_THE_ACTION_PLAN = (
        "edited the action plan",
        _("%(actor)s edited the action plan of %(target)s"),
    )
    REOPENED_THE_ACTION_PLAN = (
        "reopened the action plan",
        _("%(actor)s reopened the action plan of %(target)s"),
    )
    SUBMITTED_THE_ACTION_PLAN = (
        "submitted the action plan",
        _("%(actor)s submitted the action plan of %(target)s"),
    )
    APPROVED_THE_ACTION_PLAN = (
        "approved the action plan",
        _("%(actor)s approved the action plan of %(target)s"),
    )
    RETURNED_THE_ACTION_PLAN = (
        "returned the action plan",
        _("%(actor)s returned the action plan of %(target)s"),
    )
    COMMENTED_ON_THE_ACTION_PLAN = (
        "commented on the action plan",
        _("%(actor)s commented on the action plan of %(target)s"),
    )
    # Sunset plans
    EDITED_THE_SUNSET_PLAN = (
        "edited the sunset plan",
        _("%(actor)s edited the sunset plan of %(target)s"),
    )
    REOPENED_THE_SUNSET_PLAN = (
        "reopened the sunset plan",
        _("%(actor)s reopened the sunset plan of %(target)s"),
    )
    SUBMITTED_THE_SUNSET_PLAN = (
        "submitted the sunset plan",
        _("%(actor)s submitted the sunset plan of %(target)s"),
    )
    APPROVED_THE_SUNSET_PLAN = (
        "approved the sunset plan",
        _("%(actor)s approved the sunset plan of %(target)s"),
    )
    RETURNED_THE_SUNSET_PLAN = (
        "returned the sunset plan",
        _("%(actor)s returned the sunset plan of %(target)s"),
    )
    COMMENTED_ON_THE_SUNSET_PLAN = (
        "commented on the sunset plan",
        _("%(actor)s commented on the sunset plan of %(target)s"),
    )
    CONTINUES_ON_ITS_OWN = (
        "moved to continuing on its own",
        _("%(target)s continues on its own: %(actor)s agreed its sunset plan"),
    )
    # The alumni network (planning/sunset/alumni)
    OPENED_THE_ALUMNI_SPACE = (
        "opened the alumni space",
        _("%(actor)s opened the alumni space of %(target)s"),
    )
    ADDED_A_NETWORK_GROUP_TO = (
        "added a network group to",
        _("%(actor)s added a group on another network to %(target)s"),
    )
    REMOVED_A_NETWORK_GROUP_FROM = (
        "removed a network group from",
        _("%(actor)s removed a group on another network from %(target)s"),
    )
    # Meetings
    CHANGED_THE_MEETING_SETTINGS_OF = (
        "changed the meeting settings of",
        _("%(actor)s changed the meeting settings of %(target)s"),
    )
    SCHEDULED_MEETINGS_OF = "scheduled meetings of", _("%(actor)s scheduled meetings of %(target)s")
    ADDED_A_MEETING_TO = "added a meeting to", _("%(actor)s added a meeting of %(target)s")
    CHANGED_A_MEETING_OF = "changed a meeting of", _("%(actor)s changed a meeting of %(target)s")
    CANCELLED_A_MEETING_OF = (
        "cancelled a meeting of",
        _("%(actor)s cancelled a meeting of %(target)s"),
    )
    RESTORED_A_MEETING_OF = (
        "restored a meeting of",
        _("%(actor)s restored a meeting of %(target)s"),
    )
    RECORDED_ATTENDANCE_AT_A_MEETING_OF = (
        "recorded attendance at a meeting of",
        _("%(actor)s recorded attendance at a meeting of %(target)s"),
    )
    SENT_MEETING_REMINDERS = (
        "sent meeting reminders",
        _("%(actor)s sent reminders for %(target)s"),
    )
    MADE_A_NEW_CALENDAR_ADDRESS = (
        "made a new calendar address",
        _("%(actor)s made a new calendar address for %(target)s"),
    )
    TURNED_MEETING_REMINDERS_ON = (
        "turned meeting reminders on",
        _("%(actor)s turned meeting reminders on for %(target)s"),
    )
    TURNED_MEETING_REMINDERS_OFF = (
        "turned meeting reminders off",
        _("%(actor)s turned meeting reminders off for %(target)s"),
    )
    # The leaders' circle (planning/support)
    SCHEDULED_CONVENINGS = "scheduled convenings", _("%(actor)s scheduled the leaders' circle")
    ADDED_A_CONVENING = "added a convening", _("%(actor)s added the convening %(target)s")
    DRAFTED_A_CONVENING_AGENDA = (
        "drafted a convening agenda",
        _("%(actor)s drafted the agenda of %(target)s"),
    )
    CHANGED_A_CONVENING = "changed a convening", _("%(actor)s changed the convening %(target)s")
    RECORDED_CONVENING_ATTENDANCE = (
        "recorded convening attendance",
        _("%(actor)s recorded attendance at %(target)s"),
    )
    SENT_CONVENING_REMINDERS = (
        "sent convening reminders",
        _("%(actor)s sent reminders of %(target)s"),
    )
    POSTED_IN_THE_CIRCLE = "posted in the circle", _("%(actor)s posted in the leaders' circle")
    REPLIED_IN_THE_CIRCLE = "replied in the circle", _("%(actor)s replied in the leaders' circle")
    EDITED_A_CIRCLE_POST = (
        "edited a circle post",
        _("%(actor)s edited a post in the leaders' circle"),
    )
    # Going-deeper activities
    ADDED_A_DEEPER_ACTIVITY = (
        "added a going-deeper activity",
        _("%(actor)s added the going-deeper activity %(target)s"),
    )
    CHANGED_A_DEEPER_ACTIVITY = (
        "changed a going-deeper activity",
        _("%(actor)s changed the going-deeper activity %(target)s"),
    )
    RETIRED_A_DEEPER_ACTIVITY = (
        "retired a going-deeper activity",
        _("%(actor)s retired the going-deeper activity %(target)s"),
    )
    RESTORED_A_DEEPER_ACTIVITY = (
        "restored a going-deeper activity",
        _("%(actor)s restored the going-deeper activity %(target)s"),
    )
    SUGGESTED_A_DEEPER_ACTIVITY = (
        "suggested a going-deeper activity",
        _("%(actor)s suggested the going-deeper activity %(target)s"),
    )
    ACCEPTED_A_DEEPER_ACTIVITY = (
        "accepted a going-deeper activity",
        _("%(actor)s accepted the going-deeper activity %(target)s"),
    )
    DECLINED_A_DEEPER_ACTIVITY = (
        "declined a going-deeper activity",
        _("%(actor)s declined the going-deeper activity %(target)s"),
    )
    PLANNED_A_DEEPER_ACTIVITY = (
        "planned a going-deeper activity",
        _("%(actor)s planned the going-deeper activity %(target)s onto a meeting"),
    )
    DID_A_DEEPER_ACTIVITY = (
        "did a going-deeper activity",
        _("%(actor)s marked the going-deeper activity %(target)s done"),
    )
    # Emails (the cohort's Emails page)
    # Evaluations, goals and evidence
    UPDATED_A_GOAL = "updated a goal", _("%(actor)s updated a goal of %(target)s")
    SCHEDULED_AN_EVALUATION = (
        "scheduled an evaluation",
        _("%(actor)s scheduled the evaluation %(target)s"),
    )
    CHANGED_AN_EVALUATION = (
        "changed an evaluation",
        _("%(actor)s changed the evaluation %(target)s"),
    )
    OPENED_AN_EVALUATION = (
        "opened an evaluation",
        _("%(actor)s opened the evaluation of %(target)s"),
    )
    CLOSED_AN_EVALUATION = (
        "closed an evaluation",
        _("%(actor)s closed the evaluation of %(target)s"),
    )
    RECORDED_AN_EVALUATION_DISCUSSION = (
        "recorded an evaluation discussion",
        _("%(actor)s recorded the evaluation discussion of %(target)s"),
    )
    RECORDED_A_STRUCTURE_DECISION = (
        "recorded a structure decision",
        _("%(actor)s recorded a change to the structure of %(target)s"),
    )
    EXPORTED_A_REPORT = "exported a report", _("%(actor)s exported the report of %(target)s")
    # Knowledge items and the library (issue 15)
    DRAFTED_A_KNOWLEDGE_ITEM = "drafted a knowledge item", _("%(actor)s started writing %(target)s")
    CHANGED_A_KNOWLEDGE_ITEM = "changed a knowledge item", _("%(actor)s changed %(target)s")
    SHARED_A_KNOWLEDGE_ITEM = "shared a knowledge item", _("%(actor)s shared %(target)s")
    RESPONDED_TO_A_KNOWLEDGE_ITEM = (
        "responded to a knowledge item",
        _("%(actor)s responded to %(target)s"),
    )
    AGREED_ON_A_PROMISING_PRACTICE = (
        "agreed on a promising practice",
        _("%(actor)s marked %(target)s as agreed by the group"),
    )
    CHANGED_WHO_CAN_READ_A_KNOWLEDGE_ITEM = (
        "changed who can read a knowledge item",
        _("%(actor)s changed who can read %(target)s"),
    )
    ASKED_FOR_KNOWLEDGE_ITEMS = (
        "asked for knowledge items",
        _("%(actor)s asked communities to share what they learned"),
    )
    ADDED_A_LIBRARY_RESOURCE = (
        "added a library resource",
        _("%(actor)s added %(target)s to the library"),
    )
    CHANGED_A_LIBRARY_RESOURCE = (
        "changed a library resource",
        _("%(actor)s changed %(target)s in the library"),
    )
    # The COP workspace (issue 15): discussion, files and announcements
    STARTED_A_THREAD = "started a thread", _("%(actor)s started a thread in %(target)s")
    REPLIED_IN_A_THREAD = "replied in a thread", _("%(actor)s replied in a thread of %(target)s")
    EDITED_A_POST = "edited a post", _("%(actor)s edited a post in %(target)s")
    DELETED_A_POST = "deleted a post", _("%(actor)s deleted a post in %(target)s")
    HID_A_POST = "hid a post", _("%(actor)s hid a post in %(target)s")
    SHOWED_A_POST = "showed a post", _("%(actor)s showed a hidden post of %(target)s again")
    SHARED_A_FILE = "shared a file", _("%(actor)s shared a file with %(target)s")
    DELETED_A_FILE = "deleted a file", _("%(actor)s deleted a file of %(target)s")
    MADE_AN_ANNOUNCEMENT = "made an announcement", _("%(actor)s made an announcement to %(target)s")
    # Collective TTA requests (planning/support/requests)
    FILED_A_TTA_REQUEST = "filed a TTA request", _("%(actor)s filed the TTA request %(target)s")
    TRIAGED_A_TTA_REQUEST = (
        "triaged a TTA request",
        _("%(actor)s updated the TTA request %(target)s"),
    )
    # Phases and the transition (planning/sunset)
    SET_A_PHASE = "set the phase", _("%(actor)s set the phase of %(target)s")
    CLEARED_A_PHASE = (
        "let the phase follow the state",
        _("%(actor)s let the phase of %(target)s follow its state again"),
    )
    SET_THE_TRANSITION = (
        "set the transition timeline",
        _("%(actor)s set the transition timeline of %(target)s"),
    )
    STARTED_SUNSETTING = (
        "started sunsetting",
        _("%(actor)s sent the transition message to %(target)s"),
    )
    RETRIED_EMAILS = "retried emails", _("%(actor)s sent failed emails again")
    # Archives and a person's own data (planning/sunset/archive)
    STARTED_ARCHIVE = "started archive", _("%(actor)s started an archive of %(target)s")
    DOWNLOADED_ARCHIVE = "downloaded archive", _("%(actor)s downloaded the archive of %(target)s")
    DOWNLOADED_OWN_DATA = "downloaded own data", _("%(actor)s downloaded their own data")
    DELETED_ACCOUNT = "deleted account", _("%(actor)s deleted their account")


class ActivityQuerySet(models.QuerySet):
    def about(self, obj):
        """Everything recorded about `obj`: the rows whose target it is, and for a community
        also the rows about anything in it (its meetings, needs, plan, members)."""
        about = Q(target_type=ContentType.objects.get_for_model(obj), target_pk=str(obj.pk))
        if isinstance(obj, Community):
            about |= Q(community=obj)
        return self.filter(about)


class Activity(models.Model):
    """Who did what in a cohort, written by `cohorts.services.activity.record`."""

    Action = Action

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="activities")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # One of Action's values (record() refuses any other). Not declared as the field's choices:
    # a new action would otherwise need a migration that copies the whole list again.
    verb = models.CharField(_("action"), max_length=60)
    # The target as a reference, and as its text read at the time (kept when it is deleted).
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_pk = models.CharField(max_length=64, blank=True)
    target_object = GenericForeignKey("target_type", "target_pk")
    target = models.CharField(max_length=300, blank=True)
    community = models.ForeignKey(
        Community, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "activities"
        indexes = [
            models.Index(fields=["cohort", "-created_at"], name="activity_cohort_recent_idx"),
            models.Index(fields=["target_type", "target_pk"], name="activity_target_idx"),
        ]

    def __str__(self):
        return f"{self.actor} {self.verb} {self.target}"

    @property
    def sentence(self):
        """The action as a sentence in the active language: "Ann created the community X"."""
        # Someone without an account acts through their personal link: named in the data.
        actor = self.actor.get_full_name() if self.actor_id else None
        actor = actor or self.data.get("participant") or _("copkit")
        if self.verb not in Action.values:  # a row older than its action's retirement
            return f"{actor} {self.verb} {self.target}".strip()
        return Action(self.verb).label % {"actor": actor, "target": self.target}
