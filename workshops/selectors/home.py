"""The staff dashboard, the home pages' activity and the personal calendar."""

import datetime as dt

from django.db.models import (
    Count,
    Q,
    QuerySet,
)

from bacuda_portal.core.bilingual import row_in_reader_language
from bacuda_portal.core.choices import choice_labels

from ..enums import (
    ACTIVE_NOMINATION_STATUSES,
    DELIVERED_WORKSHOP_STATUSES,
    AssignmentRole,
    AssignmentStatus,
    NominationStatus,
    RequestStatus,
    WorkshopStatus,
)
from ..models import Assignment, CalendarFeed, Nomination, Workshop, WorkshopRequest
from .reports import officials_trained_count

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
        .only("title", "title_fr", "start_date", "status", "seats")
        .order_by("start_date")[:DASHBOARD_ROWS]
    )
    pending_nominations = (
        Workshop.objects.filter(nominations__status=NominationStatus.NOMINATED)
        .annotate(pending=Count("nominations", filter=Q(nominations__status=NominationStatus.NOMINATED)))
        .only("title", "title_fr")
        .order_by("start_date")[:DASHBOARD_ROWS]
    )
    unconfirmed = (
        Assignment.objects.filter(status=AssignmentStatus.PROPOSED, workshop__end_date__gte=today)
        .exclude(workshop__status="cancelled")
        .select_related("expert", "workshop")
        .only("role", "expert__full_name", "workshop__title", "workshop__title_fr")
        .order_by("workshop__start_date")[:DASHBOARD_ROWS]
    )
    open_requests = (
        WorkshopRequest.objects.filter(status=RequestStatus.SUBMITTED)
        .select_related("administration")
        .only("topic", "created_at", "administration__name_en", "administration__name_fr")
        .order_by("created_at")[:DASHBOARD_ROWS]
    )
    milestones = overdue_milestones(visible=Course.objects.all(), today=today).select_related(None)
    milestones = milestones.select_related("course").only("title", "title_fr", "due_date", "course__code")
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
        .only("pk", "title", "title_fr", "start_date", "end_date", "status", "host_city")
        .order_by("start_date", "pk")[:HOME_ROWS]
    )
    statuses = choice_labels(WorkshopStatus)
    upcoming = list(upcoming)
    for workshop in upcoming:
        workshop.status_label = statuses.get(workshop.status, workshop.status)
    nominations = list(
        Nomination.objects.filter(administration=administration)
        .values("pk", "full_name", "status", "created_at", "workshop_id", "workshop__title", "workshop__title_fr")
        .order_by("-created_at", "-pk")[:HOME_ROWS]
    )
    nomination_statuses = choice_labels(NominationStatus)
    for nomination in nominations:
        nomination["status_label"] = nomination_statuses.get(nomination["status"], nomination["status"])
        nomination["workshop_title"] = row_in_reader_language(nomination, "workshop__title")
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
            "role", "status", "workshop_id", "workshop__title", "workshop__title_fr", "workshop__start_date",
            "workshop__end_date",
            "workshop__host_city",
        )
        .order_by("workshop__start_date", "workshop_id")[:HOME_ROWS]
    )  # fmt: skip
    for row in rows:
        row["role_label"] = roles.get(row["role"], row["role"])
        row["workshop_title"] = row_in_reader_language(row, "workshop__title")
        row["status_label"] = statuses.get(row["status"], row["status"])
    return rows


def calendar_feed_of(user):
    """The person's calendar feed (its secret link), or None."""
    return CalendarFeed.objects.filter(user=user).first()


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
