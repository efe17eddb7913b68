"""Byte patterns shared by the upload checks: what starts a file type, and what betrays a polyglot.

These patterns never decide that a file is acceptable (a real parser does that); they only pick which parser to
try and refuse content that a parser would ignore but another program would act on.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PDF_HEADER = b"%PDF-"
PNG_HEADER = b"\x89PNG\r\n\x1a\n"
JPEG_HEADER = b"\xff\xd8\xff"

# How far a browser looks when it sniffs a type (the WHATWG MIME Sniffing standard reads at most 1445 bytes).
SNIFF_WINDOW = 1445

# Markup a browser (or an HTML/SVG parser fed the file) would act on: a tag name followed by a byte that ends it.
# Outside PDF streams, and in the first bytes of any file, such a tag has no business in a PDF, a picture or the
# start of a CSV; it is the mark of a polyglot (a file that is also a web page).
MARKUP = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|script|iframe|frame|svg|object|embed|style|title|meta|link|base|form"
    rb"|img|a\s+href)[\s/>]",
    re.IGNORECASE,
)

# Other file types hidden inside a file. Each pattern is long enough (6 bytes or more) that compressed image or
# PDF data matches it by chance about once in 2**48 positions.
EMBEDDED_FILES = (
    (re.compile(rb"PK\x03\x04[\x0a-\x3f]\x00"), "ZIP"),  # a local file header and its "version needed"
    (re.compile(rb"PK\x05\x06\x00\x00\x00\x00"), "ZIP"),  # the end of a central directory (one disk)
    (re.compile(rb"%PDF-[12]\.[0-9]"), "PDF"),
)

# The start of files that are certainly not a text CSV, to say what the file is instead.
FOREIGN_HEADERS = (
    (PDF_HEADER, _("a PDF document")),
    (b"PK\x03\x04", _("a ZIP archive or an Office document")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", _("an Office document")),
    (PNG_HEADER, _("a picture")),
    (JPEG_HEADER, _("a picture")),
    (b"GIF8", _("a picture")),
    (b"MZ\x90\x00", _("a program")),
    (b"\x7fELF", _("a program")),
    (b"\x1f\x8b", _("a compressed archive")),
)


def embedded_file_type(data: bytes, *, start: int = 0) -> str | None:
    """The type of another file whose signature appears in ``data`` from ``start`` on, if any."""
    for pattern, kind in EMBEDDED_FILES:
        if pattern.search(data, start):
            return kind
    return None


MARKUP_MESSAGES = {
    "pdf": _("This PDF also contains web page code (HTML, SVG or script), which we do not accept. "
             "Save it again as PDF and upload it once more."),
    "picture": _("This picture also contains web page code (HTML, SVG or script), which we do not accept. "
                 "Save it again as PNG or JPEG and upload it once more."),
}  # fmt: skip


def markup_error(kind: str) -> ValidationError:
    """The refusal of a file that is also a web page; ``kind`` is "pdf" or "picture"."""
    return ValidationError(MARKUP_MESSAGES[kind], code="markup")
