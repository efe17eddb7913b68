"""Scholarships at volume: the staff ranking page and application list, and automatic reviewer assignment.

The data is ``seed_demo --scale large`` (20,000 applications in four calls of 5,000, 60,000 submitted reviews,
150 reviewers). Targets of issue 4: the ranking page and the staff application list under 150 ms median;
automatic assignment of reviewers for 2,000 applications under 5 s (a fresh call of 2,000 eligible applications
and the 150 reviewers, measured three times from nothing assigned). In-process through Django's test client
(application time, no network), on a fresh SQLite file or BENCH_DATABASE_URL.

    .venv/bin/python -m benchmarks.scholarships_pages [--requests 60] [--write]
"""

import argparse
import os
import statistics
import time

from benchmarks.common import fresh_large_database, measure, use_database, write_section

use_database("bench-scholarships.sqlite3")

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from scholarships.scale import APPLICATIONS, REVIEWS  # noqa: E402

ASSIGNMENT_APPLICATIONS = 2000


def measure_assignment(runs: int = 3) -> list[float]:
    """A fresh call with 2,000 eligible applications (scale applicants reused) and the 150 reviewers; each run
    assigns three reviewers to every application from nothing, inside a transaction rolled back afterwards."""
    from django.utils import timezone

    from scholarships import services
    from scholarships.models import Application, Call, Review, Reviewer

    template = Call.objects.filter(cohort_name__startswith="Scale cohort").latest("closes_at")
    call = Call.objects.get(pk=template.pk)
    call.pk = None
    call.cohort_name = "Assignment benchmark"
    call.save()
    for reviewer in Reviewer.objects.filter(user__email__endswith="@scale.example.org"):
        reviewer.calls.add(call)
    sources = Application.objects.filter(call=template).order_by("pk")[:ASSIGNMENT_APPLICATIONS]
    Application.objects.bulk_create(
        Application(call=call, applicant_id=a.applicant_id, administration_id=a.administration_id,
                    full_name=a.full_name, status="submitted", submitted_at=timezone.now(),
                    consent_given_at=timezone.now(), eligibility_result="eligible")
        for a in sources
    )  # fmt: skip
    timings = []
    for _ in range(runs):
        with transaction.atomic():
            start = time.perf_counter()
            result = services.reviews_assign_automatically(call=call, by=None)
            timings.append(time.perf_counter() - start)
            assert result["created"] == ASSIGNMENT_APPLICATIONS * call.reviews_per_application, result
            assert Review.objects.filter(call=call).count() == result["created"]
            transaction.set_rollback(True)
    return timings


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    fresh_large_database()
    load_seconds = time.perf_counter() - started
    from bacuda_portal.members.models import User
    from scholarships.models import Call

    latest = Call.objects.filter(cohort_name__startswith="Scale cohort").latest("closes_at")
    staff = Client()
    staff.force_login(User.objects.get(email="officer@example.org"))
    ranking = f"/en/scholarships/calls/{latest.pk}/ranking/"
    cases = [
        ("ranking of one call (5,000 applications, 15,000 reviews), page 1", ranking),
        ("ranking, page 40", f"{ranking}?page=40"),
        ("ranking filtered by region and gender", f"{ranking}?region=ESA&gender=female"),
        ("staff application list (20,000), page 1", "/en/scholarships/applications/"),
        ("staff application list, filtered by call and eligibility",
         f"/en/scholarships/applications/?call={latest.pk}&eligibility=eligible"),
        ("staff application list, search", "/en/scholarships/applications/?q=Applicant+1999"),
    ]  # fmt: skip
    rows = []
    for name, url in cases:
        result = measure(staff, url, args.requests)
        rows.append(
            f"| {name} | {result['median']:.1f} | {result['p95']:.1f} | {result['cpu']:.1f} | {result['queries']} |"
        )
    assignment = measure_assignment()
    table = "\n".join(
        [
            f"Database: {connection.vendor}; {APPLICATIONS:,} applications, {REVIEWS:,} reviews, 150 reviewers; "
            f"data loaded in {load_seconds:.0f} s (whole large seed); {args.requests} requests each; "
            f"load average during the run {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.",
            "",
            "| page (as a project officer) | median ms | p95 ms | median CPU ms (this process) | queries |",
            "|---|---:|---:|---:|---:|",
            *rows,
            "",
            f"Automatic assignment of 3 reviewers to each of {ASSIGNMENT_APPLICATIONS:,} applications (6,000 "
            f"reviews): median {statistics.median(assignment):.2f} s over {len(assignment)} runs "
            f"({', '.join(f'{t:.2f}' for t in assignment)} s).",
        ]
    )
    print(table)
    if args.write:
        write_section(f"scholarships-{connection.vendor}", table)


if __name__ == "__main__":
    main()
