"""Reads of missions and travel, each with the joins its page needs. Callers pass what access allows.

Totals and the variance are computed here and in model properties on every read; nothing of them is stored.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet

from .enums import ClaimStatus, MissionStage, TravelRequestStatus
from .models import Claim, ClaimLine, Mission, TravelRequest

_STAGE_FILTERS = {
    MissionStage.NO_REQUEST: Q(travel_request__isnull=True),
    **{
        MissionStage(f"request_{status}"): Q(travel_request__status=status, claim__isnull=True)
        for status in TravelRequestStatus.values
    },
    **{MissionStage(f"claim_{status}"): Q(claim__status=status) for status in ClaimStatus.values},
}


def _with_related(queryset: QuerySet[Mission]) -> QuerySet[Mission]:
    return queryset.select_related(
        "traveller_user",
        "traveller_expert__user",
        "workshop",
        "destination_country",
        "travel_request",
        "claim",
    ).prefetch_related(Prefetch("claim__lines", queryset=ClaimLine.objects.order_by("date", "id")))


def mission_list(
    *,
    visible: QuerySet[Mission],
    search: str = "",
    stage: str = "",
    traveller: str = "",
    workshop=None,
    year: int | None = None,
) -> QuerySet[Mission]:
    """The mission list, its CSV export and the API list: searchable, filterable by stage, traveller (name or
    email), workshop and the year the mission starts; newest first. Requests, claims and claim lines come along,
    so that totals and variances cost no query per row."""
    queryset = _with_related(visible)
    if search:
        queryset = queryset.filter(
            Q(destination_city__icontains=search)
            | Q(destination_country__name_en__icontains=search)
            | Q(destination_country__name_fr__icontains=search)
            | Q(purpose__icontains=search)
            | Q(mission_number__icontains=search)
            | Q(workshop__title__icontains=search)
            | _traveller_matches(search)
        )
    if stage:
        queryset = queryset.filter(_STAGE_FILTERS[MissionStage(stage)])
    if traveller:
        queryset = queryset.filter(_traveller_matches(traveller))
    if workshop is not None:
        queryset = queryset.filter(workshop=workshop)
    if year:
        queryset = queryset.filter(start_date__year=year)
    return queryset.order_by("-start_date", "-id")


def for_list_page(missions: QuerySet[Mission]) -> QuerySet[Mission]:
    """``mission_list`` narrowed to the columns a row of the list page reads (its dates, traveller, destination,
    workshop, number, stage, requested and claimed totals): a sixth of the columns the six joins would bring."""
    return (
        missions.select_related(None)
        .select_related(
            "traveller_user", "traveller_expert", "workshop", "destination_country", "travel_request", "claim"
        )
        .only(
            *("start_date", "end_date", "destination_city", "mission_number"),
            *("traveller_user__full_name", "traveller_user__email", "traveller_expert__full_name", "workshop__title"),
            *("destination_country__name_en", "destination_country__name_fr"),
            *("travel_request__currency", "travel_request__status", "travel_request__advance"),
            *("travel_request__dsa_days", "travel_request__dsa_rate", "travel_request__terminal_expenses"),
            "claim__status",
        )
    )


def _traveller_matches(text: str) -> Q:
    return (
        Q(traveller_user__full_name__icontains=text)
        | Q(traveller_user__email__icontains=text)
        | Q(traveller_expert__full_name__icontains=text)
        | Q(traveller_expert__email__icontains=text)
    )


def mission_detail(mission: Mission) -> Mission:
    """The mission page: traveller, request (with who submitted and decided), claim and its lines."""
    return (
        _with_related(Mission.objects.all())
        .select_related(
            "created_by",
            "travel_request__submitted_by",
            "travel_request__decided_by",
            "claim__submitted_by",
            "claim__decided_by",
            "claim__paid_by",
        )
        .get(pk=mission.pk)
    )


def mission_years(visible: QuerySet[Mission]) -> list[int]:
    """The years missions start in, newest first, for the list's year filter."""
    return sorted({day.year for day in visible.dates("start_date", "year")}, reverse=True)


@dataclass(frozen=True)
class ClaimSummary:
    """A claim against its travel request, in the request's currency.

    ``variance`` is claimed minus requested: positive when the trip cost more than approved. ``balance`` is
    what the WCO still owes the traveller once the advance is deducted (negative: the traveller owes it back).
    """

    currency: str
    requested: Decimal
    advance: Decimal
    claimed: Decimal
    line_count: int

    @property
    def variance(self) -> Decimal:
        return self.claimed - self.requested

    @property
    def is_over(self) -> bool:
        return self.variance > 0

    @property
    def variance_percent(self) -> Decimal | None:
        if not self.requested:
            return None
        return (self.variance * 100 / self.requested).quantize(Decimal("0.1"))

    @property
    def balance(self) -> Decimal:
        return self.claimed - self.advance


def claim_summary(mission: Mission) -> ClaimSummary | None:
    """Totals and variance of the mission's claim; None until there is both a request and a claim.

    Uses the lines already prefetched by ``mission_list`` or ``mission_detail`` when they are there.
    """
    request = mission.travel_request_or_none
    claim = mission.claim_or_none
    if request is None or claim is None:
        return None
    lines = list(claim.lines.all())
    return ClaimSummary(
        currency=request.currency,
        requested=request.total,
        advance=request.advance,
        claimed=sum((line.amount_in(request.currency) for line in lines), Decimal("0.00")),
        line_count=len(lines),
    )


def pending_travel_requests() -> QuerySet[TravelRequest]:
    """Travel requests waiting for the project manager's decision, oldest first (staff dashboard)."""
    return (
        TravelRequest.objects.filter(status=TravelRequestStatus.SUBMITTED)
        .select_related("mission__traveller_user", "mission__traveller_expert", "mission__destination_country")
        .order_by("submitted_at", "id")
    )


def pending_claims() -> QuerySet[Claim]:
    """Claims staff still have to act on, oldest first (staff dashboard): submitted ones wait for the project
    manager's decision, approved ones for their payment to be recorded."""
    return (
        Claim.objects.filter(status__in=[ClaimStatus.SUBMITTED, ClaimStatus.APPROVED])
        .select_related(
            "mission__traveller_user",
            "mission__traveller_expert",
            "mission__destination_country",
            "mission__travel_request",
        )
        .prefetch_related("lines")
        .order_by("submitted_at", "id")
    )


# --- The inbox ------------------------------------------------------------------------------------------------
INBOX_ROWS = 8


def inbox_items(user) -> list:
    """Missions work ``user`` may act on, as ``core.inbox.InboxItem``s, a few queries whatever the rows.

    The project manager: travel requests and claims to decide (never their own travel, nor what they submitted).
    Staff: approved claims whose payment is to be recorded. A traveller: their claims still in draft.
    """
    from django.db.models import Count, Min
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from bacuda_portal.core.inbox import InboxItem, Urgency

    from . import access

    category = _("Missions and travel")
    items: list[InboxItem] = []

    def mission_item(title, row, *, urgency=Urgency.NORMAL, date_field="submitted_at"):
        return InboxItem(
            title=title,
            detail=f"{row['traveller']} – {row['mission__destination_city']}",
            url=reverse("missions:detail", kwargs={"pk": row["mission_id"]}),
            category=category,
            date=row[date_field],
            urgency=urgency,
        )

    def rows(queryset, *extra):
        return queryset.values(
            "mission_id",
            "mission__destination_city",
            "mission__traveller_user__full_name",
            "mission__traveller_expert__full_name",
            *extra,
        ).order_by("submitted_at", "id")[:INBOX_ROWS]

    def named(row):
        row["traveller"] = row["mission__traveller_expert__full_name"] or row["mission__traveller_user__full_name"]
        return row

    if access.can_decide(user):
        own = Q(mission__traveller_user=user) | Q(submitted_by=user)
        for row in rows(
            TravelRequest.objects.filter(status=TravelRequestStatus.SUBMITTED).exclude(own), "submitted_at"
        ):
            items.append(mission_item(_("A travel request to decide"), named(row), urgency=Urgency.HIGH))
        for row in rows(Claim.objects.filter(status=ClaimStatus.SUBMITTED).exclude(own), "submitted_at"):
            items.append(mission_item(_("A travel claim to decide"), named(row)))
    if access.can_manage_missions(user):
        to_pay = Claim.objects.filter(status=ClaimStatus.APPROVED).aggregate(n=Count("pk"), oldest=Min("decided_at"))
        if to_pay["n"]:
            items.append(
                InboxItem(
                    title=_("Approved claims whose payment is to be recorded"),
                    url=reverse("missions:list") + f"?stage={MissionStage.CLAIM_APPROVED}",
                    category=category,
                    count=to_pay["n"],
                    date=to_pay["oldest"],
                )
            )
    else:
        drafts = Claim.objects.filter(status=ClaimStatus.DRAFT, mission__in=access.missions_visible_to(user))
        for row in drafts.values("mission_id", "mission__destination_city", "mission__end_date").order_by(
            "mission__end_date", "mission_id"
        )[:INBOX_ROWS]:
            items.append(
                InboxItem(
                    title=_("Your travel claim to submit"),
                    detail=row["mission__destination_city"],
                    url=reverse("missions:detail", kwargs={"pk": row["mission_id"]}),
                    category=category,
                    date=row["mission__end_date"],
                )
            )
    return items
