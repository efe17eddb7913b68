"""Archived reports that name people (workshop reports list the participants, selection reports the ranked
applicants), in the data-protection register. The category's selectors and erase service live here.

Erasure deletes the archived PDF and marks the report failed with the reason, so that staff may render it again
from today's data, in which erased people appear under their pseudonym.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from bacuda_portal.core import privacy
from scholarships.privacy import applications_of
from workshops.privacy import participants_of

from .enums import ReportKind, ReportStatus
from .models import Report

NAMING_KINDS = (ReportKind.WORKSHOP, ReportKind.SELECTION)
ERASED_REASON = "The archived PDF named people and was deleted under the data-protection rules; render it again."


def named_reports_held() -> QuerySet[Report]:
    return Report.objects.filter(kind__in=NAMING_KINDS).exclude(file="")


def named_reports_due(now: dt.datetime) -> QuerySet[Report]:
    cutoff = privacy.years_before(now, settings.BACUDA_RETENTION_NAMED_REPORT_YEARS)
    return named_reports_held().filter(created_at__lt=cutoff)


def named_reports_of(subject: privacy.DataSubject) -> QuerySet[Report]:
    """The reports of the workshops the person took part in and of the calls they applied to."""
    workshops = list(participants_of(subject).values_list("workshop_id", flat=True).distinct())
    calls = list(applications_of(subject).values_list("call_id", flat=True).distinct())
    return named_reports_held().filter(
        Q(kind=ReportKind.WORKSHOP, parameters__workshop__in=workshops)
        | Q(kind=ReportKind.SELECTION, parameters__call__in=calls)
    )


@transaction.atomic
def named_report_erase(report: Report, *, now: dt.datetime, on_request: bool) -> set[str] | None:
    """Delete the archived PDF; the report becomes failed with the reason (staff may render it again).
    Side effects: the file deleted; the report row."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not report.file:
        return None
    privacy.delete_file(report.file)
    report.status = ReportStatus.FAILED
    report.error = ERASED_REASON
    report.checksum = ""
    report.save(update_fields=["file", "status", "error", "checksum", "updated_at"])
    return set()


def _retention() -> str:
    years = settings.BACUDA_RETENTION_NAMED_REPORT_YEARS
    return ngettext(
        "%(count)d year after the report is made, or at once when someone named in it is erased; the report can "
        "be made again without the erased names.",
        "%(count)d years after the report is made, or at once when someone named in it is erased; the report can "
        "be made again without the erased names.",
        years,
    ) % {"count": years}


privacy.register(
    privacy.Category(
        key="reports.named_reports",
        title=_("Archived workshop and selection reports"),
        purpose=_("To report to the donors and keep a record of each workshop and of each scholarship selection."),
        legal_basis=_("The WCO's reporting obligations to the donors of the project."),
        data=_("Participants' names, administrations, positions and attendance; applicants' names and ranks."),
        retention=_retention,
        held=named_reports_held,
        due=named_reports_due,
        due_since="created_at",
        erase=named_report_erase,
        of_subject=named_reports_of,
        export=lambda report: {"report": report.pk, "kind": report.kind, "made_at": report.created_at},
        order=10,  # before the participants and applications it names lose the link to the person
        display_order=80,
    )
)
