"""PDF rendering shared by every app: a Django template rendered to a tagged PDF by WeasyPrint.

Call it from a Celery task, never in a request: a document can take seconds. Templates carry their CSS inline
and their images as ``data:`` URIs (``static_data_uri``); the fetcher refuses every other URL, so rendering
never touches the network or the file system.
"""

import base64
import mimetypes
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation


def static_data_uri(path: str) -> str:
    """A static file (e.g. ``img/bacuda-mark.svg``) as a ``data:`` URI for a PDF template."""
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(path)
    with open(found, "rb") as handle:
        encoded = base64.b64encode(handle.read()).decode()
    return f"data:{mimetypes.guess_type(found)[0] or 'application/octet-stream'};base64,{encoded}"


def render_pdf(*, template: str, context: dict[str, Any], language: str | None = None, title: str = "") -> bytes:
    """Render ``template`` in ``language`` to a tagged PDF (structure for screen readers)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    with translation.override(language or settings.LANGUAGE_CODE):
        html = render_to_string(template, {"logo_uri": static_data_uri("img/bacuda-mark.svg"), **context})
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"}), base_url=str(settings.BASE_DIR))
    return document.write_pdf(pdf_tags=True)
