"""Review, ranking (with the regional and gender balance) and selection."""

import statistics
from collections import Counter

from django.db.models import Avg, Count, F, FilteredRelation, Prefetch, Q, QuerySet

from ..enums import (
    ApplicationStatus,
    DecisionOutcome,
    EligibilityResult,
    Gender,
    OfferStatus,
    ReviewStatus,
)
from ..models import Application, Call, Decision, Letter, Review, Reviewer, ReviewScore


# --- Review ------------------------------------------------------------------------------------------------
def assignments_of(reviews: QuerySet[Review]) -> QuerySet[Review]:
    """A reviewer's list: their assignments with the call and the application's non-identifying facts."""
    return reviews.select_related("call__programme", "application__administration").order_by(
        "status", "call__closes_at", "pk"
    )


def review_scores(review: Review) -> dict[int, int]:
    return dict(review.scores.values_list("criterion_id", "score"))


def other_reviews(review: Review) -> list[Review]:
    """The other submitted reviews of the same application (conflicts excluded), with their scores."""
    return list(
        Review.objects.filter(application_id=review.application_id, status=ReviewStatus.SUBMITTED)
        .exclude(pk=review.pk)
        .select_related("reviewer__user")
        .prefetch_related(Prefetch("scores", queryset=ReviewScore.objects.select_related("criterion")))
        .order_by("submitted_at", "pk")
    )


def review_overview(call: Call) -> dict:
    """The staff review page of a call: the pool with each reviewer's load, and the counts."""
    pool = list(
        Reviewer.objects.filter(calls=call)
        .select_related("user", "administration")
        .annotate(
            assigned=Count("reviews", filter=Q(reviews__call=call) & ~Q(reviews__status=ReviewStatus.CONFLICT)),
            done=Count("reviews", filter=Q(reviews__call=call, reviews__status=ReviewStatus.SUBMITTED)),
            conflicted=Count("reviews", filter=Q(reviews__call=call, reviews__status=ReviewStatus.CONFLICT)),
        )
        .order_by("user__email")
    )
    eligible = Application.objects.filter(
        call=call, status=ApplicationStatus.SUBMITTED, eligibility_result=EligibilityResult.ELIGIBLE
    )
    counts = Review.objects.filter(call=call).aggregate(
        total=Count("pk", filter=~Q(status=ReviewStatus.CONFLICT)),
        submitted=Count("pk", filter=Q(status=ReviewStatus.SUBMITTED)),
        conflict_count=Count("pk", filter=Q(status=ReviewStatus.CONFLICT)),
    )
    return {"pool": pool, "eligible": eligible.count(), **counts}


# --- Ranking -----------------------------------------------------------------------------------------------
RANKING_ORDER = (F("mean").desc(nulls_last=True), F("endorsement__rank").asc(nulls_last=True), "pk")


def ranking_candidates(*, call: Call, region: str = "", gender: str = "", eligible_only: bool = True):
    """The applications a call's ranking lists (submitted, eligible unless asked otherwise, filtered)."""
    queryset = Application.objects.filter(call=call, status=ApplicationStatus.SUBMITTED)
    if eligible_only:
        queryset = queryset.filter(eligibility_result=EligibilityResult.ELIGIBLE)
    if region:
        queryset = queryset.filter(administration__region__code=region)
    if gender:
        queryset = queryset.filter(gender=gender)
    return queryset


def ranking_order(candidates: QuerySet[Application], *, call: Call) -> QuerySet:
    """``{"pk", "mean"}`` of the candidates, best weighted mean of their submitted reviews first (ties: the better
    endorsement rank, then the earlier reference). One GROUP BY on the application id in the database, joined
    only to the call's submitted reviews (the join condition names the call, so PostgreSQL reads them by the call
    index rather than every review); conflicts never count (their scores are removed). Slice it for a page, then
    ``ranking_rows``."""
    submitted = FilteredRelation("reviews", condition=Q(reviews__status=ReviewStatus.SUBMITTED, reviews__call=call))
    return (
        candidates.annotate(submitted_reviews=submitted)
        .values("pk")
        .annotate(mean=Avg("submitted_reviews__weighted_score"))
        .order_by(*RANKING_ORDER)
    )


# What the ranking page and its CSV show of an application: not its long texts.
RANKING_ROW_FIELDS = (
    "pk", "call_id", "full_name", "gender", "administration__code", "administration__name_en",
    "administration__name_fr", "administration__region__code", "endorsement__rank", "decision__outcome",
    "decision__status", "decision__reserve_rank",
)  # fmt: skip


def ranking_rows(order: list[dict]) -> list[Application]:
    """The applications of a slice of ``ranking_order``, in that order, with what the page shows (one query) and
    their review figures (``with_review_figures``, one query)."""
    by_pk = (
        Application.objects.select_related("administration__region", "endorsement", "decision")
        .only(*RANKING_ROW_FIELDS)
        .in_bulk([row["pk"] for row in order])
    )
    rows = []
    for row in order:
        application = by_pk[row["pk"]]
        application.mean = row["mean"]
        # Plain attributes for the template: a missing reverse one-to-one raises, which is slow in templates.
        application.current_decision = getattr(application, "decision", None)
        endorsement = getattr(application, "endorsement", None)
        application.endorsement_rank = endorsement.rank if endorsement else None
        rows.append(application)
    return with_review_figures(rows)


def with_review_figures(applications: list[Application]) -> list[Application]:
    """Add to a page of ranked applications the number of submitted reviews, the lowest and highest weighted
    score, the spread (highest minus lowest), the median and the count of each recommendation: one query for the
    page's reviews, one pass over them."""
    scores: dict[int, list] = {application.pk: [] for application in applications}
    recommendations: dict[int, Counter] = {application.pk: Counter() for application in applications}
    for application_id, score, recommendation in Review.objects.filter(
        application_id__in=scores, status=ReviewStatus.SUBMITTED
    ).values_list("application_id", "weighted_score", "recommendation"):
        scores[application_id].append(score)
        recommendations[application_id][recommendation] += 1
    for application in applications:
        values = sorted(scores[application.pk])
        application.reviewed = len(values)
        application.low = values[0] if values else None
        application.high = values[-1] if values else None
        application.median = statistics.median(values) if values else None
        application.spread = (values[-1] - values[0]) if values else None
        counts = recommendations[application.pk]
        application.yes, application.maybe, application.no = counts["yes"], counts["maybe"], counts["no"]
    return applications


def balance(*, call: Call) -> dict:
    """Balance of the call by region and by gender: submitted, eligible, selected and reserve. One query grouped
    by region and gender, summed both ways here."""
    counts = {
        "submitted": Count("pk"),
        "eligible": Count("pk", filter=Q(eligibility_result=EligibilityResult.ELIGIBLE)),
        "selected": Count("pk", filter=Q(decision__outcome=DecisionOutcome.SELECTED)),
        "reserve": Count("pk", filter=Q(decision__outcome=DecisionOutcome.RESERVE)),
    }
    cells = (
        Application.objects.filter(call=call, status=ApplicationStatus.SUBMITTED)
        .values("administration__region__code", "gender")
        .annotate(**counts)
        .order_by()
    )
    regions: dict[str, dict] = {}
    genders: dict[str, dict] = {}
    for cell in cells:
        for key, table, label in (
            (cell["administration__region__code"], regions, None),
            (cell["gender"], genders, dict(Gender.choices).get(cell["gender"], "–")),
        ):
            line = table.setdefault(key, {"key": key, "label": label or key or "–", **dict.fromkeys(counts, 0)})
            for name in counts:
                line[name] += cell[name]
    return {
        "regions": [regions[key] for key in sorted(regions, key=lambda code: code or "")],
        "genders": [genders[key] for key in sorted(genders, key=lambda code: code or "")],
    }


def ranking_csv_rows(order: QuerySet):
    """The whole ranking for the CSV: the order in one query, then 500 applications at a time (two queries each)."""
    order = list(order)
    for offset in range(0, len(order), 500):
        yield from enumerate(ranking_rows(order[offset : offset + 500]), start=offset + 1)


# --- Selection ----------------------------------------------------------------------------------------------
def outbox(*, call: Call, status: str = "") -> QuerySet[Letter]:
    """The call's letters with what the outbox lists of them (not their text)."""
    queryset = (
        Letter.objects.filter(call=call)
        .select_related("application")
        .only("pk", "call_id", "outcome", "to", "language", "subject", "status", "error", "application__full_name")
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("status", "pk")


def offers(*, call: Call) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(call=call)
        .exclude(offer_status=OfferStatus.NONE)
        .select_related("application__administration", "application__programme_outcome")
        .order_by("offer_status", "reserve_rank", "pk")
    )


def reserve_list(*, call: Call) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(call=call, outcome=DecisionOutcome.RESERVE)
        .select_related("application__administration")
        .order_by("reserve_rank")
    )
