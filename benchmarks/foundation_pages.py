"""Median and p95 response times and queries per request of the foundation's main pages and endpoints.

Runs in-process through Django's test client (no network, no server): it measures the application, not
gunicorn. Uses its own database (a fresh SQLite file by default, or BENCH_DATABASE_URL for PostgreSQL), loads
the 186 Members by migration and ``seed_demo --scale large`` (1,500 contact points, 2,000 workshops...).

    .venv/bin/python -m benchmarks.foundation_pages [--requests 200] [--write]
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
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bacuda_portal.members.scale import CONTACT_POINTS  # noqa: E402


def prepare():
    if connection.vendor == "sqlite":
        Path(settings.DATABASES["default"]["NAME"]).unlink(missing_ok=True)
    else:  # start from an empty schema, so the data migration loads the Members again
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", quiet=True, scale="large")


def measure(client: Client, url: str, requests: int) -> dict:
    client.get(url)  # warm up
    timings, queries = [], []
    for _ in range(requests):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries.append(len(captured))
    timings.sort()
    return {
        "median": statistics.median(timings),
        "p95": timings[int(len(timings) * 0.95) - 1],
        "queries": max(queries),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--write", action="store_true", help="write the table into benchmarks/README.md")
    args = parser.parse_args()
    prepare()
    from bacuda_portal.members.models import User

    staff, contact_point = Client(), Client()
    staff.force_login(User.objects.get(email="officer@example.org"))
    contact_point.force_login(User.objects.get(email="contact.kenya@example.org"))
    cases = [
        ("staff", "administration list (page 1 of 4)", staff, "/en/administrations/"),
        ("staff", "administration list, CSV export (186 rows)", staff, "/en/administrations/?format=csv"),
        ("staff", "administration page (Kenya)", staff, "/en/administrations/KEN/"),
        ("contact point", "own administration page", contact_point, "/en/administrations/KEN/"),
        ("staff", "admin: contact points list", staff, "/admin/members/contactpoint/"),
        ("staff", "admin: administrations list", staff, "/admin/members/administration/"),
        ("staff", "API contact points (page 1, 1,500+ rows)", staff, "/api/v1/contact-points/"),
        ("contact point", "API contact points (own administration)", contact_point, "/api/v1/contact-points/"),
        ("anonymous", "API administrations (page 1)", Client(), "/api/v1/administrations/"),
        ("anonymous", "home page", Client(), "/en/"),
    ]
    rows = []
    for role, name, client, url in cases:
        result = measure(client, url, args.requests)
        rows.append(f"| {name} | {role} | {result['median']:.1f} | {result['p95']:.1f} | {result['queries']} |")
    table = "\n".join(
        [
            f"Database: {connection.vendor}; {CONTACT_POINTS:,} contact points (seed_demo --scale large); "
            f"{args.requests} requests each.",
            "",
            "| page | as | median ms | p95 ms | queries |",
            "|---|---|---:|---:|---:|",
            *rows,
        ]
    )
    print(table)
    if args.write:
        readme = ROOT / "benchmarks" / "README.md"
        text = readme.read_text()
        start, end = f"<!-- foundation-{connection.vendor}:start -->", f"<!-- foundation-{connection.vendor}:end -->"
        head, tail = text.partition(start)[0], text.partition(end)[2]
        readme.write_text(f"{head}{start}\n{table}\n{end}{tail}")


if __name__ == "__main__":
    main()
