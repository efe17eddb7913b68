"""The computed indicators of the results framework: each is calculated from the portal's own data, never typed.

Every computation is a function ``(period_start, period_end, administration=None, region=None)`` returning an
``IndicatorResult``; ``REGISTRY`` maps the key an ``Indicator`` names (``computed_key``) to it. Each runs a few
aggregate queries whatever the number of rows. The period is inclusive at both ends; an activity belongs to the
period its end date falls in (a workshop ending on the last day of the period counts; one ending the day after
does not).

Sex: the participant's sex lives on the nomination (``Nomination.gender``) and on the scholarship application
(``Application.gender``); "other or prefers not to say" counts as unknown in shares of women.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from algorithms import selectors as algorithm_selectors
from scholarships import selectors as scholarship_selectors
from workshops import selectors as workshop_selectors
from workshops.elearning import selectors as elearning_selectors
from workshops.evaluations import selectors as evaluation_selectors
from workshops.experts import selectors as expert_selectors

UNKNOWN_SEX = "unknown"


@dataclass
class IndicatorResult:
    """An indicator's value for a period; ``value`` is None when it cannot be given for the filter asked (e.g. a
    project-wide figure for one administration; see ``note``)."""

    value: Decimal | int | None
    by_sex: dict[str, int] | None = None
    by_region: dict[str, int] | None = None
    breakdown: dict[str, int] | None = None  # another disaggregation (e.g. workshops by kind)
    note: str = ""


@dataclass(frozen=True)
class ComputedIndicator:
    key: str
    title: str
    unit: str
    function: Callable[..., IndicatorResult]
    description: str = ""
    # Whether the figure can be narrowed to one administration (a contact point's dashboard).
    per_administration: bool = True
    breakdown_label: str = field(default="")


REGISTRY: dict[str, ComputedIndicator] = {}


def register(key: str, *, title, unit, description="", per_administration=True, breakdown_label=""):
    def decorator(function):
        REGISTRY[key] = ComputedIndicator(
            key=key,
            title=title,
            unit=unit,
            function=function,
            description=description,
            per_administration=per_administration,
            breakdown_label=breakdown_label,
        )
        return function

    return decorator


def compute(key: str, period_start: dt.date, period_end: dt.date, administration=None, region=None) -> IndicatorResult:
    indicator = REGISTRY[key]
    if administration is not None and not indicator.per_administration:
        return IndicatorResult(value=None, note=str(_("Not broken down by administration.")))
    return indicator.function(period_start, period_end, administration=administration, region=region)


def _grouped(queryset: QuerySet, key: str, count) -> dict[str, int]:
    rows = queryset.order_by().values(key).annotate(n=count).values_list(key, "n")
    return {(name or UNKNOWN_SEX if key.endswith("gender") else name or ""): n for name, n in sorted(rows, key=_key)}


def _key(row):
    return (row[0] is None, row[0] or "")


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _for_place(queryset: QuerySet, administration=None, region=None) -> QuerySet:
    """Narrow rows that name an ``administration`` to one administration and/or one region."""
    if administration is not None:
        queryset = queryset.filter(administration=administration)
    if region is not None:
        queryset = queryset.filter(administration__region=region)
    return queryset


def _counted(queryset: QuerySet, *, by_sex: str = "", breakdown: str = "") -> IndicatorResult:
    """Distinct rows in total, by the region of their administration, and optionally by sex and by another key;
    rows without an administration (WCO releases) count in the total only."""
    distinct = Count("pk", distinct=True)
    placed = queryset.filter(administration__isnull=False)
    return IndicatorResult(
        value=queryset.aggregate(n=distinct)["n"],
        by_sex=_grouped(queryset, by_sex, distinct) if by_sex else None,
        by_region=_grouped(placed, "administration__region__code", distinct),
        breakdown=_grouped(placed, breakdown, distinct) if breakdown else None,
    )


# --- Officials trained -----------------------------------------------------------------------------------------


def trained_nominations(
    period_start: dt.date | None, period_end: dt.date | None, administration=None, region=None
) -> QuerySet:
    """The workshops app's one definition of a trained participant (``workshops.selectors.trained_participants``)."""
    return workshop_selectors.trained_participants(
        period_start=period_start, period_end=period_end, administration=administration, region=region
    )


PERSON = workshop_selectors.TRAINED_PERSON


@register(
    "officials_trained",
    title=_("Officials trained"),
    unit=_("officials"),
    description=_(
        "Distinct officials (by email address) accepted to a delivered workshop ending in the period who attended "
        "at least the certificate share of its sessions."
    ),
)
def officials_trained(period_start, period_end, administration=None, region=None) -> IndicatorResult:
    trained = trained_nominations(period_start, period_end, administration, region)
    persons = Count(PERSON, distinct=True)
    return IndicatorResult(
        value=trained.aggregate(n=persons)["n"],
        by_sex=_grouped(trained, "gender", persons),
        by_region=_grouped(trained, "administration__region__code", persons),
    )


@register(
    "share_of_women_trained",
    title=_("Share of women among the officials trained"),
    unit="%",
    description=_(
        "Women among the officials trained whose sex is known (female or male); "
        "'other or prefers not to say' is left out of the share."
    ),
)
def share_of_women_trained(period_start, period_end, administration=None, region=None) -> IndicatorResult:
    trained = trained_nominations(period_start, period_end, administration, region)
    persons = Count(PERSON, distinct=True)
    rows = trained.order_by().values("administration__region__code", "gender").annotate(n=persons)
    by_sex = _grouped(trained, "gender", persons)
    women_by_region: dict[str, int] = {}
    known_by_region: dict[str, int] = {}
    for row in rows:
        code = row["administration__region__code"] or ""
        if row["gender"] in ("female", "male"):
            known_by_region[code] = known_by_region.get(code, 0) + row["n"]
        if row["gender"] == "female":
            women_by_region[code] = women_by_region.get(code, 0) + row["n"]
    women, men = by_sex.get("female", 0), by_sex.get("male", 0)
    return IndicatorResult(
        value=_percent(women, women + men),
        by_sex=by_sex,
        by_region={
            code: _percent(women_by_region.get(code, 0), known) for code, known in sorted(known_by_region.items())
        },
    )


def officials_trained_by_year(first_year: int, last_year: int, administration=None, region=None) -> dict[int, int]:
    """Officials trained per calendar year (distinct within each year): one grouped query for the trend."""
    trained = trained_nominations(dt.date(first_year, 1, 1), dt.date(last_year, 12, 31), administration, region)
    rows = (
        trained.order_by()
        .annotate(year=ExtractYear("workshop__end_date"))
        .values("year")
        .annotate(n=Count(PERSON, distinct=True))
        .values_list("year", "n")
    )
    found = dict(rows)
    return {year: found.get(year, 0) for year in range(first_year, last_year + 1)}


# --- Workshops and administrations ------------------------------------------------------------------------------


delivered_workshops = workshop_selectors.delivered_workshops


@register(
    "administrations_reached",
    title=_("Administrations reached"),
    unit=_("administrations"),
    description=_("Distinct beneficiary administrations of the workshops delivered in the period, per region."),
)
def administrations_reached(period_start, period_end, administration=None, region=None) -> IndicatorResult:
    links = workshop_selectors.beneficiaries_served(period_start, period_end, administration, region)
    distinct = Count("administration", distinct=True)
    return IndicatorResult(
        value=links.aggregate(n=distinct)["n"],
        by_region=_grouped(links, "administration__region__code", distinct),
    )


@register(
    "workshops_delivered",
    title=_("Workshops delivered"),
    unit=_("workshops"),
    description=_(
        "Workshops delivered or closed whose last day falls in the period, by kind; a regional workshop counts "
        "once in the total and once in each region it served."
    ),
    breakdown_label=_("By kind"),
)
def workshops_delivered(period_start, period_end, administration=None, region=None) -> IndicatorResult:
    workshops = delivered_workshops(period_start, period_end, administration, region)
    distinct = Count("pk", distinct=True)
    return IndicatorResult(
        value=workshops.aggregate(n=distinct)["n"],
        by_region=_grouped(workshops, "beneficiary_links__administration__region__code", distinct),
        breakdown=_grouped(workshops, "kind", distinct),
    )


def workshops_delivered_by_year(first_year: int, last_year: int, administration=None, region=None) -> dict[int, int]:
    workshops = delivered_workshops(dt.date(first_year, 1, 1), dt.date(last_year, 12, 31), administration, region)
    rows = (
        workshops.order_by()
        .annotate(year=ExtractYear("end_date"))
        .values("year")
        .annotate(n=Count("pk", distinct=True))
        .values_list("year", "n")
    )
    found = dict(rows)
    return {year: found.get(year, 0) for year in range(first_year, last_year + 1)}


# --- Experts ----------------------------------------------------------------------------------------------------


@register(
    "experts_deployed",
    title=_("Experts deployed"),
    unit=_("experts"),
    description=_(
        "Distinct experts who confirmed an assignment to a workshop delivered in the period, or travelled on a "
        "mission ending in it; by the region of the expert's own administration."
    ),
)
def experts_deployed(period_start, period_end, administration=None, region=None) -> IndicatorResult:
    experts = expert_selectors.experts_deployed(period_start, period_end, administration, region)
    distinct = Count("pk", distinct=True)
    return IndicatorResult(
        value=experts.aggregate(n=distinct)["n"],
        by_region=_grouped(experts, "administration__region__code", distinct),
    )


# --- Scholarships (what "selected" and "graduated" mean lives in the scholarships app's selectors) ------------------


selected_applications = scholarship_selectors.selected_applications
graduated_applications = scholarship_selectors.graduated_applications


@register(
    "scholars_selected",
    title=_("Scholarship candidates selected"),
    unit=_("candidates"),
    description=_("Candidates whose selection for a scholarship was released in the period."),
)
def scholars_selected(period_start, period_end, administration=None, region=None) -> IndicatorResult:
    return _counted(selected_applications(period_start, period_end, administration, region), by_sex="gender")


@register(
    "scholars_graduated",
    title=_("Scholarship candidates graduated"),
    unit=_("graduates"),
    description=_(
        "Selected candidates who accepted the scholarship and graduated, by graduation date in the period; those "
        "who did not complete the programme do not count."
    ),
)
def scholars_graduated(period_start, period_end, administration=None, region=None) -> IndicatorResult:
    return _counted(graduated_applications(period_start, period_end, administration, region), by_sex="gender")


# --- E-learning ---------------------------------------------------------------------------------------------------


@register(
    "courses_published",
    title=_("E-learning courses published"),
    unit=_("courses"),
    description=_("Courses published on CLiKC! in the period (project-wide; not broken down by administration)."),
    per_administration=False,
)
def courses_published(period_start, period_end, administration=None, region=None) -> IndicatorResult:
    return IndicatorResult(value=elearning_selectors.courses_published_between(period_start, period_end).count())


# --- Algorithms ---------------------------------------------------------------------------------------------------


@register(
    "model_jobs_run",
    title=_("Model jobs run"),
    unit=_("jobs"),
    description=_("Model jobs that succeeded (finished in the period), per administration."),
)
def model_jobs_run(period_start, period_end, administration=None, region=None) -> IndicatorResult:
    jobs = algorithm_selectors.jobs_succeeded_between(period_start, period_end)
    return _counted(_for_place(jobs, administration, region), breakdown="administration__code")


@register(
    "algorithm_versions_deployed",
    title=_("Algorithm versions deployed"),
    unit=_("versions"),
    description=_(
        "Algorithm versions published in the period (past the data owner's approval), per administration whose "
        "data trained them; WCO releases count in the total only."
    ),
)
def algorithm_versions_deployed(period_start, period_end, administration=None, region=None) -> IndicatorResult:
    versions = algorithm_selectors.versions_published_between(period_start, period_end)
    return _counted(_for_place(versions, administration, region), breakdown="administration__code")


# --- Evaluations (Kirkpatrick levels 1 to 3) ---------------------------------------------------------------------
# The answers of the workshops delivered in the period. Where an answer counts (``evaluation_selectors``): a named
# answer by its participant's sex and region; an anonymous one (the reaction survey by default) under sex
# "unknown" and in every region its workshop served, and for one administration only from a workshop that served
# that administration alone. The disaggregations are means or shares within each group, like the share of women.


def _mean(values: list) -> Decimal | None:
    if not values:
        return None
    return (Decimal(sum(values)) / Decimal(len(values))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _by_group(answers, measure: Callable[[list], Decimal | None]) -> tuple[dict, dict]:
    """``measure`` of the answers' values per sex and per region (an answer counts in each of its regions)."""
    by_sex: dict[str, list] = {}
    by_region: dict[str, list] = {}
    for answer in answers:
        by_sex.setdefault(answer.sex, []).append(answer)
        for code in answer.regions:
            by_region.setdefault(code, []).append(answer)
    return (
        {key: measure(by_sex[key]) for key in sorted(by_sex, key=lambda k: (k == UNKNOWN_SEX, k))},
        {key: measure(by_region[key]) for key in sorted(by_region)},
    )


def _share_result(answers, counts: Callable) -> IndicatorResult:
    def share(group) -> Decimal | None:
        return _percent(sum(1 for answer in group if counts(answer)), len(group))

    by_sex, by_region = _by_group(answers, share)
    return IndicatorResult(value=share(answers), by_sex=by_sex, by_region=by_region)


@register(
    "mean_satisfaction",
    title=_("Mean satisfaction of participants"),
    unit=_("out of 5"),
    description=_(
        "The mean of every rating (on the scale of 1 to 5) given in the reaction surveys of the workshops "
        "delivered in the period; anonymous answers count under sex 'unknown'."
    ),
)
def mean_satisfaction(period_start, period_end, administration=None, region=None) -> IndicatorResult:
    answers = evaluation_selectors.satisfaction_ratings(period_start, period_end, administration, region)

    def mean_of(group) -> Decimal | None:
        return _mean([rating for answer in group for rating in answer.values])

    by_sex, by_region = _by_group(answers, mean_of)
    return IndicatorResult(value=mean_of(answers), by_sex=by_sex, by_region=by_region)


@register(
    "share_with_knowledge_gain",
    title=_("Share of participants with a positive knowledge gain"),
    unit="%",
    description=_(
        "Among the participants of the workshops delivered in the period who took both knowledge tests, the share "
        "whose post-test score is above their pre-test score."
    ),
)
def share_with_knowledge_gain(period_start, period_end, administration=None, region=None) -> IndicatorResult:
    answers = evaluation_selectors.knowledge_scores(period_start, period_end, administration, region)
    return _share_result(answers, lambda answer: answer.values[1] > answer.values[0])


@register(
    "share_applying_learning",
    title=_("Share of participants applying the learning at follow-up"),
    unit="%",
    description=_(
        "Among the follow-up survey answers of the workshops delivered in the period, the share whose ratings of "
        "the questions measuring the application of the learning average 4 or more out of 5."
    ),
)
def share_applying_learning(period_start, period_end, administration=None, region=None) -> IndicatorResult:
    answers = evaluation_selectors.application_ratings(period_start, period_end, administration, region)
    threshold = evaluation_selectors.APPLYING_RATING
    return _share_result(answers, lambda answer: sum(answer.values) >= threshold * len(answer.values))
