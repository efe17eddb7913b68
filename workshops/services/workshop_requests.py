"""A contact point's workshop request and staff's answer to it."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bacuda_portal.core.emails import send_templated_email
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.services import audit_record
from bacuda_portal.members.models import Administration, User
from bacuda_portal.notifications import services as notifications
from bacuda_portal.notifications.enums import Kind as NotificationKind

from ..enums import (
    RequestStatus,
    WorkshopKind,
    WorkshopStatus,
)
from ..models import Beneficiary, Workshop, WorkshopRequest


@transaction.atomic
def request_submit(
    *,
    administration: Administration,
    by: User,
    topic: str,
    preferred_start: dt.date,
    preferred_end: dt.date,
    language: str,
    expected_participants: int,
    justification: str,
) -> WorkshopRequest:
    """A contact point asks for a workshop. Side effects: audit record; staff notified (or their digest)."""
    workshop_request = WorkshopRequest(
        administration=administration,
        requested_by=by,
        topic=topic,
        preferred_start=preferred_start,
        preferred_end=preferred_end,
        language=language,
        expected_participants=expected_participants,
        justification=justification,
    )
    if preferred_end < preferred_start:
        raise ValidationError({"preferred_end": _("The end date cannot be before the start date.")})
    workshop_request.full_clean()
    workshop_request.save()
    audit_record(actor=by, action="workshops.request.submitted", target=workshop_request)
    notifications.notify_staff(
        kind=NotificationKind.WORKSHOP_REQUESTED,
        context={"administration": str(administration), "topic": workshop_request.topic},
        about=workshop_request,
        link=("workshops:request_list", {}),
    )
    return workshop_request


def _require_submitted(workshop_request: WorkshopRequest) -> None:
    if workshop_request.status != RequestStatus.SUBMITTED:
        raise TransitionError(_("This request has already been answered or withdrawn."))


@transaction.atomic
def request_accept(*, workshop_request: WorkshopRequest, by: User) -> Workshop:
    """Submitted -> accepted: creates a national workshop in the "requested" state for staff to plan.

    Side effects: audit record; the requesting contact point is emailed after commit.
    """
    _require_submitted(workshop_request)
    workshop = Workshop.objects.create(
        title=workshop_request.topic,
        kind=WorkshopKind.NATIONAL,
        status=WorkshopStatus.REQUESTED,
        region=workshop_request.administration.region,
        start_date=workshop_request.preferred_start,
        end_date=workshop_request.preferred_end,
        languages=[workshop_request.language],
        seats=workshop_request.expected_participants,
        created_by=by,
    )
    Beneficiary.objects.create(
        workshop=workshop,
        administration=workshop_request.administration,
        quota=workshop_request.expected_participants,
    )
    workshop_request.status = RequestStatus.ACCEPTED
    workshop_request.workshop = workshop
    workshop_request.decided_by = by
    workshop_request.decided_at = timezone.now()
    workshop_request.save(update_fields=["status", "workshop", "decided_by", "decided_at", "updated_at"])
    audit_record(actor=by, action="workshops.request.accepted", target=workshop_request, workshop=workshop.pk)
    send_templated_email(
        template="workshops/request_answered",
        to=[workshop_request.requested_by.email],
        language=workshop_request.requested_by.preferred_language,
        context={"topic": workshop_request.topic, "accepted": True, "reason": ""},
    )
    return workshop


@transaction.atomic
def request_decline(*, workshop_request: WorkshopRequest, reason: str, by: User) -> WorkshopRequest:
    """Submitted -> declined, with a reason the contact point reads.

    Side effects: audit record; the requesting contact point is emailed the reason after commit.
    """
    _require_submitted(workshop_request)
    if not reason.strip():
        raise ValidationError({"reason": _("Please give the reason for declining.")})
    workshop_request.status = RequestStatus.DECLINED
    workshop_request.decline_reason = reason.strip()
    workshop_request.decided_by = by
    workshop_request.decided_at = timezone.now()
    workshop_request.save(update_fields=["status", "decline_reason", "decided_by", "decided_at", "updated_at"])
    audit_record(actor=by, action="workshops.request.declined", target=workshop_request)
    send_templated_email(
        template="workshops/request_answered",
        to=[workshop_request.requested_by.email],
        language=workshop_request.requested_by.preferred_language,
        context={"topic": workshop_request.topic, "accepted": False, "reason": workshop_request.decline_reason},
    )
    return workshop_request


@transaction.atomic
def request_withdraw(*, workshop_request: WorkshopRequest, by: User) -> WorkshopRequest:
    """Submitted -> withdrawn by the contact point. Side effects: audit record."""
    _require_submitted(workshop_request)
    workshop_request.status = RequestStatus.WITHDRAWN
    workshop_request.save(update_fields=["status", "updated_at"])
    audit_record(actor=by, action="workshops.request.withdrawn", target=workshop_request)
    return workshop_request
