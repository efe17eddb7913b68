"""Workshops at ten years' volume: the staff workshop list, one workshop's attendance page, the expert search.

2,000 workshops (5 sessions each), 40,000 nominations (20 per workshop, half accepted), 800 experts with
languages and expertise, 6,000 assignments; attendance recorded for the measured workshop. In-process through
Django's test client (application time, no network), on a fresh SQLite file or BENCH_DATABASE_URL.

    .venv/bin/python -m benchmarks.workshops_pages [--requests 100] [--write]
"""

import argparse
import datetime as dt
import os
import random
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
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

WORKSHOPS, SESSIONS_PER_WORKSHOP, NOMINATIONS_PER_WORKSHOP, EXPERTS, ASSIGNMENTS_PER_WORKSHOP = 2000, 5, 20, 800, 3


def prepare() -> int:
    """Load the volume; returns the id of the workshop whose attendance page is measured."""
    if connection.vendor == "sqlite":
        Path(settings.DATABASES["default"]["NAME"]).unlink(missing_ok=True)
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", quiet=True)
    from bacuda_portal.members.models import Administration, User
    from workshops.experts.models import Expert, ExpertiseArea, ExpertLanguage
    from workshops.models import Assignment, Attendance, Beneficiary, Nomination, Session, Workshop

    rng = random.Random(20261124)
    administrations = list(Administration.objects.all())
    officer = User.objects.get(email="officer@example.org")
    areas = list(ExpertiseArea.objects.all())
    with transaction.atomic():
        experts = Expert.objects.bulk_create(
            Expert(full_name=f"Expert {n}", email=f"expert{n}@bench.example.org",
                   administration=rng.choice(administrations), accreditation_status="accredited")
            for n in range(EXPERTS)
        )  # fmt: skip
        ExpertLanguage.objects.bulk_create(
            ExpertLanguage(expert=expert, language=language, level="C1")
            for expert in experts
            for language in rng.sample(["en", "fr", "es", "ar"], 2)
        )
        through = Expert.expertise_areas.through
        through.objects.bulk_create(
            through(expert_id=expert.pk, expertisearea_id=area.pk)
            for expert in experts
            for area in rng.sample(areas, 2)
        )
        start = dt.date(2016, 1, 11)
        chosen = rng.choices(administrations, k=WORKSHOPS)  # the beneficiary of each workshop
        workshops = Workshop.objects.bulk_create(
            Workshop(title=f"Workshop {n}", kind="national", status="closed", region=administration.region,
                     host_city="City", venue="Venue", start_date=start + dt.timedelta(days=n * 2),
                     end_date=start + dt.timedelta(days=n * 2 + 4), time_zone="UTC", languages=["en"], seats=20,
                     created_by=officer)
            for n, administration in enumerate(chosen)
        )  # fmt: skip
        Beneficiary.objects.bulk_create(
            Beneficiary(workshop=w, administration=a, quota=20) for w, a in zip(workshops, chosen, strict=True)
        )
        Session.objects.bulk_create(
            Session(workshop=w, date=w.start_date + dt.timedelta(days=d), start_time=dt.time(9), end_time=dt.time(12),
                    topic=f"Day {d + 1}")
            for w in workshops for d in range(SESSIONS_PER_WORKSHOP)
        )  # fmt: skip
        Nomination.objects.bulk_create(
            Nomination(workshop=w, administration=a, nominated_by=officer, full_name=f"Participant {w.pk}-{n}",
                       gender=rng.choice(["female", "male"]), position="Officer",
                       email=f"p{w.pk}-{n}@bench.example.org", language="en",
                       status="accepted" if n % 2 == 0 else "declined")
            for w, a in zip(workshops, chosen, strict=True) for n in range(NOMINATIONS_PER_WORKSHOP)
        )  # fmt: skip
        Assignment.objects.bulk_create(
            Assignment(workshop=w, expert=expert, role="trainer", status="confirmed")
            for w in workshops for expert in rng.sample(experts, ASSIGNMENTS_PER_WORKSHOP)
        )  # fmt: skip
        measured = workshops[-1]
        Workshop.objects.filter(pk=measured.pk).update(status="delivered")
        Attendance.objects.bulk_create(
            Attendance(session=session, nomination=nomination, status="present")
            for session in Session.objects.filter(workshop=measured)
            for nomination in Nomination.objects.filter(workshop=measured, status="accepted")
        )
    return measured.pk


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
