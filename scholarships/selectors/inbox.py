"""The inbox: the scholarship work a user may act on."""

from django.db.models import Count
from django.utils import timezone

from bacuda_portal.core.bilingual import row_in_reader_language

from ..enums import ApplicationStatus, DecisionStatus, EndorsementStatus, OfferStatus, ReviewStatus
from ..models import Application, Decision, Letter, Review

# --- The inbox: the scholarship work a user may act on --------------------------------------------------------
INBOX_ROWS = 8


def _cohort(row: dict) -> str:
    """The call's cohort in the reader's language, as plain text (the inbox shows no fallback badge)."""
    return str(row_in_reader_language(row, "call__cohort_name"))


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

    from .. import access
    from ..enums import LetterStatus

    now = now or timezone.now()
    category = _("Scholarships")
    items: list[InboxItem] = []

    def per_call(queryset, **aggregates):
        return (
            queryset.values("call_id", "call__cohort_name", "call__cohort_name_fr")
            .annotate(n=Count("pk"), **aggregates)
            .order_by("call__closes_at", "call_id")[:INBOX_ROWS]
        )

    if access.can_manage_applications(user):
        letters = Letter.objects.filter(status=LetterStatus.DRAFT)
        for row in per_call(letters, since=Min("created_at")):
            items.append(
                InboxItem(
                    title=_("Decision letters to approve"),
                    detail=_cohort(row),
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
                    detail=_cohort(row),
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
                    detail=_cohort(row),
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
                    detail=_cohort(row),
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
                    detail=_cohort(row),
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
                    detail=_cohort(row),
                    url=reverse("scholarships:review_list"),
                    category=category,
                    count=row["n"],
                    date=row["since"],
                )
            )
    if access.can_apply(user):
        drafts = Application.objects.filter(applicant=user, status=ApplicationStatus.DRAFT, call__closes_at__gt=now)
        for row in drafts.values("pk", "call__cohort_name", "call__cohort_name_fr", "call__closes_at").order_by(
            "call__closes_at"
        )[:INBOX_ROWS]:
            items.append(
                InboxItem(
                    title=_("Your application to finish and submit"),
                    detail=_cohort(row),
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
        for row in offers_open.values(
            "application_id", "call__cohort_name", "call__cohort_name_fr", "reply_by"
        ).order_by("reply_by")[:INBOX_ROWS]:
            items.append(
                InboxItem(
                    title=_("A scholarship offer to answer"),
                    detail=_cohort(row),
                    url=reverse("scholarships:application_detail", kwargs={"pk": row["application_id"]}),
                    category=category,
                    date=row["reply_by"],
                    date_kind=DUE,
                    urgency=Urgency.HIGH,
                )
            )
    return items
