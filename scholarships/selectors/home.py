"""What the home pages show of scholarships."""

from django.db.models import Count, Q

from bacuda_portal.core.bilingual import row_in_reader_language

from ..enums import ApplicationStatus, DecisionOutcome, DecisionStatus, EndorsementStatus
from ..models import Application

# --- Homes ----------------------------------------------------------------------------------------------------
HOME_ROWS = 5


def administration_applications(administration) -> dict:
    """The contact point's home: their administration's latest applications (never a draft) and how many are
    submitted, waiting for their endorsement, selected. Two queries whatever the rows."""
    applications = Application.objects.filter(administration=administration).exclude(status=ApplicationStatus.DRAFT)
    statuses = dict(ApplicationStatus.choices)
    endorsements = dict(EndorsementStatus.choices)
    latest = list(
        applications.values(
            "pk",
            "full_name",
            "status",
            "endorsement_status",
            "submitted_at",
            "call__cohort_name",
            "call__cohort_name_fr",
        ).order_by("-submitted_at", "-pk")[:HOME_ROWS]
    )
    for row in latest:
        row["cohort"] = row_in_reader_language(row, "call__cohort_name")
        row["status_label"] = statuses.get(row["status"], row["status"])
        row["endorsement_label"] = endorsements.get(row["endorsement_status"], row["endorsement_status"])
    figures = applications.aggregate(
        submitted=Count("pk", filter=Q(status=ApplicationStatus.SUBMITTED)),
        waiting=Count("pk", filter=Q(status=ApplicationStatus.SUBMITTED, endorsement_status=EndorsementStatus.PENDING)),
        selected=Count(
            "pk", filter=Q(decision__status=DecisionStatus.RELEASED, decision__outcome=DecisionOutcome.SELECTED)
        ),
    )
    return {"latest": latest, "figures": figures}


def applicant_activity(user) -> list[dict]:
    """The applicant's home: their applications, newest first, with the call and where each stands. One query."""
    statuses = dict(ApplicationStatus.choices)
    rows = list(
        Application.objects.filter(applicant=user)
        .values(
            "pk", "status", "created_at", "submitted_at", "call__cohort_name", "call__cohort_name_fr", "call__closes_at"
        )
        .order_by("-created_at", "-pk")[:HOME_ROWS]
    )
    for row in rows:
        row["cohort"] = row_in_reader_language(row, "call__cohort_name")
        row["status_label"] = statuses.get(row["status"], row["status"])
    return rows
