"""Excel and CSV downloads of the largest lists at ten years' volume, and a 5,000-row import (issue 19).

The data is ``seed_demo --scale large`` (see benchmarks/workshops_pages.py). Each list page is downloaded whole as a
project officer through Django's test client (application time, no network), CSV then Excel, a few times each;
the table gives the rows, the median seconds and the peak memory the Excel writer added (tracemalloc). The import
is staff's experts import of 5,000 new rows: the preview (read and check every row) and the confirmation (check
again and write all), timed once each on a fresh copy.

    .venv/bin/python -m benchmarks.exports_imports [--repeat 3] [--write]
"""

import argparse
import io
import re
import statistics
import time
import tracemalloc

from benchmarks.common import fresh_large_database, use_database, write_section

use_database("bench-exports.sqlite3")

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

LISTS = [
    ("workshops", "workshops:list"),
    ("experts", "experts:list"),
    ("scholarship applications", "scholarships:staff_application_list"),
    ("model jobs", "algorithms:job_list"),
    ("administrations", "members:administration_list"),
    ("audit log", "audit_log"),
]
IMPORT_ROWS = 5_000


def _download(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return b"".join(response.streaming_content) if response.streaming else response.content


def _rows(csv_body: bytes) -> int:
    return csv_body.decode("utf-8-sig").count("\n") - 1


def _timed(client, url: str, repeat: int) -> tuple[float, bytes]:
    timings, body = [], b""
    for _ in range(repeat):
        started = time.perf_counter()
        body = _download(client, url)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), body


def _import_workbook() -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Full name", "Email", "Telephone", "Administration", "Nationality", "Languages"])
    for number in range(1, IMPORT_ROWS + 1):
        sheet.write_row(number, 0, [f"Imported Trainer {number}", f"imported{number}@example.org", "", "KEN", "SEN",
                                    "en C1; fr B2"])  # fmt: skip
    book.close()
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    fresh_large_database()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bacuda_portal.members.models import User

    staff = Client()
    staff.force_login(User.objects.get(email="officer@example.org"))
    lines = []
    for label, name in LISTS:
        url = reverse(name)
        csv_seconds, csv_body = _timed(staff, url + "?format=csv", args.repeat)
        tracemalloc.start()
        xlsx_seconds, xlsx_body = _timed(staff, url + "?format=xlsx", args.repeat)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        lines.append(
            f"| {label} | {_rows(csv_body):,} | {csv_seconds:.2f} | {xlsx_seconds:.2f} | "
            f"{len(xlsx_body) / 1024:,.0f} | {peak / 1024 / 1024:.0f} |"
        )
        print(lines[-1], flush=True)
    workbook = _import_workbook()
    url = reverse("experts:import")
    started = time.perf_counter()
    response = staff.post(url, {"file": SimpleUploadedFile("experts.xlsx", workbook)})
    preview = time.perf_counter() - started
    assert response.status_code == 200, response.content[-2000:]
    token = re.search(rb'name="rows" value="([^"]+)"', response.content).group(1).decode()
    started = time.perf_counter()
    response = staff.post(url, {"rows": token, "confirm": "1"})
    confirm = time.perf_counter() - started
    assert response.status_code == 302
    from workshops.experts.models import Expert

    imported = Expert.objects.filter(email__startswith="imported").count()
    assert imported == IMPORT_ROWS
    table = "\n".join([
        f"Database: {connection.vendor}; the officer downloads each whole list ({args.repeat} times, median).",
        "",
        "| list | rows | CSV s | Excel s | Excel KB | Excel peak MB |",
        "|---|---:|---:|---:|---:|---:|",
        *lines,
        "",
        f"Import of {IMPORT_ROWS:,} experts from a workbook ({len(workbook) / 1024:,.0f} KB): preview (read and check "
        f"every row) {preview:.1f} s, confirmation (check again and write all, one transaction) {confirm:.1f} s; "
        f"signed preview {len(token) / 1024:,.0f} KB.",
    ])  # fmt: skip
    print(table)
    if args.write:
        write_section(
            f"exports-{connection.vendor}",
            table,
            "## Excel and CSV downloads, imports (issue 19)\n\n`.venv/bin/python -m benchmarks.exports_imports "
            "--write` (add `BENCH_DATABASE_URL=...` for PostgreSQL): every list a manager downloads, at ten years' "
            "volume, in both formats; a 5,000-row import.",
        )


if __name__ == "__main__":
    main()
