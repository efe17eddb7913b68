"""Uploaded files: kept outside any public URL, checked by content (not by name), size-limited.

Files are stored in ``PRIVATE_MEDIA_ROOT`` and served only by views that ask the app's access layer first
(``private_file_response``). Nothing under it is reachable through ``MEDIA_URL`` or the static files.
"""

import mimetypes
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _

# Leading bytes of the file types we accept.
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
}
DOCUMENT_TYPES = ("pdf",)
RECEIPT_TYPES = ("pdf", "png", "jpeg")


class _PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


private_storage = _PrivateStorage()


def get_private_storage():
    """For ``FileField(storage=get_private_storage)``: a callable keeps the path out of migrations."""
    return private_storage


def sniff_type(uploaded) -> str | None:
    position = uploaded.tell() if hasattr(uploaded, "tell") else 0
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(position)
    for kind, signatures in SIGNATURES.items():
        if any(head.startswith(signature) for signature in signatures):
            return kind
    return None


@deconstructible
class UploadValidator:
    """Refuses a file whose content is not one of ``kinds`` or that is larger than ``max_megabytes``."""

    def __init__(self, kinds=DOCUMENT_TYPES, max_megabytes: int = 10):
        self.kinds = tuple(kinds)
        self.max_megabytes = max_megabytes

    def __call__(self, uploaded) -> None:
        if uploaded.size > self.max_megabytes * 1024 * 1024:
            raise ValidationError(
                _("The file is too large (%(size).1f MB); the limit is %(limit)d MB."),
                code="file_too_large",
                params={"size": uploaded.size / 1024 / 1024, "limit": self.max_megabytes},
            )
        if sniff_type(uploaded) not in self.kinds:
            raise ValidationError(
                _("This file type is not accepted. Accepted: %(kinds)s."),
                code="file_type",
                params={"kinds": ", ".join(kind.upper() for kind in self.kinds)},
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, UploadValidator) and (self.kinds, self.max_megabytes) == (
            other.kinds,
            other.max_megabytes,
        )


def private_file_response(field_file, *, download_name: str | None = None) -> FileResponse:
    """Serve a private file as an attachment; the caller has already asked the access layer."""
    name = download_name or PurePath(field_file.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(field_file.open("rb"), as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
