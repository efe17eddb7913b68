"""Workshops (blended training courses), their agenda, beneficiaries, nominations and expert assignments."""

from .assignments import Assignment
from .attendance import Attendance
from .certificates import Certificate
from .clikc import PrerequisiteCompletion
from .feeds import CalendarFeed
from .nominations import Nomination
from .participants import ParticipantLink, hash_participant_token
from .requests import WorkshopRequest
from .workshops import Beneficiary, Session, Workshop

__all__ = [
    "Assignment",
    "Attendance",
    "Beneficiary",
    "CalendarFeed",
    "Certificate",
    "Nomination",
    "ParticipantLink",
    "PrerequisiteCompletion",
    "Session",
    "Workshop",
    "WorkshopRequest",
    "hash_participant_token",
]
