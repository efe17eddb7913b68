"""Scholarship programmes, their calls, the applications with their screening and endorsement, their review,
the selection (decisions, offers, letters)."""

from .applications import Application, EligibilityCheck, Endorsement
from .programmes import Call, CurriculumModule, Programme
from .review import ConflictOfInterest, Review, Reviewer, ReviewPhase, ReviewScore, RubricCriterion
from .selection import Decision, Letter, LetterTemplate, ProgrammeOutcome

__all__ = [
    "Application",
    "Call",
    "ConflictOfInterest",
    "CurriculumModule",
    "Decision",
    "EligibilityCheck",
    "Endorsement",
    "Letter",
    "LetterTemplate",
    "Programme",
    "ProgrammeOutcome",
    "Review",
    "ReviewPhase",
    "ReviewScore",
    "Reviewer",
    "RubricCriterion",
]
