"""Calls, applications and the contact points' endorsement pages."""

from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from ..enums import ApplicationStatus, EndorsementQueueState, EndorsementStatus
from ..models import Application, Call, CurriculumModule


def open_calls(*, visible: QuerySet[Call], now=None, with_modules: bool = True) -> QuerySet[Call]:
    """The calls open now, closing first; with their curriculum modules unless the caller shows none."""
    calls = visible.open(now).select_related("programme").order_by("closes_at")
    if with_modules:
        calls = calls.prefetch_related(Prefetch("modules", queryset=CurriculumModule.objects.order_by("order", "pk")))
    return calls


def call_detail(call: Call) -> dict:
    return {"modules": list(call.modules.order_by("order", "pk"))}


def applications_of_applicant(user) -> QuerySet[Application]:
    """The applicant's own applications, newest first, with what the call pages show of them (not their texts)."""
    return (
        Application.objects.filter(applicant=user)
        .select_related("call__programme")
        .only(
            "pk",
            "status",
            "call__cohort_name",
            "call__cohort_name_fr",
            "call__programme__name_en",
            "call__programme__name_fr",
        )
        .order_by("-created_at")
    )


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


_ENDORSEMENT_STATE_FILTERS = {
    EndorsementQueueState.WAITING: Q(status=ApplicationStatus.SUBMITTED, endorsement_status=EndorsementStatus.PENDING),
    EndorsementQueueState.ENDORSED: Q(endorsement_status=EndorsementStatus.ENDORSED),
    EndorsementQueueState.DECLINED: Q(endorsement_status=EndorsementStatus.DECLINED),
    EndorsementQueueState.WITHDRAWN: Q(status=ApplicationStatus.WITHDRAWN),
    EndorsementQueueState.ALL: Q(),
}


# What the contact point's page shows of a call (its name, whether it is open, the quota): not its long texts.
ENDORSEMENT_CALL_FIELDS = (
    "pk", "programme__name_en", "programme__name_fr", "cohort_name", "cohort_name_fr", "opens_at", "closes_at",
    "is_published",
    "quota_per_administration", "endorsement_required",
)  # fmt: skip


def endorsement_calls(*, administration, visible: QuerySet[Call], now=None) -> list[Call]:
    """The calls a contact point chooses from: those with applications from their administration (drafts aside)
    and the open ones, most recent first, each with ``state_counts``: how many of that administration's
    applications are in each ``EndorsementQueueState``. Two small queries: the calls are a few per year."""
    counts: dict[int, dict[str, int]] = {}
    for call_id, status, endorsement_status, number in (
        Application.objects.filter(administration=administration)
        .exclude(status=ApplicationStatus.DRAFT)
        .values_list("call_id", "status", "endorsement_status")
        .annotate(number=Count("pk"))
        .order_by()
    ):
        call_counts = counts.setdefault(call_id, dict.fromkeys(EndorsementQueueState.values, 0))
        for state in _states_of(status, endorsement_status):
            call_counts[state] += number
    now = now or timezone.now()
    calls = [
        call
        for call in visible.select_related("programme").only(*ENDORSEMENT_CALL_FIELDS).order_by("-opens_at", "-pk")
        if call.pk in counts or call.is_open(now)
    ]
    for call in calls:
        call.state_counts = counts.get(call.pk) or dict.fromkeys(EndorsementQueueState.values, 0)
    return calls


def _states_of(status: str, endorsement_status: str) -> list[str]:
    """The ``EndorsementQueueState`` filters an application matches (as ``_ENDORSEMENT_STATE_FILTERS``)."""
    states = [EndorsementQueueState.ALL]
    if status == ApplicationStatus.SUBMITTED and endorsement_status == EndorsementStatus.PENDING:
        states.append(EndorsementQueueState.WAITING)
    if endorsement_status == EndorsementStatus.ENDORSED:
        states.append(EndorsementQueueState.ENDORSED)
    if endorsement_status == EndorsementStatus.DECLINED:
        states.append(EndorsementQueueState.DECLINED)
    if status == ApplicationStatus.WITHDRAWN:
        states.append(EndorsementQueueState.WITHDRAWN)
    return states


def default_endorsement_call(calls: list[Call]) -> Call | None:
    """Where the contact point's work is: the most recent call with applications waiting for a decision, else
    the most recent with any application, else the most recent open call (``calls`` as ``endorsement_calls``)."""
    return (
        next((call for call in calls if call.state_counts[EndorsementQueueState.WAITING]), None)
        or next((call for call in calls if call.state_counts[EndorsementQueueState.ALL]), None)
        or (calls[0] if calls else None)
    )


def staff_list_rows(applications: QuerySet[Application]) -> QuerySet[dict]:
    """``application_list`` as the rows of the staff page: plain values, only the columns a row shows; the call is
    not joined (the page names it from the few calls its filter lists already)."""
    return applications.values(
        "pk", "call_id", "full_name", "status", "eligibility_result", "endorsement_status", "submitted_at",
        "administration__name_en", "administration__name_fr", "administration__region__code", "applicant__email",
        "endorsement__rank",
    )  # fmt: skip


def endorsement_queue(
    *, administration, call: Call, state: str = EndorsementQueueState.WAITING, search: str = ""
) -> QuerySet[Application]:
    """The contact point's work queue for one call: the applications from their administration (never a draft)
    in the given state, found by name or reference; those waiting for a decision first, then the ranked ones."""
    queryset = (
        Application.objects.filter(administration=administration, call=call)
        .exclude(status=ApplicationStatus.DRAFT)
        .filter(_ENDORSEMENT_STATE_FILTERS[state])
        .select_related("endorsement")
        .only(
            "pk", "call_id", "administration_id", "full_name", "position", "status", "endorsement_status",
            "submitted_at", "endorsement__rank", "endorsement__comment",
        )
    )  # fmt: skip
    if search:
        by_name = Q(full_name__icontains=search)
        is_reference = search.isascii() and search.isdigit() and len(search) < 10
        queryset = queryset.filter(by_name | Q(pk=int(search)) if is_reference else by_name)
    waiting_first = Case(
        When(_ENDORSEMENT_STATE_FILTERS[EndorsementQueueState.WAITING], then=Value(0)), default=Value(1)
    )
    return queryset.order_by(waiting_first, F("endorsement__rank").asc(nulls_last=True), "full_name", "pk")


def endorsed_candidates(*, administration, call: Call) -> QuerySet[Application]:
    """The administration's ranked (endorsed) candidates for a call, best first: the ranking form's short list
    (at most the call's quota)."""
    return (
        Application.objects.filter(administration=administration, call=call, endorsement__rank__isnull=False)
        .select_related("endorsement")
        .only("pk", "full_name", "endorsement__rank")
        .order_by("endorsement__rank", "pk")
    )


def eligibility_history(application: Application):
    return application.eligibility_checks.select_related("decided_by").order_by("-created_at", "-pk")
