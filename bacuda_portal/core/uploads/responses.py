"""The one way the portal sends a file: always as an attachment, never sniffed, with a type from an allow-list.

Uploaded files (CVs, documents, receipts, evidence, datasets) and generated ones (reports, certificates, model
cards, job artifacts, CSV exports, archives, calendars) all leave through ``attachment_response``: the browser
saves them instead of displaying them in the portal's origin, ``X-Content-Type-Options: nosniff`` stops it from
guessing another type, and the type is chosen from the download name's extension among types no browser runs
(never HTML or SVG; anything else is ``application/octet-stream``).
"""

from collections.abc import Iterable
from pathlib import PurePath

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

SAFE_CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".csv": "text/csv; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".zip": "application/zip",
    ".ics": "text/calendar; charset=utf-8",
}
FALLBACK_CONTENT_TYPE = "application/octet-stream"


def safe_content_type(filename: str) -> str:
    return SAFE_CONTENT_TYPES.get(PurePath(filename).suffix.lower(), FALLBACK_CONTENT_TYPE)


def attachment_response(content, *, filename: str) -> HttpResponseBase:
    """Send ``content`` (bytes or text, an open binary file, or an iterable of chunks) as the file ``filename``.

    The caller has already asked the access layer (and written any audit record).
    """
    content_type = safe_content_type(filename)
    if isinstance(content, bytes | str):
        response = HttpResponse(content, content_type=content_type)
    elif hasattr(content, "read"):
        response = FileResponse(content, content_type=content_type)
    elif isinstance(content, Iterable):
        response = StreamingHttpResponse(content, content_type=content_type)
    else:
        raise TypeError(f"cannot send {type(content).__name__} as a file")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def private_file_response(field_file, *, download_name: str | None = None) -> HttpResponseBase:
    """Serve a stored private file as an attachment; the caller has already asked the access layer."""
    return attachment_response(field_file.open("rb"), filename=download_name or PurePath(field_file.name).name)
