"""Reads of the workshops app, with the joins and counts each page needs. Callers pass what access allows."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from .enums import ACTIVE_NOMINATION_STATUSES, ATTENDED_STATUSES, AssignmentStatus, NominationStatus, RequestStatus
from .models import Assignment, Attendance, Beneficiary, Nomination, Session, Workshop, WorkshopRequest


def workshop_list(
    *,
    visible: QuerySet[Workshop],
    search: str = "",
    status: str = "",
    kind: str = "",
    region: str = "",
    year: int | None = None,
    administration: str = "",
) -> QuerySet[Workshop]:
    """The workshops page and its CSV export."""
    # A correlated subquery, not a JOIN + COUNT: the database counts only for the rows of the page shown,
    # and the paginator's COUNT(*) stays a plain count of workshops.
    accepted = (
        Nomination.objects.filter(workshop=OuterRef("pk"), status=NominationStatus.ACCEPTED)
        .order_by()
        .values("workshop")
        .annotate(count=Count("pk"))
        .values("count")
    )
    queryset = visible.select_related("region").annotate(
        accepted_count=Coalesce(Subquery(accepted, output_field=IntegerField()), 0)
    )
    if search:
        queryset = queryset.filter(
            Q(title__icontains=search) | Q(host_city__icontains=search) | Q(mission_reference__icontains=search)
        )
    if status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    if region:
        queryset = queryset.filter(region__code=region)
    if year:
        queryset = queryset.filter(start_date__year=year)
    if administration:
        queryset = queryset.filter(beneficiary_links__administration__code=administration).distinct()
    return queryset.order_by("-start_date", "title")


def workshop_detail(workshop: Workshop) -> dict:
    """Everything the workshop page shows, in a fixed number of queries."""
    used = dict(
        Nomination.objects.filter(workshop=workshop, status__in=ACTIVE_NOMINATION_STATUSES)
        .values("administration_id")
        .annotate(count=Count("id"))
        .values_list("administration_id", "count")
    )
    beneficiaries = list(Beneficiary.objects.filter(workshop=workshop).select_related("administration"))
    for link in beneficiaries:
        link.used = used.get(link.administration_id, 0)
    sessions = list(Session.objects.filter(workshop=workshop).select_related("trainer"))
    assignments = list(Assignment.objects.filter(workshop=workshop).select_related("expert", "workshop"))
    flagged = double_booked_assignment_ids(assignments)
    for assignment in assignments:
        assignment.double_booked = assignment.pk in flagged
    return {"beneficiaries": beneficiaries, "sessions": sessions, "assignments": assignments}


def nominations_of(visible: QuerySet[Nomination]) -> QuerySet[Nomination]:
    return visible.select_related("administration").order_by("administration__name_en", "created_at")


def accepted_count(workshop: Workshop) -> int:
    return workshop.nominations.filter(status=NominationStatus.ACCEPTED).count()


def waitlist_count(workshop: Workshop) -> int:
    return workshop.nominations.filter(status=NominationStatus.WAITLISTED).count()


def overlapping_assignments(
    *, expert, start: dt.date, end: dt.date, exclude_workshop: Workshop | None = None
) -> QuerySet[Assignment]:
    """The expert's other (not declined) assignments whose workshop dates overlap [start, end]: a double booking."""
    queryset = (
        Assignment.objects.filter(expert=expert, workshop__start_date__lte=end, workshop__end_date__gte=start)
        .exclude(status=AssignmentStatus.DECLINED)
        .exclude(workshop__status="cancelled")
        .select_related("workshop")
    )
    if exclude_workshop is not None:
        queryset = queryset.exclude(workshop=exclude_workshop)
    return queryset


def double_booked_assignment_ids(assignments: list[Assignment]) -> set[int]:
    """Which of these assignments overlap another assignment of the same expert (one query)."""
    if not assignments:
        return set()
    expert_ids = {assignment.expert_id for assignment in assignments}
    others = list(
        Assignment.objects.filter(expert_id__in=expert_ids)
        .exclude(status=AssignmentStatus.DECLINED)
        .exclude(workshop__status="cancelled")
        .values("pk", "expert_id", "workshop_id", "workshop__start_date", "workshop__end_date")
    )
    flagged = set()
    for assignment in assignments:
        workshop = assignment.workshop
        for other in others:
            if (
                other["expert_id"] == assignment.expert_id
                and other["workshop_id"] != assignment.workshop_id
                and other["workshop__start_date"] <= workshop.end_date
                and other["workshop__end_date"] >= workshop.start_date
            ):
                flagged.add(assignment.pk)
    return flagged


def request_queue(*, visible: QuerySet[WorkshopRequest], status: str = "") -> QuerySet[WorkshopRequest]:
    """Open requests first, then the newest."""
    queryset = visible.select_related("administration", "requested_by", "workshop")
    if status:
        queryset = queryset.filter(status=status)
    open_first = Case(When(status=RequestStatus.SUBMITTED, then=Value(0)), default=Value(1))
    return queryset.order_by(open_first, "-created_at")


def open_request_count(visible: QuerySet[WorkshopRequest]) -> int:
    return visible.filter(status=RequestStatus.SUBMITTED).count()


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


DASHBOARD_ROWS = 10


def staff_dashboard(*, today: dt.date, horizon_days: int = 90) -> dict:
    """What a project officer checks every morning; each list is short and fetched in one query."""
    from workshops.elearning.models import Course
    from workshops.elearning.selectors import overdue_milestones
    from workshops.missions.selectors import pending_claims, pending_travel_requests

    upcoming = (
        Workshop.objects.filter(start_date__gte=today, start_date__lte=today + dt.timedelta(days=horizon_days))
        .exclude(status__in=("cancelled", "requested"))
        .select_related("region")
        .annotate(accepted_count=Count("nominations", filter=Q(nominations__status=NominationStatus.ACCEPTED)))
        .order_by("start_date")[:DASHBOARD_ROWS]
    )
    pending_nominations = (
        Workshop.objects.filter(nominations__status=NominationStatus.NOMINATED)
        .annotate(pending=Count("nominations", filter=Q(nominations__status=NominationStatus.NOMINATED)))
        .order_by("start_date")[:DASHBOARD_ROWS]
    )
    unconfirmed = (
        Assignment.objects.filter(status=AssignmentStatus.PROPOSED, workshop__end_date__gte=today)
        .exclude(workshop__status="cancelled")
        .select_related("expert", "workshop")
        .order_by("workshop__start_date")[:DASHBOARD_ROWS]
    )
    return {
        "upcoming": list(upcoming),
        "open_requests": list(
            WorkshopRequest.objects.filter(status=RequestStatus.SUBMITTED)
            .select_related("administration")
            .order_by("created_at")[:DASHBOARD_ROWS]
        ),
        "pending_nominations": list(pending_nominations),
        "unconfirmed_assignments": list(unconfirmed),
        "overdue_milestones": list(overdue_milestones(visible=Course.objects.all(), today=today)[:DASHBOARD_ROWS]),
        "pending_travel_requests": list(pending_travel_requests()[:DASHBOARD_ROWS]),
        "pending_claims": list(pending_claims()[:DASHBOARD_ROWS]),
    }


def deployments_of(expert) -> QuerySet[Assignment]:
    """An expert's deployments: the workshops they confirmed, newest first, with their appraisal."""
    return (
        Assignment.objects.filter(expert=expert, status=AssignmentStatus.CONFIRMED)
        .exclude(workshop__status="cancelled")
        .select_related("workshop")
        .order_by("-workshop__start_date")
    )
