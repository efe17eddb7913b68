"""Reads of the scholarships app, with the joins each page needs. Callers pass what access allows."""

from django.db.models import F, Prefetch, Q, QuerySet

from .enums import ApplicationStatus
from .models import Application, Call, CurriculumModule


def open_calls(*, visible: QuerySet[Call], now=None) -> QuerySet[Call]:
    return (
        visible.open(now)
        .select_related("programme")
        .prefetch_related(Prefetch("modules", queryset=CurriculumModule.objects.order_by("order", "pk")))
        .order_by("closes_at")
    )


def call_detail(call: Call) -> dict:
    return {"modules": list(call.modules.order_by("order", "pk"))}


def applications_of_applicant(user) -> QuerySet[Application]:
    return Application.objects.filter(applicant=user).select_related("call__programme").order_by("-created_at")


def application_list(
    *,
    visible: QuerySet[Application],
    search: str = "",
    call: int | None = None,
    status: str = "",
    eligibility: str = "",
    endorsement: str = "",
    region: str = "",
) -> QuerySet[Application]:
    """The staff list and its CSV export."""
    queryset = visible.select_related("call__programme", "administration__region", "applicant", "endorsement")
    if search:
        queryset = queryset.filter(
            Q(full_name__icontains=search)
            | Q(applicant__email__icontains=search)
            | Q(position__icontains=search)
            | Q(administration__name_en__icontains=search)
            | Q(administration__code__iexact=search)
        )
    if call:
        queryset = queryset.filter(call_id=call)
    if status:
        queryset = queryset.filter(status=status)
    if eligibility:
        queryset = queryset.filter(eligibility_result=eligibility)
    if endorsement:
        queryset = queryset.filter(endorsement_status=endorsement)
    if region:
        queryset = queryset.filter(administration__region__code=region)
    return queryset.order_by("-submitted_at", "-created_at", "-pk")


def endorsement_queue(*, administration, call: int | None = None) -> QuerySet[Application]:
    """The contact point's list: submitted and withdrawn applications from their administration, ranked first."""
    queryset = (
        Application.objects.filter(administration=administration)
        .exclude(status=ApplicationStatus.DRAFT)
        .select_related("call__programme", "endorsement", "applicant")
    )
    if call:
        queryset = queryset.filter(call_id=call)
    return queryset.order_by("call__closes_at", F("endorsement__rank").asc(nulls_last=True), "full_name", "pk")


def eligibility_history(application: Application):
    return application.eligibility_checks.select_related("decided_by").order_by("-created_at", "-pk")
