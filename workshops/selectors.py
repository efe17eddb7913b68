"""Reads of the workshops app, with the joins and counts each page needs. Callers pass what access allows."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.translation import gettext

from bacuda_portal.core.choices import choice_labels
from bacuda_portal.core.search import SearchHit, ranked

from .enums import (
    ACTIVE_NOMINATION_STATUSES,
    ATTENDED_STATUSES,
    DELIVERED_WORKSHOP_STATUSES,
    NOMINATION_OPEN_STATUSES,
    AssignmentRole,
    AssignmentStatus,
    NominationStatus,
    RequestStatus,
    WorkshopKind,
    WorkshopStatus,
)
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


WORKSHOP_ROW_FIELDS = ("pk", "title", "start_date", "end_date", "kind", "status", "host_city", "seats")


def workshop_rows(workshops: QuerySet[Workshop]) -> QuerySet:
    """The workshops page's rows as dicts: a page of fifty reads faster without model instances.

    Each row has ``WORKSHOP_ROW_FIELDS``, ``accepted_count`` (from ``workshop_list``) and ``region_code``;
    ``with_workshop_labels`` adds the labels.
    """
    return workshops.values(*WORKSHOP_ROW_FIELDS, "accepted_count", region_code=F("region__code"))


def with_workshop_labels(rows) -> list[dict]:
    """Adds ``kind_label``, ``status_label`` and ``dates`` (the short date range) to ``workshop_rows`` rows, in
    the active language; what the template's filters would do, with the labels and the format looked up once."""
    kinds, statuses = choice_labels(WorkshopKind), choice_labels(WorkshopStatus)
    date_format = get_format("SHORT_DATE_FORMAT")
    rows = list(rows)
    for row in rows:
        row["kind_label"] = kinds.get(row["kind"], row["kind"])
        row["status_label"] = statuses.get(row["status"], row["status"])
        row["dates"] = (
            f"{dateformat.format(row['start_date'], date_format)} – {dateformat.format(row['end_date'], date_format)}"
        )
    return rows


def workshop_detail(workshop: Workshop, *, nominations: list[Nomination] | None = None) -> dict:
    """Everything the workshop page shows, in a fixed number of queries.

    ``accepted_count`` and ``waitlist_count`` are the workshop's totals; each beneficiary line's ``used`` is its
    administration's nominations that count against the quota. ``nominations``: all the workshop's nominations
    when the caller has read them (the staff page lists them all), to count them without another query.
    """
    if nominations is None:
        counts = (
            Nomination.objects.filter(workshop=workshop)
            .order_by()
            .values("administration_id", "status")
            .annotate(count=Count("id"))
            .values_list("administration_id", "status", "count")
        )
    else:
        counts = [(nomination.administration_id, nomination.status, 1) for nomination in nominations]
    used: dict[int, int] = {}
    by_status: dict[str, int] = {}
    for administration_id, status, count in counts:
        by_status[status] = by_status.get(status, 0) + count
        if status in ACTIVE_NOMINATION_STATUSES:
            used[administration_id] = used.get(administration_id, 0) + count
    beneficiaries = list(Beneficiary.objects.filter(workshop=workshop).select_related("administration"))
    for link in beneficiaries:
        link.used = used.get(link.administration_id, 0)
    sessions = list(Session.objects.filter(workshop=workshop).select_related("trainer"))
    # ``double_booked``: the expert has another live assignment over these dates.
    other_bookings = overlapping_assignments(
        expert=OuterRef("expert"), start=workshop.start_date, end=workshop.end_date, exclude_workshop=workshop
    )
    assignments = list(
        Assignment.objects.filter(workshop=workshop)
        .select_related("expert")
        .annotate(double_booked=Exists(other_bookings))
    )
    for assignment in assignments:
        assignment.workshop = workshop  # the caller's object: no join, no copy
    return {
        "beneficiaries": beneficiaries,
        "sessions": sessions,
        "assignments": assignments,
        "accepted_count": by_status.get(NominationStatus.ACCEPTED, 0),
        "waitlist_count": by_status.get(NominationStatus.WAITLISTED, 0),
    }


def assignment_candidates(*, workshop: Workshop, filters: dict) -> QuerySet:
    """The "find an expert to assign" page: active experts matching the registry search's ``filters``
    (``experts.selectors.expert_filter`` arguments), by name, as ``experts.selectors.expert_rows``.

    Each row also tells whether the expert is ``available`` (one availability window covers the workshop dates)
    or ``booked_elsewhere`` (another live assignment overlaps them), and their assignment to this workshop if any
    (``assignment_status``, ``assignment_role``; None otherwise).
    """
    from workshops.experts.models import AvailabilityWindow, Expert
    from workshops.experts.selectors import expert_filter, expert_rows

    this_assignment = Assignment.objects.filter(workshop=workshop, expert=OuterRef("pk"))
    experts = expert_filter(Expert.objects.all(), **{**filters, "active": True}).annotate(
        available=Exists(
            AvailabilityWindow.objects.filter(
                expert=OuterRef("pk"), start_date__lte=workshop.start_date, end_date__gte=workshop.end_date
            )
        ),
        booked_elsewhere=Exists(
            overlapping_assignments(
                expert=OuterRef("pk"), start=workshop.start_date, end=workshop.end_date, exclude_workshop=workshop
            )
        ),
        assignment_status=Subquery(this_assignment.values("status")[:1]),
        assignment_role=Subquery(this_assignment.values("role")[:1]),
    )
    return expert_rows(
        experts.order_by("full_name", "pk"), "available", "booked_elsewhere", "assignment_status", "assignment_role"
    )


def nominations_of(visible: QuerySet[Nomination]) -> QuerySet[Nomination]:
    return visible.select_related("administration").order_by("administration__name_en", "created_at")


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


def workshop_exists(*, title: str, start_date: dt.date, end_date: dt.date) -> bool:
    return Workshop.objects.filter(title__iexact=title.strip(), start_date=start_date, end_date=end_date).exists()


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
    """What a project officer checks every morning; each list is short and fetched in one query.

    Each query reads only the columns its panel shows: the page is seven queries, and the joins' other columns
    cost more to fetch and convert than the rows themselves.
    """
    from workshops.elearning.models import Course
    from workshops.elearning.selectors import overdue_milestones
    from workshops.missions.selectors import pending_claims, pending_travel_requests

    upcoming = (
        Workshop.objects.filter(start_date__gte=today, start_date__lte=today + dt.timedelta(days=horizon_days))
        .exclude(status__in=("cancelled", "requested"))
        .annotate(accepted_count=Count("nominations", filter=Q(nominations__status=NominationStatus.ACCEPTED)))
        .only("title", "start_date", "status", "seats")
        .order_by("start_date")[:DASHBOARD_ROWS]
    )
    pending_nominations = (
        Workshop.objects.filter(nominations__status=NominationStatus.NOMINATED)
        .annotate(pending=Count("nominations", filter=Q(nominations__status=NominationStatus.NOMINATED)))
        .only("title")
        .order_by("start_date")[:DASHBOARD_ROWS]
    )
    unconfirmed = (
        Assignment.objects.filter(status=AssignmentStatus.PROPOSED, workshop__end_date__gte=today)
        .exclude(workshop__status="cancelled")
        .select_related("expert", "workshop")
        .only("role", "expert__full_name", "workshop__title")
        .order_by("workshop__start_date")[:DASHBOARD_ROWS]
    )
    open_requests = (
        WorkshopRequest.objects.filter(status=RequestStatus.SUBMITTED)
        .select_related("administration")
        .only("topic", "created_at", "administration__name_en", "administration__name_fr")
        .order_by("created_at")[:DASHBOARD_ROWS]
    )
    milestones = overdue_milestones(visible=Course.objects.all(), today=today).select_related(None)
    milestones = milestones.select_related("course").only("title", "due_date", "course__code")
    # A mission is shown by its traveller, destination and start date (``Mission.__str__``).
    mission_columns = ("start_date", "destination_city", "traveller_user", "traveller_expert")
    traveller_columns = ("traveller_user__full_name", "traveller_user__email", "traveller_expert__full_name")
    travellers = ("mission__traveller_user", "mission__traveller_expert")
    travel_requests = (
        pending_travel_requests()
        .select_related(None)
        .select_related(*travellers)
        .only(*(f"mission__{name}" for name in (*mission_columns, *traveller_columns)))
    )
    claims = (
        pending_claims()
        .prefetch_related(None)
        .select_related(None)
        .select_related(*travellers)
        .only("status", *(f"mission__{name}" for name in (*mission_columns, *traveller_columns)))
    )
    return {
        "upcoming": list(upcoming),
        "open_requests": list(open_requests),
        "pending_nominations": list(pending_nominations),
        "unconfirmed_assignments": list(unconfirmed),
        "overdue_milestones": list(milestones[:DASHBOARD_ROWS]),
        "pending_travel_requests": list(travel_requests[:DASHBOARD_ROWS]),
        "pending_claims": list(claims[:DASHBOARD_ROWS]),
    }


def deployments_of(expert) -> QuerySet[Assignment]:
    """An expert's deployments: the workshops they confirmed, newest first, with their appraisal."""
    return (
        Assignment.objects.filter(expert=expert, status=AssignmentStatus.CONFIRMED)
        .exclude(workshop__status="cancelled")
        .select_related("workshop")
        .order_by("-workshop__start_date")
    )


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


def workshop_or_none(workshop_id) -> Workshop | None:
    return Workshop.objects.filter(pk=workshop_id).first() if workshop_id else None


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


# --- Search (the portal's search box) --------------------------------------------------------------------
def search_workshops(visible, words: list[str], *, limit: int) -> list[SearchHit]:
    rows = ranked(visible.select_related("region"), ["title", "host_city", "description", "mission_reference"], words)
    return [
        SearchHit(
            kind=gettext("Workshop"),
            title=workshop.title,
            detail=" · ".join(filter(None, [workshop.host_city, f"{workshop.start_date:%Y-%m-%d}"])),
            url=workshop.get_absolute_url(),
        )
        for workshop in rows[:limit]
    ]


def search_participants(visible_nominations, words: list[str], *, limit: int) -> list[SearchHit]:
    rows = ranked(visible_nominations.select_related("workshop"), ["full_name", "email", "position"], words)
    return [
        SearchHit(
            kind=gettext("Participant"),
            title=nomination.full_name,
            detail=nomination.workshop.title,
            url=nomination.workshop.get_absolute_url() + "#participants",
        )
        for nomination in rows[:limit]
    ]


# --- The inbox: the pending work of the workshops app a user may act on --------------------------------------
INBOX_ROWS = 8  # per kind of work: the page the item links to lists the rest
INBOX_CERTIFICATES_LOOKBACK = dt.timedelta(days=365)  # certificates still to issue a year on are history


def inbox_items(user, *, today: dt.date) -> list:
    """What ``user`` has to do in the workshops app, as ``core.inbox.InboxItem``s, a few queries whatever the rows.

    Staff: workshop requests to review, nominations to decide, certificates to issue (and renderings that failed),
    experts who have not answered. A contact point: the workshops open for their nominations with places left.
    An expert: the assignments they have not answered. Each item links to the page where the work is done.
    """
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from bacuda_portal.core.inbox import STARTS, InboxItem, Urgency

    from . import access
    from .enums import CertificateStatus
    from .models import Certificate

    category = _("Workshops")
    items: list[InboxItem] = []
    if access.can_manage_workshops(user):
        requests = WorkshopRequest.objects.filter(status=RequestStatus.SUBMITTED).aggregate(
            n=Count("pk"), oldest=Min("created_at")
        )
        if requests["n"]:
            items.append(
                InboxItem(
                    title=_("Workshop requests to review"),
                    url=reverse("workshops:request_list") + f"?status={RequestStatus.SUBMITTED}",
                    category=category,
                    count=requests["n"],
                    date=requests["oldest"],
                )
            )
        pending = (
            Nomination.objects.filter(status=NominationStatus.NOMINATED)
            .exclude(workshop__status=WorkshopStatus.CANCELLED)
            .values("workshop_id", "workshop__title", "workshop__start_date")
            .annotate(n=Count("pk"))
            .order_by("workshop__start_date", "workshop_id")[:INBOX_ROWS]
        )
        for row in pending:
            items.append(
                InboxItem(
                    title=_("Nominations to decide"),
                    detail=row["workshop__title"],
                    url=reverse("workshops:detail", kwargs={"pk": row["workshop_id"]}) + "#nominations-heading",
                    category=category,
                    count=row["n"],
                    date=row["workshop__start_date"],
                    date_kind=STARTS,
                    urgency=Urgency.HIGH
                    if row["workshop__start_date"] <= today + dt.timedelta(days=14)
                    else Urgency.NORMAL,
                )
            )
        to_certify = (
            trained_participants(period_start=today - INBOX_CERTIFICATES_LOOKBACK)
            .filter(certificate__isnull=True)
            .values("workshop_id", "workshop__title", "workshop__end_date")
            .annotate(n=Count("pk"))
            .order_by("workshop__end_date", "workshop_id")[:INBOX_ROWS]
        )
        for row in to_certify:
            items.append(
                InboxItem(
                    title=_("Certificates to issue"),
                    detail=row["workshop__title"],
                    url=reverse("workshops:detail", kwargs={"pk": row["workshop_id"]}) + "#certificates-heading",
                    category=category,
                    count=row["n"],
                    date=row["workshop__end_date"],
                )
            )
        failed = (
            Certificate.objects.filter(status=CertificateStatus.FAILED, revoked_at__isnull=True)
            .values("nomination__workshop_id", "nomination__workshop__title")
            .annotate(n=Count("pk"), since=Min("updated_at"))
            .order_by("since")[:INBOX_ROWS]
        )
        for row in failed:
            items.append(
                InboxItem(
                    title=_("Certificates whose rendering failed"),
                    detail=row["nomination__workshop__title"],
                    url=reverse("workshops:detail", kwargs={"pk": row["nomination__workshop_id"]})
                    + "#certificates-heading",
                    category=category,
                    count=row["n"],
                    date=row["since"],
                    urgency=Urgency.HIGH,
                )
            )
        silent = (
            Assignment.objects.filter(status=AssignmentStatus.PROPOSED, workshop__end_date__gte=today)
            .exclude(workshop__status=WorkshopStatus.CANCELLED)
            .values("workshop_id", "workshop__title", "workshop__start_date")
            .annotate(n=Count("pk"))
            .order_by("workshop__start_date", "workshop_id")[:INBOX_ROWS]
        )
        for row in silent:
            items.append(
                InboxItem(
                    title=_("Experts who have not answered"),
                    detail=row["workshop__title"],
                    url=reverse("workshops:detail", kwargs={"pk": row["workshop_id"]}) + "#experts-heading",
                    category=category,
                    count=row["n"],
                    date=row["workshop__start_date"],
                    date_kind=STARTS,
                    urgency=Urgency.LOW,
                )
            )
        return items
    administration = access.administration_of(user) if access.can_nominate(user) else None
    if administration is not None:
        places = (
            Beneficiary.objects.filter(
                administration=administration,
                workshop__status__in=NOMINATION_OPEN_STATUSES,
                workshop__start_date__gte=today,
            )
            .exclude(workshop__status=WorkshopStatus.REQUESTED)
            .annotate(
                used=Count(
                    "workshop__nominations",
                    filter=Q(
                        workshop__nominations__administration=administration,
                        workshop__nominations__status__in=ACTIVE_NOMINATION_STATUSES,
                    ),
                )
            )
            .filter(used__lt=F("quota"))
            .values("workshop_id", "workshop__title", "workshop__start_date", "quota", "used")
            .order_by("workshop__start_date", "workshop_id")[:INBOX_ROWS]
        )
        for row in places:
            items.append(
                InboxItem(
                    title=_("Places to fill with your nominations"),
                    detail=row["workshop__title"],
                    url=reverse("workshops:detail", kwargs={"pk": row["workshop_id"]}) + "#beneficiaries-heading",
                    category=category,
                    count=row["quota"] - row["used"],
                    date=row["workshop__start_date"],
                    date_kind=STARTS,
                    urgency=Urgency.HIGH
                    if row["workshop__start_date"] <= today + dt.timedelta(days=21)
                    else Urgency.NORMAL,
                )
            )
    expert = access.expert_of(user)
    if expert is not None:
        assignments = (
            Assignment.objects.filter(expert=expert, status=AssignmentStatus.PROPOSED, workshop__end_date__gte=today)
            .exclude(workshop__status=WorkshopStatus.CANCELLED)
            .values("workshop_id", "workshop__title", "workshop__start_date", "role")
            .order_by("workshop__start_date", "workshop_id")[:INBOX_ROWS]
        )
        roles = choice_labels(AssignmentRole)
        for row in assignments:
            items.append(
                InboxItem(
                    title=_("An assignment to answer"),
                    detail=f"{row['workshop__title']} · {roles.get(row['role'], row['role'])}",
                    url=reverse("workshops:detail", kwargs={"pk": row["workshop_id"]}) + "#experts-heading",
                    category=category,
                    date=row["workshop__start_date"],
                    date_kind=STARTS,
                    urgency=Urgency.HIGH,
                )
            )
    return items


# --- Homes: what a contact point's and an expert's home shows of the workshops app ---------------------------
HOME_ROWS = 5


def administration_activity(administration, *, today: dt.date) -> dict:
    """The contact point's home: their administration's next workshops, latest nominations and figures (workshops
    it benefited from, participants nominated, officials trained). Five queries whatever the rows."""
    workshops = Workshop.objects.filter(beneficiary_links__administration=administration)
    upcoming = (
        workshops.filter(start_date__gte=today)
        .exclude(status__in=(WorkshopStatus.CANCELLED, WorkshopStatus.REQUESTED))
        .annotate(
            own_accepted=Count(
                "nominations",
                filter=Q(nominations__administration=administration, nominations__status=NominationStatus.ACCEPTED),
            )
        )
        .only("pk", "title", "start_date", "end_date", "status", "host_city")
        .order_by("start_date", "pk")[:HOME_ROWS]
    )
    statuses = choice_labels(WorkshopStatus)
    upcoming = list(upcoming)
    for workshop in upcoming:
        workshop.status_label = statuses.get(workshop.status, workshop.status)
    nominations = list(
        Nomination.objects.filter(administration=administration)
        .values("pk", "full_name", "status", "created_at", "workshop_id", "workshop__title")
        .order_by("-created_at", "-pk")[:HOME_ROWS]
    )
    nomination_statuses = choice_labels(NominationStatus)
    for nomination in nominations:
        nomination["status_label"] = nomination_statuses.get(nomination["status"], nomination["status"])
    figures = workshops.aggregate(
        delivered=Count("pk", filter=Q(status__in=DELIVERED_WORKSHOP_STATUSES), distinct=True),
        planned=Count(
            "pk", filter=Q(status__in=(WorkshopStatus.PLANNED, WorkshopStatus.CONFIRMED), start_date__gte=today),
            distinct=True,
        ),
    )  # fmt: skip
    figures["nominated"] = Nomination.objects.filter(
        administration=administration, status__in=ACTIVE_NOMINATION_STATUSES
    ).count()
    figures["trained"] = officials_trained_count(administration=administration)
    return {"upcoming": upcoming, "nominations": nominations, "figures": figures}


def expert_activity(expert, *, today: dt.date) -> list[dict]:
    """The expert's home: their next confirmed or proposed workshops, soonest first. One query."""
    roles, statuses = choice_labels(AssignmentRole), choice_labels(AssignmentStatus)
    rows = list(
        Assignment.objects.filter(expert=expert, workshop__end_date__gte=today)
        .exclude(status=AssignmentStatus.DECLINED)
        .exclude(workshop__status=WorkshopStatus.CANCELLED)
        .values(
            "role", "status", "workshop_id", "workshop__title", "workshop__start_date", "workshop__end_date",
            "workshop__host_city",
        )
        .order_by("workshop__start_date", "workshop_id")[:HOME_ROWS]
    )  # fmt: skip
    for row in rows:
        row["role_label"] = roles.get(row["role"], row["role"])
        row["status_label"] = statuses.get(row["status"], row["status"])
    return rows


def personal_calendar_workshops(user, *, since: dt.date, expert=None, staff: bool = False) -> QuerySet[Workshop]:
    """A person's own workshops ending on or after ``since``: those a staff member created, and those an expert is
    proposed for or confirmed in (not the assignments they declined), with their sessions for the feed."""
    own = Q(pk__in=[])
    if staff:
        own |= Q(created_by=user)
    if expert is not None:
        own |= Q(assignments__expert=expert, assignments__status__in=(AssignmentStatus.PROPOSED,
                                                                       AssignmentStatus.CONFIRMED))  # fmt: skip
    return (
        Workshop.objects.filter(own, end_date__gte=since)
        .distinct()
        .order_by("start_date", "pk")
        .prefetch_related("sessions")
    )
