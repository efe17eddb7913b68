"""What the reports and the public website read of scholarships (their read contract)."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from ..enums import (
    ApplicationStatus,
    DecisionOutcome,
    DecisionStatus,
    EligibilityResult,
    ProgrammeResult,
)
from ..models import Application, Call
from .ranking import balance, ranking_candidates, ranking_order, ranking_rows

# --- What the reports and the public website read of scholarships (their read contract) --------------------------


def calls_open_now() -> QuerySet[Call]:
    """Published calls taking applications now, closing soonest first (the public pages)."""
    return Call.objects.open().select_related("programme").order_by("closes_at")


def call_or_none(call_id) -> Call | None:
    return Call.objects.filter(pk=call_id).first() if call_id else None


def call_choices() -> QuerySet[Call]:
    """Calls for a choice field, the latest to close first."""
    return Call.objects.select_related("programme").order_by("-closes_at")


def calls_open_during(period_start, period_end) -> list[Call]:
    """The calls open during a period, with their applications by status and their decisions (counts)."""
    applications = {
        "submitted": Q(applications__status=ApplicationStatus.SUBMITTED),
        "drafts": Q(applications__status=ApplicationStatus.DRAFT),
        "withdrawn": Q(applications__status=ApplicationStatus.WITHDRAWN),
        "eligible": Q(applications__eligibility_result=EligibilityResult.ELIGIBLE),
        "selected": Q(applications__decision__outcome=DecisionOutcome.SELECTED),
        "reserve": Q(applications__decision__outcome=DecisionOutcome.RESERVE),
    }
    calls = Call.objects.filter(opens_at__date__lte=period_end, closes_at__date__gte=period_start)
    return list(
        calls.select_related("programme")
        .annotate(**{name: Count("applications", filter=where, distinct=True) for name, where in applications.items()})
        .order_by("opens_at", "pk")
    )


def _for_place(applications: QuerySet[Application], administration=None, region=None) -> QuerySet[Application]:
    if administration is not None:
        applications = applications.filter(administration=administration)
    if region is not None:
        applications = applications.filter(administration__region=region)
    return applications


# What "selected" and "graduated" mean, in one place: a candidate is selected in the period their selection
# (``Decision``, outcome selected) was released in, and graduated in the period of the graduation date of their
# programme outcome (result graduated; one who did not complete never counts).


def selected_applications(period_start, period_end, administration=None, region=None) -> QuerySet[Application]:
    """Applications whose selection was released in the period."""
    applications = Application.objects.filter(
        decision__outcome=DecisionOutcome.SELECTED,
        decision__status=DecisionStatus.RELEASED,
        decision__released_at__date__gte=period_start,
        decision__released_at__date__lte=period_end,
    )
    return _for_place(applications, administration, region)


def graduated_applications(period_start, period_end, administration=None, region=None) -> QuerySet[Application]:
    """Scholars whose programme outcome is "graduated" with a graduation date in the period."""
    applications = Application.objects.filter(
        programme_outcome__result=ProgrammeResult.GRADUATED,
        programme_outcome__ended_on__gte=period_start,
        programme_outcome__ended_on__lte=period_end,
    )
    return _for_place(applications, administration, region)


@dataclass
class SelectionRecord:
    """What the selection report shows of a call: its applications by stage, the ranking with the decisions (as
    the ranking page orders it, eligible or not) and the balance by region and gender."""

    call: Call
    by_status: dict[str, int]
    by_endorsement: dict[str, int]
    by_eligibility: dict[str, int]
    ranking: list[Application]
    balance: dict

    def decision_counts(self) -> dict[str, int]:
        """Submitted applications by decision outcome; ``""`` for those without a decision yet."""
        counts = Counter(getattr(row.current_decision, "outcome", "") for row in self.ranking)
        return dict(counts)


def _counts_by(applications: QuerySet[Application], field: str) -> dict[str, int]:
    return dict(applications.order_by().values(field).annotate(n=Count("pk")).values_list(field, "n"))


def selection_record(call_id: int) -> SelectionRecord:
    call = Call.objects.select_related("programme").get(pk=call_id)
    applications = Application.objects.filter(call=call)
    submitted = applications.filter(status=ApplicationStatus.SUBMITTED)
    order = ranking_order(ranking_candidates(call=call, eligible_only=False), call=call)
    return SelectionRecord(
        call=call,
        by_status=_counts_by(applications, "status"),
        by_endorsement=_counts_by(submitted, "endorsement_status"),
        by_eligibility=_counts_by(submitted, "eligibility_result"),
        ranking=ranking_rows(list(order)),
        balance=balance(call=call),
    )
