"""Data protection: an application anonymised, an applicant's data exported, an erasure requested."""

import datetime as dt
from typing import Any

from bacuda_portal.core import privacy
from bacuda_portal.core.services import audit_record
from bacuda_portal.members.models import User

from ..enums import (
    DecisionStatus,
    LetterStatus,
)
from ..models import (
    Application,
    ConflictOfInterest,
    Endorsement,
    ProgrammeOutcome,
    Review,
)
from ..models.applications import DOCUMENT_FIELDS
from .common import _now

# The key of scholarship applications in the data-protection register (scholarships/privacy.py).
APPLICATIONS_CATEGORY = "scholarships.applications"
PERSONAL_FIELDS = ("full_name", "nationality", "position", "education_details", "motivation")


def application_anonymise(*, application: Application, now: dt.datetime | None = None) -> Application:
    """Remove an application's personal data and its files; keep what the statistics need (call,
    administration, gender, years of service, education and language levels, status, eligibility,
    endorsement rank, scores, decision). Call inside a transaction.

    Side effects: files deleted from private storage (once the transaction commits); letters deleted; comments
    and conflict reasons blanked.
    """
    for name in DOCUMENT_FIELDS:
        privacy.delete_file(getattr(application, name))  # once the transaction commits
        setattr(application, name, "")
    for name in PERSONAL_FIELDS:
        setattr(application, name, "")
    application.date_of_birth = None
    application.applicant = None
    application.anonymised_at = _now(now)
    application.save()
    Endorsement.objects.filter(application=application).update(comment="")
    Review.objects.filter(application=application).update(comment="")
    ConflictOfInterest.objects.filter(application=application).update(reason="")
    ProgrammeOutcome.objects.filter(application=application).update(reason="")
    application.letters.all().delete()
    return application


def application_data(application: Application) -> dict[str, Any]:
    """One application as its applicant may read it, JSON-ready: their part of the personal data export."""
    endorsement = getattr(application, "endorsement", None)
    outcome = getattr(application, "programme_outcome", None)
    decision = getattr(application, "decision", None)
    released = decision is not None and decision.status == DecisionStatus.RELEASED
    return {
        "reference": application.pk,
        "call": str(application.call),
        "full_name": application.full_name,
        "gender": application.gender,
        "date_of_birth": application.date_of_birth.isoformat() if application.date_of_birth else None,
        "nationality": application.nationality,
        "administration": application.administration.code if application.administration else None,
        "position": application.position,
        "years_of_service": application.years_of_service,
        "education_level": application.education_level,
        "education_details": application.education_details,
        "language_level": application.language_level,
        "motivation": application.motivation,
        "status": application.status,
        "created_at": application.created_at.isoformat(),
        "submitted_at": application.submitted_at.isoformat() if application.submitted_at else None,
        "withdrawn_at": application.withdrawn_at.isoformat() if application.withdrawn_at else None,
        "consent": {
            "given_at": application.consent_given_at.isoformat() if application.consent_given_at else None,
            "version": application.consent_version,
            "text": application.consent_text,
        },
        "eligibility": {
            "result": application.eligibility_result,
            "checks": [
                {
                    "at": check.created_at.isoformat(),
                    "result": check.result,
                    "reasons": check.reasons,
                    "override": check.is_override,
                    "rationale": check.rationale,
                }
                for check in application.eligibility_checks.all()
            ],
        },
        "endorsement": {
            "decision": endorsement.decision,
            "comment": endorsement.comment,
            "rank": endorsement.rank,
        }
        if endorsement
        else None,
        "decision": {
            "outcome": decision.outcome,
            "reserve_rank": decision.reserve_rank,
            "offer": decision.offer_status,
            "reply_by": decision.reply_by.isoformat() if decision.reply_by else None,
        }
        if released
        else None,
        "programme_outcome": {
            "result": outcome.result,
            "date": outcome.ended_on.isoformat(),
            "reason": outcome.reason,
        }
        if outcome
        else None,
        "letters": [
            {"subject": letter.subject, "body": letter.body, "sent_at": letter.sent_at.isoformat()}
            for letter in application.letters.filter(status=LetterStatus.SENT)
        ],
        "documents": [
            f"documents/{application.pk}-{name}.pdf" for name in DOCUMENT_FIELDS if getattr(application, name)
        ],
    }


def applicant_data(user: User) -> dict[str, Any]:
    """Everything the scholarships app holds about an applicant, as JSON-ready data."""
    applications = [
        application_data(application)
        for application in Application.objects.filter(applicant=user).select_related(
            "call__programme", "administration", "endorsement", "decision", "programme_outcome"
        )
    ]
    return {"email": user.email, "full_name": user.full_name, "scholarship_applications": applications}


def applicant_data_export(*, user: User) -> bytes:
    """A ZIP of ``data.json`` and the applicant's uploaded files. Side effects: audit record."""
    import io
    import json
    import zipfile

    data = applicant_data(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False))
        for application in Application.objects.filter(applicant=user):
            for name in DOCUMENT_FIELDS:
                field = getattr(application, name)
                if field:
                    with field.open("rb") as handle:
                        archive.writestr(f"documents/{application.pk}-{name}.pdf", handle.read())
    audit_record(actor=user, action="scholarships.data.exported", target=user)
    return buffer.getvalue()


def erasure_request(*, user: User, note: str = ""):
    """The applicant asks for their scholarship applications to be erased: a request scoped to them (the
    account's "My data" page asks for everything). Side effects: a pending request; audit record."""
    from bacuda_portal.core import privacy_services

    return privacy_services.erasure_request(user=user, categories=[APPLICATIONS_CATEGORY], note=note)
