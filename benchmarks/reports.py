"""Reports at ten years' volume: the results dashboard and the annual progress report PDF.

The data is ``seed_demo --scale large`` (2,000 workshops over ten years, 40,000 nominations with attendance),
topped up so that one year (``--year``, 2021) has 300 delivered workshops and 6,000 accepted participants with
attendance, as the issue asks. The dashboard is measured in-process through Django's test client (application
time, no network) as a project officer and as a contact point; the progress report is rendered in-process the way
the ``reports`` worker renders it (context + WeasyPrint), on a fresh SQLite file or BENCH_DATABASE_URL.

    .venv/bin/python -m benchmarks.reports [--requests 60] [--year 2021] [--write]
"""

import argparse
import datetime as dt
import os
import random
import statistics
import time

from benchmarks.common import fresh_large_database, use_database, write_section

use_database("bench-reports.sqlite3")

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

TARGET_WORKSHOPS, TARGET_PARTICIPANTS = 300, 6000


def prepare(year: int) -> None:
    fresh_large_database(after_seed=lambda: top_up_year(year))


@transaction.atomic
def top_up_year(year: int) -> None:
    """Make ``year`` a busy one: every nomination of its workshops accepted (with attendance), and new workshops
    of 20 accepted participants each until it has 300 workshops."""
    from bacuda_portal.members.models import Administration, User
    from workshops.models import Attendance, Beneficiary, Nomination, Session, Workshop

    rng = random.Random(year)  # repeatable benchmark data
    officer = User.objects.get(email="officer@example.org")
    in_year = Workshop.objects.filter(end_date__year=year, status__in=("delivered", "closed"))
    declined = Nomination.objects.filter(workshop__in=in_year, status="declined")
    sessions = {}
    for session in Session.objects.filter(workshop__in=in_year).order_by("date", "start_time"):
        sessions.setdefault(session.workshop_id, []).append(session)
    newly = list(declined)
    declined.update(status="accepted")
    marks = ["present"] * 8 + ["late", "absent"]
    Attendance.objects.bulk_create(
        (Attendance(session=s, nomination=n, status=rng.choice(marks)) for n in newly for s in sessions[n.workshop_id]),
        batch_size=5000,
    )
    missing = TARGET_WORKSHOPS - in_year.count()
    administrations = list(Administration.objects.select_related("region").order_by("code"))
    kinds = ["national", "national", "regional", "online", "blended"]
    new = Workshop.objects.bulk_create(
        Workshop(title=f"Extra workshop {n + 1} of {year}", kind=kinds[n % len(kinds)], status="closed",
                 region=administrations[n * 7 % len(administrations)].region, host_city="Capital",
                 venue="Customs training centre", start_date=dt.date(year, 1, 5) + dt.timedelta(days=n),
                 end_date=dt.date(year, 1, 9) + dt.timedelta(days=n), time_zone="UTC", languages=["en"], seats=20,
                 created_by=officer)
        for n in range(missing)
    )  # fmt: skip
    chosen = [administrations[n * 7 % len(administrations)] for n in range(missing)]
    Beneficiary.objects.bulk_create(
        Beneficiary(workshop=w, administration=a, quota=20) for w, a in zip(new, chosen, strict=True)
    )
    new_sessions = Session.objects.bulk_create(
        Session(workshop=w, date=w.start_date + dt.timedelta(days=d), start_time=dt.time(9), end_time=dt.time(12),
                topic=f"Day {d + 1}")
        for w in new for d in range(5)
    )  # fmt: skip
    by_workshop = {}
    for session in new_sessions:
        by_workshop.setdefault(session.workshop_id, []).append(session)
    nominations = Nomination.objects.bulk_create(
        Nomination(workshop=w, administration=a, nominated_by=officer, full_name=f"Extra {w.pk}-{n}",
                   gender=rng.choice(["female", "male", "male", "other"]), position="Officer",
                   email=f"x{w.pk}-{n}@scale.example.org", language="en", status="accepted")
        for w, a in zip(new, chosen, strict=True) for n in range(20)
    )  # fmt: skip
    Attendance.objects.bulk_create(
        (Attendance(session=s, nomination=n, status=rng.choice(marks)) for n in nominations
         for s in by_workshop[n.workshop_id]),
        batch_size=5000,
    )  # fmt: skip


def measure(client: Client, url: str, requests: int, cold: bool = False) -> dict:
    from django.core.cache import cache

    client.get(url)
    timings, queries = [], []
    for _ in range(requests):
        if cold:
            cache.clear()  # every figure computed from the database again
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries.append(len(captured))
    timings.sort()
    return {"median": statistics.median(timings), "p95": timings[int(len(timings) * 0.95) - 1], "queries": max(queries)}


def render_progress(year: int) -> tuple[float, int, dict]:
    from bacuda_portal.members.models import User
    from bacuda_portal.reports import indicators, services
    from bacuda_portal.reports.models import Report

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    report, _ = services.report_request(
        kind="progress", language="en", by=User.objects.get(email="officer@example.org"),
        period_start=start, period_end=end,
    )  # fmt: skip
    Report.objects.filter(pk=report.pk).update(status="queued", attempts=0)
    began = time.perf_counter()
    services.report_render(report=report)
    seconds = time.perf_counter() - began
    report.refresh_from_db()
    assert report.status == "ready", report.error
    facts = {
        "workshops": indicators.compute("workshops_delivered", start, end).value,
        "accepted": indicators.trained_nominations(start, end).model.objects.filter(
            status="accepted", workshop__status__in=("delivered", "closed"),
            workshop__end_date__gte=start, workshop__end_date__lte=end,
        ).count(),
        "trained": indicators.compute("officials_trained", start, end).value,
    }  # fmt: skip
    return seconds, report.page_count, facts


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--year", type=int, default=2021)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--keep-data", action="store_true", help="reuse the data of the previous run")
    args = parser.parse_args()
    started = time.perf_counter()
    if not args.keep_data:
        prepare(args.year)
    load_seconds = time.perf_counter() - started
    from bacuda_portal.members.models import Administration, ContactPoint, User
    from workshops.models import Nomination, Workshop

    staff = Client()
    staff.force_login(User.objects.get(email="officer@example.org"))
    contact = Client()
    kenya_contact = ContactPoint.objects.filter(administration__code="KEN").select_related("user").first()
    contact.force_login(kenya_contact.user)
    senegal = Administration.objects.get(code="SEN")
    cases = [
        ("results dashboard, a year (10-year trend)", staff, f"/en/reports/dashboard/?year={args.year}"),
        ("results dashboard, one administration", staff,
         f"/en/reports/dashboard/?year={args.year}&administration={senegal.pk}"),
        ("results dashboard, a quarter and a region", staff,
         f"/en/reports/dashboard/?year={args.year}&part=q2&region=ESA"),
        ("results dashboard as Kenya's contact point", contact, f"/en/reports/dashboard/?year={args.year}"),
        ("dashboard API (JSON)", staff, f"/api/v1/dashboard/?year={args.year}"),
    ]  # fmt: skip
    cases += [
        ("results dashboard, a year, figures recomputed (cache emptied)", staff,
         f"/en/reports/dashboard/?year={args.year}", True),
        ("results dashboard as Kenya's contact point, recomputed", contact,
         f"/en/reports/dashboard/?year={args.year}", True),
    ]  # fmt: skip
    rows = []
    for name, client, url, *cold in cases:
        result = measure(client, url, args.requests, cold=bool(cold))
        rows.append(f"| {name} | {result['median']:.1f} | {result['p95']:.1f} | {result['queries']} |")
    seconds, pages, facts = render_progress(args.year)
    table = "\n".join(
        [
            f"Database: {connection.vendor}; {Workshop.objects.count():,} workshops, "
            f"{Nomination.objects.count():,} nominations over ten years; "
            + ("data of the previous run reused; " if args.keep_data else f"data loaded in {load_seconds:.0f} s; ")
            + f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the end; "
            f"{args.requests} requests each. Computed figures are cached until the data changes "
            "(`bacuda_portal/reports/caching.py`); the last two rows empty the cache before every request.",
            "",
            "| page | median ms | p95 ms | queries |",
            "|---|---:|---:|---:|",
            *rows,
            "",
            f"Annual progress report {args.year} ({facts['workshops']} workshops delivered, {facts['accepted']:,} "
            f"accepted participants, {facts['trained']:,} officials trained): rendered in {seconds:.1f} s, "
            f"{pages} pages (context and WeasyPrint, as the `reports` worker does).",
        ]
    )
    print(table)
    if args.write:
        write_section(
            f"reports-{connection.vendor}",
            table,
            introduction=(
                "## Reports and dashboard\n\n`.venv/bin/python -m benchmarks.reports --write` (add "
                "`BENCH_DATABASE_URL=...` for PostgreSQL). Targets of issue 6: the dashboard under 200 ms median with "
                "ten years of data; the annual progress report of a year with 300 workshops and 6,000 participants "
                "under 15 s. The large data set is topped up for the measured year (every nomination of its workshops "
                "accepted, extra workshops to 300).\n\n"
            ),
        )


if __name__ == "__main__":
    main()
