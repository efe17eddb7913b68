"""Declaration datasets: the upload, its column mapping and the files kept for the mapping step."""

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

from bacuda_portal.core.services import audit_record
from bacuda_portal.core.uploads import get_private_storage, text_lines

from .. import column_mapping
from ..declarations import HS6_CODE
from ..enums import (
    IMAGE_DATASET_KINDS,
    DatasetKind,
)
from ..models import (
    ColumnMapping,
    Dataset,
)
from ..validation import validate_csv
from .common import DatasetRejected, MappingInvalid, MappingNeeded
from .images import image_dataset_upload


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
