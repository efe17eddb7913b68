"""Emails the workflow sends to a workshop's contact points and experts."""

from collections.abc import Iterable

from bacuda_portal.core.emails import send_templated_email
from bacuda_portal.members.models import ContactPoint

from ..enums import (
    AssignmentStatus,
)
from ..models import Workshop


def _contact_point_emails(administration_ids: Iterable[int]) -> list[str]:
    return sorted(
        ContactPoint.objects.active()
        .filter(administration_id__in=list(administration_ids))
        .values_list("user__email", flat=True)
    )


def _notify_workshop(workshop: Workshop, template: str, extra: dict | None = None) -> None:
    """Tell the beneficiaries' contact points and the assigned experts about a workshop event."""
    context = {
        "workshop_title": workshop.title_for_emails,
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
