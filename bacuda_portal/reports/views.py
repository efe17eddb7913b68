"""Pages of the reports app: the KPI dashboard, the report archive with its request forms, a report's progress
page (polled by static/js/reports.js), downloads, retries and the narrative of a period."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bacuda_portal.core.choices import choice_labels
from bacuda_portal.core.csv_export import export_format, table_response
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.pages import query_without_page, row_url
from bacuda_portal.core.services import audit_record
from bacuda_portal.core.uploads import private_file_response
from bacuda_portal.members.access import is_wco_staff

from . import access, selectors, services
from .enums import ReportKind, ReportLanguage, ReportStatus
from .forms import (
    DashboardFilterForm,
    ModelCardReportForm,
    NarrativeForm,
    ProgressReportForm,
    ReportFilterForm,
    SelectionReportForm,
    WorkshopReportForm,
    period_from,
)
from .models import IndicatorValue, ReportNarrative

PAGE_SIZE = 25


@login_required
def dashboard(request):
    if not access.can_view_dashboard(request.user):
        raise Http404
    staff = is_wco_staff(request.user)
    form = DashboardFilterForm(request.GET or None, staff=staff)
    cleaned = form.cleaned_data if form.is_valid() else {}
    raw_administration = request.GET.get("administration") or None
    try:
        administration_id = int(raw_administration) if raw_administration else None
    except ValueError as error:
        raise Http404 from error
    administration = access.dashboard_scope(request.user, administration_id)
    region = cleaned.get("region") if staff else None
    period = form.period()
    data = selectors.dashboard(period=period, administration=administration, region=region)
    if file_format := export_format(request):
        return table_response(
            file_format=file_format,
            filename=f"bacuda-indicators-{period.start:%Y%m%d}-{period.end:%Y%m%d}",
            header=[_("Objective"), _("Indicator"), _("Title"), _("Unit"), _("Baseline"), _("Target"), _("Actual"),
                    _("Progress (%)"), _("By sex"), _("By region"), _("Note")],
            rows=selectors.dashboard_csv_rows(data["rows"], data["region_names"]),
            actor=request.user,
            action="reports.dashboard.exported",
        )  # fmt: skip
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "period": period,
            "administration": administration,
            "region": region,
            "query": query_without_page(request),
            "is_staff": staff,
            **data,
        },
    )


def _request_forms(data=None, kind: str | None = None, workshop_search: str = "") -> dict:
    return {
        "progress_form": ProgressReportForm(data if kind == ReportKind.PROGRESS else None, prefix="progress"),
        "workshop_form": WorkshopReportForm(
            data if kind == ReportKind.WORKSHOP else None, prefix="workshop", search=workshop_search
        ),
        "selection_form": SelectionReportForm(data if kind == ReportKind.SELECTION else None, prefix="selection"),
        "model_card_form": ModelCardReportForm(data if kind == ReportKind.MODEL_CARD else None, prefix="model_card"),
    }


@login_required
def report_list(request):
    access.require_manager(request.user)
    form = ReportFilterForm(request.GET or None)
    cleaned = form.cleaned_data if form.is_valid() else {}
    reports = access.reports_visible_to(request.user).select_related("requested_by")
    if cleaned.get("kind"):
        reports = reports.filter(kind=cleaned["kind"])
    if cleaned.get("status"):
        reports = reports.filter(status=cleaned["status"])
    page = Paginator(reports.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    _label_rows(page)
    workshop_search = request.GET.get("workshop_q", "").strip()[:100]
    return render(
        request,
        "reports/report_list.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "workshop_search": workshop_search,
            **_request_forms(workshop_search=workshop_search),
        },
    )


def _label_rows(reports) -> None:
    """Labels and links of the archive's rows, translated and reversed once for the page, not once per row."""
    kinds, languages, statuses = choice_labels(ReportKind), choice_labels(ReportLanguage), choice_labels(ReportStatus)
    url = row_url("reports:report_detail")
    for report in reports:
        report.kind_label = kinds.get(report.kind, report.kind)
        report.language_label = languages.get(report.language, report.language)
        report.status_label = statuses.get(report.status, report.status)
        report.url = url(report.pk)


@require_POST
@login_required
def report_request(request, kind: str):
    access.require_manager(request.user)
    if kind not in ReportKind.values:
        raise Http404
    forms = _request_forms(request.POST, kind)
    form = forms[f"{kind}_form"]
    if form.is_valid():
        arguments = {"kind": kind, "language": form.cleaned_data["language"], "by": request.user}
        if kind == ReportKind.PROGRESS:
            period = form.period()
            arguments.update(period_start=period.start, period_end=period.end)
        elif kind == ReportKind.WORKSHOP:
            arguments["parameters"] = {"workshop": form.cleaned_data["workshop"].pk}
        elif kind == ReportKind.SELECTION:
            arguments["parameters"] = {"call": form.cleaned_data["call"].pk}
        else:
            arguments["parameters"] = {"algorithm": form.cleaned_data["algorithm"].pk}
        try:
            report, created = services.report_request(**arguments)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if not created:
                messages.info(request, _("This report was already requested: here it is."))
            return redirect(report)
    reports = access.reports_visible_to(request.user).select_related("requested_by")
    page = Paginator(reports.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(1)
    _label_rows(page)
    return render(
        request,
        "reports/report_list.html",
        {"form": ReportFilterForm(), "page": page, "query": "", **forms},
        status=400,
    )


@login_required
def report_detail(request, pk: int):
    report = access.get_report_for(request.user, pk)
    return render(
        request,
        "reports/report_detail.html",
        {"report": report, "pending": report.is_pending, "subject": selectors.report_subject(report)},
    )


def status_payload(report) -> dict:
    return {
        "id": report.pk,
        "status": report.status,
        "status_label": str(ReportStatus(report.status).label),
        "attempts": report.attempts,
        "failure_reason": report.error,
        "download_url": reverse("reports:report_download", kwargs={"pk": report.pk})
        if report.status == ReportStatus.READY
        else None,
        "checksum": report.checksum,
    }


@login_required
def report_status(request, pk: int):
    report = access.get_report_for(request.user, pk)
    response = JsonResponse(status_payload(report))
    response["Cache-Control"] = "no-store"
    return response


@login_required
def report_download(request, pk: int):
    report = access.get_report_for(request.user, pk)
    if report.status != ReportStatus.READY or not report.file:
        raise Http404
    # Reports carry names of participants and applicants: each download is on record.
    audit_record(actor=request.user, action="reports.report.downloaded", target=report)
    return private_file_response(report.file, download_name=report.download_name)


@require_POST
@login_required
def report_retry(request, pk: int):
    report = access.get_report_for(request.user, pk)
    access.require_manager(request.user)
    try:
        services.report_retry(report=report, by=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    return redirect(report)


@login_required
def narrative_edit(request):
    access.require_manager(request.user)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
        period = period_from(year, request.GET.get("part", ""))
    except ValueError as error:
        raise Http404 from error
    language = request.GET.get("language", "en")
    if language not in ("en", "fr"):
        raise Http404
    narrative = ReportNarrative.objects.filter(
        period_start=period.start, period_end=period.end, language=language
    ).first()
    initial = (
        {"executive_summary": narrative.executive_summary, "planned_activities": narrative.planned_activities}
        if narrative
        else {}
    )
    form = NarrativeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.narrative_save(
            period_start=period.start, period_end=period.end, language=language, by=request.user, **form.cleaned_data
        )
        messages.success(request, _("The narrative is saved."))
        return redirect(request.get_full_path())
    return render(
        request,
        "reports/narrative_form.html",
        {"form": form, "period": period, "language": language, "narrative": narrative},
    )


def model_card_pdf(request, slug: str, language: str):
    """The archived PDF of a published model card, for anybody (linked from the card's page)."""
    report = access.get_public_model_card_pdf(slug, language)
    return private_file_response(report.file, download_name=f"model-card-{slug}-{report.language}.pdf")


@login_required
def evidence_download(request, pk: int):
    """The evidence file of an entered indicator value (private storage): staff only."""
    access.require_manager(request.user)
    value = IndicatorValue.objects.filter(pk=pk).exclude(evidence_file="").first()
    if value is None:
        raise Http404
    audit_record(actor=request.user, action="reports.evidence.downloaded", target=value)
    return private_file_response(value.evidence_file)
