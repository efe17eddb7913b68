"""Scholarship programmes, their calls, and the applications with their screening and endorsement."""

from .applications import Application, EligibilityCheck, Endorsement
from .programmes import Call, CurriculumModule, Programme

__all__ = ["Application", "Call", "CurriculumModule", "EligibilityCheck", "Endorsement", "Programme"]
