"""Median and p95 response times and queries per request of the foundation's main pages and endpoints.

Runs in-process through Django's test client (no network, no server): it measures the application, not
gunicorn. Uses its own database (a fresh SQLite file by default, or BENCH_DATABASE_URL for PostgreSQL), loads
the 186 Members by migration and ``seed_demo --scale large`` (1,500 contact points, 2,000 workshops...).

    .venv/bin/python -m benchmarks.foundation_pages [--requests 200] [--write]
"""

import argparse

from benchmarks.common import fresh_large_database, measure, use_database, write_section

use_database("bench.sqlite3")

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bacuda_portal.members.scale import CONTACT_POINTS  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--write", action="store_true", help="write the table into benchmarks/README.md")
    args = parser.parse_args()
    fresh_large_database()
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
        write_section(f"foundation-{connection.vendor}", table)


if __name__ == "__main__":
    main()
