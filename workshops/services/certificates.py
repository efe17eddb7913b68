"""Certificates: issued for eligible participants, rendered to PDF in a worker."""

import datetime as dt

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bacuda_portal.core.background import Lifecycle
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
MAX_RENDER_ATTEMPTS = 3


RENDERING = Lifecycle(
    model=Certificate,
    waiting=CertificateStatus.PENDING,
    working=CertificateStatus.RENDERING,
    failed=CertificateStatus.FAILED,
    task="workshops.render_certificate",
    id_argument="certificate_id",
    sweep_action="workshops.certificates.sweep",
    retry_action="workshops.certificate.retried",
    stale_after=dt.timedelta(minutes=15),
    max_attempts=MAX_RENDER_ATTEMPTS,
    gave_up=lambda count: _("Rendering did not finish after %(count)d attempts.") % {"count": count},
)


@transaction.atomic
def certificates_issue(*, workshop: Workshop, by: User, today: dt.date | None = None) -> int:
    """Create a certificate for every eligible participant who has none yet, and queue their rendering.

    Eligibility follows the attendance rule (selectors.is_certificate_eligible). A certificate is issued on the day
    this runs (``today``, the portal's local date), not on the workshop's last day. Side effects: audit record;
    one ``workshops.render_certificate`` task per new certificate on the ``reports`` queue after commit. Returns
    how many were created.
    """
    if workshop.status not in CERTIFICATE_STATUSES:
        raise TransitionError(_("Certificates are issued once the workshop has been delivered."))
    today = today or timezone.localdate()
    now = timezone.now()
    _sessions, rows = selectors.attendance_sheet(workshop)
    already = set(Certificate.objects.filter(nomination__workshop=workshop).values_list("nomination_id", flat=True))
    created = [
        Certificate.objects.create(nomination=row.nomination, issued_on=today, queued_at=now)
        for row in rows
        if row.eligible and row.nomination.pk not in already
    ]
    if created:
        audit_record(actor=by, action="workshops.certificates.issued", target=workshop, count=len(created))
        for certificate in created:
            RENDERING.enqueue(certificate.pk)
    return len(created)


def certificates_issue_new(*, workshop: Workshop, by: User) -> int:
    """``certificates_issue`` for a bulk action: a workshop with no new certificate to issue is refused with the
    reason, so the summary tells staff which workshops had nobody left to certify."""
    count = certificates_issue(workshop=workshop, by=by)
    if count == 0:
        raise TransitionError(_("Every eligible participant already has a certificate."))
    return count


def certificates_sweep(*, stale_after: dt.timedelta | None = None, now=None) -> tuple[int, int]:
    """Re-queue certificates a lost message or a killed worker left pending or rendering; give up on those tried
    MAX_RENDER_ATTEMPTS times (failed, with the reason). Runs from beat.

    Side effects: the rendering task for each re-queued certificate; one audit record when anything changed.
    Returns ``(requeued, failed)``.
    """
    return RENDERING.sweep(now=now, stale_after=stale_after)


def certificate_retry(*, certificate: Certificate, by: User) -> Certificate:
    """Failed -> pending again with a fresh count of attempts, by staff (after fixing what made it fail).

    Side effects: audit record; the rendering task.
    """
    with transaction.atomic():
        if not RENDERING.requeue(certificate.pk, by=by):
            raise TransitionError(_("Only a certificate whose rendering failed can be rendered again."))
    certificate.refresh_from_db()
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

    Runs in a worker. Claims the certificate (pending -> rendering, one more attempt), so a duplicate message does
    nothing. A rendering that raises goes back to pending with the reason while attempts remain, and the error
    is re-raised so that the task retries; after MAX_RENDER_ATTEMPTS it ends failed (staff may render it again).
    Side effects: the PDF file; the participant is emailed (services.participants.certificate_ready_email); no
    audit record (the issuing was audited).
    """
    import hashlib

    from django.conf import settings
    from django.core.files.base import ContentFile

    from bacuda_portal.core.pdf import render_pdf

    claimed = RENDERING.claim(certificate.pk)
    certificate.refresh_from_db(fields=["status", "attempts", "started_at"])
    if not claimed:
        return certificate  # done, rendering elsewhere or failed: a duplicate message (re-queued by the sweep)
    nomination = certificate.nomination
    workshop = nomination.workshop
    language = nomination.language if nomination.language in ("en", "fr") else "en"
    with translation.override(language):
        verification_url = settings.SITE_URL + certificate.get_verification_url()
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
        if RENDERING.fail_or_retry(certificate.pk, error):
            raise  # the task's own retry renders it again
        certificate.refresh_from_db(fields=["status", "error", "finished_at"])
        return certificate
    if certificate.file:
        certificate.file.delete(save=False)
    certificate.file.save(f"{certificate.verification_code}.pdf", ContentFile(pdf), save=False)
    certificate.checksum = hashlib.sha256(pdf).hexdigest()
    certificate.status = CertificateStatus.READY
    certificate.error = ""
    certificate.finished_at = timezone.now()
    certificate.save(update_fields=["file", "checksum", "status", "error", "finished_at", "updated_at"])
    from .participants import certificate_ready_email  # participants reuses this module's RENDERING

    certificate_ready_email(certificate=certificate)
    return certificate
