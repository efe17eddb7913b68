"""Workshop lists and detail, assignment candidates and the request queue."""

import datetime as dt

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import dateformat
from django.utils.formats import get_format

from bacuda_portal.core.bilingual import row_in_reader_language
from bacuda_portal.core.choices import choice_labels

from ..enums import (
    ACTIVE_NOMINATION_STATUSES,
    AssignmentStatus,
    NominationStatus,
    RequestStatus,
    WorkshopKind,
    WorkshopStatus,
)
from ..models import Assignment, Beneficiary, Nomination, Session, Workshop, WorkshopRequest


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


WORKSHOP_ROW_FIELDS = ("pk", "title", "title_fr", "start_date", "end_date", "kind", "status", "host_city", "seats")


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
        row["localized_title"] = row_in_reader_language(row, "title")
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


def workshop_or_none(workshop_id) -> Workshop | None:
    return Workshop.objects.filter(pk=workshop_id).first() if workshop_id else None
