"""Reads for the participant's own page and for staff's view of the personal links."""

from dataclasses import dataclass

from django.utils import timezone

from ..enums import CertificateStatus
from ..models import Certificate, Nomination, ParticipantLink


def links_revoked(nomination: Nomination) -> bool:
    """Staff revoked this participant's links (and have not sent a new one since)."""
    latest = nomination.participant_links.order_by("-created_at", "-pk").first()
    return latest is not None and latest.revoked_at is not None


@dataclass(frozen=True)
class LinkSummary:
    """What staff see of a participant's personal links: when the last was sent and whether one works."""

    last_sent_at: object  # datetime | None
    works: bool
    revoked: bool


def link_summaries(nomination_ids: list[int]) -> dict[int, LinkSummary]:
    """``LinkSummary`` by nomination id, for the nominations that have any link (one query)."""
    now = timezone.now()
    rows = (
        ParticipantLink.objects.filter(nomination_id__in=nomination_ids)
        .order_by("nomination_id", "-created_at", "-pk")
        .values_list("nomination_id", "created_at", "revoked_at", "expires_at")
    )
    summaries: dict[int, LinkSummary] = {}
    for nomination_id, created_at, revoked_at, expires_at in rows:
        works = revoked_at is None and expires_at > now
        known = summaries.get(nomination_id)
        if known is None:  # the latest link
            summaries[nomination_id] = LinkSummary(created_at, works, revoked_at is not None)
        elif works and not known.works:
            summaries[nomination_id] = LinkSummary(known.last_sent_at, True, known.revoked)
    return summaries


def participant_certificate(nomination: Nomination) -> Certificate | None:
    """The participant's valid certificate, once its PDF is ready."""
    return (
        Certificate.objects.filter(nomination=nomination, revoked_at__isnull=True, status=CertificateStatus.READY)
        .exclude(file="")
        .first()
    )


def participant_page(nomination: Nomination) -> dict:
    """What the participant's page shows: the workshop, its agenda, the confirmed experts and the certificate.

    The questionnaires are drawn on the page by the evaluations app's ``participant_questionnaires`` tag.
    """
    workshop = nomination.workshop
    return {
        "nomination": nomination,
        "workshop": workshop,
        "sessions": list(workshop.sessions.select_related("trainer").order_by("date", "start_time", "pk")),
        "certificate": participant_certificate(nomination),
        # Issued and not rendered yet (a failed rendering is staff's to retry: the page does not promise it).
        "certificate_pending": Certificate.objects.filter(
            nomination=nomination,
            revoked_at__isnull=True,
            status__in=(CertificateStatus.PENDING, CertificateStatus.RENDERING),
        ).exists(),
    }
