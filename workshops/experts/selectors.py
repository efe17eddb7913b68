"""Reads of the experts registry, each with the joins its page needs. Callers ask ``access`` first."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language, gettext

from bacuda_portal.core.choices import choice_labels
from bacuda_portal.core.search import SearchHit, ranked
from workshops.enums import DELIVERED_WORKSHOP_STATUSES, AssignmentStatus

from .enums import AccreditationStatus, SpokenLanguage
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


def expert_rows(experts: QuerySet[Expert], *annotations: str) -> QuerySet:
    """List pages' experts as dicts (a page of fifty reads several times faster without model instances): ``pk``,
    ``full_name``, ``is_active``, ``accreditation_status``, the ``annotations`` named, and the administration's
    and nationality's names and region codes. ``with_row_texts`` adds what comes from related rows."""
    return experts.values(
        "pk",
        "full_name",
        "is_active",
        "accreditation_status",
        *annotations,
        administration_en=F("administration__name_en"),
        administration_fr=F("administration__name_fr"),
        administration_region=F("administration__region__code"),
        nationality_en=F("nationality__name_en"),
        nationality_fr=F("nationality__name_fr"),
        nationality_region=F("nationality__region__code"),
    )


def expert_search_rows(**filters) -> QuerySet:
    """The staff list page: ``expert_search``'s experts, in its order, as ``expert_rows``."""
    return expert_rows(expert_filter(Expert.objects.all(), **filters).order_by("full_name", "pk"))


def with_row_texts(rows: Iterable[dict], *, with_availability: bool = True) -> list[dict]:
    """Completes ``expert_rows`` rows for display, in the active language, with three queries for the page:
    ``administration`` and ``nationality`` (names), ``accreditation`` (label), ``expertise`` (names, by name),
    ``languages`` ("French C1", by language code) and ``availability`` (the windows not ended yet, as
    ``(start, end)`` dates; left out, with its query, when not ``with_availability``)."""
    rows = list(rows)
    ids = [row["pk"] for row in rows]
    if not ids:
        return rows
    french = (get_language() or "en").startswith("fr")
    accreditation_labels, language_labels = choice_labels(AccreditationStatus), choice_labels(SpokenLanguage)
    expertise, languages, availability = defaultdict(list), defaultdict(list), defaultdict(list)
    areas = (
        Expert.expertise_areas.through.objects.filter(expert_id__in=ids)
        .order_by("expertisearea__name_en")
        .values_list("expert_id", "expertisearea__name_en", "expertisearea__name_fr")
    )
    for expert_id, name_en, name_fr in areas:
        expertise[expert_id].append(name_fr if french and name_fr else name_en)
    spoken = (
        ExpertLanguage.objects.filter(expert_id__in=ids)
        .order_by("language")
        .values_list("expert_id", "language", "level")
    )
    for expert_id, language, level in spoken:
        languages[expert_id].append(f"{language_labels.get(language, language)} {level}")
    if with_availability:
        windows = (
            AvailabilityWindow.objects.filter(expert_id__in=ids, end_date__gte=timezone.localdate())
            .order_by("start_date")
            .values_list("expert_id", "start_date", "end_date")
        )
        for expert_id, start, end in windows:
            availability[expert_id].append((start, end))
    for row in rows:
        row["administration"] = (
            row["administration_fr"] if french and row["administration_fr"] else row["administration_en"]
        )
        row["nationality"] = row["nationality_fr"] if french and row["nationality_fr"] else row["nationality_en"]
        row["accreditation"] = accreditation_labels.get(row["accreditation_status"], row["accreditation_status"])
        row["expertise"] = ", ".join(expertise[row["pk"]])
        row["languages"] = ", ".join(languages[row["pk"]])
        row["availability"] = availability[row["pk"]]
    return rows


def accreditation_history_of(expert: Expert) -> QuerySet[AccreditationChange]:
    return expert.accreditation_history.select_related("by").order_by("-on", "-id")


def availability_of(expert: Expert) -> QuerySet[AvailabilityWindow]:
    return expert.availability_windows.order_by("start_date")


def experts_deployed(period_start: date, period_end: date, administration=None, region=None) -> QuerySet[Expert]:
    """Experts who confirmed an assignment to a workshop delivered in the period, or travelled on a mission ending
    in it; narrowed to the workshops that served an administration, or to experts of a region."""
    assigned = Q(
        assignments__status=AssignmentStatus.CONFIRMED,
        assignments__workshop__status__in=DELIVERED_WORKSHOP_STATUSES,
        assignments__workshop__end_date__gte=period_start,
        assignments__workshop__end_date__lte=period_end,
    )
    travelled = Q(missions__end_date__gte=period_start, missions__end_date__lte=period_end)
    if administration is not None:
        assigned &= Q(assignments__workshop__beneficiary_links__administration=administration)
        travelled &= Q(missions__workshop__beneficiary_links__administration=administration)
    experts = Expert.objects.filter(assigned | travelled)
    if region is not None:
        experts = experts.filter(administration__region=region)
    return experts


# --- Search ----------------------------------------------------------------------------------------------
def search_experts(visible, words: list[str], *, limit: int) -> list[SearchHit]:
    rows = ranked(visible.select_related("administration"), ["full_name", "email", "biography"], words)
    return [
        SearchHit(
            kind=gettext("Expert"),
            title=expert.full_name,
            detail=expert.administration.name if expert.administration else "",
            url=expert.get_absolute_url(),
        )
        for expert in rows[:limit]
    ]
