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


def _workbook(header: list[str], rows) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for number, row in enumerate([header, *rows]):
        sheet.write_row(number, 0, row)
    book.close()
    return buffer.getvalue()


def _experts_workbook() -> bytes:
    header = ["Full name", "Email", "Telephone", "Administration", "Nationality", "Languages"]
    return _workbook(header, ([f"Imported Trainer {n}", f"imported{n}@example.org", "", "KEN", "SEN", "en C1; fr B2"]
                              for n in range(1, IMPORT_ROWS + 1)))  # fmt: skip


def _nominations_workbook() -> bytes:
    header = [
        "Full name",
        "Gender",
        "Position",
        "Email address",
        "Preferred language",
        "Agrees to appear on the participant list",
    ]
    return _workbook(header, ([f"Imported Official {n}", "female" if n % 2 else "male", "Risk analyst",
                               f"official{n}@kra.example", "en", "yes"]
                              for n in range(1, IMPORT_ROWS + 1)))  # fmt: skip


def _timed_import(client, url: str, name: str, workbook: bytes) -> tuple[float, float, int]:
    """Upload (the preview), then confirm; seconds of each and the signed preview's size."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    started = time.perf_counter()
    response = client.post(url, {"file": SimpleUploadedFile(name, workbook)})
    preview = time.perf_counter() - started
    assert response.status_code == 200, response.content[-2000:]
    token = re.search(rb'name="rows" value="([^"]+)"', response.content).group(1).decode()
    started = time.perf_counter()
    response = client.post(url, {"rows": token, "confirm": "1"})
    confirm = time.perf_counter() - started
    assert response.status_code == 302, response.content[-2000:]
    return preview, confirm, len(token)


def _nomination_workshop():
    """A planned national workshop for Kenya with room for the whole file."""
    import datetime as dt

    from django.utils import timezone

    from bacuda_portal.members.models import Administration, User
    from workshops.models import Beneficiary, Workshop

    start = timezone.localdate() + dt.timedelta(days=60)
    workshop = Workshop.objects.create(
        title="Benchmark: nominations import", kind="national", status="planned", start_date=start,
        end_date=start + dt.timedelta(days=4), languages=["en"], seats=IMPORT_ROWS,
        created_by=User.objects.get(email="officer@example.org"),
    )  # fmt: skip
    Beneficiary.objects.create(
        workshop=workshop, administration=Administration.objects.get(code="KEN"), quota=IMPORT_ROWS
    )
    return workshop


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    fresh_large_database()
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
    experts_workbook = _experts_workbook()
    experts = _timed_import(staff, reverse("experts:import"), "experts.xlsx", experts_workbook)
    from workshops.experts.models import Expert
    from workshops.models import Nomination

    assert Expert.objects.filter(email__startswith="imported").count() == IMPORT_ROWS
    contact_point = Client()
    contact_point.force_login(User.objects.get(email="contact.kenya@example.org"))
    workshop = _nomination_workshop()
    nominations_workbook = _nominations_workbook()
    nominations = _timed_import(
        contact_point,
        reverse("workshops:nomination_import", args=[workshop.pk]),
        "nominations.xlsx",
        nominations_workbook,
    )
    assert Nomination.objects.filter(workshop=workshop).count() == IMPORT_ROWS
    table = "\n".join([
        f"Database: {connection.vendor}; the officer downloads each whole list ({args.repeat} times, median).",
        "",
        "| list | rows | CSV s | Excel s | Excel KB | Excel peak MB |",
        "|---|---:|---:|---:|---:|---:|",
        *lines,
        "",
        "| import (a workbook of 5,000 new rows) | workbook KB | preview s | confirmation s | signed preview KB |",
        "|---|---:|---:|---:|---:|",
        f"| experts (staff) | {len(experts_workbook) / 1024:,.0f} | {experts[0]:.1f} | {experts[1]:.1f} | "
        f"{experts[2] / 1024:,.0f} |",
        f"| nominations (Kenya's contact point, one workshop) | {len(nominations_workbook) / 1024:,.0f} | "
        f"{nominations[0]:.1f} | {nominations[1]:.1f} | {nominations[2] / 1024:,.0f} |",
        "",
        "The preview reads and checks every row; the confirmation checks them again and writes all in one "
        "transaction.",
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
