"""What a COP does, stage by stage; every stage's models are re-exported here, so the app
label ("planning") and the tables never move when a stage's code does."""

from planning.checkins.models import Cadence, CheckIn, FollowUp
from planning.deeper.models import DeeperActivity, DeeperSuggestion
from planning.evaluations.models import (
    Evaluation,
    EvaluationRound,
    Goal,
    GoalStatus,
    GoalUpdate,
    StructureDecision,
)
from planning.knowledge.models import (
    KnowledgeComment,
    KnowledgeItem,
    KnowledgeRequest,
    Resource,
)
from planning.meetings.models import Attendance, CalendarFeed, Meeting, MeetingSettings
from planning.needs.models import (
    CommonNeed,
    Connection,
    InterviewPair,
    InterviewRotation,
    InventoryEntry,
    NeedVote,
)
from planning.plans.models import ActionPlan, PlanComment, PlanPart, PlanTemplate, PlanVersion
from planning.sunset.alumni.models import (
    AlumniReply,
    AlumniSpace,
    AlumniThread,
    DirectoryEntry,
    NetworkGroup,
)
from planning.sunset.archive.models import Archive
from planning.sunset.models import SunsetState, Transition
from planning.support.models import CirclePost, CircleReply, Convening, ConveningAttendance
from planning.support.requests.models import TTARequest, TTARequestEvent
from planning.surveys.models import (
    Answer,
    LiveSession,
    Question,
    Response,
    Survey,
    SurveyRecipient,
)
from planning.workspace.models import (
    Announcement,
    AnnouncementDismissal,
    Reply,
    Thread,
    WorkspaceFile,
)

__all__ = [
    "ActionPlan",
    "AlumniReply",
    "AlumniSpace",
    "AlumniThread",
    "Announcement",
    "AnnouncementDismissal",
    "Answer",
    "Archive",
    "Attendance",
    "Cadence",
    "CalendarFeed",
    "CheckIn",
    "CirclePost",
    "CircleReply",
    "CommonNeed",
    "Connection",
    "Convening",
    "ConveningAttendance",
    "DeeperActivity",
    "DeeperSuggestion",
    "DirectoryEntry",
    "Evaluation",
    "EvaluationRound",
    "FollowUp",
    "Goal",
    "GoalStatus",
    "GoalUpdate",
    "InterviewPair",
    "InterviewRotation",
    "InventoryEntry",
    "KnowledgeComment",
    "KnowledgeItem",
    "KnowledgeRequest",
    "LiveSession",
    "Meeting",
    "MeetingSettings",
    "NeedVote",
    "NetworkGroup",
    "PlanComment",
    "PlanPart",
    "PlanTemplate",
    "PlanVersion",
    "Question",
    "Reply",
    "Resource",
    "Response",
    "StructureDecision",
    "SunsetState",
    "Survey",
    "SurveyRecipient",
    "TTARequest",
    "TTARequestEvent",
    "Thread",
    "Transition",
    "WorkspaceFile",
]
