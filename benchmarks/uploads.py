"""The upload check (``bacuda_portal.core.uploads``) on realistic large files: the median time of one check.

Builds its files in memory (nothing is read from disk or written):
  - a 5 MB PDF of many pages, as a word processor writes them: a compressed text content stream per page, a
    Helvetica font, a link annotation on each page, a JPEG photograph on every tenth page; and a 5 MB PDF of text
    pages only (about ten times as many pages, so many more objects to inspect);
  - a 10 MB JPEG photograph and a 10 MB PNG picture (noise, so that they do not compress away);
  - a 50 MB CSV of declarations (the 22 columns of the Customs Import Declaration layout), checked by the
    dataset validator, which reads it through the upload check's text stream, and by the upload check alone.
Each file is checked ``--runs`` times through ``UploadValidator`` (or ``validate_csv``) and the median is printed.

    .venv/bin/python -m benchmarks.uploads [--runs 5] [--pdf-megabytes 5] [--image-megabytes 10] [--csv-megabytes 50]
"""

import argparse
import io
import random
import statistics
import sys
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bacuda_portal.settings.test")

import django

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from PIL import Image  # noqa: E402
from pypdf import PdfReader, PdfWriter  # noqa: E402
from pypdf.generic import (  # noqa: E402
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from algorithms.declarations import COLUMNS  # noqa: E402
from algorithms.validation import validate_csv  # noqa: E402
from bacuda_portal.core.uploads import DATASET_TYPES, IMAGE_TYPES, UploadValidator  # noqa: E402

MEGABYTE = 1024 * 1024
WORDS = ("customs", "declaration", "risk", "importer", "tariff", "valuation", "origin", "inspection", "revenue")


def _photo(size: tuple[int, int], quality: int) -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise(size, 40).convert("RGB").save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def build_pdf(megabytes: float, rng: random.Random, *, photo_every: int = 10) -> bytes:
    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                          NameObject("/BaseFont"): NameObject("/Helvetica")})
    )  # fmt: skip
    photo_bytes = _photo((900, 600), 85)
    photo = StreamObject()
    photo._data = photo_bytes
    photo.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Image"),
                  NameObject("/Width"): NumberObject(900), NameObject("/Height"): NumberObject(600),
                  NameObject("/ColorSpace"): NameObject("/DeviceRGB"), NameObject("/BitsPerComponent"): NumberObject(8),
                  NameObject("/Filter"): NameObject("/DCTDecode")})  # fmt: skip
    size, number = 0, 0
    while size < megabytes * MEGABYTE:
        number += 1
        page = writer.add_blank_page(595, 842)
        lines = [f"BT /F1 10 Tf 56 {800 - 14 * line} Td ({' '.join(rng.choices(WORDS, k=12))}) Tj ET"
                 for line in range(52)]  # fmt: skip
        resources = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
        if photo_every and number % photo_every == 0:
            # Each photograph is its own object, as when every page of a report has a different picture.
            picture = StreamObject()
            picture._data = photo_bytes[:-2] + rng.randbytes(2)
            picture.update(photo)
            resources[NameObject("/XObject")] = DictionaryObject({NameObject("/Im1"): writer._add_object(picture)})
            lines.append("q 450 0 0 300 72 72 cm /Im1 Do Q")
            size += len(photo_bytes)
        content = DecodedStreamObject()
        content.set_data("\n".join(lines).encode())
        page[NameObject("/Resources")] = resources
        page[NameObject("/Contents")] = writer._add_object(content.flate_encode())
        link = DictionaryObject({NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
                                 NameObject("/Rect"): ArrayObject([NumberObject(56), NumberObject(40),
                                                                   NumberObject(200), NumberObject(52)]),
                                 NameObject("/A"): DictionaryObject({NameObject("/S"): NameObject("/URI"),
                                                                     NameObject("/URI"): TextStringObject(
                                                                         "https://www.wcoomd.org/")})})  # fmt: skip
        page[NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
        size += len(zlib.compress("\n".join(lines).encode())) + 400
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def build_jpeg(megabytes: float) -> bytes:
    side = 1600
    while True:
        data = _photo((side * 4 // 3, side), 92)
        if len(data) >= megabytes * MEGABYTE * 0.95:
            return data
        side = int(side * (megabytes * MEGABYTE / len(data)) ** 0.5) + 16


def build_png(megabytes: float) -> bytes:
    side = int((megabytes * MEGABYTE / 3) ** 0.5)
    while True:
        buffer = io.BytesIO()
        Image.effect_noise((side, side), 60).convert("RGB").save(buffer, "PNG")
        if buffer.tell() >= megabytes * MEGABYTE * 0.95:
            return buffer.getvalue()
        side = int(side * (megabytes * MEGABYTE / buffer.tell()) ** 0.5) + 16


def build_csv(megabytes: float, rng: random.Random) -> bytes:
    header = ",".join(COLUMNS) + "\n"
    rows = []
    for index in range(2000):
        values = {column: str(rng.randint(0, 90000)) for column in COLUMNS}
        values.update(
            {
                "Date": f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "Declaration ID": f"D{index}",
                "Importer ID": f"IMP{rng.randint(1, 900)}",
                "HS6 Code": f"{rng.randint(10, 97)}0{rng.randint(100, 999)}",
                "Country of Departure": "KE",
                "Country of Origin": "CN",
                "Fraud": "0",
                "Critical Fraud": "0",
            }
        )
        rows.append(",".join(values[column] for column in COLUMNS) + "\n")
    block = "".join(rows).encode()
    repeats = int(megabytes * MEGABYTE / len(block)) + 1
    return header.encode() + block * repeats


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def median_ms(check, runs: int) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        check()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pdf-megabytes", type=float, default=5)
    parser.add_argument("--image-megabytes", type=float, default=10)
    parser.add_argument("--csv-megabytes", type=float, default=50)
    arguments = parser.parse_args()
    rng = random.Random(17)

    pdf = build_pdf(arguments.pdf_megabytes, rng)
    text_pdf = build_pdf(arguments.pdf_megabytes, rng, photo_every=0)
    jpeg = build_jpeg(arguments.image_megabytes)
    png = build_png(arguments.image_megabytes)
    csv_data = build_csv(arguments.csv_megabytes, rng)
    cases = [
        (f"PDF, {len(pdf) / MEGABYTE:.1f} MB, {_pages(pdf)} pages, a photo every 10", UploadValidator(), pdf),
        (f"PDF, {len(text_pdf) / MEGABYTE:.1f} MB, {_pages(text_pdf)} pages of text", UploadValidator(), text_pdf),
        (f"JPEG, {len(jpeg) / MEGABYTE:.1f} MB", UploadValidator(kinds=IMAGE_TYPES, max_megabytes=20), jpeg),
        (f"PNG, {len(png) / MEGABYTE:.1f} MB", UploadValidator(kinds=IMAGE_TYPES, max_megabytes=20), png),
        (f"CSV, {len(csv_data) / MEGABYTE:.1f} MB (upload check alone)", UploadValidator(DATASET_TYPES, 200), csv_data),
    ]
    print(f"| file | median of {arguments.runs} (ms) |")
    print("|---|---|")
    for label, validator, data in cases:
        median = median_ms(lambda v=validator, d=data: v(SimpleUploadedFile("f", d)), arguments.runs)
        print(f"| {label} | {median:.0f} |")

    def dataset_check():
        return validate_csv(
            SimpleUploadedFile("d.csv", csv_data), kind="declarations", max_megabytes=200, max_problems=20
        )

    report = dataset_check()
    assert report.ok, report.problems[:3]
    median = median_ms(dataset_check, arguments.runs)
    label = f"CSV, {len(csv_data) / MEGABYTE:.1f} MB, {report.row_count} rows (dataset validator, one pass)"
    print(f"| {label} | {median:.0f} |")


if __name__ == "__main__":
    main()
