"""Workshops at ten years' volume: the staff workshop list, one workshop's attendance page, the expert search.

The data is ``seed_demo --scale large`` (2,000 workshops with 5 sessions, 40,000 nominations half accepted with
attendance, 800 experts, 6,000 assignments, 1,500 contact points). In-process through Django's test client
(application time, no network), on a fresh SQLite file or BENCH_DATABASE_URL.

    .venv/bin/python -m benchmarks.workshops_pages [--requests 100] [--write]
"""

import argparse
import time

from benchmarks.common import fresh_large_database, measure, use_database, write_section

use_database("bench-workshops.sqlite3")

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from workshops.scale import EXPERTS, NOMINATIONS_PER_WORKSHOP, WORKSHOPS  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    fresh_large_database()
    from workshops.models import Workshop

    measured = Workshop.objects.filter(status="delivered", title__startswith="Workshop ").latest("start_date").pk
    load_seconds = time.perf_counter() - started
    from bacuda_portal.members.models import User

    staff = Client()
    staff.force_login(User.objects.get(email="officer@example.org"))
    cases = [
        ("staff workshop list (page 1 of 80)", "/en/workshops/"),
        ("staff workshop list, filtered by year and status", "/en/workshops/?year=2020&status=closed"),
        ("one workshop's attendance page (10 participants x 5 sessions)", f"/en/workshops/{measured}/attendance/"),
        ("one workshop's page", f"/en/workshops/{measured}/"),
        ("expert search: language + expertise", "/en/experts/?language=fr&expertise=fraud-detection"),
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
        write_section(f"workshops-{connection.vendor}", table)


if __name__ == "__main__":
    main()
