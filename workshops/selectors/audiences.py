"""What the staff mailings read of workshops (their read contract): the workshops one may write to, and the
people of one workshop as mail recipients (address, name, language, administration)."""

from django.db.models import F, QuerySet

from bacuda_portal.core.privacy import ERASED_DOMAIN

from ..enums import ACTIVE_NOMINATION_STATUSES, NominationStatus
from ..models import Nomination, Workshop

RECIPIENT_FIELDS = ("email", "name", "language", "administration_name")


def mailing_workshops() -> QuerySet[Workshop]:
    """Workshops for a choice field, the latest first."""
    return Workshop.objects.only("pk", "title", "start_date").order_by("-start_date", "title")


def workshop_recipients(workshop: Workshop, *, accepted_only: bool) -> QuerySet[dict]:
    """The workshop's participants as recipients: every nomination that holds or waits for a seat (nominated,
    accepted, wait-listed; withdrawn and declined people are left out), or the accepted ones only. Erased
    addresses are never recipients. Rows: ``RECIPIENT_FIELDS``; the language is the nomination's preferred one."""
    statuses = [NominationStatus.ACCEPTED] if accepted_only else list(ACTIVE_NOMINATION_STATUSES)
    return (
        Nomination.objects.filter(workshop=workshop, status__in=statuses)
        .exclude(email__iendswith="@" + ERASED_DOMAIN)
        .annotate(name=F("full_name"), administration_name=F("administration__name_en"))
        .order_by("full_name", "pk")
        .values("email", "name", "language", "administration_name")
    )
