"""Pages of the algorithms app: thin; they parse input, ask ``access``, call one service and render."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bacuda_portal.core.choices import choice_labels
from bacuda_portal.core.csv_export import export_format, table_response
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.pages import (
    add_service_errors,
    query_without_page,
    row_url,
    run_state_change,
)
from bacuda_portal.core.services import audit_record
from bacuda_portal.core.uploads import attachment_response, private_file_response
from bacuda_portal.reports import access as report_access
from bacuda_portal.reports import selectors as report_selectors
from bacuda_portal.reports.forms import ModelCardReportForm

from . import access, date_views, extra_columns, hs, hs_views, selectors, services, simulation
from .enums import IMAGE_DATASET_KINDS, AlgorithmKind, DatasetKind, JobKind, JobStatus
from .forms import (
    AlgorithmForm,
    AliasForm,
    CatalogueFilterForm,
    ColumnMappingForm,
    DatasetFilterForm,
    DatasetUploadForm,
    HsSuggestForm,
    ImageHsCodesForm,
    JobFilterForm,
    JobForm,
    ModelCardForm,
    StaffDatasetFilterForm,
    StaffJobFilterForm,
    VersionForm,
)
from .image_charts import image_report
from .image_sets import SPLITS
from .models import AlgorithmVersion, ModelCard

PAGE_SIZE = 50
JOB_PAGE_SIZE = 25  # the newest jobs are the ones looked for; each row formats a date and time (~130 µs a row)
# The columns the list pages show (the related rows are joined whole otherwise).
DATASET_ROW_FIELDS = ("name", "kind", "row_count", "date_from", "date_to", "created_at", "administration__code",
                      "uploaded_by__full_name", "uploaded_by__email")  # fmt: skip
JOB_ROW_FIELDS = ("kind", "status", "percent", "created_at", "administration__code", "dataset__name",
                  "created_by__full_name", "created_by__email")  # fmt: skip

PUBLICATION_ACTIONS = {
    "request": services.publication_request,
    "approve": services.publication_approve,
    "withdraw": services.publication_withdraw,
}


# --- Catalogue and cards ----------------------------------------------------------------------------------------
def catalogue(request):
    visible = access.algorithms_visible_to(request.user)
    form = CatalogueFilterForm(request.GET or None) if access.is_staff(request.user) else None
    algorithms = selectors.catalogue(visible)
    if form is not None and form.is_valid() and form.cleaned_data["publication"]:
        algorithms = algorithms.filter(publication=form.cleaned_data["publication"])
    return render(request, "algorithms/catalogue.html", {"algorithms": algorithms, "form": form})


def card(request, slug):
    algorithm = access.get_algorithm_for(request.user, slug)
    card_obj = getattr(algorithm, "card", None)
    versions = selectors.versions_of(algorithm, access.versions_visible_to(request.user))
    # The card's PDF is one of the reports (bacuda_portal.reports: one rendering path, archive, dedup, sweep).
    # Staff export it through the reports app's request (the form posts to reports:report_request) and follow its
    # progress page; anybody downloads the PDF of a published card (see reports.access.get_public_model_card_pdf).
    can_export = report_access.can_manage_reports(request.user)
    public_pdfs = report_selectors.current_model_card_pdfs(algorithm) if algorithm.is_published else {}
    reliability = _reliability(versions) if algorithm.kind == AlgorithmKind.AIHS else None
    return render(
        request,
        "algorithms/card.html",
        {
            "algorithm": algorithm,
            "card": card_obj,
            "sections": card_obj.sections() if card_obj else [],
            "versions": versions,
            "can_edit": access.can_edit_card(request.user, algorithm),
            "can_approve": access.can_approve(request.user, algorithm),
            "reliability": reliability,
            "public_pdfs": sorted(public_pdfs.values(), key=lambda report: report.language),
            "card_reports": list(report_selectors.model_card_reports(algorithm)[:5]) if can_export else [],
            "pdf_form": ModelCardReportForm(
                algorithm=algorithm, prefix="model_card", initial={"language": translation.get_language()}
            )
            if can_export
            else None,
        },
    )


def _reliability(versions) -> dict | None:
    """The reliability diagram of the newest version measured on real held-out descriptions (AI-HS), if any."""
    from django.utils.safestring import mark_safe

    from .engines.aihs.calibration import reliability_svg

    for version in versions:
        metrics = version.metrics or {}
        data = metrics.get("reliability")
        if not metrics.get("real_data") or not isinstance(data, dict) or "counts" not in data:
            continue
        source = ", ".join(metrics.get("real_sources") or [])
        title = _("Reliability of the first suggestion, version %(number)d") % {"number": version.number}
        svg = reliability_svg(data, title=title, x_label=_("confidence of the first suggestion"))
        return {
            "version": version.number,
            "source": source,
            "n": sum(data["counts"]),
            "confidence": round(100 * float(data.get("mean_top1_confidence", 0)), 1),
            "accuracy": round(100 * float(data.get("top1_accuracy", 0)), 1),
            "svg": mark_safe(svg),  # noqa: S308 (built by our code; every text in it is escaped)
        }
    return None


@login_required
def card_edit(request, slug):
    access.require_staff(request.user)
    algorithm = access.get_algorithm_for(request.user, slug)
    # A card not written yet is an empty form; ``services.card_update`` creates it on the first save (no write on GET).
    card_obj = ModelCard.objects.filter(algorithm=algorithm).first() or ModelCard(algorithm=algorithm)
    algorithm_form = AlgorithmForm(request.POST or None, instance=algorithm, prefix="algorithm")
    card_form = ModelCardForm(request.POST or None, instance=card_obj, prefix="card")
    status = 200
    if request.method == "POST":
        status = 400
        if algorithm_form.is_valid() and card_form.is_valid():
            try:
                services.card_update(
                    algorithm=algorithm, by=request.user, **algorithm_form.cleaned_data, **card_form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(algorithm_form, error)
            else:
                messages.success(request, _("The model card was saved."))
                return redirect(algorithm)
        algorithm.refresh_from_db()
    return render(
        request,
        "algorithms/card_form.html",
        {"algorithm": algorithm, "algorithm_form": algorithm_form, "card_form": card_form},
        status=status,
    )


def _publication(request, obj, action):
    function = PUBLICATION_ACTIONS.get(action)
    if function is None:
        raise Http404
    algorithm = obj if not isinstance(obj, AlgorithmVersion) else obj.algorithm
    allowed = access.is_staff(request.user) or (
        access.can_approve(request.user, algorithm) and action in ("approve", "withdraw")
    )
    if not allowed:
        raise Http404
    try:
        function(obj=obj, by=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Publication status: %(status)s.") % {"status": obj.get_publication_display()})
    return redirect(obj)


@require_POST
@login_required
def card_publication(request, slug, action):
    return _publication(request, access.get_algorithm_for(request.user, slug), action)


# --- Versions ---------------------------------------------------------------------------------------------------
def version_detail(request, pk):
    version = access.get_version_for(request.user, pk)
    return render(
        request,
        "algorithms/version_detail.html",
        {
            "version": version,
            "algorithm": version.algorithm,
            "aliases": list(version.aliases.all()),
            "show_job": access.can_see_job_link(request.user, version),
            "can_edit": access.is_staff(request.user),
            "can_approve": access.can_approve(request.user, version.algorithm),
            "metrics": sorted(_flat_metrics(version.metrics)),
            "comparison": hs_views.comparison_for(version.metrics),
            "champion_selection": date_views.champion_selection_for(version.metrics),
            "image_report": image_report(version.metrics) if version.algorithm.kind == AlgorithmKind.IMAGE else None,
            "version_form": VersionForm(
                initial={"release_notes_en": version.release_notes_en, "release_notes_fr": version.release_notes_fr}
            ),
            "alias_form": AliasForm(),
        },
    )


def _flat_metrics(metrics, prefix=""):
    """(name, value) pairs of a nested metrics dict, for a plain table."""
    if isinstance(metrics, dict):
        for key, value in metrics.items():
            yield from _flat_metrics(value, f"{prefix}{key} / " if isinstance(value, dict) else f"{prefix}{key}")
    elif prefix:
        yield prefix.rstrip(" /"), metrics


@require_POST
@login_required
def version_edit(request, pk):
    access.require_staff(request.user)
    version = access.get_version_for(request.user, pk)
    form = VersionForm(request.POST)
    if form.is_valid():
        services.version_update(version=version, by=request.user, **form.cleaned_data)
        messages.success(request, _("The release notes were saved."))
    return redirect(version)


@require_POST
@login_required
def version_publication(request, pk, action):
    return _publication(request, access.get_version_for(request.user, pk), action)


@require_POST
@login_required
def version_alias(request, pk):
    access.require_staff(request.user)
    version = access.get_version_for(request.user, pk)
    form = AliasForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an alias."))
        return redirect(version)
    run_state_change(
        request,
        lambda: services.alias_move(version=version, name=form.cleaned_data["name"], by=request.user),
        success=_("This version is now the %(alias)s.") % {"alias": form.cleaned_data["name"]},
    )
    return redirect(version)


# --- Datasets ---------------------------------------------------------------------------------------------------
@login_required
def dataset_list(request):
    access.require_model_user(request.user)
    visible = access.datasets_visible_to(request.user)
    if access.is_staff(request.user):
        form = StaffDatasetFilterForm(request.GET or None, administrations=selectors.administrations_in(visible))
    else:
        form = DatasetFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    datasets = selectors.dataset_list(
        visible,
        search=filters.get("q", ""),
        kind=filters.get("kind", ""),
        administration=filters.get("administration"),
    )
    page = Paginator(datasets.only(*DATASET_ROW_FIELDS), PAGE_SIZE).get_page(request.GET.get("page"))
    kinds, url = choice_labels(DatasetKind), row_url("algorithms:dataset_detail")
    for dataset in page:
        dataset.kind_label, dataset.url = kinds.get(dataset.kind, dataset.kind), url(dataset.pk)
    return render(
        request, "algorithms/dataset_list.html", {"form": form, "page": page, "query": query_without_page(request)}
    )


def upload_too_large(request) -> str:
    """The refusal of a request body over the dataset size limit, decided from its declared length before any
    of the body is read (an empty string when it may be read)."""
    limit = settings.BACUDA_DATASET_MAX_MEGABYTES  # image archives too: their own limit may only be lower
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit * 1024 * 1024 + 64 * 1024:  # the file plus the form's other fields
        return _("The file is too large (%(size).1f MB); the limit is %(limit)d MB.") % {
            "size": length / 1024 / 1024,
            "limit": limit,
        }
    return ""


PENDING_SESSION_KEY = "algorithms_pending_uploads"  # token -> {"path", "name"}: files kept for the mapping step


def _pending(request, token: str) -> dict | None:
    return request.session.get(PENDING_SESSION_KEY, {}).get(token) if token else None


def _forget_pending(request, token: str) -> None:
    kept = request.session.get(PENDING_SESSION_KEY, {})
    entry = kept.pop(token, None)
    if entry is not None:
        services.pending_upload_discard(entry["path"])
        request.session[PENDING_SESSION_KEY] = kept


def _keep_pending(request, uploaded) -> str:
    token = secrets.token_urlsafe(16)
    kept = request.session.get(PENDING_SESSION_KEY, {})
    for old in list(kept)[:-4]:  # a few at most per session: the oldest are given up
        services.pending_upload_discard(kept.pop(old)["path"])
    kept[token] = {"path": services.pending_upload_keep(uploaded), "name": (uploaded.name or "")[:255]}
    request.session[PENDING_SESSION_KEY] = kept
    return token


@login_required
def dataset_upload(request):
    """Upload a dataset. A declarations file whose columns differ from the layout comes back with a mapping step:
    the file is kept (for this session), what was typed stays, and each field of the layout is given one of the
    file's columns (suggested; the administration's saved mapping preselected)."""
    access.require_model_user(request.user)
    administrations = access.administrations_for_upload(request.user)
    refusal = upload_too_large(request) if request.method == "POST" else ""
    if refusal:
        form = DatasetUploadForm(administrations=administrations)
        return render(
            request, "algorithms/dataset_form.html", {"form": form, "report": None, "refusal": refusal}, status=413
        )
    token = request.POST.get("pending", "") if request.method == "POST" else ""
    pending = _pending(request, token)
    if token and pending is None:
        token = ""  # not this session's, or already used: the user chooses the file again
    form = DatasetUploadForm(
        request.POST or None,
        request.FILES or None,
        administrations=administrations,
        pending_name=pending["name"] if pending else "",
    )
    context = {"form": form, "report": None, "mapping_form": None}
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            uploaded, mapping = data["file"], None
            if uploaded is not None and pending is not None:  # another file replaces the kept one
                _forget_pending(request, token)
                pending, token = None, ""
            if uploaded is None:
                uploaded = services.pending_upload_open(pending["path"], pending["name"])
                if uploaded is None:
                    _forget_pending(request, token)
                    form.add_error("file", _("The file kept from the previous step is gone: choose it again."))
                    return render(request, "algorithms/dataset_form.html", context, status=status)
                header = services.file_header(uploaded) or []
                mapping_form = ColumnMappingForm(request.POST, header=header, initial_mapping={})
                mapping_form.is_valid()  # every choice is optional here; the service checks the mapping
                mapping = mapping_form.mapping()
                context["mapping_form"] = mapping_form
            try:
                dataset = services.dataset_upload(
                    administration=data["administration"],
                    kind=data["kind"],
                    name=data["name"],
                    description=data["description"],
                    uploaded=uploaded,
                    by=request.user,
                    mapping=mapping if data["kind"] == DatasetKind.DECLARATIONS else None,
                )
            except services.MappingNeeded as needed:
                token = token or _keep_pending(request, uploaded)
                context["mapping_form"] = ColumnMappingForm(
                    header=needed.header, initial_mapping=needed.suggestion.mapping
                )
                context["extra"] = needed.suggestion.extra
                form = DatasetUploadForm(
                    initial={**{k: v for k, v in data.items() if k != "file"}, "pending": token},
                    administrations=administrations,
                    pending_name=uploaded.name or "",
                )
                context["form"] = form
                status = 200
            except services.MappingInvalid as invalid:
                context["mapping_form"].show_errors(invalid.errors)
                form.add_error(None, _("The mapping cannot be used: see the fields marked below."))
            except services.DatasetRejected as rejected:
                context["report"] = rejected.report
                form.add_error("file", _("The file was refused: see the problems below."))
            else:
                if token:
                    _forget_pending(request, token)
                messages.success(request, _("The dataset was checked and saved."))
                if dataset.restored_codes:
                    messages.info(
                        request,
                        ngettext(
                            "%(count)s tariff code had lost its leading zero (read as a number); it was restored.",
                            "%(count)s tariff codes had lost their leading zero (read as a number); it was restored.",
                            dataset.restored_codes,
                        )
                        % {"count": f"{dataset.restored_codes:,}"},
                    )
                return redirect(dataset)
            finally:
                if pending is not None and uploaded is not None and hasattr(uploaded, "close"):
                    uploaded.close()
    return render(request, "algorithms/dataset_form.html", context, status=status)


@login_required
def dataset_detail(request, pk):
    dataset = access.get_dataset_for(request.user, pk)
    jobs = access.jobs_visible_to(request.user).filter(dataset=dataset).order_by("-created_at")[:20]
    context = {
        "dataset": dataset,
        "jobs": jobs,
        "extra_columns": extra_columns.described(dataset.extra_columns),
        "code_lengths": sorted(((int(length), rows) for length, rows in dataset.code_lengths.items()), reverse=True),
    }
    if dataset.kind in IMAGE_DATASET_KINDS:
        context.update(_image_set_context(dataset))
    return render(request, "algorithms/dataset_detail.html", context)


def _image_set_context(dataset, hs_form=None) -> dict:
    summary = dataset.summary or {}
    classes = summary.get("classes", {})
    splits = summary.get("splits", {})
    codes = dataset.hs_codes or {}
    split_names = [name for name in SPLITS if name in splits]  # in this order (JSONB keeps no key order)
    labels = sorted(classes, key=lambda name: (name.lower(), name))
    rows = [
        {"label": label, "count": classes[label], "splits": [splits[name].get(label, 0) for name in split_names],
         "hs_code": codes.get(label, "")}
        for label in labels
    ]  # fmt: skip
    if hs_form is None and dataset.kind == DatasetKind.IMAGES:
        hs_form = ImageHsCodesForm(classes=classes, codes=codes)
    samples = [
        {"index": index, "label": sample.get("label", ""), "split": sample.get("split", "")}
        for index, sample in enumerate(summary.get("samples", []))
    ]
    return {
        "image_set": summary,
        "class_rows": rows,
        "split_names": split_names,
        "samples": samples,
        "hs_form": hs_form,
        "hs_fields": [(label, hs_form[hs_form.field_for(label)]) for label in labels] if hs_form else [],
    }


@login_required
def dataset_thumbnail(request, pk, index):
    """One picture of an image set's contact sheet, as a small PNG made from the kept archive."""
    from .image_sets import read_picture, thumbnail_png

    dataset = access.get_dataset_for(request.user, pk)
    samples = (dataset.summary or {}).get("samples", [])
    if dataset.kind not in IMAGE_DATASET_KINDS or not dataset.file or not 0 <= index < len(samples):
        raise Http404
    try:
        with read_picture(dataset.file.path, samples[index]["member"]) as picture:
            content = thumbnail_png(picture)
    except (KeyError, OSError, ValidationError):
        raise Http404 from None
    response = attachment_response(content, filename=f"dataset-{dataset.pk}-sample-{index}.png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
@login_required
def dataset_hs_codes(request, pk):
    dataset = access.get_dataset_for(request.user, pk)
    if dataset.kind != DatasetKind.IMAGES:
        raise Http404
    classes = (dataset.summary or {}).get("classes", {})
    form = ImageHsCodesForm(request.POST, classes=classes, codes=dataset.hs_codes or {})
    if form.is_valid():
        try:
            services.dataset_hs_codes_update(dataset=dataset, codes=form.codes(), by=request.user)
        except ValidationError as error:
            for label, messages_of in error.message_dict.items():
                if label in form.classes:
                    form.add_error(form.field_for(label), messages_of)
                else:
                    form.add_error(None, messages_of)
        else:
            messages.success(request, _("The HS codes of the classes were saved."))
            return redirect(dataset)
    jobs = access.jobs_visible_to(request.user).filter(dataset=dataset).order_by("-created_at")[:20]
    context = {"dataset": dataset, "jobs": jobs, **_image_set_context(dataset, form)}
    return render(request, "algorithms/dataset_detail.html", context, status=400)


@login_required
def dataset_download(request, pk):
    dataset = access.get_dataset_for(request.user, pk)
    if not dataset.file:  # deleted at the end of its retention period
        raise Http404
    # An administration's declarations are confidential: who took a copy is on record.
    audit_record(actor=request.user, action="algorithms.dataset.downloaded", target=dataset)
    extension = "zip" if dataset.kind in IMAGE_DATASET_KINDS else "csv"
    return private_file_response(dataset.file, download_name=f"dataset-{dataset.pk}.{extension}")


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
    metrics = job.metrics
    comparison = None
    if job.kind == JobKind.DATE_SIMULATE:
        comparison = simulation.comparison(job.metrics)
        # the series are in the table, the charts and the CSV: the plain table keeps the other figures
        metrics = {k: v for k, v in (job.metrics or {}).items() if k not in ("strategies", "batches", "params")}
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


# --- AI-HS interactive ------------------------------------------------------------------------------------------
@login_required
def hs_suggest(request):
    access.require_model_user(request.user)
    staff = access.is_staff(request.user)
    form = HsSuggestForm(request.GET or None)
    if not staff:
        del form.fields["administration"]
    answer = feedback = None
    if form.is_bound and form.is_valid():
        administration = form.cleaned_data.get("administration") if staff else access.administration_of(request.user)
        answer = hs.suggest(administration=administration, description=form.cleaned_data["description"])
        feedback = hs_views.feedback_for(request, answer, administration)
    return render(request, "algorithms/hs_suggest.html", {"form": form, "answer": answer, "feedback": feedback})
