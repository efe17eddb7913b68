"""Workshops at ten years' volume: the staff workshop list, one workshop's attendance page, the expert search.

The data is ``seed_demo --scale large`` (2,000 workshops with 5 sessions, 40,000 nominations half accepted with
attendance, 800 experts, 6,000 assignments, 1,500 contact points). In-process through Django's test client
(application time, no network), on a fresh SQLite file or BENCH_DATABASE_URL.

    .venv/bin/python -m benchmarks.workshops_pages [--requests 100] [--write]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bacuda_portal.settings.test"
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-workshops.sqlite3'}"
)
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from workshops.scale import EXPERTS, NOMINATIONS_PER_WORKSHOP, WORKSHOPS  # noqa: E402


def prepare() -> int:
    """Load the large data set; returns the id of the workshop whose attendance page is measured."""
    if connection.vendor == "sqlite":
        Path(settings.DATABASES["default"]["NAME"]).unlink(missing_ok=True)
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", quiet=True, scale="large")
    from workshops.models import Workshop

    return Workshop.objects.filter(status="delivered", title__startswith="Workshop ").latest("start_date").pk


def measure(client: Client, url: str, requests: int) -> dict:
    client.get(url)
    timings, queries = [], []
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries.append(len(captured))
    timings.sort()
    return {"median": statistics.median(timings), "p95": timings[int(len(timings) * 0.95) - 1], "queries": max(queries)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    measured = prepare()
    load_seconds = time.perf_counter() - started
    from bacuda_portal.members.models import User

    staff = Client()
    staff.force_login(User.objects.get(email="officer@example.org"))
    cases = [
        ("staff workshop list (page 1 of 40)", "/en/workshops/"),
        ("staff workshop list, filtered by year and status", "/en/workshops/?year=2020&status=closed"),
        ("one workshop's attendance page (10 participants x 5 sessions)", f"/en/workshops/{measured}/attendance/"),
        ("one workshop's page", f"/en/workshops/{measured}/"),
        ("expert search: language + expertise", "/en/experts/?language=fr&expertise=1"),
        ("expert list (page 1)", "/en/experts/"),
        ("staff dashboard", "/en/workshops/dashboard/"),
    ]
    rows = []
    for name, url in cases:
        result = measure(staff, url, args.requests)
        rows.append(f"| {name} | {result['median']:.1f} | {result['p95']:.1f} | {result['queries']} |")
    table = "\n".join(
        [
            f"Database: {connection.vendor}; {WORKSHOPS:,} workshops, "
            f"{WORKSHOPS * NOMINATIONS_PER_WORKSHOP:,} nominations, "
            f"{EXPERTS} experts; data loaded in {load_seconds:.0f} s; {args.requests} requests each.",
            "",
            "| page (as a project officer) | median ms | p95 ms | queries |",
            "|---|---:|---:|---:|",
            *rows,
        ]
    )
    print(table)
    if args.write:
        readme = ROOT / "benchmarks" / "README.md"
        text = readme.read_text()
        start, end = f"<!-- workshops-{connection.vendor}:start -->", f"<!-- workshops-{connection.vendor}:end -->"
        if start not in text:
            text += f"\n{start}\n{end}\n"
        head, tail = text.partition(start)[0], text.partition(end)[2]
        readme.write_text(f"{head}{start}\n{table}\n{end}{tail}")


if __name__ == "__main__":
    main()
