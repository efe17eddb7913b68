"""Model job pages: the list, the submission form, the detail with its live status, cancel and re-run."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bacuda_portal.core.choices import choice_labels
from bacuda_portal.core.csv_export import export_format, table_response
from bacuda_portal.core.pages import add_service_errors, query_without_page, row_url, run_state_change
from bacuda_portal.core.uploads import private_file_response

from .. import access, date_views, hs_views, job_report, selectors, services, simulation
from ..enums import AlgorithmKind, JobKind, JobStatus
from ..forms import JobFilterForm, JobForm, StaffJobFilterForm
from ..image_charts import image_report
from ..models import AlgorithmVersion
from .cards import _flat_metrics

JOB_PAGE_SIZE = 25  # the newest jobs are the ones looked for; each row formats a date and time (~130 µs a row)
JOB_ROW_FIELDS = ("kind", "status", "percent", "created_at", "administration__code", "dataset__name",
                  "created_by__full_name", "created_by__email")  # fmt: skip


# --- Jobs -------------------------------------------------------------------------------------------------------
@login_required
def job_list(request):
    access.require_model_user(request.user)
    visible = access.jobs_visible_to(request.user)
    if access.is_staff(request.user):
        form = StaffJobFilterForm(request.GET or None, administrations=selectors.administrations_in(visible))
    else:
        form = JobFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    jobs = selectors.job_list(
        visible,
        search=filters.get("q", ""),
        kind=filters.get("kind", ""),
        status=filters.get("status", ""),
        administration=filters.get("administration"),
    )
    if file_format := export_format(request):
        return table_response(
            file_format=file_format,
            filename="model-jobs",
            header=[_("Job"), _("Kind"), _("Administration"), _("Dataset"), _("Status"), _("Progress (%)"),
                    _("Seed"), _("Attempts"), _("Submitted by"), _("Queued"), _("Started"), _("Finished"),
                    _("Failure reason")],
            rows=(
                (job.pk, job.get_kind_display(), job.administration.code, job.dataset.name if job.dataset else "",
                 job.get_status_display(), job.percent, job.seed, job.attempts,
                 job.created_by.email if job.created_by else "", job.queued_at or "", job.started_at or "",
                 job.finished_at or "", job.error)
                for job in jobs.iterator(chunk_size=500)
            ),
            actor=request.user,
            action="algorithms.jobs.exported",
        )  # fmt: skip
    # Only the columns the table shows: a job's log, metrics and parameters can be long.
    page = Paginator(jobs.only(*JOB_ROW_FIELDS), JOB_PAGE_SIZE).get_page(request.GET.get("page"))
    kinds, statuses, url = choice_labels(JobKind), choice_labels(JobStatus), row_url("algorithms:job_detail")
    for job in page:
        job.kind_label = kinds.get(job.kind, job.kind)
        job.status_label = statuses.get(job.status, job.status)
        job.url = url(job.pk)
    return render(
        request, "algorithms/job_list.html", {"form": form, "page": page, "query": query_without_page(request)}
    )


def _job_form(request, data=None):
    visible_versions = access.versions_visible_to(request.user).filter(
        algorithm__kind__in=(AlgorithmKind.DATE, AlgorithmKind.IMAGE), model_artifact__isnull=False
    )
    return JobForm(
        data,
        administrations=access.administrations_for_upload(request.user),
        datasets=access.datasets_visible_to(request.user),
        versions=visible_versions,
        initial={"dataset": request.GET.get("dataset"), "kind": request.GET.get("kind")},
    )


@login_required
def job_create(request):
    access.require_model_user(request.user)
    form = _job_form(request, request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                job = services.job_submit(by=request.user, **form.service_arguments())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Job #%(id)d was queued.") % {"id": job.pk})
                return redirect(job)
    return render(request, "algorithms/job_form.html", {"form": form}, status=status)


@login_required
def job_detail(request, pk):
    job = access.get_job_for(request.user, pk)
    version = AlgorithmVersion.objects.filter(job=job).first()
    artifacts = list(job.artifacts.all())
    metrics = job_report.figures_only(job.metrics)
    comparison = None
    if job.kind == JobKind.DATE_SIMULATE:
        comparison = simulation.comparison(job.metrics)
        # the series are in the table, the charts and the CSV: the plain table keeps the other figures
        metrics = {k: v for k, v in metrics.items() if k not in ("strategies", "batches")}
    reports = job_report.job_reports(job.kind, job.metrics)
    return render(
        request,
        "algorithms/job_detail.html",
        {
            "job": job,
            "artifacts": artifacts,
            "version": version,
            "simulation": comparison,
            "simulation_files": [a for a in artifacts if a.name in ("batches", "report_en", "report_fr")],
            "metrics": sorted(_flat_metrics(metrics)),
            "comparison": hs_views.comparison_for(version.metrics if version else job.metrics),
            "champion_selection": date_views.champion_selection_for(job.metrics),
            "batch": hs_views.batch_summary(job),
            "image_report": image_report(job.metrics) if job.kind == JobKind.IMAGE_TRAIN else None,
            "parameters": job_report.parameter_table(job.params, (job.metrics or {}).get("params")),
            **reports,
        },
    )


def job_status_payload(job) -> dict:
    return {
        "id": job.pk,
        "status": job.status,
        "status_display": job.get_status_display(),
        "percent": job.percent,
        "stage": job.stage,
        "error": job.error,
        "attempts": job.attempts,
        "log": job.log[-20000:],
        "finished": job.status not in (JobStatus.QUEUED, JobStatus.RUNNING),
        "heartbeat_at": job.heartbeat_at.isoformat() if job.heartbeat_at else None,
        "server_time": timezone.now().isoformat(),
    }


@login_required
def job_status(request, pk):
    """JSON for the job page's progress bar (static/js/algorithms.js polls it)."""
    job = access.get_job_for(request.user, pk)
    response = JsonResponse(job_status_payload(job))
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def job_cancel(request, pk):
    job = access.get_job_for(request.user, pk)
    run_state_change(
        request,
        lambda: services.job_cancel(job=job, by=request.user),
        success=_("Cancel requested."),
    )
    return redirect(job)


@require_POST
@login_required
def job_rerun(request, pk):
    job = access.get_job_for(request.user, pk)
    try:
        new = services.job_resubmit(job=job, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(job)
    messages.success(request, _("Job #%(id)d was queued with the same data, parameters and seed.") % {"id": new.pk})
    return redirect(new)


@login_required
def artifact_download(request, pk):
    artifact = access.get_artifact_for(request.user, pk)
    return private_file_response(artifact.file, download_name=f"job-{artifact.job_id}-{artifact.filename}")
