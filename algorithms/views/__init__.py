"""Pages of the algorithms app: thin; they parse input, ask ``access``, call one service and render.

The pages live in one module per part of the app; this package re-exports them, so ``urls.py`` writes
``views.job_list``.
"""

from .aihs import hs_suggest
from .cards import (
    PUBLICATION_ACTIONS,
    card,
    card_edit,
    card_publication,
    catalogue,
    version_alias,
    version_detail,
    version_edit,
    version_publication,
)
from .datasets import (
    DATASET_ROW_FIELDS,
    PAGE_SIZE,
    PENDING_SESSION_KEY,
    dataset_detail,
    dataset_download,
    dataset_list,
    dataset_upload,
    upload_too_large,
)
from .images import dataset_hs_codes, dataset_thumbnail
from .jobs import (
    JOB_PAGE_SIZE,
    JOB_ROW_FIELDS,
    artifact_download,
    job_cancel,
    job_create,
    job_detail,
    job_list,
    job_rerun,
    job_status,
    job_status_payload,
)

__all__ = [
    "DATASET_ROW_FIELDS",
    "JOB_PAGE_SIZE",
    "JOB_ROW_FIELDS",
    "PAGE_SIZE",
    "PENDING_SESSION_KEY",
    "PUBLICATION_ACTIONS",
    "artifact_download",
    "card",
    "card_edit",
    "card_publication",
    "catalogue",
    "dataset_detail",
    "dataset_download",
    "dataset_hs_codes",
    "dataset_list",
    "dataset_thumbnail",
    "dataset_upload",
    "hs_suggest",
    "job_cancel",
    "job_create",
    "job_detail",
    "job_list",
    "job_rerun",
    "job_status",
    "job_status_payload",
    "upload_too_large",
    "version_alias",
    "version_detail",
    "version_edit",
    "version_publication",
]
