"""Certificates: issuing, staff's retry, downloads and the public verification page."""

import io
import zipfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bacuda_portal.core.bulk import BulkForm, bulk_apply, report_bulk
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
def certificates_issue_many(request):
    """Staff issue the certificates of the ticked workshops at once, one workshop per transaction; each participant
    is emailed when their certificate is rendered. A workshop not delivered, or with nobody left to certify, is
    named with the reason."""
    if not access.can_manage_workshops(request.user):
        raise Http404
    form = BulkForm(request.POST, row_ids=None, actions=[("issue", "issue")])
    if not form.is_valid():
        messages.error(request, form.first_error())
        return redirect("workshops:list")
    ticked = set(form.cleaned_data["rows"])
    workshops = access.workshops_visible_to(request.user).filter(pk__in=ticked).order_by("start_date", "pk")
    outcome = bulk_apply(
        workshops,
        lambda workshop: services.certificates_issue_new(workshop=workshop, by=request.user),
        label=lambda workshop: workshop.localized_title,
    )
    if len(ticked) > len(outcome.done) + len(outcome.failed):  # ticked rows that are not (or no longer) workshops
        outcome.failed.append((_("Other rows"), _("Not found.")))
    report_bulk(
        request,
        outcome,
        done=lambda count: ngettext(
            "Certificates are being prepared for %(count)d workshop; each participant is emailed when theirs is ready.",
            "Certificates are being prepared for %(count)d workshops; each participant is emailed when theirs is "
            "ready.",
            count,
        ),
    )
    return redirect("workshops:list")


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
