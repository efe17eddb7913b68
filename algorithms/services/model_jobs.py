"""Model jobs: what each kind needs (an AI-HS batch its columns), submitting and re-running one."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bacuda_portal.core.services import audit_record

from .. import jobs, selectors, simulation
from ..enums import JOB_ALGORITHM, AlgorithmKind, DatasetKind, JobKind
from ..models import Dataset, ModelJob
from .hs_labels import FEEDBACK_SOURCE, hs_feedback_dataset

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


# --- AI-HS: batch classification (issue 13) --------------------------------------------------------------------
BATCH_PARAMS = ("description_column", "code_column")


def batch_columns(dataset: Dataset, params: dict) -> tuple[str, str, list[str]]:
    """(description column, declared-code column or "", the header): the batch job's columns as the file names
    them, those in ``params`` (named by the user) or else found by their usual names (``description``;
    ``declared_code``, ``hs_code``...). Reads the file's header only."""
    from ..engines.aihs.batch import CODE_NAMES, DESCRIPTION_NAMES, find_column, read_header

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
