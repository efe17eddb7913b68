"""Scholarship applications in the data-protection register. The category's selectors live here; erasure is
``services.application_anonymise`` (the statistics stay: call, administration, sex, years of service, levels,
status, eligibility, endorsement rank, scores, decision).

Applicants not selected are anonymised after their call's own retention period (``Call.retention_days``, shown
to applicants with the call); selected scholars after BACUDA_RETENTION_SCHOLAR_YEARS from the call's close.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from bacuda_portal.core import privacy

from . import services
from .enums import DecisionOutcome
from .models import Application, Call
from .models.applications import DOCUMENT_FIELDS


def applications_held() -> QuerySet[Application]:
    return Application.objects.filter(anonymised_at__isnull=True)


def applications_due(now: dt.datetime) -> QuerySet[Application]:
    # Calls are few; each has its own period, compared here rather than with date arithmetic in SQL.
    expired_calls = [
        call.pk
        for call in Call.objects.filter(closes_at__lt=now).only("pk", "closes_at", "retention_days")
        if call.closes_at + dt.timedelta(days=call.retention_days) <= now
    ]
    selected = Q(decision__outcome=DecisionOutcome.SELECTED)
    scholars_cutoff = privacy.years_before(now, settings.BACUDA_RETENTION_SCHOLAR_YEARS)
    return applications_held().filter(
        (Q(call_id__in=expired_calls) & ~selected) | (selected & Q(call__closes_at__lt=scholars_cutoff))
    )


def applications_of(subject: privacy.DataSubject) -> QuerySet[Application]:
    if not subject.user_id:
        return Application.objects.none()
    return Application.objects.filter(applicant_id=subject.user_id).select_related(
        "call__programme", "administration", "endorsement", "decision", "programme_outcome"
    )


@transaction.atomic
def application_erase(application: Application, *, now: dt.datetime, on_request: bool) -> set[str] | None:
    """Anonymise one application (``services.application_anonymise``). Side effects: see there."""
    application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    if application.anonymised_at is not None:
        return None
    removed = {application.full_name}
    services.application_anonymise(application=application, now=now)
    return removed


def _files(application: Application) -> list:
    return [
        (f"{application.pk}-{name}.pdf", getattr(application, name))
        for name in DOCUMENT_FIELDS
        if getattr(application, name)
    ]


def _retention() -> str:
    years = settings.BACUDA_RETENTION_SCHOLAR_YEARS
    return ngettext(
        "Applicants not selected: the period each call states (two years after it closes unless the call says "
        "otherwise). Selected scholars: %(count)d year after the call closes. Then the application is "
        "anonymised and its documents deleted.",
        "Applicants not selected: the period each call states (two years after it closes unless the call says "
        "otherwise). Selected scholars: %(count)d years after the call closes. Then the application is "
        "anonymised and its documents deleted.",
        years,
    ) % {"count": years}


privacy.register(
    privacy.Category(
        key=services.APPLICATIONS_CATEGORY,
        title=_("Scholarship applications"),
        purpose=_(
            "To select scholars (eligibility, endorsement by the administration, review, decision), run the "
            "programme, and report on it."
        ),
        legal_basis=_("Your consent, recorded with the text you agreed to when you submitted the application."),
        data=_(
            "Name, sex, date of birth, nationality, administration, position, years of service, education, "
            "language level, motivation, CV and letters, endorsement, reviews, decision and letters."
        ),
        retention=_retention,
        held=applications_held,
        due=applications_due,
        due_since="call__closes_at",
        erase=application_erase,
        of_subject=applications_of,
        export=services.application_data,
        files=_files,
        order=30,
        display_order=30,
    )
)
