"""What the benchmark scripts share: their own database, the large data set, timing a page, their README section.

A script calls ``use_database`` before importing anything from Django, so that it never touches the development
database: its own SQLite file under ``var/`` by default, or ``BENCH_DATABASE_URL`` (PostgreSQL).
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "benchmarks" / "README.md"


def use_database(sqlite_name: str) -> str:
    """Test settings (fast password hashing, no Redis) on the benchmark's own database; returns its URL."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bacuda_portal.settings.test"
    url = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'var' / sqlite_name}")
    os.environ["DATABASE_URL"] = url
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    return url


def fresh_large_database(after_seed=None) -> None:
    """An empty schema (so the data migration loads the 186 Members again), ``seed_demo --scale large``, then
    ``after_seed()`` if given, and fresh planner statistics, as autovacuum keeps them on a live database."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        Path(settings.DATABASES["default"]["NAME"]).unlink(missing_ok=True)
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0, interactive=False, run_syncdb=True)
    call_command("seed_demo", quiet=True, scale="large")
    if after_seed is not None:
        after_seed()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(client, url: str, requests: int) -> dict:
    """Median and p95 wall time, median CPU time of this process (ms) and the most queries of ``requests`` GETs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm up
    timings, cpu, queries = [], [], []
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            timings.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries.append(len(captured))
    timings.sort()
    return {
        "median": statistics.median(timings),
        "p95": timings[max(0, int(len(timings) * 0.95) - 1)],
        "cpu": statistics.median(cpu),
        "queries": max(queries),
    }


def write_section(name: str, text: str, introduction: str = "") -> None:
    """Put ``text`` between ``<!-- name:start -->`` and ``<!-- name:end -->`` in benchmarks/README.md; a section
    that is not there yet is added at the end, after ``introduction`` (a heading and what the script measures)."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    content = README.read_text(encoding="utf-8")
    if start not in content or end not in content:
        content = content.rstrip("\n") + f"\n\n{introduction}{start}\n{end}\n"
    head, tail = content.partition(start)[0], content.partition(end)[2]
    README.write_text(f"{head}{start}\n{text}\n{end}{tail}", encoding="utf-8")
