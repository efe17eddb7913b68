"""Every write and state change of the workshops app: one function each, in a transaction, audited.

The workshop flow is requested -> planned -> confirmed -> delivered -> closed, and cancelled from any state
before delivery. Each transition is its own function; its docstring lists its side effects.
"""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bacuda_portal.core.emails import send_templated_email
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.services import audit_record
from bacuda_portal.members.models import Administration, ContactPoint, User

from . import selectors
from .enums import (
    ACTIVE_NOMINATION_STATUSES,
    IN_PERSON_KINDS,
    MULTI_ADMINISTRATION_KINDS,
    AssignmentRole,
    AssignmentStatus,
    AttendanceStatus,
    CertificateStatus,
    NominationStatus,
    RequestStatus,
    WorkshopKind,
    WorkshopStatus,
)
from .models import Assignment, Attendance, Beneficiary, Certificate, Nomination, Session, Workshop, WorkshopRequest


class ConcurrentEditError(Exception):
    """Someone else saved the workshop since this user opened the form."""


# Fields a staff member edits on the workshop form (everything but status, version and bookkeeping).
EDITABLE_FIELDS = (
    "title",
    "description",
    "kind",
    "region",
    "host_city",
    "venue",
    "online_url",
    "start_date",
    "end_date",
    "time_zone",
    "languages",
    "seats",
    "clikc_workspace_url",
    "mission_reference",
    "prerequisite_course",
    "is_public",
)


# --- Emails --------------------------------------------------------------------------------------------
def _contact_point_emails(administration_ids: Iterable[int]) -> list[str]:
    return sorted(
        ContactPoint.objects.active()
        .filter(administration_id__in=list(administration_ids))
        .values_list("user__email", flat=True)
    )


def _notify_workshop(workshop: Workshop, template: str, extra: dict | None = None) -> None:
    """Tell the beneficiaries' contact points and the assigned experts about a workshop event."""
    context = {
        "workshop_title": workshop.title,
        "start_date": workshop.start_date,
        "end_date": workshop.end_date,
        "place": workshop.host_city or workshop.online_url,
        **(extra or {}),
    }
    recipients = _contact_point_emails(workshop.beneficiary_links.values_list("administration_id", flat=True))
    recipients += [
        email
        for email in workshop.assignments.exclude(status=AssignmentStatus.DECLINED).values_list(
            "expert__email", flat=True
        )
        if email
    ]
    for email in sorted(set(recipients)):
        send_templated_email(template=template, to=[email], context=context)


# --- Requests ------------------------------------------------------------------------------------------
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
    """A contact point asks for a workshop. Side effects: audit record."""
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


# --- Workshops -----------------------------------------------------------------------------------------
def _check_beneficiaries(kind: str, beneficiaries: list[tuple[Administration, int]]) -> None:
    count = len({administration.pk for administration, _quota in beneficiaries})
    if count != len(beneficiaries):
        raise ValidationError({"beneficiaries": _("An administration is listed twice.")})
    if kind == WorkshopKind.NATIONAL and count != 1:
        raise ValidationError({"beneficiaries": _("A national workshop has exactly one beneficiary administration.")})
    if kind in MULTI_ADMINISTRATION_KINDS and count < 2:
        raise ValidationError(
            {"beneficiaries": _("A regional or sub-regional workshop has at least two beneficiary administrations.")}
        )
    if count < 1:
        raise ValidationError({"beneficiaries": _("Choose at least one beneficiary administration.")})


def _set_beneficiaries(workshop: Workshop, beneficiaries: list[tuple[Administration, int]]) -> None:
    """Add and remove beneficiaries; the given quota applies to added ones. An administration that stays keeps
    its quota (changed one by one with ``beneficiary_set_quota``)."""
    keep = {administration.pk: quota for administration, quota in beneficiaries}
    workshop.beneficiary_links.exclude(administration_id__in=keep).delete()
    existing = set(workshop.beneficiary_links.values_list("administration_id", flat=True))
    Beneficiary.objects.bulk_create(
        Beneficiary(workshop=workshop, administration_id=administration_id, quota=quota)
        for administration_id, quota in keep.items()
        if administration_id not in existing
    )


@transaction.atomic
def workshop_create(*, by: User, beneficiaries: list[tuple[Administration, int]], **fields) -> Workshop:
    """Staff create a workshop directly in the "planned" state. Side effects: audit record."""
    workshop = Workshop(created_by=by, status=WorkshopStatus.PLANNED, **fields)
    workshop.full_clean()
    _check_beneficiaries(workshop.kind, beneficiaries)
    workshop.save()
    _set_beneficiaries(workshop, beneficiaries)
    audit_record(actor=by, action="workshops.workshop.created", target=workshop)
    return workshop


@transaction.atomic
def workshop_update(
    *,
    workshop: Workshop,
    expected_version: int,
    by: User,
    beneficiaries: list[tuple[Administration, int]] | None = None,
    **fields,
) -> Workshop:
    """Save a staff edit, unless someone else saved the workshop since ``expected_version`` was read.

    Raises ConcurrentEditError in that case (nothing is saved). Side effects: audit record listing the fields.
    """
    if workshop.status in (WorkshopStatus.CLOSED, WorkshopStatus.CANCELLED):
        raise TransitionError(_("A closed or cancelled workshop can no longer be edited."))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    candidate = Workshop.objects.get(pk=workshop.pk)
    changed = sorted(name for name, value in fields.items() if getattr(candidate, name) != value)
    for name, value in fields.items():
        setattr(candidate, name, value)
    candidate.full_clean()
    if beneficiaries is not None:
        _check_beneficiaries(candidate.kind, beneficiaries)
    # The version check and the write are one UPDATE: two concurrent saves cannot both pass it.
    updated = Workshop.objects.filter(pk=workshop.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now(), **fields
    )
    if not updated:
        raise ConcurrentEditError
    if beneficiaries is not None:
        _set_beneficiaries(candidate, beneficiaries)
    audit_record(actor=by, action="workshops.workshop.updated", target=candidate, fields=changed)
    workshop.refresh_from_db()
    return workshop


def _move(workshop: Workshop, *, allowed_from: tuple[str, ...], to: str, by: User, message: str, **extra) -> None:
    # Lock the row so that two staff pressing two buttons cannot both move the workshop.
    current = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if current.status not in allowed_from:
        raise TransitionError(message)
    Workshop.objects.filter(pk=workshop.pk).update(
        status=to, version=F("version") + 1, updated_at=timezone.now(), **extra
    )
    audit_record(actor=by, action=f"workshops.workshop.{to}", target=current, previous=current.status)
    workshop.refresh_from_db()


@transaction.atomic
def workshop_plan(*, workshop: Workshop, by: User) -> Workshop:
    """Requested -> planned: staff take a requested workshop into planning. Side effects: audit record."""
    _move(
        workshop,
        allowed_from=(WorkshopStatus.REQUESTED,),
        to=WorkshopStatus.PLANNED,
        by=by,
        message=_("Only a requested workshop can be planned."),
    )
    return workshop


@transaction.atomic
def workshop_confirm(*, workshop: Workshop, by: User) -> Workshop:
    """Planned -> confirmed: the dates, place and lead trainer are settled.

    Requires a venue and host city (in-person kinds) or an online link (online), and a lead trainer who
    confirmed. Side effects: audit record; the beneficiaries' contact points and the assigned experts are
    emailed after commit.
    """
    if workshop.status == WorkshopStatus.PLANNED:
        if workshop.kind in IN_PERSON_KINDS and not (workshop.host_city and workshop.venue):
            raise TransitionError(_("Give the host city and venue before confirming."))
        if workshop.kind == WorkshopKind.ONLINE and not workshop.online_url:
            raise TransitionError(_("Give the online link before confirming."))
        has_lead = workshop.assignments.filter(
            role=AssignmentRole.LEAD_TRAINER, status=AssignmentStatus.CONFIRMED
        ).exists()
        if not has_lead:
            raise TransitionError(_("A lead trainer must have confirmed their assignment before confirming."))
    _move(
        workshop,
        allowed_from=(WorkshopStatus.PLANNED,),
        to=WorkshopStatus.CONFIRMED,
        by=by,
        message=_("Only a planned workshop can be confirmed."),
    )
    _notify_workshop(workshop, "workshops/workshop_confirmed")
    return workshop


@transaction.atomic
def workshop_deliver(*, workshop: Workshop, by: User, today: dt.date | None = None) -> Workshop:
    """Confirmed -> delivered, once its last day has come. Side effects: audit record."""
    today = today or timezone.localdate()
    if workshop.status == WorkshopStatus.CONFIRMED and workshop.end_date > today:
        raise TransitionError(_("A workshop can be marked delivered only from its last day."))
    _move(
        workshop,
        allowed_from=(WorkshopStatus.CONFIRMED,),
        to=WorkshopStatus.DELIVERED,
        by=by,
        message=_("Only a confirmed workshop can be marked delivered."),
    )
    return workshop


@transaction.atomic
def workshop_close(*, workshop: Workshop, by: User) -> Workshop:
    """Delivered -> closed: reporting is done; the workshop becomes read-only. Side effects: audit record."""
    _move(
        workshop,
        allowed_from=(WorkshopStatus.DELIVERED,),
        to=WorkshopStatus.CLOSED,
        by=by,
        message=_("Only a delivered workshop can be closed."),
    )
    return workshop


@transaction.atomic
def workshop_cancel(*, workshop: Workshop, reason: str, by: User) -> Workshop:
    """Requested, planned or confirmed -> cancelled, with a reason.

    Side effects: audit record; the beneficiaries' contact points and the assigned experts are emailed the
    reason after commit. Nominations are kept, for the record.
    """
    if not reason.strip():
        raise ValidationError({"reason": _("Please give the reason for cancelling.")})
    _move(
        workshop,
        allowed_from=(WorkshopStatus.REQUESTED, WorkshopStatus.PLANNED, WorkshopStatus.CONFIRMED),
        to=WorkshopStatus.CANCELLED,
        by=by,
        message=_("A delivered or closed workshop cannot be cancelled."),
        cancellation_reason=reason.strip(),
    )
    _notify_workshop(workshop, "workshops/workshop_cancelled", {"reason": reason.strip()})
    return workshop


@transaction.atomic
def beneficiary_set_quota(*, beneficiary: Beneficiary, quota: int, by: User) -> Beneficiary:
    """Change one administration's nomination quota; nominations already made stay. Side effects: audit."""
    previous = beneficiary.quota
    beneficiary.quota = quota
    beneficiary.save(update_fields=["quota"])
    audit_record(actor=by, action="workshops.beneficiary.quota_changed", target=beneficiary.workshop,
                 administration=beneficiary.administration_id, previous=previous, quota=quota)  # fmt: skip
    return beneficiary


# --- Agenda --------------------------------------------------------------------------------------------
@transaction.atomic
def session_add(
    *, workshop: Workshop, by: User, date: dt.date, start_time: dt.time, end_time: dt.time, topic: str, trainer=None
) -> Session:
    """Add an agenda item within the workshop's dates; its trainer must be assigned. Side effects: audit."""
    if not workshop.start_date <= date <= workshop.end_date:
        raise ValidationError({"date": _("The session must take place between the workshop's start and end dates.")})
    if end_time <= start_time:
        raise ValidationError({"end_time": _("The session must end after it starts.")})
    if (
        trainer is not None
        and not workshop.assignments.filter(expert=trainer).exclude(status=AssignmentStatus.DECLINED).exists()
    ):
        raise ValidationError({"trainer": _("Assign this expert to the workshop first.")})
    session = Session.objects.create(
        workshop=workshop, date=date, start_time=start_time, end_time=end_time, topic=topic, trainer=trainer
    )
    audit_record(actor=by, action="workshops.session.added", target=session)
    return session


@transaction.atomic
def session_remove(*, session: Session, by: User) -> None:
    audit_record(actor=by, action="workshops.session.removed", target=session)
    session.delete()


# --- Nominations ---------------------------------------------------------------------------------------
NOMINATION_OPEN_STATUSES = (WorkshopStatus.REQUESTED, WorkshopStatus.PLANNED, WorkshopStatus.CONFIRMED)


@transaction.atomic
def nomination_create(
    *,
    workshop: Workshop,
    administration: Administration,
    by: User,
    full_name: str,
    gender: str,
    position: str,
    email: str,
    language: str,
    consent_to_list: bool,
) -> Nomination:
    """A contact point nominates an official of their administration, within its quota.

    Refuses (ValidationError, nothing saved) a closed workshop, an administration that is not a beneficiary,
    a full quota, and the same person twice. Side effects: audit record.
    """
    if workshop.status not in NOMINATION_OPEN_STATUSES:
        raise ValidationError(_("Nominations are closed for this workshop."))
    # Lock the quota row: two contact points of one administration nominating at once cannot both take the
    # last place.
    link = Beneficiary.objects.select_for_update().filter(workshop=workshop, administration=administration).first()
    if link is None:
        raise ValidationError(_("Your administration is not a beneficiary of this workshop."))
    used = workshop.nominations.filter(administration=administration, status__in=ACTIVE_NOMINATION_STATUSES).count()
    if used >= link.quota:
        raise ValidationError(
            _("Your administration's quota of %(quota)d nominations for this workshop is used.") % {"quota": link.quota}
        )
    email = email.strip().lower()
    if workshop.nominations.filter(email__iexact=email).exclude(status=NominationStatus.WITHDRAWN).exists():
        raise ValidationError({"email": _("This person is already nominated for this workshop.")})
    nomination = Nomination(
        workshop=workshop,
        administration=administration,
        nominated_by=by,
        full_name=full_name.strip(),
        gender=gender,
        position=position.strip(),
        email=email,
        language=language,
        consent_to_list=consent_to_list,
    )
    nomination.full_clean()
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError:  # the same address saved concurrently
        raise ValidationError({"email": _("This person is already nominated for this workshop.")})
    audit_record(actor=by, action="workshops.nomination.created", target=nomination)
    return nomination


def _decide(nomination: Nomination, status: str, by: User) -> Nomination:
    if nomination.workshop.status not in NOMINATION_OPEN_STATUSES:
        raise TransitionError(_("Nominations are closed for this workshop."))
    nomination.status = status
    nomination.decided_by = by
    nomination.decided_at = timezone.now()
    nomination.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit_record(actor=by, action=f"workshops.nomination.{status}", target=nomination)
    return nomination


def _send_participant_information(nomination: Nomination) -> None:
    workshop = nomination.workshop
    send_templated_email(
        template="workshops/participant_accepted",
        to=[nomination.email],
        language=nomination.language if nomination.language in ("en", "fr") else "en",
        context={
            "full_name": nomination.full_name,
            "workshop_title": workshop.title,
            "start_date": workshop.start_date,
            "end_date": workshop.end_date,
            "host_city": workshop.host_city,
            "venue": workshop.venue,
            "online_url": workshop.online_url,
            "time_zone": workshop.time_zone,
            "clikc_workspace_url": workshop.clikc_workspace_url,
        },
    )


@transaction.atomic
def nomination_accept(*, nomination: Nomination, by: User) -> Nomination:
    """Nominated or wait-listed -> accepted, while a seat is free.

    Side effects: audit record; the participant is emailed the practical information after commit.
    """
    if nomination.status not in (NominationStatus.NOMINATED, NominationStatus.WAITLISTED):
        raise TransitionError(_("Only a nominated or wait-listed person can be accepted."))
    workshop = Workshop.objects.select_for_update().get(pk=nomination.workshop_id)
    if workshop.status not in NOMINATION_OPEN_STATUSES:
        raise TransitionError(_("Nominations are closed for this workshop."))
    if selectors.accepted_count(workshop) >= workshop.seats:
        raise TransitionError(
            _("All %(seats)d seats are taken: wait-list this person instead.") % {"seats": workshop.seats}
        )
    _decide(nomination, NominationStatus.ACCEPTED, by)
    _send_participant_information(nomination)
    return nomination


@transaction.atomic
def nomination_waitlist(*, nomination: Nomination, by: User) -> Nomination:
    """Nominated or accepted -> wait-listed (their place in line is the nomination date). Side effects: audit."""
    if nomination.status not in (NominationStatus.NOMINATED, NominationStatus.ACCEPTED):
        raise TransitionError(_("Only a nominated or accepted person can be wait-listed."))
    return _decide(nomination, NominationStatus.WAITLISTED, by)


@transaction.atomic
def nomination_decline(*, nomination: Nomination, by: User) -> Nomination:
    """Nominated, wait-listed or accepted -> declined. Side effects: audit record."""
    if nomination.status not in ACTIVE_NOMINATION_STATUSES:
        raise TransitionError(_("This nomination has already been declined or withdrawn."))
    return _decide(nomination, NominationStatus.DECLINED, by)


@transaction.atomic
def nomination_withdraw(*, nomination: Nomination, by: User) -> Nomination:
    """Any active nomination -> withdrawn (by its contact point or staff); frees the quota and the seat.

    Side effects: audit record.
    """
    if nomination.status not in ACTIVE_NOMINATION_STATUSES:
        raise TransitionError(_("This nomination has already been declined or withdrawn."))
    return _decide(nomination, NominationStatus.WITHDRAWN, by)


@transaction.atomic
def nomination_offer_next(*, workshop: Workshop, by: User) -> Nomination:
    """Offer a free seat to the first person on the wait list (earliest nomination).

    Side effects: as nomination_accept.
    """
    first = workshop.nominations.filter(status=NominationStatus.WAITLISTED).order_by("created_at", "pk").first()
    if first is None:
        raise TransitionError(_("Nobody is on the wait list."))
    return nomination_accept(nomination=first, by=by)


# --- Attendance ----------------------------------------------------------------------------------------
ATTENDANCE_OPEN_STATUSES = (WorkshopStatus.CONFIRMED, WorkshopStatus.DELIVERED)


@transaction.atomic
def attendance_record(*, workshop: Workshop, marks: dict[tuple[int, int], str], by: User) -> int:
    """Save the attendance grid of a whole workshop in one go: ``{(session_id, nomination_id): status}``.

    An empty status clears a mark. Only the workshop's sessions and accepted participants are accepted
    (ValidationError otherwise, nothing saved). Returns the number of marks changed. Side effects: one audit
    record.
    """
    if workshop.status not in ATTENDANCE_OPEN_STATUSES:
        raise TransitionError(_("Attendance is recorded for a confirmed or delivered workshop."))
    session_ids = set(workshop.sessions.values_list("pk", flat=True))
    participant_ids = set(workshop.nominations.filter(status=NominationStatus.ACCEPTED).values_list("pk", flat=True))
    allowed = set(AttendanceStatus.values) | {""}
    for (session_id, nomination_id), status in marks.items():
        if session_id not in session_ids or nomination_id not in participant_ids or status not in allowed:
            raise ValidationError(_("The attendance sheet does not match this workshop; reload the page."))
    existing = {
        (mark.session_id, mark.nomination_id): mark for mark in Attendance.objects.filter(session__workshop=workshop)
    }
    to_create, to_update, to_delete = [], [], []
    for key, status in marks.items():
        mark = existing.get(key)
        if not status:
            if mark is not None:
                to_delete.append(mark.pk)
        elif mark is None:
            to_create.append(Attendance(session_id=key[0], nomination_id=key[1], status=status, recorded_by=by))
        elif mark.status != status:
            mark.status, mark.recorded_by, mark.recorded_at = status, by, timezone.now()
            to_update.append(mark)
    Attendance.objects.bulk_create(to_create)
    Attendance.objects.bulk_update(to_update, ["status", "recorded_by", "recorded_at"])
    Attendance.objects.filter(pk__in=to_delete).delete()
    changed = len(to_create) + len(to_update) + len(to_delete)
    if changed:
        audit_record(actor=by, action="workshops.attendance.recorded", target=workshop, changed=changed)
    return changed


# --- Certificates --------------------------------------------------------------------------------------
CERTIFICATE_STATUSES = (WorkshopStatus.DELIVERED, WorkshopStatus.CLOSED)


@transaction.atomic
def certificates_issue(*, workshop: Workshop, by: User) -> int:
    """Create a certificate for every eligible participant who has none yet, and queue their rendering.

    Eligibility follows the attendance rule (selectors.is_certificate_eligible). Side effects: audit record;
    one rendering task per new certificate on the ``reports`` queue after commit. Returns how many were created.
    """
    if workshop.status not in CERTIFICATE_STATUSES:
        raise TransitionError(_("Certificates are issued once the workshop has been delivered."))
    _sessions, rows = selectors.attendance_sheet(workshop)
    already = set(Certificate.objects.filter(nomination__workshop=workshop).values_list("nomination_id", flat=True))
    created = [
        Certificate.objects.create(nomination=row.nomination, issued_on=workshop.end_date)
        for row in rows
        if row.eligible and row.nomination.pk not in already
    ]
    if created:
        audit_record(actor=by, action="workshops.certificates.issued", target=workshop, count=len(created))
        _queue_certificate_rendering([certificate.pk for certificate in created])
    return len(created)


def _queue_certificate_rendering(certificate_ids: list[int]) -> None:
    from .tasks import render_certificate

    transaction.on_commit(lambda: [render_certificate.delay(certificate_id=pk) for pk in certificate_ids])


MAX_RENDER_ATTEMPTS = 3


def certificates_sweep(*, stale_after: dt.timedelta = dt.timedelta(minutes=15)) -> tuple[int, int]:
    """Re-queue certificates a lost message left waiting; give up on those that failed too often.

    A certificate still pending ``stale_after`` after its last change is queued again (the broker may have
    lost the message, or the worker died). One that reached MAX_RENDER_ATTEMPTS is marked failed with a reason.
    Runs from beat. Returns (re-queued, failed).
    """
    cutoff = timezone.now() - stale_after
    stale = Certificate.objects.filter(status=CertificateStatus.PENDING, updated_at__lt=cutoff)
    failed = stale.filter(attempts__gte=MAX_RENDER_ATTEMPTS).update(
        status=CertificateStatus.FAILED,
        error=_("Rendering did not finish after %(count)d attempts.") % {"count": MAX_RENDER_ATTEMPTS},
        updated_at=timezone.now(),
    )
    retry_ids = list(stale.filter(attempts__lt=MAX_RENDER_ATTEMPTS).values_list("pk", flat=True))
    # Touch the rows so that the next sweep waits another full period for these.
    Certificate.objects.filter(pk__in=retry_ids).update(updated_at=timezone.now())
    _queue_certificate_rendering(retry_ids)
    return len(retry_ids), failed


@transaction.atomic
def certificate_retry(*, certificate: Certificate, by: User) -> Certificate:
    """Failed -> pending again, by staff (after fixing what made it fail). Side effects: audit; a render task."""
    if certificate.status != CertificateStatus.FAILED:
        raise TransitionError(_("Only a certificate whose rendering failed can be rendered again."))
    Certificate.objects.filter(pk=certificate.pk).update(
        status=CertificateStatus.PENDING, attempts=0, error="", updated_at=timezone.now()
    )
    certificate.refresh_from_db()
    audit_record(actor=by, action="workshops.certificate.retried", target=certificate)
    _queue_certificate_rendering([certificate.pk])
    return certificate


def _qr_code_data_uri(text: str) -> str:
    import base64
    import io

    import qrcode
    import qrcode.image.svg

    buffer = io.BytesIO()
    qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=1).save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def certificate_render(*, certificate: Certificate) -> Certificate:
    """Render a certificate's PDF (WeasyPrint) and store it privately, with its checksum.

    Runs in a worker. On failure the certificate is marked failed with the error, and the error re-raised so
    the task can retry. Side effects: the PDF file; no audit record (the issuing was audited).
    """
    import hashlib

    from django.conf import settings
    from django.core.files.base import ContentFile

    from bacuda_portal.core.pdf import render_pdf

    certificate.refresh_from_db(fields=["status"])
    if certificate.status == CertificateStatus.READY:
        return certificate  # a duplicate message (re-queued by the sweep) found the work done
    nomination = certificate.nomination
    workshop = nomination.workshop
    language = nomination.language if nomination.language in ("en", "fr") else "en"
    with translation.override(language):
        verification_url = settings.SITE_URL + certificate.get_verification_url()
    Certificate.objects.filter(pk=certificate.pk).update(attempts=F("attempts") + 1)
    try:
        pdf = render_pdf(
            template="workshops/pdf/certificate.html",
            language=language,
            context={
                "certificate": certificate,
                "participant": nomination.full_name,
                "administration": nomination.administration.name_fr
                if language == "fr"
                else nomination.administration.name_en,
                "workshop": workshop,
                "verification_url": verification_url,
                "qr_code": _qr_code_data_uri(verification_url),
            },
        )
    except Exception as error:
        Certificate.objects.filter(pk=certificate.pk).update(status=CertificateStatus.FAILED, error=repr(error)[:2000])
        raise
    if certificate.file:
        certificate.file.delete(save=False)
    certificate.file.save(f"{certificate.verification_code}.pdf", ContentFile(pdf), save=False)
    certificate.checksum = hashlib.sha256(pdf).hexdigest()
    certificate.status = CertificateStatus.READY
    certificate.error = ""
    certificate.save(update_fields=["file", "checksum", "status", "error", "updated_at"])
    return certificate


# --- Assignments ---------------------------------------------------------------------------------------
@transaction.atomic
def assignment_create(*, workshop: Workshop, expert, role: str, by: User) -> tuple[Assignment, list[Assignment]]:
    """Propose an expert for a workshop. Returns the assignment and the expert's overlapping assignments
    (a double booking is allowed but flagged). Side effects: audit record; the expert is emailed."""
    if workshop.assignments.filter(expert=expert).exists():
        raise ValidationError({"expert": _("This expert is already assigned to this workshop.")})
    assignment = Assignment.objects.create(workshop=workshop, expert=expert, role=role, assigned_by=by)
    conflicts = list(
        selectors.overlapping_assignments(
            expert=expert, start=workshop.start_date, end=workshop.end_date, exclude_workshop=workshop
        )
    )
    audit_record(
        actor=by, action="workshops.assignment.created", target=assignment, double_booked=[a.pk for a in conflicts]
    )
    if expert.email:
        send_templated_email(
            template="workshops/assignment_proposed",
            to=[expert.email],
            context={
                "full_name": expert.full_name,
                "workshop_title": workshop.title,
                "role": assignment.get_role_display(),
                "start_date": workshop.start_date,
                "end_date": workshop.end_date,
            },
        )
    return assignment, conflicts


@transaction.atomic
def assignment_answer(*, assignment: Assignment, accept: bool, by: User) -> Assignment:
    """Proposed -> confirmed or declined, by the expert. Side effects: audit record."""
    if assignment.status != AssignmentStatus.PROPOSED:
        raise TransitionError(_("You have already answered this assignment."))
    assignment.status = AssignmentStatus.CONFIRMED if accept else AssignmentStatus.DECLINED
    assignment.answered_at = timezone.now()
    assignment.save(update_fields=["status", "answered_at", "updated_at"])
    audit_record(actor=by, action=f"workshops.assignment.{assignment.status}", target=assignment)
    return assignment


@transaction.atomic
def assignment_appraise(*, assignment: Assignment, rating: int, comments: str, by: User) -> Assignment:
    """Staff appraise a confirmed expert after a delivered workshop. Side effects: audit record."""
    if assignment.workshop.status not in (WorkshopStatus.DELIVERED, WorkshopStatus.CLOSED):
        raise TransitionError(_("Appraise an expert once the workshop has been delivered."))
    if assignment.status != AssignmentStatus.CONFIRMED:
        raise TransitionError(_("Only an expert who confirmed the assignment can be appraised."))
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("The rating is from 1 to 5.")})
    assignment.rating = rating
    assignment.appraisal = comments.strip()
    assignment.save(update_fields=["rating", "appraisal", "updated_at"])
    audit_record(actor=by, action="workshops.assignment.appraised", target=assignment)
    return assignment
