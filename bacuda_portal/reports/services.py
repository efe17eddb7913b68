"""Writes and state changes of the reports app: one function per transition, each audited.

A report request is queued once per kind, period, language and parameters (the database refuses a second active
one: ``report_one_active_request``); a worker renders it (``report_render``); the beat sweep re-queues a report
whose message was lost and gives up after ``MAX_ATTEMPTS``; staff retry a failed one.
"""

import datetime as dt
import hashlib
import io
import json
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from algorithms import selectors as algorithm_selectors
from bacuda_portal.core.background import Lifecycle
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.services import audit_record
from bacuda_portal.notifications import services as notifications
from bacuda_portal.notifications.enums import Kind as NotificationKind
from scholarships import selectors as scholarship_selectors
from workshops import selectors as workshop_selectors

from . import selectors
from .enums import ACTIVE_REPORT_STATUSES, ReportKind, ReportLanguage, ReportStatus
from .models import Report, ReportNarrative
from .periods import date_range_label

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# Longer than the rendering task's hard time limit: a report still "rendering" after this lost its worker.
STALE_AFTER = dt.timedelta(minutes=15)

TEMPLATES = {
    ReportKind.PROGRESS: "reports/pdf/progress.html",
    ReportKind.WORKSHOP: "reports/pdf/workshop.html",
    ReportKind.SELECTION: "reports/pdf/selection.html",
    ReportKind.MODEL_CARD: "algorithms/pdf/model_card.html",  # the algorithms app's own template
}


def parameters_key(parameters: dict) -> str:
    return hashlib.sha256(json.dumps(parameters, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _period_for(kind: str, period_start, period_end, parameters: dict) -> tuple[dt.date, dt.date, dict]:
    """Check a request's parameters; the workshop and selection reports take their period from their object."""
    if kind == ReportKind.PROGRESS:
        if period_start is None or period_end is None or period_end < period_start:
            raise ValidationError(_("Choose a reporting period."))
        return period_start, period_end, {}
    if kind == ReportKind.WORKSHOP:
        workshop = workshop_selectors.workshop_or_none(parameters.get("workshop"))
        if workshop is None:
            raise ValidationError({"workshop": _("Choose a workshop.")})
        return workshop.start_date, workshop.end_date, {"workshop": workshop.pk}
    if kind == ReportKind.SELECTION:
        call = scholarship_selectors.call_or_none(parameters.get("call"))
        if call is None:
            raise ValidationError({"call": _("Choose a scholarship call.")})
        return timezone.localdate(call.opens_at), timezone.localdate(call.closes_at), {"call": call.pk}
    if kind == ReportKind.MODEL_CARD:
        algorithm = algorithm_selectors.algorithm_or_none(parameters.get("algorithm"))
        if algorithm is None:
            raise ValidationError({"algorithm": _("Choose an algorithm.")})
        created = timezone.localdate(algorithm.created_at)
        # The card's revision is part of the request's identity: an unchanged card finds its PDF (the dedup), an
        # edited one is rendered again. Computed here, never taken from the caller.
        return created, created, {"algorithm": algorithm.pk, "revision": algorithm_selectors.card_revision(algorithm)}
    raise ValidationError({"kind": _("Unknown kind of report.")})


def report_request(
    *, kind: str, language: str, by, period_start=None, period_end=None, parameters: dict | None = None
) -> tuple[Report, bool]:
    """Queue a report, or return the identical one already queued, rendering or ready (a second click).

    Side effects, for a new request: audit record; the rendering task on the ``reports`` queue after commit.
    Returns ``(report, created)``.
    """
    if language not in ReportLanguage.values:
        raise ValidationError({"language": _("Choose English or French.")})
    period_start, period_end, parameters = _period_for(kind, period_start, period_end, parameters or {})
    key = parameters_key(parameters)
    identity = {
        "kind": kind,
        "period_start": period_start,
        "period_end": period_end,
        "language": language,
        "parameters_key": key,
    }
    existing = Report.objects.filter(**identity, status__in=ACTIVE_REPORT_STATUSES).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            report = Report.objects.create(**identity, parameters=parameters, requested_by=by, queued_at=timezone.now())
            audit_record(actor=by, action="reports.report.requested", target=report, kind=kind)
            _queue(report.pk)
    except IntegrityError:
        # Someone else's identical click won the race: the database constraint keeps one.
        existing = Report.objects.filter(**identity, status__in=ACTIVE_REPORT_STATUSES).first()
        if existing is None:
            raise
        return existing, False
    return report, True


RENDERING = Lifecycle(
    model=Report,
    waiting=ReportStatus.QUEUED,
    working=ReportStatus.RENDERING,
    failed=ReportStatus.FAILED,
    task="reports.render_report",
    id_argument="report_id",
    sweep_action="reports.sweep",
    retry_action="reports.report.retried",
    stale_after=STALE_AFTER,
    max_attempts=MAX_ATTEMPTS,
)


def _queue(report_id: int) -> None:
    RENDERING.enqueue(report_id)


def report_context(report: Report) -> dict:
    """Everything a report's template shows; called inside the report's language."""
    context = {
        "report": report,
        "period_label": date_range_label(report.period_start, report.period_end),
        # The only moment in the document: on the cover. Figures never depend on it.
        "generated_at": report.started_at or timezone.now(),
    }
    if report.kind == ReportKind.PROGRESS:
        context.update(selectors.progress_report(report.period_start, report.period_end, report.language))
    elif report.kind == ReportKind.WORKSHOP:
        context.update(selectors.workshop_report(report.parameters["workshop"]))
    elif report.kind == ReportKind.SELECTION:
        context.update(selectors.selection_report(report.parameters["call"]))
    elif report.kind == ReportKind.MODEL_CARD:
        context.update(selectors.model_card_report(report.parameters["algorithm"]))
    return context


def render_report_pdf(report: Report) -> bytes:
    from bacuda_portal.core.pdf import render_pdf

    with translation.override(report.language):
        context = report_context(report)
        title = context.get("document_title") or f"{report.get_kind_display()} – {context['period_label']}"
        return render_pdf(template=TEMPLATES[report.kind], context=context, language=report.language, title=title)


def _page_count(pdf: bytes) -> int | None:
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - pypdf comes with the test requirements
        return None
    return len(PdfReader(io.BytesIO(pdf)).pages)


def report_render(*, report: Report) -> Report:
    """Render a queued report's PDF and archive it (private storage, SHA-256).

    Runs in a worker. Claims the report (queued -> rendering, one more attempt) so a duplicate message does
    nothing; a rendering that raises ends ``failed`` with the reason (staff may retry it) and staff are
    notified (or their digest).
    """
    claimed = RENDERING.claim(report.pk)
    report.refresh_from_db()
    if not claimed:
        return report  # already rendered, rendering elsewhere, or failed: a duplicate message
    try:
        pdf = render_report_pdf(report)
    except Exception as error:  # any failure of a rendering is recorded on the report
        logger.exception("Report %s failed to render", report.pk)
        RENDERING.fail(report.pk, error)
        report.refresh_from_db()
        notifications.notify_staff(
            kind=NotificationKind.WORK_FAILED,
            context={"work": str(report), "error": report.error},
            about=report,
            link=("reports:report_detail", {"pk": report.pk}),
        )
        return report
    if report.file:
        report.file.delete(save=False)
    report.file.save(report.download_name, ContentFile(pdf), save=False)
    report.checksum = hashlib.sha256(pdf).hexdigest()
    report.page_count = _page_count(pdf)
    report.status = ReportStatus.READY
    report.error = ""
    report.finished_at = timezone.now()
    report.save(update_fields=["file", "checksum", "page_count", "status", "error", "finished_at", "updated_at"])
    return report


def reports_sweep(*, stale_after: dt.timedelta = STALE_AFTER, now=None) -> tuple[int, int]:
    """Re-queue reports a lost message (or a killed worker) left queued or rendering; fail those tried too often.

    Side effects: the rendering task for each re-queued report. Returns ``(requeued, failed)``.
    """
    return RENDERING.sweep(now=now, stale_after=stale_after)


def report_retry(*, report: Report, by) -> Report:
    """Failed -> queued again, with a fresh count of attempts. Side effects: audit record; the rendering task."""
    if report.status != ReportStatus.FAILED:
        raise TransitionError(_("Only a report whose rendering failed can be rendered again."))
    try:
        with transaction.atomic():
            RENDERING.requeue(report.pk, by=by)
    except IntegrityError as error:
        raise TransitionError(_("The same report has been requested again meanwhile: open that one.")) from error
    report.refresh_from_db()
    return report


@transaction.atomic
def narrative_save(
    *, period_start, period_end, language: str, executive_summary: str, planned_activities: str, by
) -> ReportNarrative:
    """Create or update the narrative of a period. Side effect: audit record."""
    narrative, _created = ReportNarrative.objects.update_or_create(
        period_start=period_start,
        period_end=period_end,
        language=language,
        defaults={
            "executive_summary": executive_summary,
            "planned_activities": planned_activities,
            "updated_by": by,
        },
    )
    audit_record(actor=by, action="reports.narrative.saved", target=narrative)
    return narrative
