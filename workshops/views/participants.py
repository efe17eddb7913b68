"""The participant's own page (by personal link, no account), the "lost your link?" form, and staff's actions on
personal links and on certificates (revoke, reissue)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bacuda_portal.core.client_ip import client_ip
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.pages import run_state_change
from bacuda_portal.core.rate_limit import over_limit
from bacuda_portal.core.services import audit_record
from bacuda_portal.core.uploads import private_file_response

from .. import access, ical, selectors, services
from ..forms import LinkRequestForm, ReasonForm
from .workshops import _calendar_response

# The "lost your link?" form: per network address, and per email address whatever the network.
LINK_REQUESTS_PER_ADDRESS = 5
LINK_REQUESTS_PER_EMAIL = 3
LINK_REQUEST_WINDOW = 60 * 60


def link_gone(request, state: str):
    """The page an expired, revoked or unknown link gets: what happened, and the way to a new link."""
    return render(
        request,
        "workshops/participant/link_gone.html",
        {"state": state},
        status=404 if state == access.LINK_UNKNOWN else 410,
    )


def working_link(request, token):
    """The personal link with this token and None, or None and the page saying why the link no longer works."""
    link, state = access.participant_link_for(token)
    return link, (None if link else link_gone(request, state))


@never_cache
def participant_page(request, token):
    """Public, by personal link: the workshop's practical information, agenda, calendar and certificate."""
    link, refusal = working_link(request, token)
    if refusal:
        return refusal
    context = selectors.participant_page(link.nomination)
    return render(request, "workshops/participant/page.html", {**context, "token": token, "link": link})


@never_cache
def participant_calendar(request, token):
    """The workshop and its sessions as an iCalendar file, for the participant's calendar app."""
    link, refusal = working_link(request, token)
    if refusal:
        return refusal
    workshop = link.nomination.workshop
    content = ical.workshops_calendar(
        [workshop], name=workshop.localized_title, site_url=settings.SITE_URL, with_sessions=True
    )
    return _calendar_response(content, f"workshop-{workshop.pk}.ics")


@never_cache
def participant_certificate(request, token):
    """The participant's certificate PDF, once ready."""
    link, refusal = working_link(request, token)
    if refusal:
        return refusal
    certificate = selectors.participant_certificate(link.nomination)
    if certificate is None:
        raise Http404
    audit_record(actor=None, action="workshops.certificate.downloaded_by_participant", target=certificate)
    return private_file_response(certificate.file, download_name=f"certificate-{certificate.verification_code}.pdf")


def participant_link_request(request):
    """Public: a participant who lost their link asks for a new one by email address. The answer is the same
    whether the address has nominations or not; the links go to that address only."""
    status = 200
    if request.method == "POST":
        form = LinkRequestForm(request.POST)
        if form.is_valid():
            email = form.cleaned_data["email"].strip().lower()
            limited = over_limit(
                f"participant-link:ip:{client_ip(request)}", limit=LINK_REQUESTS_PER_ADDRESS, window=LINK_REQUEST_WINDOW
            )
            limited = (
                over_limit(f"participant-link:email:{email}", limit=LINK_REQUESTS_PER_EMAIL, window=LINK_REQUEST_WINDOW)
                or limited
            )
            if limited:
                form.add_error(None, _("Too many requests were sent. Please try again in an hour."))
                status = 429
            else:
                services.participant_links_request(email=email)
                return render(request, "workshops/participant/link_requested.html", {"email": email})
        else:
            status = 400
    else:
        form = LinkRequestForm()
    return render(request, "workshops/participant/link_request.html", {"form": form}, status=status)


# --- Staff ------------------------------------------------------------------------------------------------------
def _back_to_nominations(nomination):
    return redirect(nomination.workshop.get_absolute_url() + "#nominations-heading")


@require_POST
@login_required
def participant_link_send(request, nomination_pk):
    nomination = access.get_nomination_for_staff(request.user, nomination_pk)
    run_state_change(
        request,
        lambda: services.participant_link_send(nomination=nomination, by=request.user),
        success=_("A new personal link was emailed to %(email)s.") % {"email": nomination.email},
    )
    return _back_to_nominations(nomination)


@require_POST
@login_required
def participant_links_revoke(request, nomination_pk):
    nomination = access.get_nomination_for_staff(request.user, nomination_pk)
    run_state_change(
        request,
        lambda: services.participant_links_revoke(nomination=nomination, by=request.user),
        success=_("%(name)s's personal links no longer work.") % {"name": nomination.full_name},
    )
    return _back_to_nominations(nomination)


def _certificate_change(request, pk, certificate_pk, change, success: str):
    workshop = access.get_workshop_for_staff(request.user, pk)
    certificate = access.get_certificate_for_staff(request.user, workshop, certificate_pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give the reason."))
    else:
        try:
            change(certificate=certificate, reason=form.cleaned_data["reason"], by=request.user)
        except (TransitionError, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, success % {"code": certificate.verification_code})
    return redirect(workshop.get_absolute_url() + "#certificates-heading")


@require_POST
@login_required
def certificate_revoke(request, pk, certificate_pk):
    return _certificate_change(
        request, pk, certificate_pk, services.certificate_revoke, _("The certificate %(code)s is revoked.")
    )


@require_POST
@login_required
def certificate_reissue(request, pk, certificate_pk):
    return _certificate_change(
        request,
        pk,
        certificate_pk,
        services.certificate_reissue,
        _("The certificate %(code)s is revoked; its replacement is being prepared by a worker."),
    )
