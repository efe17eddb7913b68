"""Picture uploads (PNG, JPEG): one picture, decoded whole by Pillow, with nothing before or after it.

Pillow stops reading at the end of the picture (IEND for PNG, EOI for JPEG) and would ignore whatever follows: an
HTML page or a ZIP archive appended there makes a polyglot. So the chunk (PNG) or segment (JPEG) structure is
walked to find where the picture really ends, and only padding may follow. Pictures from some phones keep extra
data after the end (a second picture, a depth map); they are refused too, with a message saying to save the
picture again, because that data cannot be told apart from a hidden file.
"""

import io
import re
import zlib

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
    """The offset just after the IEND chunk, walking the chunks from the signature on, and the pixels IHDR declares.

    The compressed pixel data (the IDAT chunks) must also inflate to exactly the size the header announces: Pillow
    fills a picture cut short with blank pixels when ``ImageFile.LOAD_TRUNCATED_IMAGES`` is on, which WeasyPrint
    turns on for the whole process when it is imported, so the check cannot rely on Pillow for this.
    """
    position, header, pixel_data = 8, None, []
    while True:
        if position + 12 > len(data):
            raise _broken()
        length = int.from_bytes(data[position : position + 4], "big")
        chunk_type = data[position + 4 : position + 8]
        if chunk_type == b"IHDR" and length == 13:
            header = data[position + 8 : position + 21]
        elif chunk_type == b"IDAT":
            pixel_data.append((position + 8, position + 8 + length))
        position += 12 + length  # length, type, data, CRC
        if chunk_type == b"IEND":
            if position > len(data) or header is None:
                raise _broken()
            width, height = int.from_bytes(header[0:4], "big"), int.from_bytes(header[4:8], "big")
            if width * height <= MAX_IMAGE_PIXELS:  # a bigger one is refused as too large, unread
                _check_png_pixel_data(data, header, pixel_data)
            return position, width * height


# Adam7 interlacing: the first column and row of each of the seven passes, and their steps.
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # by colour type


def _check_png_pixel_data(data: bytes, header: bytes, pixel_data: list[tuple[int, int]]) -> None:
    width, height = int.from_bytes(header[0:4], "big"), int.from_bytes(header[4:8], "big")
    bit_depth, colour_type, interlace = header[8], header[9], header[12]
    if colour_type not in _PNG_CHANNELS or bit_depth not in (1, 2, 4, 8, 16) or interlace not in (0, 1):
        raise _broken()
    bits = bit_depth * _PNG_CHANNELS[colour_type]
    passes = _ADAM7 if interlace else ((0, 0, 1, 1),)
    expected = 0
    for first_column, first_row, column_step, row_step in passes:
        columns = (width - first_column + column_step - 1) // column_step
        rows = (height - first_row + row_step - 1) // row_step
        if columns > 0 and rows > 0:
            expected += rows * (1 + (columns * bits + 7) // 8)  # each row starts with its filter byte
    inflater, produced = zlib.decompressobj(), 0
    try:
        for start, end in pixel_data:
            pending = data[start:end]
            while pending:
                if inflater.eof:  # data after the end of the compressed pixels: a place to hide a file
                    raise _broken()
                produced += len(inflater.decompress(pending, 1024 * 1024))
                pending = inflater.unconsumed_tail
                if produced > expected:
                    raise _broken()
    except zlib.error:
        raise _broken() from None
    if not inflater.eof or inflater.unused_data or produced != expected:
        raise _broken()


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
