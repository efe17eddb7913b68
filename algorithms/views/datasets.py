"""Dataset pages: the list, the upload (with its column-mapping step), the detail and the download."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bacuda_portal.core.choices import choice_labels
from bacuda_portal.core.pages import query_without_page, row_url
from bacuda_portal.core.services import audit_record
from bacuda_portal.core.uploads import private_file_response

from .. import access, extra_columns, selectors, services
from ..enums import IMAGE_DATASET_KINDS, DatasetKind
from ..forms import (
    ColumnMappingForm,
    DatasetFilterForm,
    DatasetUploadForm,
    StaffDatasetFilterForm,
)
from .images import _image_set_context

PAGE_SIZE = 50
# The columns the list pages show (the related rows are joined whole otherwise).
DATASET_ROW_FIELDS = ("name", "kind", "row_count", "date_from", "date_to", "created_at", "administration__code",
                      "uploaded_by__full_name", "uploaded_by__email")  # fmt: skip


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


@login_required
def dataset_download(request, pk):
    dataset = access.get_dataset_for(request.user, pk)
    if not dataset.file:  # deleted at the end of its retention period
        raise Http404
    # An administration's declarations are confidential: who took a copy is on record.
    audit_record(actor=request.user, action="algorithms.dataset.downloaded", target=dataset)
    extension = "zip" if dataset.kind in IMAGE_DATASET_KINDS else "csv"
    return private_file_response(dataset.file, download_name=f"dataset-{dataset.pk}.{extension}")
