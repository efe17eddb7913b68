"""What the set-up pages of programmes and calls read: the staff lists (search, filters) with their counts."""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from ..models import Application, Call, Programme

# The state filter of the calls list: a draft is not published; a published call is upcoming, open or closed.
CALL_STATES = ("draft", "upcoming", "open", "closed")


def programme_list(*, search: str = "") -> QuerySet[Programme]:
    """Programmes by name, with how many calls each has and when the latest opens."""
    programmes = Programme.objects.annotate(call_count=Count("calls"))
    if search:
        programmes = programmes.filter(
            Q(name_en__icontains=search) | Q(name_fr__icontains=search) | Q(partner_institution__icontains=search)
        )
    return programmes.order_by("name_en", "pk")


def programme_choices() -> QuerySet[Programme]:
    return Programme.objects.order_by("name_en", "pk")


def call_setup_list(
    *, search: str = "", programme: Programme | None = None, state: str = "", now: dt.datetime | None = None
) -> QuerySet[Call]:
    """Every call for staff, the latest to open first, with its programme, the number of applications submitted
    to it (ever: withdrawn ones too) and whether its rules are frozen by them."""
    now = now or timezone.now()
    submitted = Application.objects.filter(call=OuterRef("pk"), submitted_at__isnull=False)
    calls = Call.objects.select_related("programme").annotate(
        submitted_count=Count("applications", filter=Q(applications__submitted_at__isnull=False), distinct=True),
        criterion_count=Count("criteria", distinct=True),
        is_frozen=Exists(submitted),
    )
    if search:
        calls = calls.filter(
            Q(cohort_name__icontains=search)
            | Q(partner_university__icontains=search)
            | Q(programme__name_en__icontains=search)
            | Q(programme__name_fr__icontains=search)
        )
    if programme is not None:
        calls = calls.filter(programme=programme)
    if state == "draft":
        calls = calls.filter(is_published=False)
    elif state == "upcoming":
        calls = calls.filter(is_published=True, opens_at__gt=now)
    elif state == "open":
        calls = calls.filter(is_published=True, opens_at__lte=now, closes_at__gt=now)
    elif state == "closed":
        calls = calls.filter(is_published=True, closes_at__lte=now)
    return calls.order_by("-opens_at", "-pk")


def call_state(call: Call, now: dt.datetime | None = None) -> str:
    """One of ``CALL_STATES`` for a call (the same rule as the list's filter)."""
    now = now or timezone.now()
    if not call.is_published:
        return "draft"
    if now < call.opens_at:
        return "upcoming"
    return "open" if now < call.closes_at else "closed"


def call_setup(call: Call) -> dict:
    """The rows the call's set-up page edits and shows: rubric, phases, modules, letter templates, its count of
    submitted applications."""
    return {
        "criteria": list(call.criteria.order_by("order", "pk")),
        "phases": list(call.review_phases.order_by("opens_at", "pk")),
        "modules": list(call.modules.order_by("order", "pk")),
        "letter_templates": {row.outcome: row for row in call.letter_templates.all()},
        "submitted_count": Application.objects.filter(call=call, submitted_at__isnull=False).count(),
    }


def sample_application(call: Call) -> Application | None:
    """A submitted application of the call to preview its letters with (the first submitted), or None."""
    return (
        Application.objects.filter(call=call, submitted_at__isnull=False, applicant__isnull=False)
        .order_by("submitted_at", "pk")
        .first()
    )
