"""Every write and state change of missions and travel: one function each, in a transaction, audited.

The flow: staff create the mission and write its travel request, then submit it; the project manager approves
or rejects it. After the trip, the traveller (or staff on their behalf) adds the expenses with their receipts
to the claim and submits it; the project manager approves or rejects it; staff record the payment. A rejected
request or claim is corrected (which makes it a draft again) and submitted anew.

Who may call what is decided in ``access``; the rules that hold whoever calls (only the project manager
decides, nobody decides on their own travel or submission) are enforced here as well, so that the pages, the
API and the admin cannot differ.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bacuda_portal.core.emails import send_templated_email
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.services import audit_record
from bacuda_portal.members.models import User
from bacuda_portal.notifications import services as notifications
from bacuda_portal.notifications.enums import Kind as NotificationKind

from . import access
from .currencies import is_currency_code
from .enums import ClaimStatus, TravelRequestStatus
from .models import Claim, ClaimLine, Mission, TravelRequest
from .selectors import claim_summary

# What staff write of a mission and of its travel request: the one field list of the forms, the API and these
# services.
MISSION_FIELDS = (
    "traveller_user",
    "traveller_expert",
    "workshop",
    "destination_city",
    "destination_country",
    "start_date",
    "end_date",
    "purpose",
    "mission_number",
)
TRAVEL_REQUEST_FIELDS = ("itinerary", "currency", "dsa_days", "dsa_rate", "terminal_expenses", "advance")


def _require_staff(by: User) -> None:
    if not access.can_manage_missions(by):
        raise TransitionError(_("Only WCO staff can do this."))


def _require_decider(*, by: User, mission: Mission, submitted_by_id: int | None) -> None:
    if not access.can_decide(by):
        raise TransitionError(_("Only the project manager can approve or reject travel requests and claims."))
    if access.is_traveller(by, mission) or submitted_by_id == by.pk:
        raise TransitionError(
            _("You cannot decide on your own travel or on something you submitted: another approver must.")
        )


def _notify_traveller(*, mission: Mission, template: str, context: dict[str, Any]) -> None:
    account = mission.traveller_account
    send_templated_email(
        template=f"missions/{template}",
        to=[mission.traveller_email],
        context={"mission": mission, "traveller_name": mission.traveller_name, **context},
        language=account.preferred_language if account else None,
    )


# --- Missions ------------------------------------------------------------------------------------------
@transaction.atomic
def mission_create(*, by: User, **fields: Any) -> Mission:
    """Record a mission (``MISSION_FIELDS``), organised by ``by``.

    Side effects: audit record.
    """
    _require_staff(by)
    unexpected = set(fields) - set(MISSION_FIELDS)
    if unexpected:
        raise TypeError(f"mission_create cannot set {', '.join(sorted(unexpected))}")
    mission = Mission(created_by=by, **fields)
    mission.full_clean()
    mission.save()
    audit_record(actor=by, action="missions.mission.created", target=mission)
    return mission


@transaction.atomic
def mission_update(*, mission: Mission, by: User, **changes: Any) -> Mission:
    """Change a mission's traveller, workshop, destination, dates, purpose or mission number.

    Refused once the claim is submitted (what was approved and paid must keep describing the same trip), and
    the traveller is fixed once the travel request has been submitted. Side effects: audit record naming the
    changed fields.
    """
    _require_staff(by)
    unexpected = set(changes) - set(MISSION_FIELDS)
    if unexpected:
        raise TypeError(f"mission_update cannot change {', '.join(sorted(unexpected))}")
    mission = Mission.objects.select_for_update().get(pk=mission.pk)
    claim = mission.claim_or_none
    if claim is not None and not claim.is_editable:
        raise TransitionError(_("This mission's claim has been submitted: the mission can no longer be changed."))
    changed = sorted(field for field, value in changes.items() if getattr(mission, field) != value)
    request = mission.travel_request_or_none
    if (
        {"traveller_user", "traveller_expert"} & set(changed)
        and request is not None
        and request.status != TravelRequestStatus.DRAFT
    ):
        raise TransitionError(
            _("The travel request has been submitted for this traveller: the traveller can no longer be changed.")
        )
    for field, value in changes.items():
        setattr(mission, field, value)
    mission.full_clean()
    mission.save()
    audit_record(actor=by, action="missions.mission.updated", target=mission, fields=changed)
    return mission


# --- Travel requests -----------------------------------------------------------------------------------
@transaction.atomic
def travel_request_save(*, mission: Mission, by: User, **fields: Any) -> TravelRequest:
    """Write the mission's travel request (``TRAVEL_REQUEST_FIELDS``), creating it as a draft the first time.

    Only a draft or a rejected request can be changed; changing a rejected one makes it a draft again (the
    rejection comment stays, for whoever corrects it). Side effects: audit record.
    """
    _require_staff(by)
    unexpected = set(fields) - set(TRAVEL_REQUEST_FIELDS)
    if unexpected:
        raise TypeError(f"travel_request_save cannot set {', '.join(sorted(unexpected))}")
    request = TravelRequest.objects.select_for_update().filter(mission=mission).first()
    created = request is None
    if created:
        request = TravelRequest(mission=mission)
    elif not request.is_editable:
        raise TransitionError(_("Only a draft or a rejected travel request can be changed."))
    for field, value in fields.items():
        setattr(request, field, value)
    request.status = TravelRequestStatus.DRAFT
    request.decided_by = None
    request.decided_at = None
    request.full_clean()
    request.save()
    audit_record(actor=by, action="missions.request.created" if created else "missions.request.updated", target=request)
    return request


@transaction.atomic
def travel_request_submit(*, travel_request: TravelRequest, by: User) -> TravelRequest:
    """Draft → submitted, for the project manager's approval. Staff submit, as the mission's organisers.

    Side effects: ``submitted_by``/``submitted_at``; audit record.
    """
    _require_staff(by)
    request = TravelRequest.objects.select_for_update().get(pk=travel_request.pk)
    if request.status != TravelRequestStatus.DRAFT:
        raise TransitionError(_("Only a draft travel request can be submitted."))
    request.status = TravelRequestStatus.SUBMITTED
    request.submitted_by = by
    request.submitted_at = timezone.now()
    request.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
    audit_record(actor=by, action="missions.request.submitted", target=request, total=str(request.total))
    return request


def _decide_request(*, travel_request: TravelRequest, by: User, status: str, comment: str) -> TravelRequest:
    request = TravelRequest.objects.select_for_update().select_related("mission").get(pk=travel_request.pk)
    _require_decider(by=by, mission=request.mission, submitted_by_id=request.submitted_by_id)
    if request.status != TravelRequestStatus.SUBMITTED:
        raise TransitionError(_("Only a submitted travel request can be approved or rejected."))
    request.status = status
    request.decided_by = by
    request.decided_at = timezone.now()
    request.comment = comment
    request.save(update_fields=["status", "decided_by", "decided_at", "comment", "updated_at"])
    audit_record(actor=by, action=f"missions.request.{status}", target=request, comment=comment)
    _notify_traveller(
        mission=request.mission,
        template="request_decided",
        context={"approved": status == TravelRequestStatus.APPROVED, "travel_request": request, "comment": comment},
    )
    return request


@transaction.atomic
def travel_request_approve(*, travel_request: TravelRequest, by: User, comment: str = "") -> TravelRequest:
    """Submitted → approved, by the project manager (not on their own travel or submission).

    Side effects: ``decided_by``/``decided_at`` and the comment; audit record; the traveller is emailed.
    """
    return _decide_request(
        travel_request=travel_request, by=by, status=TravelRequestStatus.APPROVED, comment=comment.strip()
    )


@transaction.atomic
def travel_request_reject(*, travel_request: TravelRequest, by: User, comment: str) -> TravelRequest:
    """Submitted → rejected, by the project manager, saying why (the comment is required).

    Side effects: ``decided_by``/``decided_at`` and the comment; audit record; the traveller is emailed.
    """
    if not comment.strip():
        raise TransitionError(_("Say why the travel request is rejected: the comment is required."))
    return _decide_request(
        travel_request=travel_request, by=by, status=TravelRequestStatus.REJECTED, comment=comment.strip()
    )


# --- Claims --------------------------------------------------------------------------------------------
def _editable_claim(*, mission: Mission, by: User, create: bool) -> Claim:
    """The mission's claim, locked, ready for a line change; created as a draft when ``create``."""
    if not access.can_edit_claim(by, mission):
        raise TransitionError(_("Only the traveller or WCO staff can change this claim."))
    request = TravelRequest.objects.filter(mission=mission).first()
    if request is None or request.status != TravelRequestStatus.APPROVED:
        raise TransitionError(_("A claim can be made only once the mission's travel request is approved."))
    claim = Claim.objects.select_for_update().filter(mission=mission).first()
    if claim is None:
        if not create:
            raise TransitionError(_("This mission has no claim yet."))
        claim = Claim.objects.create(mission=mission)
        audit_record(actor=by, action="missions.claim.created", target=claim)
    if not claim.is_editable:
        raise TransitionError(_("Only a draft or a rejected claim can be changed."))
    if claim.status == ClaimStatus.REJECTED:
        # Correcting a rejected claim makes it a draft again; the rejection comment stays for reference.
        claim.status = ClaimStatus.DRAFT
        claim.decided_by = None
        claim.decided_at = None
        claim.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    claim.request_currency = request.currency
    return claim


@transaction.atomic
def claim_line_add(
    *,
    mission: Mission,
    by: User,
    date: date,
    category: str,
    description: str,
    amount: Decimal,
    currency: str,
    receipt: UploadedFile,
    exchange_rate: Decimal | None = None,
) -> ClaimLine:
    """Add an expense with its receipt to the mission's claim, creating the claim as a draft the first time.

    A line in the request's currency needs no exchange rate (one given is ignored); a line in another currency
    needs one. Everything is checked before anything is written: a refused line leaves no claim, no line and
    no file behind. Side effects: audit record (and one for the claim when it is created).
    """
    claim = _editable_claim(mission=mission, by=by, create=True)
    currency = currency.strip().upper()
    if currency == claim.request_currency:
        exchange_rate = None
    line = ClaimLine(
        claim=claim,
        date=date,
        category=category,
        description=description.strip(),
        amount=amount,
        currency=currency,
        exchange_rate=exchange_rate,
        receipt=receipt,
        added_by=by,
    )
    errors: dict[str, list] = {}
    try:
        # Reads the upload (type and size) before save() stores it: a refusal writes no file.
        line.full_clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if exchange_rate is None and currency != claim.request_currency and is_currency_code(currency):
        errors.setdefault("exchange_rate", []).append(
            _(
                "This amount is in %(currency)s, not in %(request_currency)s like the travel request: give the "
                "exchange rate (how many %(request_currency)s one %(currency)s was worth)."
            )
            % {"currency": currency, "request_currency": claim.request_currency}
        )
    if errors:
        raise ValidationError(errors)
    line.save()
    audit_record(
        actor=by, action="missions.claim.line_added", target=claim, line=line.pk, amount=str(amount), currency=currency
    )
    return line


@transaction.atomic
def claim_line_remove(*, line: ClaimLine, by: User) -> None:
    """Remove an expense from a draft (or rejected) claim.

    Side effects: the receipt file is deleted once the transaction commits; audit record.
    """
    claim = _editable_claim(mission=line.claim.mission, by=by, create=False)
    receipt = line.receipt
    description = str(line)
    line.delete()
    if receipt:
        storage, name = receipt.storage, receipt.name
        transaction.on_commit(lambda: storage.delete(name))
    audit_record(actor=by, action="missions.claim.line_removed", target=claim, line=description)


@transaction.atomic
def claim_submit(*, claim: Claim, by: User, today: date | None = None) -> Claim:
    """Draft → submitted, by the traveller or staff for them, once the mission has ended and with at least one
    expense.

    Side effects: ``submitted_by``/``submitted_at``; audit record; staff notified (or their digest).
    """
    claim = Claim.objects.select_for_update().select_related("mission").get(pk=claim.pk)
    mission = claim.mission
    if not access.can_edit_claim(by, mission):
        raise TransitionError(_("Only the traveller or WCO staff can submit this claim."))
    if claim.status != ClaimStatus.DRAFT:
        raise TransitionError(_("Only a draft claim can be submitted."))
    today = today or timezone.localdate()
    if today <= mission.end_date:
        raise TransitionError(
            _("A claim can be submitted only after the mission has ended (it ends on %(date)s).")
            % {"date": mission.end_date.isoformat()}
        )
    if not claim.lines.exists():
        raise TransitionError(_("Add at least one expense with its receipt before submitting the claim."))
    claim.status = ClaimStatus.SUBMITTED
    claim.submitted_by = by
    claim.submitted_at = timezone.now()
    claim.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
    audit_record(actor=by, action="missions.claim.submitted", target=claim)
    notifications.notify_staff(
        kind=NotificationKind.CLAIM_SUBMITTED,
        context={"traveller": mission.traveller_name, "mission": str(mission)},
        about=claim,
        link=("missions:detail", {"pk": mission.pk}),
    )
    return claim


def _decide_claim(*, claim: Claim, by: User, status: str, comment: str) -> Claim:
    claim = Claim.objects.select_for_update().select_related("mission").get(pk=claim.pk)
    _require_decider(by=by, mission=claim.mission, submitted_by_id=claim.submitted_by_id)
    if claim.status != ClaimStatus.SUBMITTED:
        raise TransitionError(_("Only a submitted claim can be approved or rejected."))
    claim.status = status
    claim.decided_by = by
    claim.decided_at = timezone.now()
    claim.comment = comment
    claim.save(update_fields=["status", "decided_by", "decided_at", "comment", "updated_at"])
    audit_record(actor=by, action=f"missions.claim.{status}", target=claim, comment=comment)
    _notify_traveller(
        mission=claim.mission,
        template="claim_decided",
        context={
            "approved": status == ClaimStatus.APPROVED,
            "summary": claim_summary(claim.mission),
            "comment": comment,
        },
    )
    return claim


@transaction.atomic
def claim_approve(*, claim: Claim, by: User, comment: str = "") -> Claim:
    """Submitted → approved, by the project manager (not on their own travel or submission).

    Side effects: ``decided_by``/``decided_at`` and the comment; audit record; the traveller is emailed.
    """
    return _decide_claim(claim=claim, by=by, status=ClaimStatus.APPROVED, comment=comment.strip())


@transaction.atomic
def claim_reject(*, claim: Claim, by: User, comment: str) -> Claim:
    """Submitted → rejected, by the project manager, saying why (the comment is required).

    Side effects: ``decided_by``/``decided_at`` and the comment; audit record; the traveller is emailed.
    """
    if not comment.strip():
        raise TransitionError(_("Say why the claim is rejected: the comment is required."))
    return _decide_claim(claim=claim, by=by, status=ClaimStatus.REJECTED, comment=comment.strip())


@transaction.atomic
def claim_mark_paid(*, claim: Claim, by: User, paid_on: date, payment_reference: str) -> Claim:
    """Approved → paid: staff record the date and the reference of the payment.

    The traveller cannot record the payment of their own claim. Side effects: ``paid_by``; audit record; the
    traveller is emailed.
    """
    _require_staff(by)
    claim = Claim.objects.select_for_update().select_related("mission").get(pk=claim.pk)
    if access.is_traveller(by, claim.mission):
        raise TransitionError(_("You cannot record the payment of your own claim."))
    if claim.status != ClaimStatus.APPROVED:
        raise TransitionError(_("Only an approved claim can be marked as paid."))
    if not payment_reference.strip():
        raise TransitionError(_("Give the payment reference."))
    if paid_on > timezone.localdate():
        raise TransitionError(_("The payment date cannot be in the future."))
    if paid_on < timezone.localdate(claim.decided_at):
        raise TransitionError(_("The payment date cannot be before the claim was approved."))
    claim.status = ClaimStatus.PAID
    claim.paid_on = paid_on
    claim.payment_reference = payment_reference.strip()
    claim.paid_by = by
    claim.save(update_fields=["status", "paid_on", "payment_reference", "paid_by", "updated_at"])
    audit_record(
        actor=by, action="missions.claim.paid", target=claim, paid_on=paid_on.isoformat(), reference=payment_reference
    )
    _notify_traveller(
        mission=claim.mission,
        template="claim_paid",
        context={"paid_on": paid_on, "payment_reference": claim.payment_reference},
    )
    return claim


def mission_approve_submitted(*, mission: Mission, what: str, by: User):
    """Approve the mission's submitted claim (``what="claims"``) or travel request (``"requests"``): the bulk
    approval's row. Refused (TransitionError) when there is none or it is not submitted."""
    if what == "claims":
        claim = mission.claim_or_none
        if claim is None:
            raise TransitionError(_("There is no claim to approve."))
        return claim_approve(claim=claim, by=by)
    travel_request = mission.travel_request_or_none
    if travel_request is None:
        raise TransitionError(_("There is no travel request to approve."))
    return travel_request_approve(travel_request=travel_request, by=by)
