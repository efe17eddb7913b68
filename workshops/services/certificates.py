"""Certificates: issued for eligible participants, rendered to PDF in a worker."""

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.services import audit_record
from bacuda_portal.members.models import User

from .. import selectors
from ..enums import (
    CertificateStatus,
    WorkshopStatus,
)
from ..models import Certificate, Workshop

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
    from ..tasks import render_certificate

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
