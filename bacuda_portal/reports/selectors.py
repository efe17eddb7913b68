"""Reads of the reports app: the dashboard's figures and the data of each PDF report.

Everything here is ordered deterministically and computed from the database only (no "now" in a figure), so a
report generated twice from the same data gives the same figures. Query counts do not grow with the rows.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from algorithms import selectors as algorithm_selectors
from bacuda_portal.members import selectors as member_selectors
from scholarships import selectors as scholarship_selectors
from scholarships.enums import ApplicationStatus, DecisionOutcome, EligibilityResult, EndorsementStatus
from workshops import selectors as workshop_selectors
from workshops.elearning import selectors as elearning_selectors
from workshops.enums import WorkshopKind
from workshops.evaluations import selectors as evaluation_selectors

from . import caching, charts, evaluation_figures, indicators
from .enums import IndicatorSource, ReportKind, ReportStatus
from .models import BudgetLine, Indicator, IndicatorTarget, IndicatorValue, Report, ReportNarrative
from .periods import Period

VARIANCE_THRESHOLD = Decimal("10")  # percent: a budget line beyond it is flagged and must be explained
TREND_YEARS = 10


@dataclass
class IndicatorRow:
    indicator: Indicator
    result: indicators.IndicatorResult
    target: Decimal | None

    @property
    def progress(self) -> Decimal | None:
        if self.target in (None, 0) or self.result.value is None:
            return None
        return (Decimal(self.result.value) * 100 / self.target).quantize(Decimal("1"), rounding=ROUND_HALF_UP)

    @property
    def computable(self) -> bool:
        return self.result.value is not None


def region_names() -> dict[str, str]:
    return {region.code: region.name for region in member_selectors.region_list()}


def _manual_results(period_start, period_end, administration, region) -> dict[int, indicators.IndicatorResult]:
    """Entered values summed over the period (values whose period lies inside it), one grouped query."""
    values = IndicatorValue.objects.filter(
        indicator__source=IndicatorSource.MANUAL, period_start__gte=period_start, period_end__lte=period_end
    )
    if administration is not None:
        values = values.filter(administration=administration)
    if region is not None:
        values = values.filter(Q(region=region) | Q(administration__region=region))
    rows = values.order_by().values("indicator").annotate(total=Sum("value"), women=Sum("women"), men=Sum("men"))
    results = {}
    for row in rows:
        by_sex = None
        if row["women"] is not None or row["men"] is not None:
            by_sex = {"female": row["women"] or 0, "male": row["men"] or 0}
        results[row["indicator"]] = indicators.IndicatorResult(value=row["total"], by_sex=by_sex)
    return results


def _pk(obj) -> int | None:
    return obj.pk if obj is not None else None


def _share() -> float:
    return settings.BACUDA_CERTIFICATE_ATTENDANCE_SHARE


def indicator_rows(
    period_start: dt.date,
    period_end: dt.date,
    administration=None,
    region=None,
    *,
    active: list[Indicator] | None = None,
    computed: dict[str, indicators.IndicatorResult] | None = None,
) -> list[IndicatorRow]:
    """Every active indicator with its value for the period, and its target when the view is not narrowed.

    ``computed``: the computed indicators' results when the caller has them (the dashboard reads them from its
    cache, ``caching``); otherwise they are computed afresh (a PDF report always is)."""
    active = _active_indicators() if active is None else active
    targets = {}
    if administration is None and region is None:
        targets = dict(
            IndicatorTarget.objects.filter(period_start=period_start, period_end=period_end).values_list(
                "indicator_id", "value"
            )
        )
    manual = _manual_results(period_start, period_end, administration, region)
    if computed is None:
        computed = _computed_results(_computed_keys(active), period_start, period_end, administration, region)
    rows = []
    for indicator in active:
        if indicator.source == IndicatorSource.COMPUTED:
            result = computed.get(indicator.computed_key) or indicators.IndicatorResult(
                value=None, note=_("Unknown computation.")
            )
        else:
            result = manual.get(
                indicator.pk, indicators.IndicatorResult(value=None, note=_("No value entered for this period."))
            )
        rows.append(IndicatorRow(indicator=indicator, result=result, target=targets.get(indicator.pk)))
    return rows


def _active_indicators() -> list[Indicator]:
    return list(Indicator.objects.filter(is_active=True).select_related("objective"))


def _computed_keys(active: list[Indicator]) -> list[str]:
    """The registered computations the active indicators name, each once, in order."""
    keys = (i.computed_key for i in active if i.source == IndicatorSource.COMPUTED)
    return list(dict.fromkeys(key for key in keys if key in indicators.REGISTRY))


def _computed_results(keys, period_start, period_end, administration, region) -> dict[str, indicators.IndicatorResult]:
    return {key: indicators.compute(key, period_start, period_end, administration, region) for key in keys}


def sex_label(code: str) -> str:
    labels = {
        "female": _("Women"),
        "male": _("Men"),
        "other": _("Other"),
        "undisclosed": _("Not said"),
        "unknown": _("Unknown"),
    }
    return labels.get(code, code)


def sex_bars(by_sex: dict | None) -> list[charts.Bar]:
    order = ["female", "male", "other", "undisclosed", "unknown"]
    by_sex = by_sex or {}
    keys = [key for key in order if key in by_sex] + sorted(key for key in by_sex if key not in order)
    return [
        charts.Bar(sex_label(key), by_sex[key], "chart-bar-alt" if key == "female" else "chart-bar") for key in keys
    ]


def region_bars(by_region: dict | None, names: dict[str, str]) -> list[charts.Bar]:
    by_region = by_region or {}
    return [charts.Bar(names.get(code, code or _("Unknown")), by_region.get(code, 0)) for code in names] + [
        charts.Bar(code or _("Unknown"), value) for code, value in sorted(by_region.items()) if code not in names
    ]


def dashboard(*, period: Period, administration=None, region=None) -> dict:
    """The KPI dashboard: indicator rows, and the charts (trend, by region, by sex, workshops by kind).

    The whole of it is one cache entry (``caching``: it changes with any of the data it shows, the results
    framework included), so that a dashboard answered from the cache reads neither the database nor the cache twice.
    """
    parts = ("dashboard", period.start, period.end, _pk(administration), _pk(region), _share())
    return caching.cached(parts, lambda: _dashboard(period, administration, region))


def _dashboard(period: Period, administration, region) -> dict:
    active = _active_indicators()
    keys = list(dict.fromkeys([*_computed_keys(active), "officials_trained", "workshops_delivered"]))
    computed = _computed_results(keys, period.start, period.end, administration, region)
    rows = indicator_rows(period.start, period.end, administration, region, active=active, computed=computed)
    names = region_names()
    trained, workshops = computed["officials_trained"], computed["workshops_delivered"]
    filters = (period.year - TREND_YEARS + 1, period.year, administration, region)
    trained_by_year = indicators.officials_trained_by_year(*filters)
    workshops_by_year = indicators.workshops_delivered_by_year(*filters)
    kinds = dict(WorkshopKind.choices)
    return {
        "rows": rows,
        "trained": trained,
        "workshops": workshops,
        "trend": {"trained": trained_by_year, "workshops": workshops_by_year},
        "charts": {
            "trend": charts.columns(
                _("Officials trained and workshops delivered per year"),
                [
                    (_("Officials trained"), [charts.Bar(str(y), v) for y, v in trained_by_year.items()]),
                    (
                        _("Workshops delivered"),
                        [charts.Bar(str(y), v, "chart-bar-alt") for y, v in workshops_by_year.items()],
                    ),
                ],
            ),
            "by_region": charts.horizontal_bars(
                _("Officials trained by region"), region_bars(trained.by_region, names)
            ),
            "by_sex": charts.horizontal_bars(_("Officials trained by sex"), sex_bars(trained.by_sex)),
            "by_kind": charts.horizontal_bars(
                _("Workshops delivered by kind"),
                [charts.Bar(str(kinds.get(k, k)), v) for k, v in (workshops.breakdown or {}).items()],
            ),
        },
        "region_names": names,
    }


def dashboard_csv_rows(rows: list[IndicatorRow], names: dict[str, str]):
    for row in rows:
        result = row.result
        by_region = "; ".join(f"{names.get(code, code)}: {value}" for code, value in (result.by_region or {}).items())
        by_sex = "; ".join(f"{sex_label(code)}: {value}" for code, value in (result.by_sex or {}).items())
        yield [
            row.indicator.objective.code,
            row.indicator.code,
            row.indicator.title,
            row.indicator.unit_label,
            row.indicator.baseline,
            row.target if row.target is not None else "",
            result.value if result.value is not None else "",
            row.progress if row.progress is not None else "",
            by_sex,
            by_region,
            result.note,
        ]


# --- The project progress report -------------------------------------------------------------------------------


def narrative_for(period_start, period_end, language: str) -> ReportNarrative | None:
    narratives = {
        n.language: n
        for n in ReportNarrative.objects.filter(period_start=period_start, period_end=period_end).order_by("language")
    }
    return narratives.get(language) or narratives.get("en") or next(iter(narratives.values()), None)


@dataclass
class BudgetRow:
    code: str
    title: str
    currency: str
    planned: Decimal
    actual: Decimal
    explanation: str

    @property
    def variance(self) -> Decimal:
        return self.actual - self.planned

    @property
    def variance_percent(self) -> Decimal | None:
        if not self.planned:
            return None
        return (self.variance * 100 / self.planned).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def flagged(self) -> bool:
        percent = self.variance_percent
        return (percent is None and self.actual > 0) or (percent is not None and abs(percent) > VARIANCE_THRESHOLD)


def budget_rows(period_start, period_end) -> list[BudgetRow]:
    """Budget lines whose period lies inside the report's, summed per line (e.g. four quarters of a year)."""
    lines = BudgetLine.objects.filter(period_start__gte=period_start, period_end__lte=period_end).order_by(
        "code", "currency", "period_start", "pk"
    )
    rows: dict[tuple[str, str], BudgetRow] = {}
    for line in lines:  # a few dozen lines per period
        row = rows.get((line.code, line.currency))
        if row is None:
            row = rows[(line.code, line.currency)] = BudgetRow(
                line.code, line.title, line.currency, Decimal(0), Decimal(0), ""
            )
        row.planned += line.planned
        row.actual += line.actual
        if line.variance_explanation:
            row.explanation = (row.explanation + " " + line.variance_explanation).strip()
    return list(rows.values())


def budget_totals(rows: list[BudgetRow]) -> list[BudgetRow]:
    totals: dict[str, BudgetRow] = {}
    for row in rows:
        total = totals.setdefault(row.currency, BudgetRow("", _("Total"), row.currency, Decimal(0), Decimal(0), ""))
        total.planned += row.planned
        total.actual += row.actual
    return [totals[currency] for currency in sorted(totals)]


def progress_report(period_start: dt.date, period_end: dt.date, language: str) -> dict:
    rows = indicator_rows(period_start, period_end)
    names = region_names()
    trained = indicators.compute("officials_trained", period_start, period_end)
    women = indicators.compute("share_of_women_trained", period_start, period_end)
    jobs = indicators.compute("model_jobs_run", period_start, period_end)
    versions = indicators.compute("algorithm_versions_deployed", period_start, period_end)
    objectives: list[dict] = []
    for row in rows:
        if not objectives or objectives[-1]["objective"].pk != row.indicator.objective_id:
            objectives.append({"objective": row.indicator.objective, "rows": []})
        objectives[-1]["rows"].append(row)
    budget = budget_rows(period_start, period_end)
    workshops = workshop_selectors.delivered_workshops_with_participants(period_start, period_end)
    kinds = dict(WorkshopKind.choices)
    by_kind: dict[str, int] = {}
    for workshop in workshops:
        by_kind[workshop.kind] = by_kind.get(workshop.kind, 0) + 1
    return {
        "objectives": objectives,
        "narrative": narrative_for(period_start, period_end, language),
        "workshops": workshops,
        "workshops_by_kind": [(str(kinds.get(k, k)), n) for k, n in sorted(by_kind.items())],
        "participants_total": sum(w.participants for w in workshops),
        "trained": trained,
        "women": women,
        "trained_by_region": [
            (names.get(code, code), value) for code, value in (trained.by_region or {}).items() if value
        ],
        "trained_by_sex": [(sex_label(code), value) for code, value in (trained.by_sex or {}).items()],
        "chart_region": charts.horizontal_bars(_("Officials trained by region"), region_bars(trained.by_region, names)),
        "chart_sex": charts.horizontal_bars(_("Officials trained by sex"), sex_bars(trained.by_sex)),
        "scholarship_calls": scholarship_selectors.calls_open_during(period_start, period_end),
        "scholars_selected": indicators.compute("scholars_selected", period_start, period_end),
        "scholars_graduated": indicators.compute("scholars_graduated", period_start, period_end),
        "jobs": jobs,
        "versions": versions,
        "jobs_by_administration": sorted((jobs.breakdown or {}).items()),
        "elearning": {
            "by_stage": elearning_selectors.course_count_by_stage(),
            "published": list(elearning_selectors.courses_published_between(period_start, period_end)),
        },
        "evaluation": evaluation_figures.period_evaluation(
            period_start, period_end, workshops, sex_label=sex_label, region_names=names
        ),
        "planned_workshops": workshop_selectors.upcoming_workshops(period_end),
        "budget": budget,
        "budget_totals": budget_totals(budget),
        "variance_threshold": VARIANCE_THRESHOLD,
    }


# --- The workshop report ---------------------------------------------------------------------------------------


def workshop_report(workshop_id: int) -> dict:
    record = workshop_selectors.workshop_record(workshop_id)
    by_sex: dict[str, int] = {}
    by_administration: dict[str, int] = {}
    for row in record.participants:
        nomination = row.nomination
        by_sex[nomination.gender or "unknown"] = by_sex.get(nomination.gender or "unknown", 0) + 1
        name = nomination.administration.name
        by_administration[name] = by_administration.get(name, 0) + 1
    per_session = record.present_per_session()
    return {
        "workshop": record.workshop,
        "beneficiaries": record.beneficiaries,
        "sessions": record.sessions,
        "participants": record.participants,
        "session_count": len(record.sessions),
        "eligible_count": record.eligible_count,
        "experts": record.experts,
        "by_sex": sorted(by_sex.items()),
        "chart_sex": charts.horizontal_bars(_("Participants by sex"), sex_bars(by_sex)),
        "chart_administration": charts.horizontal_bars(
            _("Participants by administration"), [charts.Bar(k, v) for k, v in sorted(by_administration.items())]
        ),
        "chart_attendance": charts.horizontal_bars(
            _("Participants present per session"),
            [charts.Bar(f"{s.date:%d/%m} {s.topic}"[:30], per_session.get(s.pk, 0)) for s in record.sessions],
        ),
        "evaluation": evaluation_selectors.workshop_evaluation(record.workshop),
    }


# --- The scholarship selection report --------------------------------------------------------------------------


DECISION_ORDER = (DecisionOutcome.SELECTED, DecisionOutcome.RESERVE, DecisionOutcome.NOT_SELECTED, "")


def _labelled(counts: dict[str, int], choices) -> list[tuple[str, int]]:
    labels = dict(choices)
    return [(labels.get(key, key), value) for key, value in sorted(counts.items())]


def selection_report(call_id: int) -> dict:
    """The call, its applications by stage, the ranking as the ranking page orders it (every submitted
    application, eligible or not) with the decisions, and the balance by sex and region (the scholarships app's
    ``selection_record``)."""
    record = scholarship_selectors.selection_record(call_id)
    decisions = record.decision_counts()
    decision_labels = {**dict(DecisionOutcome.choices), "": _("No decision yet")}
    names = region_names()
    balance = record.balance
    return {
        "call": record.call,
        "total": sum(record.by_status.values()),
        "by_status": _labelled(record.by_status, ApplicationStatus.choices),
        "by_endorsement": _labelled(record.by_endorsement, EndorsementStatus.choices),
        "by_eligibility": _labelled(record.by_eligibility, EligibilityResult.choices),
        "ranking": record.ranking,
        "decisions": [(decision_labels[key], decisions[key]) for key in DECISION_ORDER if decisions.get(key)],
        "selected_count": decisions.get(DecisionOutcome.SELECTED, 0),
        "balance_sex": [(sex_label(line["key"] or "unknown"), line) for line in balance["genders"]],
        "balance_region": [(names.get(line["key"], line["key"] or _("Unknown")), line) for line in balance["regions"]],
        "chart_sex": charts.horizontal_bars(
            _("Applications by sex"),
            sex_bars({line["key"] or "unknown": line["submitted"] for line in balance["genders"]}),
        ),
    }


# --- The model card (the algorithms app's template and selector) ------------------------------------------------


def model_card_report(algorithm_id: int) -> dict:
    algorithm = algorithm_selectors.algorithm_with_card(algorithm_id)
    versions = list(algorithm_selectors.published_versions(algorithm))
    return {
        "algorithm": algorithm,
        "card": getattr(algorithm, "card", None),
        "versions": versions,
        "image_report": algorithm_selectors.newest_image_report(versions),
        "version_report": algorithm_selectors.newest_version_report(versions),
        "document_title": f"{_('Model card')} – {algorithm.name}",
    }


def reportable_workshops(search: str = "") -> QuerySet:
    """Workshops a workshop report may be requested for: delivered or closed, ended in the last two years (older
    ones through the API); newest first, those whose title, host city or mission reference contain ``search``."""
    since = timezone.localdate() - dt.timedelta(days=730)
    return workshop_selectors.reportable_workshops(since=since, search=search)


def report_subject(report: Report):
    """The object a report is about, for its page (the algorithm of a model card), or None."""
    if report.kind == ReportKind.MODEL_CARD:
        return algorithm_selectors.algorithm_or_none(report.parameters.get("algorithm"))
    return None


def model_card_reports(algorithm) -> QuerySet[Report]:
    """The archived PDF renderings of one algorithm's model card, newest first."""
    return Report.objects.filter(kind=ReportKind.MODEL_CARD, parameters__algorithm=algorithm.pk).order_by(
        "-created_at", "-pk"
    )


def current_model_card_pdfs(algorithm) -> dict[str, Report]:
    """By language, the newest ready PDF of the card as it is now (same revision); none for an edited card."""
    ready = (
        model_card_reports(algorithm)
        .filter(status=ReportStatus.READY, parameters__revision=algorithm_selectors.card_revision(algorithm))
        .exclude(file="")
    )
    found: dict[str, Report] = {}
    for report in ready:
        found.setdefault(report.language, report)
    return found


# --- The inbox ------------------------------------------------------------------------------------------------
INBOX_ROWS = 8


def inbox_items(user) -> list:
    """PDF reports that failed (staff, who retry them), as ``core.inbox.InboxItem``s, one query."""
    from django.urls import reverse
    from django.utils.formats import date_format
    from django.utils.translation import gettext_lazy

    from bacuda_portal.core.inbox import InboxItem, Urgency

    from . import access

    if not access.can_manage_reports(user):
        return []
    kinds = dict(ReportKind.choices)

    def short(day):
        return date_format(day, "SHORT_DATE_FORMAT")

    failed = access.reports_visible_to(user).filter(status=ReportStatus.FAILED)
    return [
        InboxItem(
            title=gettext_lazy("A report that failed"),
            detail=f"{kinds.get(row['kind'], row['kind'])} · {short(row['period_start'])} – {short(row['period_end'])}",
            url=reverse("reports:report_detail", kwargs={"pk": row["pk"]}),
            category=gettext_lazy("Reports"),
            date=row["finished_at"] or row["updated_at"],
            urgency=Urgency.NORMAL,
        )
        for row in failed.values("pk", "kind", "period_start", "period_end", "finished_at", "updated_at").order_by(
            "-updated_at", "-pk"
        )[:INBOX_ROWS]
    ]
