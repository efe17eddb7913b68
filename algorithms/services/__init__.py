"""Every write and state change of the algorithms app, one function each (audited).

Model jobs are run by ``algorithms.runner`` in a worker; their state machine (claim, cancel, end, sweep) is
``algorithms.jobs``; this package checks and submits them. The writes live in one module per part of the app;
this package re-exports them, so callers write ``services.job_submit``.
"""

from ..jobs import job_cancel, jobs_sweep  # the interfaces call the job transitions here
from .cards import (
    ALGORITHM_FIELDS,
    CARD_FIELDS,
    alias_move,
    card_update,
    next_version_number,
    publication_approve,
    publication_request,
    publication_withdraw,
    version_update,
)
from .common import DatasetRejected, MappingInvalid, MappingNeeded, hs6_refusal, normalised_hs_code
from .datasets import (
    PENDING_DIR,
    column_mapping_save,
    dataset_upload,
    declarations_mapping,
    file_header,
    pending_upload_discard,
    pending_upload_keep,
    pending_upload_open,
    pending_uploads_sweep,
    saved_column_mapping,
)
from .hs_batch import hs_batch_submit
from .hs_labels import (
    FEEDBACK_SOURCE,
    REVIEW_DECISIONS,
    SERVICE_PARAMS,
    aihs_promotion_decide,
    hs_feedback_dataset,
    hs_feedback_record,
    hs_label_review,
    hs_labels_review,
)
from .images import dataset_hs_codes_update, image_dataset_upload
from .model_jobs import (
    BATCH_PARAMS,
    IMAGE_MAX_EPOCHS,
    JOB_DATASET,
    SYNTH_MAX_ROWS,
    batch_columns,
    job_needs_dataset,
    job_resubmit,
    job_submit,
)

__all__ = [
    "ALGORITHM_FIELDS",
    "BATCH_PARAMS",
    "CARD_FIELDS",
    "FEEDBACK_SOURCE",
    "IMAGE_MAX_EPOCHS",
    "JOB_DATASET",
    "PENDING_DIR",
    "REVIEW_DECISIONS",
    "SERVICE_PARAMS",
    "SYNTH_MAX_ROWS",
    "DatasetRejected",
    "MappingInvalid",
    "MappingNeeded",
    "aihs_promotion_decide",
    "alias_move",
    "batch_columns",
    "card_update",
    "column_mapping_save",
    "dataset_hs_codes_update",
    "dataset_upload",
    "declarations_mapping",
    "file_header",
    "hs6_refusal",
    "hs_batch_submit",
    "hs_feedback_dataset",
    "hs_feedback_record",
    "hs_label_review",
    "hs_labels_review",
    "image_dataset_upload",
    "job_cancel",
    "job_needs_dataset",
    "job_resubmit",
    "job_submit",
    "jobs_sweep",
    "next_version_number",
    "normalised_hs_code",
    "pending_upload_discard",
    "pending_upload_keep",
    "pending_upload_open",
    "pending_uploads_sweep",
    "publication_approve",
    "publication_request",
    "publication_withdraw",
    "saved_column_mapping",
    "version_update",
]
