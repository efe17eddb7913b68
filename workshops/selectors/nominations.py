"""Nominations and attendance: places left, who is nominated, the attendance sheet."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from ..enums import ACTIVE_NOMINATION_STATUSES, ATTENDED_STATUSES, NOMINATION_OPEN_STATUSES, NominationStatus
from ..models import Attendance, Beneficiary, Nomination, Session, Workshop
from .clikc import with_prerequisite_completion


def nominations_of(visible: QuerySet[Nomination]) -> QuerySet[Nomination]:
    """With the administration, and whether the official finished the workshop's prerequisite course (CLiKC!)."""
    return with_prerequisite_completion(visible.select_related("administration")).order_by(
        "administration__name_en", "created_at"
    )


def participant_list(visible: QuerySet[Nomination]) -> list[Nomination]:
    """What a trainer sees of the participants: name, position and administration (no contact details)."""
    return list(visible.select_related("administration").order_by("administration__name_en", "full_name", "pk"))


def accepted_count(workshop: Workshop) -> int:
    return workshop.nominations.filter(status=NominationStatus.ACCEPTED).count()


def nominations_open(workshop: Workshop) -> bool:
    return workshop.status in NOMINATION_OPEN_STATUSES


def is_nominated(workshop: Workshop, email: str) -> bool:
    """The person (by email address) has a nomination for the workshop that was not withdrawn."""
    return workshop.nominations.filter(email__iexact=email).exclude(status=NominationStatus.WITHDRAWN).exists()


def places_left(workshop: Workshop, administration) -> int:
    """How many more officials the administration may nominate for the workshop (0 when it is no beneficiary)."""
    link = Beneficiary.objects.filter(workshop=workshop, administration=administration).first()
    if link is None:
        return 0
    used = workshop.nominations.filter(administration=administration, status__in=ACTIVE_NOMINATION_STATUSES).count()
    return max(link.quota - used, 0)


@dataclass
class AttendanceCell:
    session_id: int
    topic: str
    status: str  # "" when not recorded


@dataclass
class ParticipantAttendance:
    nomination: Nomination
    cells: list[AttendanceCell]  # one per session, in agenda order
    attended: int
    eligible: bool


def attendance_sheet(workshop: Workshop) -> tuple[list[Session], list[ParticipantAttendance]]:
    """The whole workshop's attendance grid and each participant's certificate eligibility (three queries)."""
    sessions = list(Session.objects.filter(workshop=workshop))
    participants = list(
        Nomination.objects.filter(workshop=workshop, status=NominationStatus.ACCEPTED)
        .select_related("administration")
        .order_by("administration__name_en", "full_name")
    )
    marks = {
        (session_id, nomination_id): status
        for session_id, nomination_id, status in Attendance.objects.filter(session__workshop=workshop).values_list(
            "session_id", "nomination_id", "status"
        )
    }
    rows = []
    for nomination in participants:
        row = [AttendanceCell(s.pk, s.topic, marks.get((s.pk, nomination.pk), "")) for s in sessions]
        attended = sum(1 for cell in row if cell.status in ATTENDED_STATUSES)
        rows.append(ParticipantAttendance(nomination, row, attended, is_certificate_eligible(attended, len(sessions))))
    return sessions, rows


def is_certificate_eligible(attended: int, session_count: int) -> bool:
    """The certificate rule: at least BACUDA_CERTIFICATE_ATTENDANCE_SHARE of the sessions attended."""
    return session_count > 0 and attended >= session_count * settings.BACUDA_CERTIFICATE_ATTENDANCE_SHARE
