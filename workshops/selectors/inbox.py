"""The inbox: the pending work of the workshops app a user may act on."""

import datetime as dt

from django.db.models import (
    Count,
    F,
    Min,
    Q,
)

from bacuda_portal.core.bilingual import row_in_reader_language
from bacuda_portal.core.choices import choice_labels

from ..enums import (
    ACTIVE_NOMINATION_STATUSES,
    NOMINATION_OPEN_STATUSES,
    AssignmentRole,
    AssignmentStatus,
    NominationStatus,
    RequestStatus,
    WorkshopStatus,
)
from ..models import Assignment, Beneficiary, Nomination, WorkshopRequest
from .reports import trained_participants

# --- The inbox: the pending work of the workshops app a user may act on --------------------------------------
INBOX_ROWS = 8  # per kind of work: the page the item links to lists the rest
INBOX_CERTIFICATES_LOOKBACK = dt.timedelta(days=365)  # certificates still to issue a year on are history


def inbox_items(user, *, today: dt.date) -> list:
    """What ``user`` has to do in the workshops app, as ``core.inbox.InboxItem``s, a few queries whatever the rows.

    Staff: workshop requests to review, nominations to decide, certificates to issue (and renderings that failed),
    experts who have not answered. A contact point: the workshops open for their nominations with places left.
    An expert: the assignments they have not answered. Each item links to the page where the work is done.
    """
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from bacuda_portal.core.inbox import STARTS, InboxItem, Urgency

    from .. import access
    from ..enums import CertificateStatus
    from ..models import Certificate

    category = _("Workshops")
    items: list[InboxItem] = []
    if access.can_manage_workshops(user):
        requests = WorkshopRequest.objects.filter(status=RequestStatus.SUBMITTED).aggregate(
            n=Count("pk"), oldest=Min("created_at")
        )
        if requests["n"]:
            items.append(
                InboxItem(
                    title=_("Workshop requests to review"),
                    url=reverse("workshops:request_list") + f"?status={RequestStatus.SUBMITTED}",
                    category=category,
                    count=requests["n"],
                    date=requests["oldest"],
                )
            )
        pending = (
            Nomination.objects.filter(status=NominationStatus.NOMINATED)
            .exclude(workshop__status=WorkshopStatus.CANCELLED)
            .values("workshop_id", "workshop__title", "workshop__title_fr", "workshop__start_date")
            .annotate(n=Count("pk"))
            .order_by("workshop__start_date", "workshop_id")[:INBOX_ROWS]
        )
        for row in pending:
            items.append(
                InboxItem(
                    title=_("Nominations to decide"),
                    detail=row_in_reader_language(row, "workshop__title"),
                    url=reverse("workshops:detail", kwargs={"pk": row["workshop_id"]}) + "#nominations-heading",
                    category=category,
                    count=row["n"],
                    date=row["workshop__start_date"],
                    date_kind=STARTS,
                    urgency=Urgency.HIGH
                    if row["workshop__start_date"] <= today + dt.timedelta(days=14)
                    else Urgency.NORMAL,
                )
            )
        to_certify = (
            trained_participants(period_start=today - INBOX_CERTIFICATES_LOOKBACK)
            .filter(certificates__isnull=True)
            .values("workshop_id", "workshop__title", "workshop__title_fr", "workshop__end_date")
            .annotate(n=Count("pk"))
            .order_by("workshop__end_date", "workshop_id")[:INBOX_ROWS]
        )
        for row in to_certify:
            items.append(
                InboxItem(
                    title=_("Certificates to issue"),
                    detail=row_in_reader_language(row, "workshop__title"),
                    url=reverse("workshops:detail", kwargs={"pk": row["workshop_id"]}) + "#certificates-heading",
                    category=category,
                    count=row["n"],
                    date=row["workshop__end_date"],
                )
            )
        failed = (
            Certificate.objects.filter(status=CertificateStatus.FAILED, revoked_at__isnull=True)
            .values("nomination__workshop_id", "nomination__workshop__title", "nomination__workshop__title_fr")
            .annotate(n=Count("pk"), since=Min("updated_at"))
            .order_by("since")[:INBOX_ROWS]
        )
        for row in failed:
            items.append(
                InboxItem(
                    title=_("Certificates whose rendering failed"),
                    detail=row_in_reader_language(row, "nomination__workshop__title"),
                    url=reverse("workshops:detail", kwargs={"pk": row["nomination__workshop_id"]})
                    + "#certificates-heading",
                    category=category,
                    count=row["n"],
                    date=row["since"],
                    urgency=Urgency.HIGH,
                )
            )
        silent = (
            Assignment.objects.filter(status=AssignmentStatus.PROPOSED, workshop__end_date__gte=today)
            .exclude(workshop__status=WorkshopStatus.CANCELLED)
            .values("workshop_id", "workshop__title", "workshop__title_fr", "workshop__start_date")
            .annotate(n=Count("pk"))
            .order_by("workshop__start_date", "workshop_id")[:INBOX_ROWS]
        )
        for row in silent:
            items.append(
                InboxItem(
                    title=_("Experts who have not answered"),
                    detail=row_in_reader_language(row, "workshop__title"),
                    url=reverse("workshops:detail", kwargs={"pk": row["workshop_id"]}) + "#experts-heading",
                    category=category,
                    count=row["n"],
                    date=row["workshop__start_date"],
                    date_kind=STARTS,
                    urgency=Urgency.LOW,
                )
            )
        return items
    administration = access.administration_of(user) if access.can_nominate(user) else None
    if administration is not None:
        places = (
            Beneficiary.objects.filter(
                administration=administration,
                workshop__status__in=NOMINATION_OPEN_STATUSES,
                workshop__start_date__gte=today,
            )
            .exclude(workshop__status=WorkshopStatus.REQUESTED)
            .annotate(
                used=Count(
                    "workshop__nominations",
                    filter=Q(
                        workshop__nominations__administration=administration,
                        workshop__nominations__status__in=ACTIVE_NOMINATION_STATUSES,
                    ),
                )
            )
            .filter(used__lt=F("quota"))
            .values("workshop_id", "workshop__title", "workshop__title_fr", "workshop__start_date", "quota", "used")
            .order_by("workshop__start_date", "workshop_id")[:INBOX_ROWS]
        )
        for row in places:
            items.append(
                InboxItem(
                    title=_("Places to fill with your nominations"),
                    detail=row_in_reader_language(row, "workshop__title"),
                    url=reverse("workshops:detail", kwargs={"pk": row["workshop_id"]}) + "#beneficiaries-heading",
                    category=category,
                    count=row["quota"] - row["used"],
                    date=row["workshop__start_date"],
                    date_kind=STARTS,
                    urgency=Urgency.HIGH
                    if row["workshop__start_date"] <= today + dt.timedelta(days=21)
                    else Urgency.NORMAL,
                )
            )
    expert = access.expert_of(user)
    if expert is not None:
        assignments = (
            Assignment.objects.filter(expert=expert, status=AssignmentStatus.PROPOSED, workshop__end_date__gte=today)
            .exclude(workshop__status=WorkshopStatus.CANCELLED)
            .values("workshop_id", "workshop__title", "workshop__title_fr", "workshop__start_date", "role")
            .order_by("workshop__start_date", "workshop_id")[:INBOX_ROWS]
        )
        roles = choice_labels(AssignmentRole)
        for row in assignments:
            items.append(
                InboxItem(
                    title=_("An assignment to answer"),
                    detail=f"{row_in_reader_language(row, 'workshop__title')} · {roles.get(row['role'], row['role'])}",
                    url=reverse("workshops:detail", kwargs={"pk": row["workshop_id"]}) + "#experts-heading",
                    category=category,
                    date=row["workshop__start_date"],
                    date_kind=STARTS,
                    urgency=Urgency.HIGH,
                )
            )
    return items
