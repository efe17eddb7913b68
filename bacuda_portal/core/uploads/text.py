"""Text uploads (CSV datasets): UTF-8 text throughout, no NUL byte, no other file type, readable by the csv module.

The file is read once, as a stream of 1 MB chunks, so a dataset of hundreds of megabytes never sits in memory;
the dataset validator reads its rows from the same stream (``text_lines``) while it checks their content.
"""

import codecs
import csv
from collections.abc import Callable, Iterator

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .signatures import FOREIGN_HEADERS, MARKUP

# The encoding the dataset validator has always accepted (a byte-order mark is allowed and dropped).
TEXT_ENCODING = "utf-8-sig"
CHUNK_BYTES = 1024 * 1024
# No CSV line of a dataset comes near this; a file without line breaks is not a CSV (and would fill memory).
MAX_LINE_CHARACTERS = 1024 * 1024
_BOM = codecs.BOM_UTF8


def _binary() -> ValidationError:
    return ValidationError(_("This is not a text CSV file (it contains binary data)."), code="csv_binary")


def _refuse_other_file_types(head: bytes) -> None:
    start = head.removeprefix(_BOM).lstrip()
    for signature, what in FOREIGN_HEADERS:
        if head.startswith(signature):
            raise ValidationError(
                _("This is %(what)s, not a CSV text file."), code="csv_other_type", params={"what": what}
            )
    if MARKUP.match(start) or start[:5].lower() == b"<?xml":
        raise ValidationError(
            _("This is %(what)s, not a CSV text file."), code="csv_other_type", params={"what": _("a web page")}
        )


def text_lines(uploaded, *, on_chunk: Callable[[bytes], None] | None = None) -> Iterator[str]:
    """The decoded lines of an uploaded text file, each with its line break; ValidationError when it is not text.

    ``on_chunk`` sees every chunk of bytes as it is read (to compute a checksum on the way).
    """
    decoder = codecs.getincrementaldecoder(TEXT_ENCODING)()
    uploaded.seek(0)
    pending = ""
    first = True
    for chunk in iter(lambda: uploaded.read(CHUNK_BYTES), b""):
        if isinstance(chunk, str):
            chunk = chunk.encode()
        if not chunk:
            break
        if on_chunk is not None:
            on_chunk(chunk)
        if first:
            _refuse_other_file_types(chunk)
            first = False
        if b"\x00" in chunk:
            raise _binary()
        pending += _decode(decoder, chunk)
        *complete, pending = pending.split("\n")
        if len(pending) > MAX_LINE_CHARACTERS:
            raise ValidationError(
                _("A line of this file is longer than %(limit)d characters: this is not a CSV we can read."),
                code="csv_line_too_long",
                params={"limit": MAX_LINE_CHARACTERS},
            )
        for line in complete:
            yield line + "\n"
    pending += _decode(decoder, b"", final=True)  # a file cut inside a character fails here
    if pending:
        yield pending


def _decode(decoder, chunk: bytes, *, final: bool = False) -> str:
    try:
        return decoder.decode(chunk, final=final)
    except UnicodeDecodeError:
        raise ValidationError(_("This is not a UTF-8 text CSV file."), code="csv_encoding") from None


def check_csv(uploaded) -> None:
    """Refuse (ValidationError) a file that is not UTF-8 text the csv module reads to the end."""
    try:
        rows = sum(1 for _row in csv.reader(text_lines(uploaded)))
    except csv.Error as error:
        raise ValidationError(
            _("The file is not a readable CSV: %(error)s"), code="csv_unreadable", params={"error": error}
        ) from None
    finally:
        uploaded.seek(0)
    if rows == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
