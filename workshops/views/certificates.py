"""Certificates: issuing, staff's retry, downloads and the public verification page."""

import io
import zipfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.pages import run_state_change
from bacuda_portal.core.privacy import is_pseudonym
from bacuda_portal.core.services import audit_record
from bacuda_portal.core.uploads import attachment_response, private_file_response

from .. import access, services
from ..enums import CertificateStatus
from ..models import Certificate


@require_POST
@login_required
def certificates_issue(request, pk):
    workshop = access.get_workshop_for_staff(request.user, pk)
    try:
        count = services.certificates_issue(workshop=workshop, by=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(count)d certificates are being prepared by a worker.") % {"count": count})
    return redirect(workshop)


@require_POST
@login_required
def certificate_retry(request, pk, certificate_pk):
    workshop = access.get_workshop_for_staff(request.user, pk)
    certificate = access.certificates_visible_to(request.user, workshop).filter(pk=certificate_pk).first()
    if certificate is None:
        raise Http404
    run_state_change(
        request,
        lambda: services.certificate_retry(certificate=certificate, by=request.user),
        success=_("The certificate is being rendered again."),
    )
    return redirect(workshop)


@login_required
def certificate_download(request, certificate_pk):
    certificate = access.get_certificate_for(request.user, certificate_pk)
    # No file: the holder was erased. A revoked certificate is not handed out (its verification says why).
    if certificate.status != CertificateStatus.READY or not certificate.file or certificate.revoked_at:
        raise Http404
    audit_record(actor=request.user, action="workshops.certificate.downloaded", target=certificate)
    return private_file_response(certificate.file, download_name=f"certificate-{certificate.verification_code}.pdf")


@login_required
def certificates_zip(request, pk):
    """Every ready certificate of the workshop the user may see, in one ZIP file."""
    workshop = access.get_workshop_for(request.user, pk)
    certificates = (
        access.certificates_visible_to(request.user, workshop)
        .filter(status=CertificateStatus.READY, revoked_at__isnull=True)
        .exclude(file="")
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates.select_related("nomination"):
            name = slugify(certificate.nomination.full_name) or "participant"
            with certificate.file.open("rb") as handle:
                archive.writestr(f"{name}-{certificate.verification_code}.pdf", handle.read())
    audit_record(actor=request.user, action="workshops.certificates.downloaded", target=workshop)
    return attachment_response(buffer.getvalue(), filename=f"certificates-workshop-{workshop.pk}.zip")


def certificate_verify(request, code=None):
    """Public: anyone holding a certificate's code can check that it is genuine, or that it was revoked (when, why)."""
    code = (code or request.GET.get("code", "")).strip().upper()
    certificate = None
    if code:
        certificate = (
            Certificate.objects.filter(verification_code=code)
            .select_related("nomination__workshop", "nomination__administration")
            .first()
        )
    return render(
        request,
        "workshops/certificate_verify.html",
        {
            "code": code,
            "certificate": certificate,
            "holder_erased": certificate is not None and is_pseudonym(certificate.nomination.full_name),
        },
        status=200 if certificate or not code else 404,
    )
