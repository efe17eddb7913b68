"""The applicants' documents: PDF only (by content), 5 MB, no JavaScript inside, not truncated."""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.uploads import UploadValidator

DOCUMENT_MAX_MEGABYTES = 5
# A PDF name object is "/" followed by regular characters, where any byte may be written as "#xx".
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_SCRIPT_NAME = re.compile(rb"/J(?:avaScript|S)(?![A-Za-z0-9])")


def _read(uploaded) -> bytes:
    position = uploaded.tell() if hasattr(uploaded, "tell") else 0
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(position)
    return data


@deconstructible
class ApplicationDocumentValidator(UploadValidator):
    """The shared content and size check, then: refuse a PDF that carries JavaScript or has no end marker."""

    def __init__(self, max_megabytes: int = DOCUMENT_MAX_MEGABYTES):
        super().__init__(kinds=("pdf",), max_megabytes=max_megabytes)

    def __call__(self, uploaded) -> None:
        super().__call__(uploaded)
        data = _read(uploaded)
        if b"%%EOF" not in data[-4096:]:
            raise ValidationError(
                _("This PDF seems damaged or incomplete. Please save it again as PDF and upload it once more."),
                code="broken_pdf",
            )
        unescaped = _NAME_ESCAPE.sub(lambda match: bytes([int(match.group(1), 16)]), data)
        if _SCRIPT_NAME.search(unescaped):
            raise ValidationError(
                _("This PDF contains JavaScript, which we do not accept. Print it to a plain PDF and upload that."),
                code="pdf_javascript",
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, ApplicationDocumentValidator) and self.max_megabytes == other.max_megabytes
