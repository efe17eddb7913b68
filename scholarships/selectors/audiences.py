"""What the staff mailings read of scholarships (their read contract): a call's applicants as mail recipients."""

from django.db.models import F, QuerySet

from bacuda_portal.core.privacy import ERASED_DOMAIN

from ..enums import ApplicationStatus
from ..models import Application, Call


def call_recipients(call: Call) -> QuerySet[dict]:
    """The call's applicants: submitted applications (drafts and withdrawn ones are left out) whose applicant
    still has an account; anonymised applications have none. Rows: ``email``, ``name``, ``language`` (the
    applicant's preferred one) and ``administration_name``."""
    return (
        Application.objects.filter(
            call=call, status=ApplicationStatus.SUBMITTED, applicant__isnull=False, anonymised_at__isnull=True
        )
        .exclude(applicant__email__iendswith="@" + ERASED_DOMAIN)
        .annotate(
            email=F("applicant__email"),
            name=F("full_name"),
            language=F("applicant__preferred_language"),
            administration_name=F("administration__name_en"),
        )
        .order_by("full_name", "pk")
        .values("email", "name", "language", "administration_name")
    )
