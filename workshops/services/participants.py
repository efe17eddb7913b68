"""The participant's own page: personal links emailed to accepted participants, and certificate revocation.

A link is a random token emailed once; only its hash is kept (``ParticipantLink``). Each email carries a fresh
link, so the links in earlier emails keep working until they expire (``PARTICIPANT_LINK_DAYS`` after the
workshop's last day) or staff revoke them all.
"""

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bacuda_portal.core.emails import send_templated_email
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.services import audit_record
from bacuda_portal.members.models import User

from .. import selectors
from ..enums import NominationStatus
from ..models import Certificate, Nomination, ParticipantLink, hash_participant_token
from .certificates import RENDERING

PARTICIPANT_LINK_DAYS = 180


def _language(nomination: Nomination) -> str:
    return nomination.language if nomination.language in ("en", "fr") else "en"


def participant_link_expiry(nomination: Nomination) -> dt.datetime:
    """The end of the day ``PARTICIPANT_LINK_DAYS`` after the workshop's last day, in the portal's time zone."""
    last_day = nomination.workshop.end_date + dt.timedelta(days=PARTICIPANT_LINK_DAYS + 1)
    return timezone.make_aware(dt.datetime.combine(last_day, dt.time.min))


def _new_link(nomination: Nomination, by: User | None) -> str:
    """A fresh link row; returns the link's full address in the participant's language (its only copy)."""
    return _create_link(nomination, by)[1]


def _create_link(nomination: Nomination, by: User | None) -> tuple[ParticipantLink, str]:
    token = secrets.token_urlsafe(32)
    link = ParticipantLink.objects.create(
        nomination=nomination,
        token_hash=hash_participant_token(token),
        expires_at=participant_link_expiry(nomination),
        sent_by=by if by is not None and by.is_authenticated else None,
    )
    with translation.override(_language(nomination)):
        return link, settings.SITE_URL + reverse("participant:page", kwargs={"token": token})


def participant_link_new(*, nomination: Nomination, by: User | None) -> str:
    """A new personal link for an accepted participant, for an email the caller sends. Returns its address.

    Side effects: the link row. Used by the acceptance email (services.nominations) and the certificate's email.
    """
    if nomination.status != NominationStatus.ACCEPTED:
        raise TransitionError(_("Only an accepted participant has a personal page."))
    return _new_link(nomination, by)


def _send_link(nomination: Nomination, url: str) -> None:
    workshop = nomination.workshop
    send_templated_email(
        template="workshops/participant_link",
        to=[nomination.email],
        language=_language(nomination),
        context={
            "full_name": nomination.full_name,
            "workshop_title": workshop.title_for_emails,
            "start_date": workshop.start_date,
            "end_date": workshop.end_date,
            "link": url,
            "expires_at": participant_link_expiry(nomination),
        },
    )


@transaction.atomic
def participant_link_send(*, nomination: Nomination, by: User) -> ParticipantLink:
    """Staff email an accepted participant a fresh personal link (after revoking the old ones, or when one was lost).

    Side effects: a new link row (earlier links that were revoked stay revoked); audit record; the email after
    commit.
    """
    if nomination.status != NominationStatus.ACCEPTED:
        raise TransitionError(_("Only an accepted participant has a personal page."))
    if participant_link_expiry(nomination) <= timezone.now():
        raise TransitionError(_("The participant's page has closed: the workshop ended too long ago."))
    link, url = _create_link(nomination, by)
    _send_link(nomination, url)
    audit_record(actor=by, action="workshops.participant_link.sent", target=nomination)
    return link


@transaction.atomic
def participant_links_revoke(*, nomination: Nomination, by: User) -> int:
    """Every personal link of this participant stops working (staff, e.g. an email sent to a wrong address).

    The public "lost your link" form sends no new link for it; staff may send one. Side effects: audit record.
    Returns how many links were revoked.
    """
    count = ParticipantLink.objects.filter(nomination=nomination, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by, updated_at=timezone.now()
    )
    if not count:
        raise TransitionError(_("This participant has no personal link that works."))
    audit_record(actor=by, action="workshops.participant_link.revoked", target=nomination, count=count)
    return count


@transaction.atomic
def participant_links_request(*, email: str) -> int:
    """The public "lost your link?" form: fresh links for the accepted nominations of that address, emailed to it.

    Skips the nominations whose links staff revoked and those whose page has closed. The caller answers the same
    whatever this returns (no existence oracle). Side effects: link rows; one email listing them; an audit record
    per nomination. Returns how many links were sent.
    """
    email = email.strip().lower()
    nominations = [
        nomination
        for nomination in Nomination.objects.annotate(address=Lower("email"))
        .filter(address=email, status=NominationStatus.ACCEPTED)
        .select_related("workshop")
        .order_by("-workshop__start_date", "pk")
        if participant_link_expiry(nomination) > timezone.now() and not selectors.links_revoked(nomination)
    ]
    if not nominations:
        return 0
    links = [{"workshop_title": n.workshop.title_for_emails, "link": _new_link(n, None)} for n in nominations]
    for nomination in nominations:
        audit_record(actor=None, action="workshops.participant_link.requested", target=nomination)
    send_templated_email(
        template="workshops/participant_links_requested",
        to=[nominations[0].email],
        language=_language(nominations[0]),
        context={"full_name": nominations[0].full_name, "links": links},
    )
    return len(links)


def certificate_ready_email(*, certificate: Certificate) -> None:
    """Tell the participant their certificate is ready: their page (a fresh link, unless staff revoked theirs)
    and the public verification address. Runs in the worker once the PDF is stored.

    Side effects: a link row; the email.
    """
    if certificate.revoked_at is not None:
        return  # revoked while it was being rendered
    nomination = certificate.nomination
    link = None
    if not selectors.links_revoked(nomination) and participant_link_expiry(nomination) > timezone.now():
        link = _new_link(nomination, None)
    with translation.override(_language(nomination)):
        verification_url = settings.SITE_URL + certificate.get_verification_url()
    send_templated_email(
        template="workshops/certificate_ready",
        to=[nomination.email],
        language=_language(nomination),
        context={
            "full_name": nomination.full_name,
            "workshop_title": nomination.workshop.title_for_emails,
            "verification_code": certificate.verification_code,
            "verification_url": verification_url,
            "link": link,
        },
    )


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Please give the reason."))
    return reason


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str, by: User) -> Certificate:
    """A valid certificate -> revoked, with the reason (the public verification page then says so).

    Side effects: audit record (with the reason).
    """
    reason = _clean_reason(reason)
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is not None:
        raise TransitionError(_("This certificate has already been revoked."))
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = by
    certificate.revocation_reason = reason
    certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason", "updated_at"])
    audit_record(actor=by, action="workshops.certificate.revoked", target=certificate, reason=reason)
    return certificate


@transaction.atomic
def certificate_reissue(*, certificate: Certificate, reason: str, by: User) -> Certificate:
    """Replace a certificate (a misspelt name, a wrong date): the old one is revoked with the reason (if it was not
    already) and a new one, with a new code, is rendered and emailed to the participant.

    Side effects: audit records (revoked, reissued); the rendering task after commit. Returns the new certificate.
    """
    reason = _clean_reason(reason)
    old = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if old.revoked_at is None:
        old = certificate_revoke(certificate=old, reason=reason, by=by)
    elif Certificate.objects.filter(nomination_id=old.nomination_id, revoked_at__isnull=True).exists():
        raise TransitionError(_("This participant already has a valid certificate."))
    new = Certificate.objects.create(
        nomination_id=old.nomination_id, issued_on=timezone.localdate(), queued_at=timezone.now()
    )
    audit_record(
        actor=by, action="workshops.certificate.reissued", target=new, replaces=old.verification_code, reason=reason
    )
    RENDERING.enqueue(new.pk)
    return new
