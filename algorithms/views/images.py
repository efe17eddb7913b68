"""What the dataset page shows of an image set: its sample thumbnails and the HS code of each class."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bacuda_portal.core.uploads import attachment_response

from .. import access, services
from ..enums import IMAGE_DATASET_KINDS, DatasetKind
from ..forms import ImageHsCodesForm
from ..image_sets import SPLITS


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
    from ..image_sets import read_picture, thumbnail_png

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
