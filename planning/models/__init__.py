"""What a COP does. Split by concern; everything is re-exported here."""

from .interviews import InterviewPair, InterviewRotation
from .inventory import CommonNeed, Connection, InventoryEntry, NeedVote
from .surveys import Answer, LiveSession, Question, Response, Survey, SurveyRecipient

__all__ = [
    "Answer",
    "CommonNeed",
    "Connection",
    "InterviewPair",
    "InterviewRotation",
    "InventoryEntry",
    "LiveSession",
    "NeedVote",
    "Question",
    "Response",
    "Survey",
    "SurveyRecipient",
]
