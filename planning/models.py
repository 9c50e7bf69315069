"""What a COP does. Split by concern; everything is re-exported here."""

from .action_plans import ActionPlan, PlanComment, PlanPart, PlanTemplate, PlanVersion
from .interviews import InterviewPair, InterviewRotation
from .inventory import CommonNeed, Connection, InventoryEntry, NeedVote
from .meetings import Attendance, CalendarFeed, Meeting, MeetingSettings
from .surveys import Answer, LiveSession, Question, Response, Survey, SurveyRecipient

__all__ = [
    "ActionPlan",
    "Answer",
    "Attendance",
    "CalendarFeed",
    "CommonNeed",
    "Connection",
    "InterviewPair",
    "InterviewRotation",
    "InventoryEntry",
    "LiveSession",
    "Meeting",
    "MeetingSettings",
    "NeedVote",
    "PlanComment",
    "PlanPart",
    "PlanTemplate",
    "PlanVersion",
    "Question",
    "Response",
    "Survey",
    "SurveyRecipient",
]
