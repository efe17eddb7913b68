"""Reads of the results framework's set-up pages: the indicators with their objective and how many targets and
entered values each has (a fixed number of queries whatever the rows), and one indicator with its history."""

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import Indicator, IndicatorTarget, IndicatorValue, Objective


def objectives() -> QuerySet[Objective]:
    return Objective.objects.annotate(indicator_count=Count("indicators")).order_by("order", "code")


def indicator_list(*, search: str = "", objective=None, source: str = "", active: str = "") -> QuerySet[Indicator]:
    indicators = Indicator.objects.select_related("objective").annotate(
        target_count=Count("targets", distinct=True), value_count=Count("values", distinct=True)
    )
    if search:
        indicators = indicators.filter(
            Q(code__icontains=search) | Q(title_en__icontains=search) | Q(title_fr__icontains=search)
        )
    if objective is not None:
        indicators = indicators.filter(objective=objective)
    if source:
        indicators = indicators.filter(source=source)
    if active:
        indicators = indicators.filter(is_active=active == "yes")
    return indicators.order_by("objective__order", "objective__code", "order", "code")


def indicator_or_none(pk) -> Indicator | None:
    return Indicator.objects.select_related("objective").filter(pk=pk).first()


def indicator_history(indicator: Indicator) -> Indicator:
    """The indicator with its targets and its entered values (newest period first), each value's place and author."""
    return (
        Indicator.objects.select_related("objective")
        .prefetch_related(
            Prefetch("targets", queryset=IndicatorTarget.objects.order_by("-period_start", "-period_end")),
            Prefetch(
                "values",
                queryset=IndicatorValue.objects.select_related("region", "administration", "entered_by").order_by(
                    "-period_start", "-period_end", "-pk"
                ),
            ),
        )
        .get(pk=indicator.pk)
    )


def objective_or_none(pk) -> Objective | None:
    return Objective.objects.filter(pk=pk).first()


def target_or_none(pk) -> IndicatorTarget | None:
    return IndicatorTarget.objects.select_related("indicator").filter(pk=pk).first()


def value_or_none(pk) -> IndicatorValue | None:
    return IndicatorValue.objects.select_related("indicator").filter(pk=pk).first()
