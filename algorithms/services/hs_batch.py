"""AI-HS: batch classification of a dataset's descriptions."""

from django.db import transaction

from ..enums import DatasetKind, JobKind
from ..models import ModelJob
from .datasets import dataset_upload
from .model_jobs import job_submit


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
