"""Image datasets: the archive upload and the HS code of each class."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bacuda_portal.core.services import audit_record

from ..enums import DatasetKind
from ..models import Dataset
from .common import DatasetRejected, hs6_refusal, normalised_hs_code


@transaction.atomic
def image_dataset_upload(*, administration, kind: str, name: str, uploaded, by, description: str = "") -> Dataset:
    """Check an uploaded ZIP of pictures (``image_sets.inspect_archive``: sizes, zip bomb, names, every picture
    decoded) and keep it privately for ``administration`` with its summary (classes, counts, sizes, samples).
    ``kind``: labelled images (to train on) or images to score.

    Raises DatasetRejected (with the report, problems by file name) when the archive is refused; nothing is
    stored then. Side effects: the archive in private storage; audit record.
    """
    from ..image_sets import inspect_archive

    report = inspect_archive(uploaded, labelled=kind == DatasetKind.IMAGES)
    if not report.ok:
        raise DatasetRejected(report)
    summary = report.summary()
    uploaded.seek(0)
    dataset = Dataset(
        administration=administration,
        kind=kind,
        name=name,
        description=description,
        original_name=(getattr(uploaded, "name", "") or "").replace("\x00", "")[:255],
        size=report.size,
        row_count=report.row_count,
        has_labels=kind == DatasetKind.IMAGES,
        summary=summary,
        sha256=report.sha256,
        uploaded_by=by,
    )
    dataset.file.save(f"{report.sha256[:16]}.zip", uploaded, save=False)
    dataset.save()
    audit_record(
        actor=by,
        action="algorithms.dataset.uploaded",
        target=dataset,
        sha256=report.sha256,
        rows=report.row_count,
        classes=len(summary["classes"]),
    )
    return dataset


@transaction.atomic
def dataset_hs_codes_update(*, dataset: Dataset, codes: dict, by) -> Dataset:
    """Map the classes of a labelled image set to HS 2022 subheadings (class -> six digits, or "" for none).

    Every code is checked against the nomenclature; a class the set does not have is refused.
    Side effects: audit record.
    """
    if dataset.kind != DatasetKind.IMAGES:
        raise ValidationError(_("Only a labelled image set has classes to map to HS codes."))
    classes = set((dataset.summary or {}).get("classes", {}))
    errors, mapping = {}, {}
    for label, raw in codes.items():
        if label not in classes:
            errors[label] = _("“%(name)s” is not a class of this image set.") % {"name": str(label)[:100]}
            continue
        code = normalised_hs_code(str(raw or ""))
        if not code:
            continue
        refusal = hs6_refusal(code)
        if refusal:
            errors[label] = refusal
        else:
            mapping[label] = code
    if errors:
        raise ValidationError(errors)
    previous = dataset.hs_codes
    dataset.hs_codes = dict(sorted(mapping.items()))
    dataset.save(update_fields=["hs_codes", "updated_at"])
    audit_record(
        actor=by, action="algorithms.dataset.hs_codes_updated", target=dataset, mapped=len(mapping), previous=previous
    )
    return dataset
