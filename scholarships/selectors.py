"""Reads of the scholarships app, with the joins each page needs. Callers pass what access allows."""

import statistics
from collections import Counter
from dataclasses import dataclass

from django.db.models import Avg, Case, Count, F, FilteredRelation, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext

from bacuda_portal.core.search import SearchHit, ranked

from .enums import (
    ApplicationStatus,
    DecisionOutcome,
    DecisionStatus,
    EligibilityResult,
    EndorsementQueueState,
    EndorsementStatus,
    Gender,
    OfferStatus,
    ProgrammeResult,
    ReviewStatus,
)
from .models import (
    Application,
    Call,
    CurriculumModule,
    Decision,
    Letter,
    Review,
    Reviewer,
    ReviewScore,
)


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
        .only("pk", "status", "call__cohort_name", "call__programme__name_en", "call__programme__name_fr")
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
    "pk", "programme__name_en", "programme__name_fr", "cohort_name", "opens_at", "closes_at", "is_published",
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


# --- Search ----------------------------------------------------------------------------------------------
def search_applications(visible, words: list[str], *, limit: int) -> list[SearchHit]:
    rows = ranked(visible.select_related("call"), ["full_name", "applicant__email", "position"], words)
    return [
        SearchHit(
            kind=gettext("Scholarship application"),
            title=application.full_name or gettext("Application %(number)d") % {"number": application.pk},
            detail=str(application.call),
            url=application.get_absolute_url(),
        )
        for application in rows[:limit]
    ]


# --- The inbox: the scholarship work a user may act on --------------------------------------------------------
INBOX_ROWS = 8


def inbox_items(user, *, now=None) -> list:
    """What ``user`` has to do in the scholarships app, as ``core.inbox.InboxItem``s, a few queries whatever the
    rows. Staff: decision letters to approve (and letters that failed), seats to confirm on the reserve list,
    decisions recorded but not released. A contact point: applications waiting for their endorsement. A
    reviewer: the reviews assigned to them. An applicant: their drafts on open calls and the offers to answer.
    """
    from django.db.models import Min
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from bacuda_portal.core.inbox import DUE, InboxItem, Urgency

    from . import access
    from .enums import LetterStatus

    now = now or timezone.now()
    category = _("Scholarships")
    items: list[InboxItem] = []

    def per_call(queryset, **aggregates):
        return (
            queryset.values("call_id", "call__cohort_name")
            .annotate(n=Count("pk"), **aggregates)
            .order_by("call__closes_at", "call_id")[:INBOX_ROWS]
        )

    if access.can_manage_applications(user):
        letters = Letter.objects.filter(status=LetterStatus.DRAFT)
        for row in per_call(letters, since=Min("created_at")):
            items.append(
                InboxItem(
                    title=_("Decision letters to approve"),
                    detail=row["call__cohort_name"],
                    url=reverse("scholarships:outbox", kwargs={"pk": row["call_id"]}) + f"?status={LetterStatus.DRAFT}",
                    category=category,
                    count=row["n"],
                    date=row["since"],
                )
            )
        for row in per_call(Letter.objects.filter(status=LetterStatus.FAILED), since=Min("updated_at")):
            items.append(
                InboxItem(
                    title=_("Decision letters that could not be sent"),
                    detail=row["call__cohort_name"],
                    url=reverse("scholarships:outbox", kwargs={"pk": row["call_id"]})
                    + f"?status={LetterStatus.FAILED}",
                    category=category,
                    count=row["n"],
                    date=row["since"],
                    urgency=Urgency.HIGH,
                )
            )
        proposed = Decision.objects.filter(offer_status=OfferStatus.PROPOSED)
        for row in per_call(proposed, since=Min("updated_at")):
            items.append(
                InboxItem(
                    title=_("Seats offered to the reserve list to confirm"),
                    detail=row["call__cohort_name"],
                    url=reverse("scholarships:offer_list", kwargs={"pk": row["call_id"]}),
                    category=category,
                    count=row["n"],
                    date=row["since"],
                    urgency=Urgency.HIGH,
                )
            )
        unreleased = Decision.objects.filter(status=DecisionStatus.PENDING)
        for row in per_call(unreleased, since=Min("created_at")):
            items.append(
                InboxItem(
                    title=_("Decisions recorded but not released"),
                    detail=row["call__cohort_name"],
                    url=reverse("scholarships:ranking", kwargs={"pk": row["call_id"]}),
                    category=category,
                    count=row["n"],
                    date=row["since"],
                    urgency=Urgency.LOW,
                )
            )
    administration = access.endorsing_administration(user)
    if administration is not None:
        waiting = Application.objects.filter(
            administration=administration,
            status=ApplicationStatus.SUBMITTED,
            endorsement_status=EndorsementStatus.PENDING,
        )
        for row in per_call(waiting, since=Min("submitted_at")):
            items.append(
                InboxItem(
                    title=_("Applications waiting for your endorsement"),
                    detail=row["call__cohort_name"],
                    url=reverse("scholarships:endorsement_list") + f"?call={row['call_id']}",
                    category=category,
                    count=row["n"],
                    date=row["since"],
                    urgency=Urgency.HIGH,
                )
            )
    reviewer = access.reviewer_of(user)
    if reviewer is not None:
        assigned = Review.objects.filter(reviewer=reviewer, status=ReviewStatus.ASSIGNED)
        for row in per_call(assigned, since=Min("created_at")):
            items.append(
                InboxItem(
                    title=_("Applications to review"),
                    detail=row["call__cohort_name"],
                    url=reverse("scholarships:review_list"),
                    category=category,
                    count=row["n"],
                    date=row["since"],
                )
            )
    if access.can_apply(user):
        drafts = Application.objects.filter(applicant=user, status=ApplicationStatus.DRAFT, call__closes_at__gt=now)
        for row in drafts.values("pk", "call__cohort_name", "call__closes_at").order_by("call__closes_at")[:INBOX_ROWS]:
            items.append(
                InboxItem(
                    title=_("Your application to finish and submit"),
                    detail=row["call__cohort_name"],
                    url=reverse("scholarships:application_detail", kwargs={"pk": row["pk"]}),
                    category=category,
                    date=row["call__closes_at"],
                    date_kind=DUE,
                    urgency=Urgency.HIGH,
                )
            )
        offers_open = Decision.objects.filter(
            application__applicant=user, status=DecisionStatus.RELEASED, offer_status=OfferStatus.OPEN
        )
        for row in offers_open.values("application_id", "call__cohort_name", "reply_by").order_by("reply_by")[
            :INBOX_ROWS
        ]:
            items.append(
                InboxItem(
                    title=_("A scholarship offer to answer"),
                    detail=row["call__cohort_name"],
                    url=reverse("scholarships:application_detail", kwargs={"pk": row["application_id"]}),
                    category=category,
                    date=row["reply_by"],
                    date_kind=DUE,
                    urgency=Urgency.HIGH,
                )
            )
    return items


# --- Homes ----------------------------------------------------------------------------------------------------
HOME_ROWS = 5


def administration_applications(administration) -> dict:
    """The contact point's home: their administration's latest applications (never a draft) and how many are
    submitted, waiting for their endorsement, selected. Two queries whatever the rows."""
    applications = Application.objects.filter(administration=administration).exclude(status=ApplicationStatus.DRAFT)
    statuses = dict(ApplicationStatus.choices)
    endorsements = dict(EndorsementStatus.choices)
    latest = list(
        applications.values(
            "pk", "full_name", "status", "endorsement_status", "submitted_at", "call__cohort_name"
        ).order_by("-submitted_at", "-pk")[:HOME_ROWS]
    )
    for row in latest:
        row["status_label"] = statuses.get(row["status"], row["status"])
        row["endorsement_label"] = endorsements.get(row["endorsement_status"], row["endorsement_status"])
    figures = applications.aggregate(
        submitted=Count("pk", filter=Q(status=ApplicationStatus.SUBMITTED)),
        waiting=Count("pk", filter=Q(status=ApplicationStatus.SUBMITTED, endorsement_status=EndorsementStatus.PENDING)),
        selected=Count(
            "pk", filter=Q(decision__status=DecisionStatus.RELEASED, decision__outcome=DecisionOutcome.SELECTED)
        ),
    )
    return {"latest": latest, "figures": figures}


def applicant_activity(user) -> list[dict]:
    """The applicant's home: their applications, newest first, with the call and where each stands. One query."""
    statuses = dict(ApplicationStatus.choices)
    rows = list(
        Application.objects.filter(applicant=user)
        .values("pk", "status", "created_at", "submitted_at", "call__cohort_name", "call__closes_at")
        .order_by("-created_at", "-pk")[:HOME_ROWS]
    )
    for row in rows:
        row["status_label"] = statuses.get(row["status"], row["status"])
    return rows
