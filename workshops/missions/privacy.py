"""Personal data of missions in the data-protection register: travel requests, claims and their receipts. The
category's selectors and erase service live here, beside its declaration.

These are financial records: an erasure request does not remove a mission whose advance or claim was approved or
paid before the retention period ends (the financial rules oblige the WCO to keep them for audit); the daily run
erases them then. Amounts, dates, destination and traveller stay (the traveller's own name goes with their expert
profile or account).
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from bacuda_portal.core import privacy

from .enums import ClaimStatus, TravelRequestStatus
from .models import Claim, ClaimLine, Mission, TravelRequest


def _cutoff(now: dt.datetime) -> dt.date:
    return privacy.years_before(timezone.localtime(now), settings.BACUDA_RETENTION_TRAVEL_YEARS).date()


def travel_held() -> QuerySet[Mission]:
    """Missions that still hold an itinerary, a comment or a receipt."""
    personal = (
        Q(travel_request__itinerary__gt="")
        | Q(travel_request__comment__gt="")
        | Q(claim__comment__gt="")
        | Q(claim__lines__receipt__gt="")
    )
    return Mission.objects.filter(pk__in=Mission.objects.filter(personal).values("pk"))


def travel_due(now: dt.datetime) -> QuerySet[Mission]:
    return travel_held().filter(end_date__lt=_cutoff(now))


def travel_of(subject: privacy.DataSubject) -> QuerySet[Mission]:
    by_user = Q(traveller_user_id=subject.user_id) | Q(traveller_expert__user_id=subject.user_id)
    missions = Mission.objects.annotate(expert_address=Lower("traveller_expert__email"))
    return missions.filter(
        (by_user if subject.user_id else Q(pk__in=[])) | Q(expert_address__in=subject.emails)
    ).select_related("travel_request", "claim", "destination_country")


def is_financial_record_in_retention(mission: Mission, now: dt.datetime) -> bool:
    """An approved travel request (an advance was paid) or an approved or paid claim, within its period."""
    if mission.end_date < _cutoff(now):
        return False
    approved_request = TravelRequest.objects.filter(mission=mission, status=TravelRequestStatus.APPROVED).exists()
    settled_claim = Claim.objects.filter(mission=mission, status__in=(ClaimStatus.APPROVED, ClaimStatus.PAID)).exists()
    return approved_request or settled_claim


@transaction.atomic
def travel_erase(mission: Mission, *, now: dt.datetime, on_request: bool) -> set[str] | None:
    """Remove a mission's itinerary, decision comments and receipts (files deleted); amounts, dates, destination
    and the claim's lines stay. Side effects: travel request, claim and lines updated; receipt files deleted."""
    lines = list(ClaimLine.objects.select_for_update().filter(claim__mission=mission).exclude(receipt=""))
    changed = (
        TravelRequest.objects.filter(mission=mission)
        .exclude(itinerary="", comment="")
        .update(itinerary="", comment="", updated_at=now)
    )
    changed += Claim.objects.filter(mission=mission).exclude(comment="").update(comment="", updated_at=now)
    for line in lines:
        privacy.delete_file(line.receipt)
        line.save(update_fields=["receipt", "updated_at"])
    return set() if changed or lines else None


def _travel_export(mission: Mission) -> dict:
    request = getattr(mission, "travel_request", None)
    claim = getattr(mission, "claim", None)
    return {
        "mission": mission.pk,
        "destination": [mission.destination_city, mission.destination_country.code],
        "dates": [mission.start_date, mission.end_date],
        "purpose": mission.purpose,
        "mission_number": mission.mission_number,
        "travel_request": {
            "itinerary": request.itinerary,
            "daily_allowance_days": request.dsa_days,
            "daily_allowance_rate": request.dsa_rate,
            "terminal_expenses": request.terminal_expenses,
            "advance": request.advance,
            "currency": request.currency,
            "status": request.status,
            "comment": request.comment,
        }
        if request
        else None,
        "claim": {
            "status": claim.status,
            "comment": claim.comment,
            "paid_on": claim.paid_on,
            "payment_reference": claim.payment_reference,
            "lines": [
                {
                    "date": line.date,
                    "category": line.category,
                    "description": line.description,
                    "amount": line.amount,
                    "currency": line.currency,
                    "receipt": f"receipt-{line.pk}.{line.receipt.name.rsplit('.', 1)[-1]}" if line.receipt else None,
                }
                for line in claim.lines.all()
            ],
        }
        if claim
        else None,
    }


def _travel_files(mission: Mission) -> list:
    lines = ClaimLine.objects.filter(claim__mission=mission).exclude(receipt="")
    return [(f"receipt-{line.pk}.{line.receipt.name.rsplit('.', 1)[-1]}", line.receipt) for line in lines]


def _retention() -> str:
    years = settings.BACUDA_RETENTION_TRAVEL_YEARS
    return ngettext(
        "%(count)d year after the mission ends (financial records kept for audit); then itineraries, comments "
        "and receipts are erased.",
        "%(count)d years after the mission ends (financial records kept for audit); then itineraries, comments "
        "and receipts are erased.",
        years,
    ) % {"count": years}


privacy.register(
    privacy.Category(
        key="missions.travel",
        title=_("Travel requests, claims and receipts"),
        purpose=_("To plan missions, pay travel advances and reimburse the expenses of travellers."),
        legal_basis=_("The mission contract and the WCO's financial rules."),
        data=_("Itinerary, daily allowance, expenses with their receipts, decisions and payment references."),
        retention=_retention,
        held=travel_held,
        due=travel_due,
        due_since="end_date",
        erase=travel_erase,
        of_subject=travel_of,
        export=_travel_export,
        files=_travel_files,
        held_on_request=is_financial_record_in_retention,
        on_request_note=_("Approved or paid records are kept until the end of their period, then erased."),
        order=35,
        display_order=41,
    )
)
