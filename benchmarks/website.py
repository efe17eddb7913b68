"""The public website under gunicorn: requests per second with the page cache, median latency without it.

Loads ``seed_demo --scale large`` (2,000 workshops, 40,000 nominations...) into its own SQLite file (or
BENCH_DATABASE_URL), adds 30 news posts, then starts gunicorn on a free loopback port twice:
  1. with the public page cache: a pool of client threads (keep-alive ``http.client``) sends a bounded number of
     requests for a bounded time, and the requests per second are counted;
  2. with the cache off (``BACUDA_PUBLIC_CACHE_SECONDS=0``): one client sends requests one after another, and
     the median and p95 latency are measured (every request renders the page and computes the figures).
The client runs on the same 2 cores as the server, so the figures are a floor. Traffic goes to 127.0.0.1 only.

    .venv/bin/python -m benchmarks.website [--requests 4000] [--seconds 20] [--workers 2] [--write]

BENCH_REDIS_URL=redis://127.0.0.1:6379/13 uses Redis as the cache (as in production); by default the cache is
the file cache of the server-less setup.
"""

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time

from benchmarks.common import ROOT, fresh_large_database, use_database, write_section

DATABASE_URL = use_database("bench-website.sqlite3")

from django.db import connection  # noqa: E402

PAGES = [
    ("home page", "/en/"),
    ("home page (French)", "/fr/"),
    ("workshop calendar (events page)", "/en/events/"),
    ("news", "/en/news/"),
]
# Measured for information (not the website's page, and not cached by it): the iCalendar feed of every public
# workshop (workshops.views.public_calendar), a few sequential requests.
ICS_FEED = ("iCalendar feed of all public workshops (not cached)", "/en/workshops/calendar.ics")
TARGET_RPS = 500
TARGET_MEDIAN_MS = 50


def prepare() -> None:
    fresh_large_database(after_seed=add_news)
    connection.close()


def add_news() -> None:
    import datetime as dt

    from django.utils import timezone

    from bacuda_portal.website.models import NewsPost

    now = timezone.now()
    NewsPost.objects.bulk_create(
        NewsPost(
            slug=f"news-{n}",
            title_en=f"BACUDA news {n}",
            title_fr=f"Nouvelles de BACUDA {n}",
            summary_en="A workshop was delivered.",
            body_en="Officials **trained**.",
            publish_at=now - dt.timedelta(days=n),
        )
        for n in range(30)
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn on 127.0.0.1:<free port>, stopped (by its own pid) when the block ends."""

    def __init__(self, *, workers: int, threads: int, cached: bool):
        self.port = free_port()
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bacuda_portal.settings.base",
            "DJANGO_DEBUG": "false",
            "DATABASE_URL": DATABASE_URL,
            "DJANGO_LOG_LEVEL": "WARNING",
            # Persistent connections, as production.py has them (a new PostgreSQL connection per request is slow).
            "DATABASE_CONN_MAX_AGE": "60",
            "BACUDA_PUBLIC_CACHE_SECONDS": "300" if cached else "0",
        }
        self.env.pop("REDIS_URL", None)
        if os.environ.get("BENCH_REDIS_URL"):
            self.env["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
        self.args = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "bacuda_portal.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(workers),
            "--log-level", "warning",
        ]  # fmt: skip
        if threads > 1:
            self.args += ["--worker-class", "gthread", "--threads", str(threads)]

    def __enter__(self):
        self.process = subprocess.Popen(self.args, cwd=ROOT, env=self.env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _ = get(http.client.HTTPConnection("127.0.0.1", self.port, timeout=5), "/healthz")
                if status == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    conn.request("GET", path, headers={"Accept-Language": "en"})
    response = conn.getresponse()
    return response.status, response.read()


def latency(port: int, path: str, requests: int) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    get(conn, path)
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        status, body = get(conn, path)
        timings.append((time.perf_counter() - start) * 1000)
        assert status == 200 and body, (path, status)
    timings.sort()
    return {"median": statistics.median(timings), "p95": timings[int(len(timings) * 0.95) - 1]}


def throughput(port: int, path: str, *, requests: int, seconds: float, concurrency: int) -> dict:
    """At most ``requests`` requests, for at most ``seconds``, from ``concurrency`` keep-alive clients."""
    lock = threading.Lock()
    state = {"left": requests, "done": 0, "errors": 0}
    kinds = set()
    deadline = time.monotonic() + seconds

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                if state["left"] <= 0:
                    return
                state["left"] -= 1
            try:
                status, _ = get(conn, path)
                ok = status == 200
                if not ok:
                    kinds.add(f"HTTP {status}")
            except (OSError, http.client.HTTPException) as error:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                ok = False
                kinds.add(type(error).__name__)
            with lock:
                state["done" if ok else "errors"] += 1

    warm = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for _ in range(20):
        get(warm, path)
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if kinds:
        print(f"{path}: errors of kind {sorted(kinds)}", file=sys.stderr)
    return {"rps": state["done"] / elapsed, "done": state["done"], "errors": state["errors"]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=4000, help="requests per page, cached run")
    parser.add_argument("--seconds", type=float, default=20.0, help="time limit per page, cached run")
    parser.add_argument("--latency-requests", type=int, default=200, help="requests per page, uncached run")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="gthread workers (keep-alive); 1: sync workers")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--no-prepare", action="store_true", help="reuse the database of the last run")
    parser.add_argument("--write", action="store_true", help="write the table into benchmarks/README.md")
    args = parser.parse_args()
    if not args.no_prepare:
        prepare()
    load_before = os.getloadavg()[0]
    rows = []
    with Server(workers=args.workers, threads=args.threads, cached=True) as server:
        cached = {
            path: throughput(
                server.port, path, requests=args.requests, seconds=args.seconds, concurrency=args.concurrency
            )
            for _, path in PAGES
        }
    with Server(workers=args.workers, threads=args.threads, cached=False) as server:
        uncached = {path: latency(server.port, path, args.latency_requests) for _, path in PAGES}
        feed = latency(server.port, ICS_FEED[1], 5)
    for name, path in PAGES:
        c, u = cached[path], uncached[path]
        verdict = "yes" if c["rps"] >= TARGET_RPS and u["median"] < TARGET_MEDIAN_MS else "NO"
        rows.append(
            f"| {name} | `{path}` | {c['rps']:.0f} | {c['errors']} | {u['median']:.1f} | {u['p95']:.1f} | {verdict} |"
        )
    rows.append(f"| {ICS_FEED[0]} | `{ICS_FEED[1]}` | – | – | {feed['median']:.1f} | {feed['p95']:.1f} | – |")
    cache = "Redis" if os.environ.get("BENCH_REDIS_URL") else "file cache"
    worker_kind = f"gthread, {args.threads} threads each" if args.threads > 1 else "sync"
    table = "\n".join(
        [
            f"Database: {connection.vendor} (seed_demo --scale large, 30 news posts); cache: {cache}; gunicorn "
            f"{args.workers} workers ({worker_kind}); cached: {args.concurrency} keep-alive clients, up to "
            f"{args.requests} requests or {args.seconds:.0f} s per page; uncached: {args.latency_requests} "
            "sequential requests per page. Client and server share the machine's 2 cores; load average "
            f"before the run: {load_before:.1f}.",
            "",
            f"| page | path | cached req/s | errors | uncached median ms | uncached p95 ms | "
            f">= {TARGET_RPS} req/s and < {TARGET_MEDIAN_MS} ms |",
            "|---|---|---:|---:|---:|---:|---|",
            *rows,
        ]
    )
    print(table)
    if args.write:
        write_section(f"website-{connection.vendor}", table)


if __name__ == "__main__":
    main()
