"""Picture uploads (PNG, JPEG): one picture, decoded whole by Pillow, with nothing before or after it.

Pillow stops reading at the end of the picture (IEND for PNG, EOI for JPEG) and would ignore whatever follows: an
HTML page or a ZIP archive appended there makes a polyglot. So the chunk (PNG) or segment (JPEG) structure is
walked to find where the picture really ends, and only padding may follow. Pictures from some phones keep extra
data after the end (a second picture, a depth map); they are refused too, with a message saying to save the
picture again, because that data cannot be told apart from a hidden file.
"""

import io
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image

from .signatures import MARKUP, SNIFF_WINDOW, embedded_file_type, markup_error

# Pixels (width times height) a picture may have: a decompression bomb (a small file that decodes to gigabytes)
# is refused from its header, before any of it is decoded. 40 million pixels is a 7,300 x 5,500 photograph.
MAX_IMAGE_PIXELS = 40_000_000
PILLOW_FORMATS = {"png": "PNG", "jpeg": "JPEG"}
_PADDING = b"\x00\t\n\r "
# Inside JPEG scan data a 0xFF byte is followed by 0x00 (stuffing) or a restart marker; anything else is a marker.
_JPEG_MARKER_AFTER_SCAN = re.compile(rb"\xff[^\x00\xd0-\xd7]")
# Start-of-frame markers (SOF0 to SOF15, less DHT, JPG and DAC), whose segment gives the picture's size.
_JPEG_FRAME_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}

BROKEN_MESSAGE = _("This picture is damaged or incomplete. Save it again as PNG or JPEG and upload it once more.")


def _broken() -> ValidationError:
    return ValidationError(BROKEN_MESSAGE, code="image_broken")


def check_image(data: bytes, kind: str) -> None:
    """Refuse (ValidationError) anything but a single whole PNG or JPEG picture of a sane size."""
    end, pixels = _png_structure(data) if kind == "png" else _jpeg_structure(data)
    if pixels > MAX_IMAGE_PIXELS:  # from the header, before Pillow allocates anything
        raise _too_many_pixels()
    if data[end:].strip(_PADDING):
        raise ValidationError(
            _("This picture has other data after its end. Save it again as PNG or JPEG and upload it once more."),
            code="trailing_data",
        )
    inner = embedded_file_type(data)
    if inner:
        raise ValidationError(
            _("This picture has another file (%(inner)s) hidden inside it, which we do not accept."),
            code="embedded_file",
            params={"inner": inner},
        )
    if MARKUP.search(data, 0, SNIFF_WINDOW):
        raise markup_error("picture")
    _decode(data, PILLOW_FORMATS[kind])


def _decode(data: bytes, pillow_format: str) -> None:
    try:
        with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise _too_many_pixels()
            if getattr(image, "n_frames", 1) != 1:
                raise ValidationError(
                    _("This file holds several pictures (an animation or a multi-picture photo). "
                      "Upload a single PNG or JPEG picture."),
                    code="image_frames",
                )  # fmt: skip
            image.verify()  # the structure and checksums, without decoding
        with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
            image.load()  # every pixel decoded: a truncated picture fails here
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own guard (a deployment may turn its warning into an error): refused the same way.
        raise _too_many_pixels() from None
    except Exception:  # a decoder fed hostile bytes can fail in many ways; each means "not a picture we can read"
        raise _broken() from None


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _("This picture is too large (more than %(limit)d million pixels). Reduce its size and upload it again."),
        code="image_too_large",
        params={"limit": MAX_IMAGE_PIXELS // 1_000_000},
    )


def _png_structure(data: bytes) -> tuple[int, int]:
    """The offset just after the IEND chunk, walking the chunks from the signature on, and the pixels IHDR declares."""
    position, pixels = 8, 0
    while True:
        if position + 12 > len(data):
            raise _broken()
        length = int.from_bytes(data[position : position + 4], "big")
        chunk_type = data[position + 4 : position + 8]
        if chunk_type == b"IHDR" and length >= 8:
            pixels = int.from_bytes(data[position + 8 : position + 12], "big") * int.from_bytes(
                data[position + 12 : position + 16], "big"
            )
        position += 12 + length  # length, type, data, CRC
        if chunk_type == b"IEND":
            if position > len(data):
                raise _broken()
            return position, pixels


def _jpeg_structure(data: bytes) -> tuple[int, int]:
    """The offset just after the EOI marker, walking the segments (and skipping scan data) from SOI on, and the
    most pixels a frame header (SOFn) declares."""
    position, pixels = 2, 0
    while True:
        if position + 2 > len(data) or data[position] != 0xFF:
            raise _broken()
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte before a marker
            position += 1
            continue
        if marker == 0xD9:  # EOI
            return position + 2, pixels
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            position += 2
            continue
        if position + 4 > len(data):
            raise _broken()
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        if length < 2:
            raise _broken()
        if marker in _JPEG_FRAME_MARKERS and length >= 7:
            height = int.from_bytes(data[position + 5 : position + 7], "big")
            width = int.from_bytes(data[position + 7 : position + 9], "big")
            pixels = max(pixels, width * height)
        position += 2 + length
        if marker == 0xDA:  # SOS: entropy-coded data runs up to the next marker
            following = _JPEG_MARKER_AFTER_SCAN.search(data, position)
            if following is None:
                raise _broken()
            position = following.start()
