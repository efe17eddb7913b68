"""Uploaded files: one check for every file the portal accepts, private storage, and the one way files are sent.

Every upload field (CVs, application documents, receipts, indicator evidence, news pictures) has an
``UploadValidator``, and the dataset validator reads CSV files through the same text check (``text_lines``). The
check refuses a file over its size limit before reading it, then decides its type by parsing it with a real
parser: pypdf for PDF (``pdf.py``: active content and polyglots refused), Pillow for PNG and JPEG (``images.py``:
one whole picture, nothing appended, no decompression bomb), a strict text and CSV reading for datasets
(``text.py``). The first bytes only choose which parser to try.

Files are stored in ``PRIVATE_MEDIA_ROOT`` and served only by views that ask the app's access layer first
(``private_file_response``, ``responses.py``). Nothing under it is reachable through ``MEDIA_URL`` or the static
files.
"""

import contextlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _

from .images import check_image
from .pdf import check_pdf
from .responses import attachment_response, private_file_response, safe_content_type
from .signatures import JPEG_HEADER, PDF_HEADER, PNG_HEADER
from .text import check_csv, text_lines

DOCUMENT_TYPES = ("pdf",)
RECEIPT_TYPES = ("pdf", "png", "jpeg")
IMAGE_TYPES = ("png", "jpeg")
DATASET_TYPES = ("csv",)
_HEADERS = ((PDF_HEADER, "pdf"), (PNG_HEADER, "png"), (JPEG_HEADER, "jpeg"))
# How far into a file a PDF header is looked for, to tell a PDF with something in front of it from another file.
_LEADING_DATA_WINDOW = 1024

__all__ = [
    "DATASET_TYPES",
    "DOCUMENT_TYPES",
    "IMAGE_TYPES",
    "RECEIPT_TYPES",
    "UploadValidator",
    "attachment_response",
    "check_size",
    "get_private_storage",
    "private_file_response",
    "private_storage",
    "safe_content_type",
    "stored_extension",
    "text_lines",
]


class _PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


private_storage = _PrivateStorage()


def get_private_storage():
    """For ``FileField(storage=get_private_storage)``: a callable keeps the path out of migrations."""
    return private_storage


def check_size(uploaded, max_megabytes: int) -> None:
    """Refuse a file over the limit from its declared size, before any of it is read."""
    if uploaded.size > max_megabytes * 1024 * 1024:
        raise ValidationError(
            _("The file is too large (%(size).1f MB); the limit is %(limit)d MB."),
            code="file_too_large",
            params={"size": uploaded.size / 1024 / 1024, "limit": max_megabytes},
        )


def _read(uploaded, size: int | None = None) -> bytes:
    position = uploaded.tell() if hasattr(uploaded, "tell") else 0
    uploaded.seek(0)
    data = uploaded.read() if size is None else uploaded.read(size)
    uploaded.seek(position)
    return data if isinstance(data, bytes) else data.encode()


def check_content(uploaded, kinds: tuple[str, ...]) -> str:
    """The kind of the file among ``kinds``, decided by parsing it; ValidationError when it is none of them."""
    head = _read(uploaded, _LEADING_DATA_WINDOW)
    if not head:
        raise ValidationError(_("The file is empty."), code="file_empty")
    kind = next((kind for header, kind in _HEADERS if head.startswith(header)), None)
    if kind in kinds and kind in ("png", "jpeg"):
        check_image(_read(uploaded), kind)
    elif kind in kinds:
        check_pdf(_read(uploaded))
    elif "csv" in kinds:
        check_csv(uploaded)  # refuses a PDF or a picture with a message saying what the file is
        kind = "csv"
    elif "pdf" in kinds and PDF_HEADER in head:
        check_pdf(_read(uploaded))  # refuses what comes before the header (a PDF/HTML polyglot, for one)
    else:
        raise ValidationError(
            _("This file type is not accepted. Accepted: %(kinds)s."),
            code="file_type",
            params={"kinds": ", ".join(kind.upper() for kind in kinds)},
        )
    return kind


def stored_extension(field_file) -> str:
    """The file name extension for a stored upload, from its content (checked when it was uploaded), not from the
    name it was uploaded with: a PDF uploaded as ``scan.png`` downloads as ``.pdf``."""
    with field_file.open("rb") as handle:
        head = handle.read(len(PNG_HEADER))
    kind = next((kind for header, kind in _HEADERS if head.startswith(header)), None)
    return {"pdf": "pdf", "png": "png", "jpeg": "jpg"}.get(kind, "bin")


@deconstructible(path="bacuda_portal.core.uploads.UploadValidator")
class UploadValidator:
    """Refuses a file larger than ``max_megabytes`` or whose content, once parsed, is not one of ``kinds``.

    A file already in storage (a model's saved value, checked when it was uploaded) is not read again: the model's
    ``full_clean`` runs the field's validators on every save, and only a new upload needs the check. An upload that
    passed is marked, so that the form field and then the model (or the service) do not parse it twice.
    """

    def __init__(self, kinds=DOCUMENT_TYPES, max_megabytes: int = 10):
        self.kinds = tuple(kinds)
        self.max_megabytes = max_megabytes

    def __call__(self, uploaded) -> None:
        if getattr(uploaded, "_committed", False):
            return
        # A model's FieldFile holding a new upload wraps the uploaded file: the mark goes on the upload itself.
        upload = uploaded.file if isinstance(uploaded, FieldFile) else uploaded
        rules = (self.kinds, self.max_megabytes)
        passed = getattr(upload, "_upload_checks_passed", frozenset())
        if rules in passed:
            return
        check_size(uploaded, self.max_megabytes)
        check_content(uploaded, self.kinds)
        with contextlib.suppress(AttributeError):  # an object that takes no attribute is simply checked again
            upload._upload_checks_passed = passed | {rules}

    def __eq__(self, other) -> bool:
        return isinstance(other, UploadValidator) and (self.kinds, self.max_megabytes) == (
            other.kinds,
            other.max_megabytes,
        )
