"""Every write and state change of the algorithms app, one function each (audited).

Model jobs are run by ``algorithms.runner`` in a worker; their state machine (claim, cancel, end, sweep) is
``algorithms.jobs``; this module checks and submits them.
"""

import csv
import datetime as dt
import io
import secrets
import tempfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.services import audit_record
from bacuda_portal.core.uploads import get_private_storage, text_lines

from . import access, column_mapping, jobs, selectors, simulation
from .declarations import HS6_CODE
from .enums import (
    IMAGE_DATASET_KINDS,
    JOB_ALGORITHM,
    AlgorithmKind,
    Alias,
    DatasetKind,
    FeedbackKind,
    JobKind,
    LabelSource,
    Publication,
    ReviewStatus,
)
from .jobs import job_cancel, jobs_sweep  # noqa: F401 (the interfaces call the job transitions here)
from .models import (
    CARD_SECTIONS,
    Algorithm,
    AlgorithmVersion,
    ColumnMapping,
    Dataset,
    HsLabelledDescription,
    ModelCard,
    ModelJob,
    VersionAlias,
)
from .validation import ValidationReport, validate_csv

# --- Cards, versions and the publication gate ------------------------------------------------------------------
ALGORITHM_FIELDS = ("name_en", "name_fr", "summary_en", "summary_fr", "data_owner")
CARD_FIELDS = tuple(f"{key}_{language}" for key, _label in CARD_SECTIONS for language in ("en", "fr"))


@transaction.atomic
def card_update(*, algorithm: Algorithm, by, **changes) -> Algorithm:
    """Staff edit an algorithm's name, summary, data owner and card sections. Side effects: audit record.

    A published card stays published (the data owner approved the card, and each change is in the audit log).
    """
    card, _created = ModelCard.objects.get_or_create(algorithm=algorithm)
    changed = []
    for name, value in changes.items():
        target = algorithm if name in ALGORITHM_FIELDS else card if name in CARD_FIELDS else None
        if target is None:
            raise ValueError(f"Unknown card field {name}")
        if getattr(target, name) != value:
            setattr(target, name, value)
            changed.append(name)
    algorithm.full_clean()
    algorithm.save()
    card.save()
    audit_record(actor=by, action="algorithms.card.updated", target=algorithm, fields=changed)
    return algorithm


def _gate_object(obj) -> Algorithm:
    return obj if isinstance(obj, Algorithm) else obj.algorithm


@transaction.atomic
def publication_request(*, obj: Algorithm | AlgorithmVersion, by) -> None:
    """Draft -> awaiting the data owner's approval (staff). Side effects: audit record."""
    obj.refresh_from_db(fields=["publication"])
    if obj.publication != Publication.DRAFT:
        raise TransitionError(_("Only a draft can be submitted for approval."))
    if _gate_object(obj).data_owner_id is None:
        raise TransitionError(_("Name the algorithm's data owner first: they approve its publication."))
    obj.publication = Publication.AWAITING_APPROVAL
    obj.approval_requested_at = timezone.now()
    obj.save(update_fields=["publication", "approval_requested_at", "updated_at"])
    audit_record(actor=by, action="algorithms.publication.requested", target=obj)


@transaction.atomic
def publication_approve(*, obj: Algorithm | AlgorithmVersion, by) -> None:
    """Awaiting approval -> published, by the data owner only. Side effects: audit record."""
    obj.refresh_from_db(fields=["publication"])
    if not access.can_approve(by, _gate_object(obj)):
        raise TransitionError(_("Only the data owner can approve this publication."))
    if obj.publication != Publication.AWAITING_APPROVAL:
        raise TransitionError(_("Only something awaiting approval can be approved."))
    obj.publication = Publication.PUBLISHED
    obj.approved_by = by
    obj.published_at = timezone.now()
    obj.save(update_fields=["publication", "approved_by", "published_at", "updated_at"])
    audit_record(actor=by, action="algorithms.publication.approved", target=obj)


@transaction.atomic
def publication_withdraw(*, obj: Algorithm | AlgorithmVersion, by) -> None:
    """Awaiting approval or published -> draft (staff, or the data owner declining). Side effects: audit."""
    obj.refresh_from_db(fields=["publication"])
    if obj.publication == Publication.DRAFT:
        raise TransitionError(_("This is already a draft."))
    obj.publication = Publication.DRAFT
    obj.save(update_fields=["publication", "updated_at"])
    audit_record(actor=by, action="algorithms.publication.withdrawn", target=obj)


@transaction.atomic
def version_update(*, version: AlgorithmVersion, by, release_notes_en: str, release_notes_fr: str) -> AlgorithmVersion:
    version.release_notes_en = release_notes_en
    version.release_notes_fr = release_notes_fr
    version.save(update_fields=["release_notes_en", "release_notes_fr", "updated_at"])
    audit_record(actor=by, action="algorithms.version.updated", target=version)
    return version


@transaction.atomic
def alias_move(*, version: AlgorithmVersion, name: str, by) -> VersionAlias:
    """Point ``name`` (champion, challenger) at this version, within its algorithm and administration.

    The alias leaves the version it pointed at before. A version that carries no model cannot be an alias.
    Side effects: audit record with the previous version.
    """
    if name not in Alias.values:
        raise TransitionError(_("Unknown alias."))
    if version.model_artifact_id is None and version.job_id is not None:
        raise TransitionError(_("This version has no trained model."))
    alias = (
        VersionAlias.objects.select_for_update()
        .filter(algorithm=version.algorithm, administration=version.administration, name=name)
        .first()
    )
    previous = alias.version_id if alias else None
    if alias is None:
        alias = VersionAlias(algorithm=version.algorithm, administration=version.administration, name=name)
    alias.version = version
    alias.save()
    audit_record(actor=by, action="algorithms.alias.moved", target=version, alias=name, previous_version=previous)
    return alias


def next_version_number(algorithm: Algorithm) -> int:
    last = AlgorithmVersion.objects.filter(algorithm=algorithm).order_by("-number").values_list("number", flat=True)
    return (last.first() or 0) + 1


# --- Datasets ---------------------------------------------------------------------------------------------------
class DatasetRejected(ValidationError):
    """The upload failed validation; ``report`` lists the problems by row and column."""

    def __init__(self, report: ValidationReport):
        self.report = report
        super().__init__([problem.message for problem in report.problems[:1]] or [_("The file was refused.")])


class MappingNeeded(ValidationError):
    """The file's columns are not the layout's: the user must map them (``suggestion``: what the portal proposes,
    the administration's saved mapping first; ``header``: the file's columns)."""

    def __init__(self, header: list[str], suggestion: column_mapping.Suggestion):
        self.header, self.suggestion = header, suggestion
        super().__init__(_("The file's columns differ from the declarations layout: map them to its fields."))


class MappingInvalid(ValidationError):
    """The mapping the user gave cannot be used; ``errors``: field ("" for the whole) -> why."""

    def __init__(self, header: list[str], errors: dict[str, str]):
        self.header, self.errors = header, errors
        super().__init__(list(errors.values())[:1])


def file_header(uploaded) -> list[str] | None:
    """The first row of an uploaded CSV, cells stripped; None when it cannot be read (validation then says why)."""
    try:
        uploaded.seek(0)
        header = next(csv.reader(text_lines(uploaded)), None)
    except (ValidationError, csv.Error, UnicodeDecodeError):
        header = None
    finally:
        uploaded.seek(0)
    return [cell.strip() for cell in header] if header else None


def saved_column_mapping(administration, kind: str = DatasetKind.DECLARATIONS) -> dict[str, str]:
    row = ColumnMapping.objects.filter(administration=administration, kind=kind).first()
    return dict(row.mapping) if row is not None else {}


def declarations_mapping(*, administration, uploaded, mapping: dict | None) -> dict | None:
    """The mapping to read a declarations file with: the one given (checked), else one the portal is sure of;
    None when the file cannot be mapped at all (validation then names the missing columns).

    Raises MappingInvalid for a given mapping that cannot be used, MappingNeeded when the user must map."""
    header = file_header(uploaded)
    if header is None:
        return None
    if mapping is not None:
        errors = column_mapping.check(header, mapping)
        if errors:
            raise MappingInvalid(header, errors)
        return {field: column for field, column in mapping.items() if column}
    suggestion = column_mapping.suggest(header, saved_column_mapping(administration))
    if suggestion.automatic:
        return suggestion.mapping
    if not column_mapping.mappable(header):
        return None
    raise MappingNeeded(header, suggestion)


PENDING_DIR = "algorithms/pending/"


def pending_upload_keep(uploaded) -> str:
    """Keep an uploaded file in private storage while its user maps its columns; the name to find it again (the
    view keeps it in the user's session, so only that session can use it). Side effects: a file in private
    storage (removed by ``pending_upload_discard``)."""
    name = f"{PENDING_DIR}{secrets.token_hex(16)}.csv"
    uploaded.seek(0)
    return get_private_storage().save(name, uploaded)


def pending_upload_open(name: str, original_name: str = ""):
    """The kept file (named as the user's file was), or None when it is gone."""
    storage = get_private_storage()
    if not name.startswith(PENDING_DIR) or ".." in name or not storage.exists(name):
        return None
    handle = storage.open(name, "rb")
    handle.name = original_name or name
    return handle


def pending_upload_discard(name: str) -> None:
    storage = get_private_storage()
    if name.startswith(PENDING_DIR) and ".." not in name and storage.exists(name):
        storage.delete(name)


def pending_uploads_sweep(*, older_than: dt.timedelta = dt.timedelta(hours=24)) -> int:
    """Delete the files kept for a mapping step that was never finished; how many were deleted. Side effects:
    files removed from private storage."""
    storage = get_private_storage()
    try:
        _folders, names = storage.listdir(PENDING_DIR)
    except FileNotFoundError:
        return 0
    limit, deleted = timezone.now() - older_than, 0
    for name in names:
        path = PENDING_DIR + name
        if storage.get_modified_time(path) < limit:
            storage.delete(path)
            deleted += 1
    return deleted


@transaction.atomic
def column_mapping_save(*, administration, mapping: dict, by, kind: str = DatasetKind.DECLARATIONS) -> ColumnMapping:
    """Keep the mapping an administration's user confirmed, to preselect it next time.

    Side effects: audit record."""
    row, _created = ColumnMapping.objects.update_or_create(
        administration=administration, kind=kind, defaults={"mapping": mapping, "updated_by": by}
    )
    audit_record(actor=by, action="algorithms.column_mapping.saved", target=row, fields=sorted(mapping))
    return row


@transaction.atomic
def dataset_upload(
    *,
    administration,
    kind: str,
    name: str,
    uploaded,
    by,
    description: str = "",
    columns: dict | None = None,
    mapping: dict | None = None,
) -> Dataset:
    """Validate an uploaded CSV and keep it privately for ``administration``. ``columns``: for goods descriptions
    to classify, the ``description`` and ``declared_code`` columns the user named (else they are looked for).
    ``mapping`` (declarations): field -> the file's column, as the user confirmed it on the mapping step; without
    it the file is taken when the portal is sure of its columns (the layout's names; HS10 Code, Tariff Code... for
    the code), else MappingNeeded is raised.

    A declarations file is stored in the portal's layout: the fields under their own names, HS6 derived from the
    national code (a lost leading zero restored), the national ``Tariff Code``, then the file's extra columns.

    Raises DatasetRejected (with the report) when the file is refused, MappingNeeded or MappingInvalid; nothing is
    stored then. Side effects: the file in private storage; a given mapping saved for the administration; audit
    record. Image sets (a ZIP): see ``image_dataset_upload``.
    """
    if kind in IMAGE_DATASET_KINDS:
        return image_dataset_upload(
            administration=administration, kind=kind, name=name, uploaded=uploaded, by=by, description=description
        )
    read_with = None
    if kind == DatasetKind.DECLARATIONS:
        read_with = declarations_mapping(administration=administration, uploaded=uploaded, mapping=mapping)
    with tempfile.TemporaryFile("w+b") as stored:
        text = io.TextIOWrapper(stored, encoding="utf-8", newline="")
        report = validate_csv(
            uploaded,
            kind=kind,
            max_megabytes=settings.BACUDA_DATASET_MAX_MEGABYTES,
            max_problems=settings.BACUDA_DATASET_MAX_PROBLEMS,
            columns=columns,
            mapping=read_with,
            out=text if kind == DatasetKind.DECLARATIONS else None,
        )
        text.flush()
        text.detach()  # the binary file stays open for storage
        if not report.ok:
            raise DatasetRejected(report)
        uploaded.seek(0)
        dataset = Dataset(
            administration=administration,
            kind=kind,
            name=name,
            description=description,
            original_name=(getattr(uploaded, "name", "") or "").replace("\x00", "")[:255],
            size=report.size,
            row_count=report.row_count,
            date_from=report.date_from,
            date_to=report.date_to,
            has_labels=report.has_labels,
            sha256=report.sha256,
            uploaded_by=by,
            restored_codes=report.restored_codes,
            code_lengths={str(length): rows for length, rows in sorted(report.code_lengths.items())},
            extra_columns=report.extra_columns,
        )
        if kind == DatasetKind.DECLARATIONS:
            used = read_with or {}
            dataset.column_mapping = used
            dataset.tariff_code_column = used.get(HS6_CODE, HS6_CODE)
            stored.seek(0)
            dataset.file.save(f"{report.sha256[:16]}.csv", File(stored), save=False)
        else:
            dataset.file.save(f"{report.sha256[:16]}.csv", uploaded, save=False)
    dataset.save()
    if mapping is not None and kind == DatasetKind.DECLARATIONS:
        column_mapping_save(administration=administration, mapping=read_with, by=by)
    audit_record(
        actor=by,
        action="algorithms.dataset.uploaded",
        target=dataset,
        sha256=report.sha256,
        rows=report.row_count,
        restored_codes=report.restored_codes,
    )
    return dataset


@transaction.atomic
def image_dataset_upload(*, administration, kind: str, name: str, uploaded, by, description: str = "") -> Dataset:
    """Check an uploaded ZIP of pictures (``image_sets.inspect_archive``: sizes, zip bomb, names, every picture
    decoded) and keep it privately for ``administration`` with its summary (classes, counts, sizes, samples).
    ``kind``: labelled images (to train on) or images to score.

    Raises DatasetRejected (with the report, problems by file name) when the archive is refused; nothing is
    stored then. Side effects: the archive in private storage; audit record.
    """
    from .image_sets import inspect_archive

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


# --- Model jobs -------------------------------------------------------------------------------------------------
# What each kind of job needs: the dataset kind (None: no dataset allowed or optional), and whether labels must be in.
JOB_DATASET = {
    JobKind.DATE_TRAIN: (DatasetKind.DECLARATIONS, True),
    JobKind.DATE_SCORE: (DatasetKind.DECLARATIONS, False),
    JobKind.DATE_SIMULATE: (DatasetKind.DECLARATIONS, True),
    JobKind.AIHS_TRAIN: (DatasetKind.HS_LABELLED, False),
    JobKind.AIHS_BATCH: (DatasetKind.HS_DESCRIPTIONS, False),
    JobKind.SYNTH: (DatasetKind.DECLARATIONS, False),
    JobKind.IMAGE_TRAIN: (DatasetKind.IMAGES, True),
    JobKind.IMAGE_SCORE: (DatasetKind.IMAGES_TO_SCORE, False),
}
SYNTH_MAX_ROWS = 1_000_000
IMAGE_MAX_EPOCHS = 500


def job_needs_dataset(kind: str) -> bool:
    """Every job runs on a dataset but AI-HS training, which may learn from the nomenclature or the feedback."""
    return kind != JobKind.AIHS_TRAIN


def _check_job(*, kind, administration, dataset, source_version, params) -> None:
    errors = {}
    wanted_kind, needs_labels = JOB_DATASET[kind]
    if dataset is None:
        if job_needs_dataset(kind):
            errors["dataset"] = _("Choose a dataset.")
    elif dataset.administration_id != administration.pk:
        errors["dataset"] = _("The dataset belongs to another administration.")
    elif not dataset.file:
        errors["dataset"] = _("This dataset's file was deleted at the end of its retention period: upload it again.")
    elif dataset.kind != wanted_kind:
        errors["dataset"] = _("This job needs a dataset of the kind “%(kind)s”.") % {
            "kind": DatasetKind(wanted_kind).label
        }
    elif needs_labels and not dataset.has_labels:
        if kind == JobKind.DATE_SIMULATE:
            errors["dataset"] = _("A simulation needs a dataset with the Fraud and Critical Fraud columns.")
        else:
            errors["dataset"] = _("Training needs a dataset with the Fraud and Critical Fraud columns.")
    if kind == JobKind.DATE_SCORE:
        if source_version is None:
            errors["source_version"] = _("Choose the trained model to score with.")
        elif source_version.model_artifact_id is None or source_version.algorithm.kind != JOB_ALGORITHM[kind]:
            errors["source_version"] = _("This version has no trained fraud-detection model.")
        elif source_version.administration_id not in (None, administration.pk):
            errors["source_version"] = _("This model belongs to another administration.")
    elif kind == JobKind.AIHS_BATCH:
        if source_version is not None and (
            source_version.model_artifact_id is None or source_version.algorithm.kind != JOB_ALGORITHM[kind]
        ):
            errors["source_version"] = _("This version has no trained AI-HS model.")
        elif source_version is not None and source_version.administration_id not in (None, administration.pk):
            errors["source_version"] = _("This model belongs to another administration.")
        elif "dataset" not in errors and dataset is not None:
            errors.update(_batch_column_errors(dataset, params))
    elif kind == JobKind.IMAGE_SCORE:
        if source_version is None:
            errors["source_version"] = _("Choose the trained image model to classify with.")
        elif source_version.model_artifact_id is None or source_version.algorithm.kind != JOB_ALGORITHM[kind]:
            errors["source_version"] = _("This version has no trained image model.")
        elif source_version.administration_id not in (None, administration.pk):
            errors["source_version"] = _("This model belongs to another administration.")
    elif source_version is not None:
        errors["source_version"] = _("Only a scoring job uses a trained model.")
    if kind == JobKind.IMAGE_TRAIN:
        unknown = sorted(set(params) - {"epochs"})
        epochs = params.get("epochs", 1)
        if unknown:
            errors["params"] = _("Unknown parameters: %(names)s.") % {"names": ", ".join(unknown)}
        elif isinstance(epochs, bool) or not isinstance(epochs, int) or not 1 <= epochs <= IMAGE_MAX_EPOCHS:
            errors["params"] = _("Give the number of epochs as a whole number from 1 to %(max)d.") % {
                "max": IMAGE_MAX_EPOCHS
            }
    elif kind == JobKind.IMAGE_SCORE and params:
        errors["params"] = _("Classifying images takes no parameters.")
    source = params.get("source")
    if source is not None and (kind != JobKind.AIHS_TRAIN or source != FEEDBACK_SOURCE):
        errors["params"] = _("Only an AI-HS training job takes a source, and only “%(source)s”.") % {
            "source": FEEDBACK_SOURCE
        }
    if "promote" in params and (kind != JobKind.AIHS_TRAIN or not isinstance(params["promote"], bool)):
        errors["params"] = _("Only an AI-HS training job takes “promote”, as true or false.")
    if kind == JobKind.DATE_SIMULATE:
        problems = simulation.parameter_errors(params, dataset if "dataset" not in errors else None)
        if problems:
            errors["params"] = [
                message if name == "params" else f"{name}: {message}" for name, message in problems.items()
            ]
    if kind == JobKind.SYNTH:
        rows = params.get("rows")
        if not isinstance(rows, int) or not 1 <= rows <= SYNTH_MAX_ROWS:
            errors["params"] = _("Give the number of synthetic rows to generate (1 to %(max)d).") % {
                "max": SYNTH_MAX_ROWS
            }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def job_submit(
    *, kind: str, administration, by, dataset=None, source_version=None, params: dict | None = None, seed: int = 42
) -> ModelJob:
    """Queue a model job. Side effects: audit record; the task ``algorithms.run_job`` after commit.

    An AI-HS training job with ``params["source"] == "accepted_feedback"`` and no dataset trains on the
    administration's accepted labelled descriptions (a dataset is made of them first, see
    ``hs_feedback_dataset``) and, unless ``params["promote"]`` is false, moves the champion alias to the new
    version only if it does better than the champion (``aihs_promotion_decide``).
    """
    params = dict(params or {})
    _check_job(kind=kind, administration=administration, dataset=dataset, source_version=source_version, params=params)
    if kind == JobKind.AIHS_TRAIN and params.get("source") == FEEDBACK_SOURCE and dataset is None:
        dataset = hs_feedback_dataset(administration=administration, by=by)
        params.setdefault("promote", True)
    if kind == JobKind.AIHS_BATCH:
        description_column, code_column, _header = batch_columns(dataset, params)
        params.update(description_column=description_column, code_column=code_column)
        if source_version is None:  # the model that answers the suggestion page now, kept with the job
            source_version = selectors.champion_version(
                algorithm_kind=AlgorithmKind.AIHS, administration=administration
            )
            if source_version is not None and source_version.model_artifact_id is None:
                source_version = None
    job = ModelJob.objects.create(
        kind=kind,
        administration=administration,
        dataset=dataset,
        source_version=source_version,
        params=params,
        seed=seed,
        created_by=by,
        queued_at=timezone.now(),
        log=jobs.log_line(_("Queued.")),
    )
    audit_record(actor=by, action="algorithms.job.submitted", target=job, kind=kind, seed=seed)
    jobs.enqueue(job.pk)
    return job


def job_resubmit(*, job: ModelJob, by) -> ModelJob:
    """A new job with the same kind, data, parameters and seed (a reproduction)."""
    return job_submit(
        kind=job.kind,
        administration=job.administration,
        by=by,
        dataset=job.dataset,
        source_version=job.source_version,
        params=job.params,
        seed=job.seed,
    )


# --- AI-HS: labelled descriptions from suggestion feedback (issue 13) --------------------------------------------
FEEDBACK_SOURCE = "accepted_feedback"  # params["source"] of an AI-HS training job on the accepted feedback
# Keys of a job's parameters that the portal reads and the engine never sees.
SERVICE_PARAMS = ("source", "promote")
REVIEW_DECISIONS = (ReviewStatus.ACCEPTED, ReviewStatus.REJECTED)


def hs6_refusal(code: str) -> str:
    """Why ``code`` (dots and spaces already removed) is not an HS 2022 subheading; "" when it is one."""
    from .engines.aihs.model import nomenclature

    if not code.isdigit() or len(code) != 6:
        if code.isdigit() and len(code) == 5 and not code.startswith("0"):
            return _("Give six digits: a leading zero may have been lost (write 010121, not 10121).")
        return _("Give the six-digit HS subheading, for example 0901.11 or 090111.")
    if code not in set(nomenclature().codes):
        return _("%(code)s is not a subheading of the HS 2022 nomenclature.") % {"code": code}
    return ""


def normalised_hs_code(text: str) -> str:
    """An HS code as typed (``0901.11``, ``0901 11``) as digits only."""
    return "".join(str(text or "").split()).replace(".", "")


@transaction.atomic
def hs_feedback_record(
    *, administration, description: str, code: str, suggestions: list, model_version, model_name: str, by
) -> HsLabelledDescription:
    """A user confirms one of the suggested codes or corrects the suggestion with another HS 2022 subheading.

    The description is kept, awaiting the administration's review, with what was suggested then (codes and
    probabilities, best first) and the model that suggested it. Sending the same confirmation twice keeps one.
    Raises ValidationError (``code`` or ``description``). Side effects: audit record.
    """
    code = normalised_hs_code(code)
    refusal = hs6_refusal(code)
    if refusal:
        raise ValidationError({"code": refusal})
    description = " ".join(str(description or "").split())
    if not description:
        raise ValidationError({"description": _("The goods description is empty.")})
    if len(description) > HsLabelledDescription._meta.get_field("description").max_length:
        raise ValidationError({"description": _("The goods description is too long.")})
    suggested = [{"code": str(item["code"]), "confidence": float(item["confidence"])} for item in suggestions]
    feedback = FeedbackKind.CONFIRMED if code in {item["code"] for item in suggested} else FeedbackKind.CORRECTED
    repeated = HsLabelledDescription.objects.filter(
        administration=administration, description=description, code=code, created_by=by, status=ReviewStatus.PENDING
    ).first()
    if repeated is not None:
        return repeated
    label = HsLabelledDescription.objects.create(
        administration=administration,
        description=description,
        code=code,
        source=LabelSource.SUGGESTION_FEEDBACK,
        feedback=feedback,
        suggestions=suggested,
        model_version=model_version,
        model_name=model_name[:200],
        created_by=by,
    )
    audit_record(actor=by, action=f"algorithms.hs_label.{feedback}", target=label, code=code)
    return label


@transaction.atomic
def hs_label_review(*, label: HsLabelledDescription, status: str, by) -> HsLabelledDescription:
    """Accept or reject a labelled description (from awaiting review, or changing an earlier decision).

    Only accepted descriptions go into a training job. Side effects: audit record with the previous status.
    """
    if status not in REVIEW_DECISIONS:
        raise TransitionError(_("Accept or reject."))
    label = HsLabelledDescription.objects.select_for_update().get(pk=label.pk)
    if label.status == status:
        raise TransitionError(
            _("This description is already %(status)s.") % {"status": ReviewStatus(status).label.lower()}
        )
    previous = label.status
    label.status = status
    label.reviewed_by = by
    label.reviewed_at = timezone.now()
    label.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    audit_record(actor=by, action=f"algorithms.hs_label.{status}", target=label, previous=previous)
    return label


def hs_labels_review(*, visible, ids, status: str, by) -> dict[str, int]:
    """Accept or reject several labelled descriptions, each in its own transaction (one refusal does not undo
    the others). ``visible``: the descriptions the user may review; an id outside it counts as not found, exactly
    like an id that does not exist. Returns the counts ``changed``, ``unchanged`` (already so) and ``not_found``.
    Side effects: one audit record per change."""
    wanted = sorted({int(pk) for pk in ids})
    found = {label.pk: label for label in visible.filter(pk__in=wanted)}
    summary = {"changed": 0, "unchanged": 0, "not_found": 0}
    for pk in wanted:
        label = found.get(pk)
        if label is None:
            summary["not_found"] += 1
            continue
        try:
            hs_label_review(label=label, status=status, by=by)
        except TransitionError:
            summary["unchanged"] += 1
        else:
            summary["changed"] += 1
    return summary


def hs_feedback_dataset(*, administration, by) -> Dataset:
    """The administration's accepted descriptions as a labelled dataset (``description``, ``hs_code``), checked
    and kept like an uploaded one: a training job reads a fixed copy, and running it again trains on the same rows.

    Raises ValidationError when there are too few to train on. Side effects: those of ``dataset_upload``.
    """
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .engines.aihs.engine import MIN_ROWS

    rows = list(
        HsLabelledDescription.objects.filter(administration=administration, status=ReviewStatus.ACCEPTED)
        .order_by("pk")
        .values_list("description", "code")
    )
    if len(rows) < MIN_ROWS:
        raise ValidationError(
            {
                "params": ngettext(
                    "Training needs at least %(needed)d accepted descriptions; %(count)d is accepted.",
                    "Training needs at least %(needed)d accepted descriptions; %(count)d are accepted.",
                    len(rows),
                )
                % {"needed": MIN_ROWS, "count": len(rows)}
            }
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["description", "hs_code"])
    writer.writerows(rows)
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    upload = SimpleUploadedFile(
        f"aihs-accepted-feedback-{administration.code}.csv", buffer.getvalue().encode(), content_type="text/csv"
    )
    return dataset_upload(
        administration=administration,
        kind=DatasetKind.HS_LABELLED,
        name=_("Accepted AI-HS feedback, %(when)s") % {"when": stamp},
        description=ngettext(
            "%(count)d goods description confirmed or corrected by users and accepted by the administration.",
            "%(count)d goods descriptions confirmed or corrected by users and accepted by the administration.",
            len(rows),
        )
        % {"count": len(rows)},
        uploaded=upload,
        by=by,
    )


def aihs_promotion_decide(*, version: AlgorithmVersion) -> dict:
    """After an AI-HS training job that asked for it (``params["promote"]``): the champion alias moves to the new
    version only when it did better than the champion on the same held-out descriptions (and the champion is still
    the one it was compared with); otherwise the version becomes the challenger. The decision and its reason are
    recorded in the version's ``metrics["comparison"]["decision"]``. Runs inside the runner's transaction.

    Side effects: the alias move (audited); the version's metrics.
    """
    comparison = (version.metrics or {}).get("comparison")
    if not isinstance(comparison, dict):
        comparison, reason = {}, "no_comparison"
    elif comparison.get("error"):
        reason = "error"
    else:
        compared = (comparison.get("champion_version") or {}).get("id")
        current = selectors.champion_version(algorithm_kind=AlgorithmKind.AIHS, administration=version.administration)
        if (current.pk if current else None) != compared:
            reason = "champion_changed"
        else:
            reason = "better" if comparison.get("better") else "not_better"
    alias = Alias.CHAMPION if reason == "better" else Alias.CHALLENGER
    alias_move(version=version, name=alias, by=None)
    decision = {"alias": str(alias), "reason": reason}
    version.metrics = {**(version.metrics or {}), "comparison": {**comparison, "decision": decision}}
    version.save(update_fields=["metrics", "updated_at"])
    return decision


# --- AI-HS: batch classification (issue 13) --------------------------------------------------------------------
BATCH_PARAMS = ("description_column", "code_column")


def batch_columns(dataset: Dataset, params: dict) -> tuple[str, str, list[str]]:
    """(description column, declared-code column or "", the header): the batch job's columns as the file names
    them, those in ``params`` (named by the user) or else found by their usual names (``description``;
    ``declared_code``, ``hs_code``...). Reads the file's header only."""
    from .engines.aihs.batch import CODE_NAMES, DESCRIPTION_NAMES, find_column, read_header

    with dataset.file.open("rb") as handle:
        header = read_header(handle)
    description = find_column(header, params.get("description_column"), DESCRIPTION_NAMES)
    chosen_code = params.get("code_column")
    code = find_column(header, chosen_code, CODE_NAMES) if chosen_code else find_column(header, None, CODE_NAMES)
    return description or "", code or "", header


def _batch_column_errors(dataset: Dataset, params: dict) -> dict:
    unknown = sorted(set(params) - set(BATCH_PARAMS))
    if unknown:
        return {"params": _("Unknown parameters: %(names)s.") % {"names": ", ".join(unknown)}}
    if any(not isinstance(params.get(name, ""), str) for name in BATCH_PARAMS):
        return {"params": _("Name the columns as text.")}
    description, code, header = batch_columns(dataset, params)
    columns = ", ".join(header) or "–"
    if params.get("description_column") and not description:
        return {"params": _("There is no column “%(name)s” in the file (its columns: %(columns)s).")
                % {"name": params["description_column"][:100], "columns": columns}}  # fmt: skip
    if not description:
        return {"params": _("No column of goods descriptions was found: name it (the file's columns: %(columns)s).")
                % {"columns": columns}}  # fmt: skip
    if params.get("code_column") and not code:
        return {"params": _("There is no column “%(name)s” in the file (its columns: %(columns)s).")
                % {"name": params["code_column"][:100], "columns": columns}}  # fmt: skip
    return {}


@transaction.atomic
def hs_batch_submit(
    *, administration, uploaded, name: str, by, description_column: str = "", code_column: str = "", seed: int = 42
) -> ModelJob:
    """Check and keep a CSV of goods descriptions (as a dataset, through ``dataset_upload``: the same checks and
    size limit), then queue a batch classification job on it with the administration's champion model.

    Raises DatasetRejected or ValidationError; nothing is kept then. Side effects: those of ``dataset_upload``
    and ``job_submit``.
    """
    dataset = dataset_upload(
        administration=administration,
        kind=DatasetKind.HS_DESCRIPTIONS,
        name=name,
        uploaded=uploaded,
        by=by,
        columns={"description": description_column, "declared_code": code_column},
    )
    params = {"description_column": description_column, "code_column": code_column}
    return job_submit(
        kind=JobKind.AIHS_BATCH,
        administration=administration,
        dataset=dataset,
        params={key: value for key, value in params.items() if value},
        seed=seed,
        by=by,
    )
