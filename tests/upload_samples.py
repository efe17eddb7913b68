"""Files for the upload tests, built here: clean ones (pypdf, Pillow, csv) and hostile ones (active PDFs, polyglots,
pictures with a payload, decompression bombs). Nothing is read from disk."""

import io
import struct
import zipfile
import zlib

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

HTML_PAYLOAD = b"<html><body><script>alert(document.cookie)</script></body></html>"


# --- PDF --------------------------------------------------------------------------------------------------------
def _page_content(text: str) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode())
    return stream


def pdf_writer(pages: int = 1) -> PdfWriter:
    """A plain document as pypdf writes it: pages with a line of text in Helvetica."""
    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    for number in range(pages):
        page = writer.add_blank_page(612, 792)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        page[NameObject("/Contents")] = writer._add_object(_page_content(f"Curriculum vitae, page {number + 1}"))
    return writer


def pdf_bytes(writer: PdfWriter | None = None) -> bytes:
    buffer = io.BytesIO()
    (writer or pdf_writer()).write(buffer)
    return buffer.getvalue()


CLEAN_PDF = pdf_bytes()


def pdf_of_size(size: int) -> bytes:
    """A clean PDF of exactly ``size`` bytes: its page's content stream is padded with spaces (valid content)."""
    padding = 0
    for _attempt in range(5):
        writer = pdf_writer()
        content = writer.pages[0]["/Contents"].get_object()
        content.set_data(content.get_data() + b" " * padding)
        data = pdf_bytes(writer)
        if len(data) == size:
            return data
        padding += size - len(data)
    raise AssertionError(f"no PDF of {size} bytes")


def _action(kind: str, **entries) -> DictionaryObject:
    action = DictionaryObject({NameObject("/Type"): NameObject("/Action"), NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        action[NameObject(f"/{key}")] = value
    return action


def pdf_javascript_open_action() -> bytes:
    writer = pdf_writer()
    writer._root_object[NameObject("/OpenAction")] = _action("/JavaScript", JS=TextStringObject("app.alert(1)"))
    return pdf_bytes(writer)


def pdf_goto_open_action() -> bytes:
    """A legitimate ``/OpenAction``: open at the first page, fit to the window."""
    writer = pdf_writer(pages=2)
    destination = ArrayObject([writer.pages[0].indirect_reference, NameObject("/Fit")])
    writer._root_object[NameObject("/OpenAction")] = _action("/GoTo", D=destination)
    return pdf_bytes(writer)


def pdf_page_aa_launch() -> bytes:
    writer = pdf_writer()
    launch = _action("/Launch", F=TextStringObject("cmd.exe"))
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): writer._add_object(launch)})
    return pdf_bytes(writer)


def pdf_uri_javascript_link() -> bytes:
    writer = pdf_writer()
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(100), FloatObject(20)]),
            NameObject("/A"): _action("/URI", URI=TextStringObject(" JavaScript:alert(1)")),
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    return pdf_bytes(writer)


def pdf_embedded_file() -> bytes:
    writer = pdf_writer()
    writer.add_attachment("invoice.exe", b"MZ\x90\x00 not really a program")
    return pdf_bytes(writer)


def pdf_xfa_form() -> bytes:
    writer = pdf_writer()
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {
            NameObject("/Fields"): ArrayObject(),
            NameObject("/XFA"): TextStringObject("<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>"),
        }
    )
    return pdf_bytes(writer)


def pdf_rich_media() -> bytes:
    writer = pdf_writer()
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/RichMedia"),
            NameObject("/Rect"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(200), NumberObject(200)]),
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    return pdf_bytes(writer)


def pdf_encrypted() -> bytes:
    writer = pdf_writer()
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    return pdf_bytes(writer)


def pdf_owner_password_only() -> bytes:
    """Restrictions (no printing) but no password to open: it can be read, so it can be checked."""
    writer = pdf_writer()
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128", permissions_flag=0)
    return pdf_bytes(writer)


def raw_pdf(objects: list[bytes], *, root: int = 1, trailer: bytes = b"") -> bytes:
    """A PDF written byte by byte: ``objects`` are the bodies of objects 1..n; the cross-reference table is right."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, trailer, xref)
    return bytes(out)


_PAGES = [
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
]


def pdf_hex_escaped_javascript() -> bytes:
    """``/J#61vaScript`` and ``/J#53`` are the names /JavaScript and /JS written with an escaped letter."""
    catalog = b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> >>"
    return raw_pdf([catalog, *_PAGES])


def pdf_javascript_in_object_stream() -> bytes:
    """The catalogue and its JavaScript action live in a compressed object stream, found through an xref stream:
    no active name appears in the file's bytes."""
    compressed = {
        1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        4: b"<< /S /JavaScript /JS (app.alert(1)) >>",
    }
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in ((2, _PAGES[0]), (3, _PAGES[1])):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    header, bodies, index = [], b"", {}
    for position, (number, body) in enumerate(compressed.items()):
        index[number] = position
        header.append(b"%d %d" % (number, len(bodies)))
        bodies += body + b"\n"
    first = b" ".join(header) + b"\n"
    data = zlib.compress(first + bodies)
    offsets[5] = len(out)
    out += b"5 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (
        len(compressed),
        len(first),
        len(data),
    )
    out += data + b"\nendstream\nendobj\n"
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    for number in range(1, 7):
        if number in compressed:
            rows.append(struct.pack(">BIH", 2, 5, index[number]))
        elif number == 6:
            rows.append(struct.pack(">BIH", 1, len(out), 0))
        else:
            rows.append(struct.pack(">BIH", 1, offsets[number], 0))
    table = b"".join(rows)
    xref = len(out)
    out += b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(table)
    out += table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def pdf_with_html_before() -> bytes:
    return HTML_PAYLOAD + b"\n" + CLEAN_PDF


def pdf_with_html_after_eof() -> bytes:
    return CLEAN_PDF + HTML_PAYLOAD + b"\n"


def pdf_with_html_between_objects() -> bytes:
    """The HTML sits between two objects and the file still ends with %%EOF."""
    marker = CLEAN_PDF.index(b"2 0 obj")
    return CLEAN_PDF[:marker] + HTML_PAYLOAD + b"\n" + CLEAN_PDF[marker:]


ACTIVE_PDFS = {
    "javascript open action": (pdf_javascript_open_action, "JavaScript"),
    "page /AA launch": (pdf_page_aa_launch, "starts a program"),
    "javascript: link": (pdf_uri_javascript_link, "JavaScript"),
    "embedded file": (pdf_embedded_file, "embedded files"),
    "XFA form": (pdf_xfa_form, "an XFA form"),
    "rich media": (pdf_rich_media, "multimedia content"),
    "hex-escaped /J#61vaScript": (pdf_hex_escaped_javascript, "JavaScript"),
    "javascript in an object stream": (pdf_javascript_in_object_stream, "JavaScript"),
}
POLYGLOT_PDFS = {
    "html before %PDF-": (pdf_with_html_before, "other data before its PDF header"),
    "html after %%EOF": (pdf_with_html_after_eof, "other data after the end of the PDF"),
    "html between objects": (pdf_with_html_between_objects, "This PDF also contains web page code"),
}


# --- Pictures ---------------------------------------------------------------------------------------------------
def picture(kind: str = "PNG", size=(64, 48), mode: str = "RGB") -> bytes:
    image = Image.new(mode, size)
    for x in range(0, size[0], 4):  # some detail, so that the data is not trivially compressible
        image.putpixel((x, x * size[1] // size[0]), (x % 256, 90, 200) if mode == "RGB" else 128)
    buffer = io.BytesIO()
    image.save(buffer, kind)
    return buffer.getvalue()


CLEAN_PNG = picture("PNG")
CLEAN_JPEG = picture("JPEG")


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.html", HTML_PAYLOAD)
    return buffer.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int = 20_000, height: int = 20_000) -> bytes:
    """A few kilobytes that decode to ``width * height`` pixels (one bit each): a decompression bomb."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", idat) + _png_chunk(b"IEND", b"")


def png_truncated() -> bytes:
    """Chunks and checksums in order, but the compressed pixels stop half-way."""
    image = Image.effect_noise((256, 256), 64).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    data = buffer.getvalue()
    start = data.index(b"IDAT") - 4
    length = struct.unpack(">I", data[start : start + 4])[0]
    idat = data[start + 8 : start + 8 + length]
    return data[:start] + _png_chunk(b"IDAT", idat[: length // 2]) + _png_chunk(b"IEND", b"")


def png_interlaced(width: int = 37, height: int = 23) -> bytes:
    """A clean Adam7-interlaced RGB picture (Pillow reads these but does not write them), built pass by pass."""
    passes = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
    raw = b""
    for first_column, first_row, column_step, row_step in passes:
        columns = len(range(first_column, width, column_step))
        rows = len(range(first_row, height, row_step))
        if columns and rows:
            raw += b"".join(b"\x00" + bytes((x * 7 + y) % 256 for x in range(columns * 3)) for y in range(rows))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 1)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(raw))
        + _png_chunk(b"IEND", b"")
    )


def png_with_data_after_the_pixels() -> bytes:
    """Complete compressed pixels, then a hidden payload in a further IDAT chunk that Pillow never reads."""
    end = CLEAN_PNG.index(b"IEND") - 4
    return CLEAN_PNG[:end] + _png_chunk(b"IDAT", HTML_PAYLOAD * 30) + CLEAN_PNG[end:]


def png_with_zip_in_a_chunk() -> bytes:
    """A ZIP archive hidden in a private ancillary chunk, before IEND."""
    end = CLEAN_PNG.index(b"IEND") - 4
    return CLEAN_PNG[:end] + _png_chunk(b"zzZz", zip_archive()) + CLEAN_PNG[end:]


def jpeg_bomb() -> bytes:
    """A small JPEG whose frame header says 10,000 x 10,000 pixels."""
    start = CLEAN_JPEG.index(b"\xff\xc0")
    return CLEAN_JPEG[: start + 5] + struct.pack(">HH", 10_000, 10_000) + CLEAN_JPEG[start + 9 :]


def png_with_html_in_a_text_chunk() -> bytes:
    """A web page in a text chunk at the start of the file, where a browser sniffing the type would read it."""
    after_header = 8 + 25  # the signature and the IHDR chunk
    return CLEAN_PNG[:after_header] + _png_chunk(b"tEXt", b"Comment\x00" + HTML_PAYLOAD) + CLEAN_PNG[after_header:]


SVG_AS_PNG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><rect/></svg>'

HOSTILE_PICTURES = {
    "png + html": (lambda: CLEAN_PNG + HTML_PAYLOAD, "other data after its end"),
    "jpeg + zip": (lambda: CLEAN_JPEG + zip_archive(), "other data after its end"),
    "jpeg + pdf": (lambda: CLEAN_JPEG + CLEAN_PDF, "other data after its end"),
    "html in a png text chunk": (png_with_html_in_a_text_chunk, "This picture also contains web page code"),
    "zip inside a png chunk": (png_with_zip_in_a_chunk, "another file (ZIP) hidden inside it"),
    "decompression bomb": (png_bomb, "too large (more than 40 million pixels)"),
    "bomb under Pillow's own limit": (lambda: png_bomb(8_000, 8_000), "too large (more than 40 million pixels)"),
    "jpeg bomb": (jpeg_bomb, "too large (more than 40 million pixels)"),
    "truncated": (png_truncated, "damaged or incomplete"),
    "jpeg cut short": (lambda: CLEAN_JPEG[: len(CLEAN_JPEG) // 2], "damaged or incomplete"),
    "data after the compressed pixels": (png_with_data_after_the_pixels, "damaged or incomplete"),
    "svg named .png": (lambda: SVG_AS_PNG, "not accepted"),
}


# --- CSV --------------------------------------------------------------------------------------------------------
CLEAN_CSV = b"description,hs_code\nFrozen boneless beef,020230\nRaw cane sugar,170114\n"
