"""What the notifications app's reminder sweeps read: calls about to close, reviews due, offers to answer."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from ..enums import OfferStatus, ReviewStatus
from ..models import Call, Decision, Review, ReviewPhase


def calls_closing_between(start: dt.datetime, end: dt.datetime) -> QuerySet[Call]:
    """Published calls whose closing time falls in (start, end]."""
    return Call.objects.filter(is_published=True, closes_at__gt=start, closes_at__lte=end).select_related("programme")


@dataclass(frozen=True)
class ReviewsDue:
    phase: ReviewPhase
    reviewer_user_id: int
    count: int


def reviews_due_between(start: dt.datetime, end: dt.datetime) -> list[ReviewsDue]:
    """Per review phase closing in (start, end] and per reviewer: how many of their reviews of that call are
    still to do."""
    phases = list(ReviewPhase.objects.filter(closes_at__gt=start, closes_at__lte=end).select_related("call"))
    due = []
    for phase in phases:
        rows = (
            Review.objects.filter(call=phase.call_id, status=ReviewStatus.ASSIGNED, reviewer__is_active=True)
            .values("reviewer__user_id")
            .annotate(count=Count("pk"))
            .order_by("reviewer__user_id")
        )
        due += [ReviewsDue(phase=phase, reviewer_user_id=row["reviewer__user_id"], count=row["count"]) for row in rows]
    return due


def offers_due_between(start: dt.datetime, end: dt.datetime) -> QuerySet[Decision]:
    """Open offers whose reply-by date falls in (start, end], with the applicant's account."""
    return Decision.objects.filter(
        offer_status=OfferStatus.OPEN, reply_by__gt=start, reply_by__lte=end, application__applicant__isnull=False
    ).select_related("call__programme", "application__applicant")
