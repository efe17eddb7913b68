"""Reads of the experts registry, each with the joins its page needs. Callers ask ``access`` first."""

from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from .models import AccreditationChange, AvailabilityWindow, Expert, ExpertiseArea, ExpertLanguage


def expertise_areas() -> QuerySet[ExpertiseArea]:
    return ExpertiseArea.objects.order_by("name_en")


def expert_list() -> QuerySet[Expert]:
    """Every expert with what a list row shows preloaded: administration, nationality, expertise, languages,
    and the availability windows that have not ended (``upcoming_availability``)."""
    upcoming = AvailabilityWindow.objects.filter(end_date__gte=timezone.localdate()).order_by("start_date")
    return Expert.objects.select_related("user", "administration__region", "nationality__region").prefetch_related(
        "expertise_areas",
        "languages",
        Prefetch("availability_windows", queryset=upcoming, to_attr="upcoming_availability"),
    )


def expert_filter(
    queryset: QuerySet[Expert],
    *,
    search: str = "",
    expertise: ExpertiseArea | None = None,
    language: str = "",
    region: str = "",
    available_from: date | None = None,
    available_to: date | None = None,
    accreditation: str = "",
    active: bool | None = None,
) -> QuerySet[Expert]:
    """Narrow ``queryset`` by the search form's filters; empty filters are ignored.

    ``region`` is a WCO region code, matched against the region of the expert's administration or of their
    nationality (either). An expert is available for a period when one availability window covers all of it; with
    only one of the two dates, the period is that single day.
    """
    if search:
        queryset = queryset.filter(
            Q(full_name__icontains=search)
            | Q(email__icontains=search)
            | Q(administration__name_en__icontains=search)
            | Q(administration__name_fr__icontains=search)
            | Q(administration__code__iexact=search)
        )
    if expertise is not None:
        queryset = queryset.filter(
            Exists(Expert.expertise_areas.through.objects.filter(expert=OuterRef("pk"), expertisearea=expertise))
        )
    if language:
        queryset = queryset.filter(Exists(ExpertLanguage.objects.filter(expert=OuterRef("pk"), language=language)))
    if region:
        queryset = queryset.filter(Q(administration__region__code=region) | Q(nationality__region__code=region))
    if available_from or available_to:
        period_start = available_from or available_to
        period_end = available_to or available_from
        queryset = queryset.filter(
            Exists(
                AvailabilityWindow.objects.filter(
                    expert=OuterRef("pk"), start_date__lte=period_start, end_date__gte=period_end
                )
            )
        )
    if accreditation:
        queryset = queryset.filter(accreditation_status=accreditation)
    if active is not None:
        queryset = queryset.filter(is_active=active)
    return queryset


def expert_search(
    *,
    search: str = "",
    expertise: ExpertiseArea | None = None,
    language: str = "",
    region: str = "",
    available_from: date | None = None,
    available_to: date | None = None,
    accreditation: str = "",
    active: bool | None = None,
) -> QuerySet[Expert]:
    """The staff list, its CSV export and the API: every expert matching the filters, by name."""
    return expert_filter(
        expert_list(),
        search=search,
        expertise=expertise,
        language=language,
        region=region,
        available_from=available_from,
        available_to=available_to,
        accreditation=accreditation,
        active=active,
    ).order_by("full_name", "pk")


def accreditation_history_of(expert: Expert) -> QuerySet[AccreditationChange]:
    return expert.accreditation_history.select_related("by").order_by("-on", "-id")


def availability_of(expert: Expert) -> QuerySet[AvailabilityWindow]:
    return expert.availability_windows.order_by("start_date")
