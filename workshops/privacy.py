"""Personal data of workshops in the data-protection register: participants' contact details, and the names on
issued certificates. The categories' selectors and erase services live here, beside their declarations.

A participant is a person across workshops: every nomination with the same address (case-insensitive) is erased
together and given the same invalid address, so that "officials trained", which counts distinct addresses, gives
the same figures before and after. Sex, administration, status and attendance stay for the statistics.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from bacuda_portal.core import privacy

from .models import Certificate, Nomination, ParticipantLink

ERASED_ADDRESS = "@" + privacy.ERASED_DOMAIN


def _cutoff(now: dt.datetime, years: int) -> dt.date:
    return privacy.years_before(timezone.localtime(now), years).date()


# --- Participants ------------------------------------------------------------------------------------------------
def participants_held() -> QuerySet[Nomination]:
    return Nomination.objects.exclude(email__iendswith=ERASED_ADDRESS)


def participants_due(now: dt.datetime) -> QuerySet[Nomination]:
    """Nominations of people whose last workshop ended more than the retention period ago."""
    cutoff = _cutoff(now, settings.BACUDA_RETENTION_PARTICIPANT_YEARS)
    live = participants_held().annotate(person=Lower("email"))
    recent = live.filter(workshop__end_date__gte=cutoff).values("person")
    return live.filter(workshop__end_date__lt=cutoff).exclude(person__in=recent)


def participants_of(subject: privacy.DataSubject) -> QuerySet[Nomination]:
    return (
        Nomination.objects.annotate(person=Lower("email"))
        .filter(person__in=subject.emails)
        .select_related("workshop", "administration")
        .prefetch_related("certificates")
    )


def _certificate_of(nomination: Nomination) -> Certificate | None:
    """The nomination's valid certificate, or else its latest revoked one."""
    certificates = sorted(nomination.certificates.all(), key=lambda c: (c.revoked_at is None, c.created_at))
    return certificates[-1] if certificates else None


def _erase_name(nomination: Nomination) -> set[str]:
    """Pseudonymise the participant's name and delete their certificate's PDF (verification then says so)."""
    if privacy.is_pseudonym(nomination.full_name):
        return set()
    removed = {nomination.full_name}
    nomination.full_name = privacy.pseudonym("participant", nomination.pk)
    for certificate in Certificate.objects.filter(nomination=nomination).exclude(file=""):
        privacy.delete_file(certificate.file)
        certificate.save(update_fields=["file", "updated_at"])
    return removed


@transaction.atomic
def participant_erase(nomination: Nomination, *, now: dt.datetime, on_request: bool) -> set[str] | None:
    """Erase a participant: every nomination with their address gets one invalid address and loses the position;
    the name goes too, except (at the end of the retention period) where a valid certificate still needs it for
    verification, until the certificates' own period ends. On request the name and certificate PDFs go at once.

    Side effects: nominations pseudonymised; certificate PDFs deleted. Returns the names and addresses removed.
    """
    person = nomination.email.lower()
    if privacy.is_erased_email(person):
        if not on_request or privacy.is_pseudonym(nomination.full_name):
            return None
        siblings = [nomination]  # the address went earlier; the request takes the name kept for a certificate
    else:
        siblings = list(Nomination.objects.select_for_update().annotate(person=Lower("email")).filter(person=person))
    placeholder = privacy.erased_email("participant")
    # Their personal links stop working: the page would show what is left of an erased person.
    ParticipantLink.objects.filter(nomination__in=siblings, revoked_at__isnull=True).update(revoked_at=now)
    live_certificates = set(
        Certificate.objects.filter(nomination__in=siblings, revoked_at__isnull=True).values_list(
            "nomination_id", flat=True
        )
    )
    removed: set[str] = set()
    for row in siblings:
        if not privacy.is_erased_email(row.email):
            removed.add(row.email)
            row.email = placeholder
        row.position = ""
        if on_request or row.pk not in live_certificates:
            removed |= _erase_name(row)
        row.save(update_fields=["email", "position", "full_name", "updated_at"])
    return removed


def _participant_export(nomination: Nomination) -> dict:
    certificate = _certificate_of(nomination)
    return {
        "workshop": nomination.workshop.title,
        "workshop_dates": [nomination.workshop.start_date, nomination.workshop.end_date],
        "administration": nomination.administration.code,
        "full_name": nomination.full_name,
        "email": nomination.email,
        "gender": nomination.gender,
        "position": nomination.position,
        "language": nomination.language,
        "agrees_to_appear_on_the_participant_list": nomination.consent_to_list,
        "status": nomination.status,
        "nominated_at": nomination.created_at,
        "attendance": [
            {"date": row.session.date, "session": row.session.topic, "status": row.status}
            for row in nomination.attendance.select_related("session").order_by("session__date", "session__pk")
        ],
        "certificate": {"verification_code": certificate.verification_code, "issued_on": certificate.issued_on}
        if certificate
        else None,
    }


def _participant_files(nomination: Nomination) -> list:
    certificate = _certificate_of(nomination)
    if certificate is None or not certificate.file:
        return []
    return [(f"certificate-{certificate.verification_code}.pdf", certificate.file)]


def _participant_retention() -> str:
    years = settings.BACUDA_RETENTION_PARTICIPANT_YEARS
    return ngettext(
        "%(count)d year after the end of the last workshop you took part in; then your name, address and position "
        "are erased (the name on a valid certificate stays until the certificate's own period ends).",
        "%(count)d years after the end of the last workshop you took part in; then your name, address and "
        "position are erased (the name on a valid certificate stays until the certificate's own period ends).",
        years,
    ) % {"count": years}


privacy.register(
    privacy.Category(
        key="workshops.participants",
        title=_("Workshop participants"),
        purpose=_(
            "To organise workshops (nomination, acceptance, attendance, certificates), follow up on them with "
            "surveys, and report to the donors how many officials were trained, by administration, region and sex."
        ),
        legal_basis=_("The nominating administration's request and the WCO's capacity-building mandate."),
        data=_(
            "Full name, email address, sex, position, preferred language, whether you agreed to appear on the "
            "participant list, attendance per session."
        ),
        retention=_participant_retention,
        held=participants_held,
        due=participants_due,
        due_since="workshop__end_date",
        erase=participant_erase,
        of_subject=participants_of,
        export=_participant_export,
        files=_participant_files,
        order=21,
        display_order=20,
    )
)


# --- Names on certificates ---------------------------------------------------------------------------------------
def certificates_held() -> QuerySet[Certificate]:
    return Certificate.objects.exclude(nomination__full_name__startswith=privacy.ERASED_PREFIX)


def certificates_due(now: dt.datetime) -> QuerySet[Certificate]:
    return certificates_held().filter(issued_on__lt=_cutoff(now, settings.BACUDA_RETENTION_CERTIFICATE_YEARS))


def certificates_of(subject: privacy.DataSubject) -> QuerySet[Certificate]:
    return (
        Certificate.objects.annotate(person=Lower("nomination__email"))
        .filter(person__in=subject.emails)
        .select_related("nomination__workshop")
    )


@transaction.atomic
def certificate_holder_erase(certificate: Certificate, *, now: dt.datetime, on_request: bool) -> set[str] | None:
    """Pseudonymise the holder's name and delete the PDF; the certificate's code, date and workshop stay, and
    verification answers that the holder's name was erased. Side effects: the nomination's name; the PDF deleted.
    """
    nomination = Nomination.objects.select_for_update().get(pk=certificate.nomination_id)
    if privacy.is_pseudonym(nomination.full_name):
        return None
    removed = _erase_name(nomination)
    nomination.save(update_fields=["full_name", "updated_at"])
    return removed


def _certificate_retention() -> str:
    years = settings.BACUDA_RETENTION_CERTIFICATE_YEARS
    return ngettext(
        "%(count)d year after the certificate is issued, so that anyone can verify it; then the name is "
        "erased and the PDF deleted.",
        "%(count)d years after the certificate is issued, so that anyone can verify it; then the name is "
        "erased and the PDF deleted.",
        years,
    ) % {"count": years}


privacy.register(
    privacy.Category(
        key="workshops.certificates",
        title=_("Names on certificates of attendance"),
        purpose=_("So that an employer or a university can check that a certificate is genuine."),
        legal_basis=_("The WCO's legitimate interest in certificates that cannot be forged."),
        data=_("The participant's name on the certificate, its PDF and its verification code."),
        retention=_certificate_retention,
        held=certificates_held,
        due=certificates_due,
        due_since="issued_on",
        erase=certificate_holder_erase,
        of_subject=certificates_of,
        export=lambda certificate: {
            "verification_code": certificate.verification_code,
            "workshop": certificate.nomination.workshop.title,
            "name": certificate.nomination.full_name,
            "issued_on": certificate.issued_on,
            "revoked_at": certificate.revoked_at,
        },
        order=20,
        display_order=21,
    )
)
