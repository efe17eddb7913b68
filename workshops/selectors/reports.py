"""The reports read-contract: trained participants, delivered workshops, beneficiaries served."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, Lower

from ..enums import (
    ATTENDED_STATUSES,
    DELIVERED_WORKSHOP_STATUSES,
    AssignmentStatus,
    NominationStatus,
    WorkshopStatus,
)
from ..models import Assignment, Attendance, Beneficiary, Nomination, Session, Workshop
from .nominations import ParticipantAttendance, attendance_sheet

# --- Officials trained: the one definition every page and report uses ---------------------------------------
# A person is counted once across workshops: the same email address (case-insensitive) is the same official.
TRAINED_PERSON = Lower("email")


def trained_participants(
    *, period_start: dt.date | None = None, period_end: dt.date | None = None, administration=None, region=None
) -> QuerySet[Nomination]:
    """Accepted participants of delivered workshops ending in the period who attended at least the certificate
    share of the sessions (BACUDA_CERTIFICATE_ATTENDANCE_SHARE). Withdrawn, declined, wait-listed and merely
    nominated people never count. One row per nomination: count ``TRAINED_PERSON`` distinct for people."""
    share = settings.BACUDA_CERTIFICATE_ATTENDANCE_SHARE
    sessions = (
        Session.objects.filter(workshop=OuterRef("workshop_id"))
        .order_by()
        .values("workshop")
        .annotate(n=Count("pk"))
        .values("n")
    )
    attended = (
        Attendance.objects.filter(nomination=OuterRef("pk"), status__in=ATTENDED_STATUSES)
        .order_by()
        .values("nomination")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # The workshops of the period first (an IN subquery): the database then walks the (workshop, status) index of
    # the nominations instead of evaluating the attendance subqueries for every accepted nomination ever.
    workshops = Workshop.objects.filter(status__in=DELIVERED_WORKSHOP_STATUSES)
    if period_start is not None:
        workshops = workshops.filter(end_date__gte=period_start)
    if period_end is not None:
        workshops = workshops.filter(end_date__lte=period_end)
    queryset = Nomination.objects.filter(
        status=NominationStatus.ACCEPTED, workshop_id__in=Subquery(workshops.order_by().values("pk"))
    )
    if administration is not None:
        queryset = queryset.filter(administration=administration)
    if region is not None:
        queryset = queryset.filter(administration__region=region)
    return (
        queryset.annotate(
            session_count=Coalesce(Subquery(sessions), 0),
            attended_count=Coalesce(Subquery(attended), 0),
        )
        .annotate(needed=ExpressionWrapper(F("session_count") * share, output_field=FloatField()))
        .filter(session_count__gt=0, attended_count__gte=F("needed"))
    )


def officials_trained_count(**filters) -> int:
    """How many distinct officials were trained (``trained_participants`` takes the same filters)."""
    return trained_participants(**filters).aggregate(n=Count(TRAINED_PERSON, distinct=True))["n"]


# --- What the reports and the public website read of workshops (their read contract) ----------------------------


def delivered_workshops(
    period_start: dt.date | None = None, period_end: dt.date | None = None, administration=None, region=None
) -> QuerySet[Workshop]:
    """Workshops delivered or closed whose last day falls in the period, narrowed to those that served one
    administration or region (a regional workshop serves each of its beneficiaries)."""
    queryset = Workshop.objects.filter(status__in=DELIVERED_WORKSHOP_STATUSES)
    if period_start is not None:
        queryset = queryset.filter(end_date__gte=period_start)
    if period_end is not None:
        queryset = queryset.filter(end_date__lte=period_end)
    if administration is not None:
        queryset = queryset.filter(beneficiary_links__administration=administration)
    if region is not None:
        queryset = queryset.filter(beneficiary_links__administration__region=region)
    return queryset


def delivered_workshops_with_participants(period_start: dt.date, period_end: dt.date) -> list[Workshop]:
    """The delivered workshops of a period with their region, beneficiaries and accepted participants (count)."""
    return list(
        delivered_workshops(period_start, period_end)
        .select_related("region")
        .prefetch_related("beneficiaries")
        .annotate(participants=Count("nominations", filter=Q(nominations__status=NominationStatus.ACCEPTED)))
        .order_by("end_date", "title", "pk")
    )


def beneficiaries_served(
    period_start: dt.date | None = None, period_end: dt.date | None = None, administration=None, region=None
) -> QuerySet[Beneficiary]:
    """The beneficiary links of the workshops delivered in the period (one row per workshop and administration)."""
    links = Beneficiary.objects.filter(workshop__status__in=DELIVERED_WORKSHOP_STATUSES)
    if period_start is not None:
        links = links.filter(workshop__end_date__gte=period_start)
    if period_end is not None:
        links = links.filter(workshop__end_date__lte=period_end)
    if administration is not None:
        links = links.filter(administration=administration)
    if region is not None:
        links = links.filter(administration__region=region)
    return links


def upcoming_workshops(after: dt.date, *, horizon_days: int = 183) -> list[Workshop]:
    """Planned or confirmed workshops starting in the ``horizon_days`` after a date, soonest first."""
    return list(
        Workshop.objects.filter(
            status__in=(WorkshopStatus.PLANNED, WorkshopStatus.CONFIRMED),
            start_date__gt=after,
            start_date__lte=after + dt.timedelta(days=horizon_days),
        )
        .select_related("region")
        .order_by("start_date", "title", "pk")
    )


def reportable_workshops(*, since: dt.date, search: str = "") -> QuerySet[Workshop]:
    """Delivered or closed workshops ended since a date, newest first, those whose title, host city or mission
    reference contain ``search``."""
    workshops = delivered_workshops(since, None)
    if search:
        workshops = workshops.filter(
            Q(title__icontains=search) | Q(host_city__icontains=search) | Q(mission_reference__icontains=search)
        )
    return workshops.order_by("-end_date", "title")


@dataclass
class WorkshopRecord:
    """What the workshop report shows: the workshop, its beneficiaries, sessions, attendance and experts."""

    workshop: Workshop
    beneficiaries: list[Beneficiary]
    sessions: list[Session]
    participants: list["ParticipantAttendance"]
    experts: list[Assignment]

    @property
    def eligible_count(self) -> int:
        return sum(1 for row in self.participants if row.eligible)

    def present_per_session(self) -> dict[int, int]:
        counts = {session.pk: 0 for session in self.sessions}
        for row in self.participants:
            for cell in row.cells:
                if cell.status in ATTENDED_STATUSES:
                    counts[cell.session_id] = counts.get(cell.session_id, 0) + 1
        return counts


def workshop_record(workshop_id: int) -> WorkshopRecord:
    workshop = Workshop.objects.select_related("region").get(pk=workshop_id)
    _sessions, participants = attendance_sheet(workshop)
    return WorkshopRecord(
        workshop=workshop,
        beneficiaries=list(workshop.beneficiary_links.select_related("administration").order_by("pk")),
        sessions=list(workshop.sessions.select_related("trainer").order_by("date", "start_time", "pk")),
        participants=participants,
        experts=list(
            Assignment.objects.filter(workshop=workshop, status=AssignmentStatus.CONFIRMED)
            .select_related("expert")
            .order_by("role", "expert__full_name", "pk")
        ),
    )
