"""Concurrent load on a production-like stack: gunicorn, PostgreSQL, Redis and a Celery worker.

One command builds everything from nothing and measures:

    .venv/bin/python -m benchmarks.load [--users 20] [--requests 200] [--write]

1. drops and creates the PostgreSQL database ``bacuda_load`` (``LOAD_DATABASE_URL``, default
   ``postgres://postgres@127.0.0.1:5432/bacuda_load``), migrates it and loads ``seed_demo`` (the demo data);
2. starts gunicorn (``bacuda_portal.settings.production``: DEBUG off, persistent connections with health checks,
   Redis cache; plain HTTP on 127.0.0.1 because TLS ends at the proxy in a real deployment, so
   ``DJANGO_SECURE_SSL_REDIRECT=False``; staff two-factor off so that the staff session can sign in through the
   form) with ``BACUDA_QUERY_COUNT_HEADER`` on, and one Celery worker, both on Redis database 12
   (``LOAD_REDIS_URL``), which is flushed first;
3. signs each role in through the real sign-in form (staff, contact point, expert, applicant; plus anonymous)
   and gives each an API token;
4. records every case's query count on the demo data, loads ``seed_demo --scale large`` into the running
   stack, records the counts again (a count that grows with the data is flagged), and
5. **capacity per page**: sends every case ``--requests`` requests from ``--users`` concurrent users (threads with
   keep-alive connections, no think time), beside ``/healthz`` as the floor, and reads the CPU that gunicorn's workers
   and the PostgreSQL backends spent on them from ``/proc`` (server CPU per request: the figure that sets how many
   requests per second the machine can serve, whatever else runs on it);
6. **users at work**: ``--users`` simulated users for ``--mix-seconds``, each signed in as a role (staff, contact
   point, expert, applicant or anonymous, weighted as the portal is used: ``MIX_WEIGHTS``) and going from page to page
   of that role at random, with an exponential think time between pages, once for each mean in ``--think`` (1 s and
   0.25 s by default: users who read nothing, so 20 of them load the server like a few hundred real ones); latency
   per page under this mixed load is what the p95 target is checked against.

``CASES`` is the page list: add a row (label, role, URL name, arguments from the world, query string). A row
whose URL name does not exist yet, or whose object is missing from the data, is listed as skipped.
"""

import argparse
import contextlib
import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE_URL = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bacuda_load")
REDIS_URL = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/12")
HOST, PORT = "127.0.0.1", int(os.environ.get("LOAD_PORT", "8765"))
GUNICORN_WORKERS = int(os.environ.get("LOAD_GUNICORN_WORKERS", "4"))
GUNICORN_THREADS = int(os.environ.get("LOAD_GUNICORN_THREADS", "2"))
PASSWORD = "bacuda-demo-2026"
ANONYMOUS_API_REQUESTS = 55  # under the anonymous throttle of 60 per minute per IP (counting the 2 warm-ups)
VAR = ROOT / "var" / "load"

SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "bacuda_portal.settings.production",
    "DJANGO_SECRET_KEY": "load-benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost",
    "DJANGO_SECURE_SSL_REDIRECT": "False",
    "BACUDA_STAFF_MFA_REQUIRED": "False",
    "BACUDA_QUERY_COUNT_HEADER": "True",
    "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "DJANGO_STATIC_ROOT": str(VAR / "static"),
    "DJANGO_MEDIA_ROOT": str(VAR / "media"),
    "BACUDA_PRIVATE_MEDIA_ROOT": str(VAR / "private"),
    "DJANGO_LOG_LEVEL": "WARNING",
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "OMP_NUM_THREADS": "1",
    # Connections live through the whole run, so that the CPU of a backend that would close and reopen between two
    # readings is not lost from the server CPU figures (production's 60 s changes nothing else measured here).
    "DATABASE_CONN_MAX_AGE": "3600",
}
os.environ.update(SERVER_ENV)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from benchmarks.common import write_section  # noqa: E402

# How many of the simulated users in the mixed phase act as each role (out of the weights' sum, scaled to --users).
MIX_WEIGHTS = {"staff": 6, "contact point": 8, "expert": 2, "applicant": 2, "anonymous": 2}

ROLES = {
    "anonymous": None,
    "staff": "officer@example.org",
    "contact point": "contact.kenya@example.org",
    "expert": "expert@example.org",
    "applicant": "applicant@example.org",
}


def _kenya_workshop(world):
    return {"pk": world["kenya_workshop"]}


def _kenya(world):
    return {"code": "KEN"}


# (label, role, URL name, arguments from the world or None, query string). API rows use the role's token.
CASES = [
    ("floor: /healthz (trivial view, one query)", "anonymous", "liveness", None, ""),
    # Anonymous
    ("home page", "anonymous", "website:home", None, ""),
    ("certificate verification form", "anonymous", "workshops:certificate_lookup", None, ""),
    ("scholarship calls", "anonymous", "scholarships:call_list", None, ""),
    ("algorithm catalogue", "anonymous", "algorithms:catalogue", None, ""),
    ("news", "anonymous", "website:news", None, ""),
    ("API administrations", "anonymous", "v1:administration-list", None, ""),
    ("API scholarship calls", "anonymous", "v1:scholarship-call-list", None, ""),
    # Staff
    ("workshops dashboard", "staff", "workshops:dashboard", None, ""),
    ("workshop list (page 1)", "staff", "workshops:list", None, ""),
    ("workshop list, year and status filter", "staff", "workshops:list", None, "year=2020&status=closed"),
    ("one workshop", "staff", "workshops:detail", _kenya_workshop, ""),
    ("attendance page", "staff", "workshops:attendance", _kenya_workshop, ""),
    ("expert search (language + expertise)", "staff", "experts:list", None, "language=fr&expertise=fraud-detection"),
    ("missions", "staff", "missions:list", None, ""),
    ("e-learning courses", "staff", "elearning:course_list", None, ""),
    ("administrations", "staff", "members:administration_list", None, ""),
    ("administration page (Kenya)", "staff", "members:administration_detail", _kenya, ""),
    ("scholarship applications", "staff", "scholarships:staff_application_list", None, ""),
    ("scholarship ranking", "staff", "scholarships:ranking", lambda w: {"pk": w["call"]}, ""),
    ("review of a call", "staff", "scholarships:call_review", lambda w: {"pk": w["call"]}, ""),
    ("letters outbox", "staff", "scholarships:outbox", lambda w: {"pk": w["call"]}, ""),
    ("datasets", "staff", "algorithms:dataset_list", None, ""),
    ("model jobs", "staff", "algorithms:job_list", None, ""),
    ("reports", "staff", "reports:report_list", None, ""),
    ("results dashboard", "staff", "reports:dashboard", None, ""),
    ("audit log", "staff", "audit_log", None, ""),
    ("audit log, search", "staff", "audit_log", None, "q=workshop"),
    ("API workshops", "staff", "v1:workshop-list", None, ""),
    ("API experts", "staff", "v1:expert-list", None, ""),
    ("API contact points", "staff", "v1:contact-point-list", None, ""),
    ("API nominations", "staff", "v1:nomination-list", None, ""),
    ("API scholarship applications", "staff", "v1:scholarship-application-list", None, ""),
    # Contact point (Kenya)
    ("own administration page", "contact point", "members:administration_detail", _kenya, ""),
    ("workshops", "contact point", "workshops:list", None, ""),
    ("one workshop (nominations)", "contact point", "workshops:detail", _kenya_workshop, ""),
    ("workshop requests", "contact point", "workshops:request_list", None, ""),
    ("scholarship endorsements", "contact point", "scholarships:endorsement_list", None, ""),
    ("model jobs", "contact point", "algorithms:job_list", None, ""),
    ("own datasets", "contact point", "algorithms:dataset_list", None, ""),
    ("API contact points", "contact point", "v1:contact-point-list", None, ""),
    ("API nominations", "contact point", "v1:nomination-list", None, ""),
    ("API workshops", "contact point", "v1:workshop-list", None, ""),
    # Expert
    ("my workshops", "expert", "workshops:list", None, ""),
    ("my expert profile", "expert", "experts:me", None, ""),
    ("my missions", "expert", "missions:list", None, ""),
    ("API workshops", "expert", "v1:workshop-list", None, ""),
    # Applicant
    ("home", "applicant", "home", None, ""),
    ("scholarship calls", "applicant", "scholarships:call_list", None, ""),
    ("API my applications", "applicant", "v1:scholarship-application-list", None, ""),
]


@dataclass
class Case:
    label: str
    role: str
    path: str
    api: bool
    demo_queries: int | None = None
    large_queries: int | None = None
    timings: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    errors: int = 0
    throttled: int = 0
    error_codes: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0
    cpu_ms_per_request: float | None = None
    # Mixed phase, per think time: {"timings": [...], "errors": n}
    mix: dict[float, dict] = field(default_factory=dict)


# --- Database and data --------------------------------------------------------------------------------------------
def create_database():
    import psycopg

    parsed = urlparse(DATABASE_URL)
    name = parsed.path.lstrip("/")
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def flush_redis():
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def forget_throttles():
    """Clear DRF's throttle history (anonymous: 60/min per IP; signed in: 600/min per user), as production has it:
    every simulated user of a role here is one account and one IP, so a row of 200 back-to-back requests would
    otherwise spend the next row's allowance."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match="*throttle_*"):
        client.delete(key)


def world() -> dict:
    """Objects the URLs need, taken from the demo data so that the same URL is measured before and after."""
    from bacuda_portal.members.models import User
    from workshops.models import Workshop

    found = {}
    workshop = Workshop.objects.filter(beneficiary_links__administration__code="KEN").order_by("pk").first()
    if workshop is not None:
        found["kenya_workshop"] = workshop.pk
    try:
        from scholarships.models import Call

        call = Call.objects.order_by("pk").first()
        if call is not None:
            found["call"] = call.pk
    except ImportError:
        pass
    tokens = {}
    from rest_framework.authtoken.models import Token

    for role, email in ROLES.items():
        if email:
            tokens[role] = Token.objects.get_or_create(user=User.objects.get(email=email))[0].key
    found["tokens"] = tokens
    return found


def build_cases(found: dict) -> tuple[list[Case], list[str]]:
    cases, skipped = [], []
    for label, role, name, arguments, query in CASES:
        try:
            kwargs = arguments(found) if arguments else None
            path = reverse(name, kwargs=kwargs)
        except (NoReverseMatch, KeyError) as error:
            skipped.append(f"{role}: {label} ({name}: {type(error).__name__})")
            continue
        cases.append(Case(label, role, path + (f"?{query}" if query else ""), api=name.startswith("v1:")))
    return cases, skipped


# --- Processes ----------------------------------------------------------------------------------------------------
def start_processes() -> list[subprocess.Popen]:
    VAR.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **SERVER_ENV}
    gunicorn = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"), "bacuda_portal.wsgi", "--bind", f"{HOST}:{PORT}",
            "--workers", str(GUNICORN_WORKERS), "--threads", str(GUNICORN_THREADS), "--worker-class", "gthread",
            "--keep-alive", "30", "--timeout", "60",
        ],
        cwd=ROOT, env=env, stdout=(VAR / "gunicorn.log").open("w"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    worker = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "bacuda_portal", "worker", "-Q", "default,reports,models",
            "--concurrency", "1", "-n", f"load-{os.getpid()}@localhost", "--loglevel", "WARNING",
        ],
        cwd=ROOT, env=env, stdout=(VAR / "worker.log").open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _, _ = request(http.client.HTTPConnection(HOST, PORT, timeout=5), "GET", "/healthz")
            if status == 200:
                return [gunicorn, worker]
        except OSError:
            pass
        if gunicorn.poll() is not None:
            break
        time.sleep(0.5)
    stop_processes([gunicorn, worker])
    raise SystemExit("gunicorn did not start: see var/load/gunicorn.log")


def stop_processes(processes):
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


# --- Server CPU -------------------------------------------------------------------------------------------------
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _process_cpu_seconds(pid: int) -> float:
    """User + system CPU of one process (all its threads), from /proc/<pid>/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:  # the process ended
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime (fields 14 and 15 of proc(5))


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (``/proc/<pid>/task/*/children`` is not in every kernel)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError):  # a process that ended meanwhile
            if int(stat.read_text().rpartition(")")[2].split()[1]) == pid:
                children.append(int(stat.parent.name))
    return children


def server_cpu_seconds(gunicorn_pid: int) -> float:
    """CPU spent so far by gunicorn's workers and by the PostgreSQL backends serving this database.

    Workers and database connections are persistent (``CONN_MAX_AGE``), so the difference between two readings is
    what the requests in between cost the server; the load generator's own CPU is not in it.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        backends = [row[0] for row in cursor.fetchall()]
    pids = [gunicorn_pid, *_children(gunicorn_pid), *backends]
    return sum(_process_cpu_seconds(pid) for pid in pids)


# --- HTTP ---------------------------------------------------------------------------------------------------------
def request(conn, method, path, headers=None, body=None):
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    return response.status, response.headers, data


def sign_in(email: str) -> str:
    """The real sign-in form: GET it for the CSRF token, POST the credentials; returns the Cookie header."""
    conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
    status, headers, body = request(conn, "GET", reverse("account_login"))
    jar = SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        jar.load(value)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    cookie = "; ".join(f"{key}={morsel.value}" for key, morsel in jar.items())
    form = urlencode({"login": email, "password": PASSWORD, "csrfmiddlewaretoken": token})
    status, headers, body = request(
        conn,
        "POST",
        reverse("account_login"),
        {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://{HOST}:{PORT}/"},
        form,
    )
    for value in headers.get_all("Set-Cookie") or []:
        jar.load(value)
    if status != 302 or "sessionid" not in jar:
        raise SystemExit(f"Sign-in as {email} failed: HTTP {status}")
    return f"sessionid={jar['sessionid'].value}; csrftoken={jar['csrftoken'].value}"


def headers_for(case: Case, credentials: dict) -> dict:
    headers = {"Accept-Language": "en"}
    if case.role == "anonymous":
        return headers
    if case.api:
        headers["Authorization"] = f"Token {credentials['tokens'][case.role]}"
    else:
        headers["Cookie"] = credentials["cookies"][case.role]
    return headers


def query_count(case: Case, credentials: dict) -> int | None:
    conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
    counts = []
    for _ in range(2):  # the second one is the steady state (first-request caches warmed)
        status, headers, _ = request(conn, "GET", case.path, headers_for(case, credentials))
        if status != 200:
            case.error_codes[status] = case.error_codes.get(status, 0) + 1
            return None
        counts.append(int(headers.get("X-Query-Count", "-1")))
    return counts[-1]


def load(case: Case, credentials: dict, users: int, requests: int, gunicorn_pid: int):
    headers = headers_for(case, credentials)
    lock = threading.Lock()
    remaining = [requests]

    def user():
        conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
        while True:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            start = time.perf_counter()
            try:
                status, response_headers, _ = request(conn, "GET", case.path, headers)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
                status, response_headers = 0, {}
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                case.timings.append(elapsed)
                if status == 429:
                    case.throttled += 1
                elif status != 200:
                    case.errors += 1
                    case.error_codes[status] = case.error_codes.get(status, 0) + 1
                elif "X-Query-Count" in response_headers:
                    case.queries.append(int(response_headers["X-Query-Count"]))

    cpu_before = server_cpu_seconds(gunicorn_pid)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=users) as pool:
        for _ in range(users):
            pool.submit(user)
    case.seconds = time.perf_counter() - started
    case.cpu_ms_per_request = (server_cpu_seconds(gunicorn_pid) - cpu_before) * 1000 / max(1, len(case.timings))


def mixed_load(cases: list[Case], credentials: dict, users: int, seconds: float, think: float, seed: int = 0):
    """``users`` simulated users, each a role, going from page to page of that role with think time between."""
    import random

    by_role = {}
    for case in cases:
        if case.label.startswith("floor") or case.large_queries is None:
            continue
        if case.api and case.role == "anonymous":
            continue  # the anonymous API throttle (60/min per IP) would answer 429: measured in the first phase
        by_role.setdefault(case.role, []).append(case)
    weights = {role: weight for role, weight in MIX_WEIGHTS.items() if by_role.get(role)}
    total = sum(weights.values())
    roles = [role for role, weight in weights.items() for _ in range(max(1, round(users * weight / total)))][:users]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def user(number: int, role: str):
        rng = random.Random(seed * 1000 + number)
        conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
        time.sleep(rng.uniform(0, think))  # users do not all arrive in the same millisecond
        while time.monotonic() < deadline:
            case = rng.choice(by_role[role])
            start = time.perf_counter()
            try:
                status, _, _ = request(conn, "GET", case.path, headers_for(case, credentials))
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
                status = 0
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                result = case.mix.setdefault(think, {"timings": [], "errors": 0})
                result["timings"].append(elapsed)
                if status != 200:
                    result["errors"] += 1
            time.sleep(rng.expovariate(1 / think))

    with ThreadPoolExecutor(max_workers=len(roles)) as pool:
        for number, role in enumerate(roles):
            pool.submit(user, number, role)
    return roles


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


# --- Report -------------------------------------------------------------------------------------------------------
def _volume() -> str:
    from bacuda_portal.members.models import ContactPoint
    from workshops.models import Nomination, Workshop

    volume = (
        f"{Workshop.objects.count():,} workshops, {Nomination.objects.count():,} nominations, "
        f"{ContactPoint.objects.count():,} contact points"
    )
    try:
        from scholarships.models import Application

        volume += f", {Application.objects.count():,} scholarship applications"
    except ImportError:
        pass
    return volume


def _queries(case: Case) -> str:
    queries = str(case.large_queries) if case.large_queries is not None else "–"
    if case.demo_queries is not None and case.large_queries is not None and case.demo_queries != case.large_queries:
        queries += f" ({case.demo_queries})"
        if case.large_queries > case.demo_queries:
            queries += " *"
    return queries


def mix_table(cases, args, timings) -> list[str]:
    runs = timings["mix"]
    measured = [case for case in cases if case.mix]
    if not runs or not measured:
        return []
    roles = next(iter(runs.values()))["roles"]
    people = ", ".join(f"{roles.count(role)} {role}" for role in dict.fromkeys(roles))
    lines = [
        "### Users at work (the p95 target)",
        "",
        f"{len(roles)} simulated users ({people}), each going from page to page of their role at random, with an "
        f"exponential think time between pages, for {args.mix_seconds:.0f} s per think time. No person reads a page "
        f"in a second: at 1 s, 20 users load the server like a few hundred real ones; 0.25 s is four times that.",
        "",
    ]
    for think, run in runs.items():
        every = [t for case in measured for t in case.mix.get(think, {}).get("timings", [])]
        errors = sum(case.mix.get(think, {}).get("errors", 0) for case in measured)
        lines.append(
            f"- **Think time {think:g} s:** {len(every):,} requests, {len(every) / run['seconds']:.1f} per second, "
            f"{errors} errors; server CPU {run['cpu_share']:.0%} of the 2 cores; all pages together median "
            f"{statistics.median(every):.0f} ms, p95 {percentile(every, 0.95):.0f} ms, p99 "
            f"{percentile(every, 0.99):.0f} ms; load average of the machine before / after "
            f"{run['load_before']:.1f} / {run['load_after']:.1f}."
        )
    header = "| as | page |" + "".join(f" requests, median / p95 / p99 ms (think {think:g} s) |" for think in runs)
    lines += ["", "Per page (target: p95 under 250 ms):", "", header, "|---|---|" + "---:|" * len(runs)]
    for case in measured:
        cells = []
        for think in runs:
            result = case.mix.get(think)
            if not result or not result["timings"]:
                cells.append("–")
                continue
            values = result["timings"]
            p95 = percentile(values, 0.95)
            cell = f"{len(values)}: {statistics.median(values):.0f} / {p95:.0f}{' **over**' if p95 > 250 else ''} / "
            cell += f"{percentile(values, 0.99):.0f}"
            if result["errors"]:
                cell += f" ({result['errors']} errors)"
            cells.append(cell)
        lines.append(f"| {case.role} | {case.label} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def capacity_table(cases, skipped, args, timings) -> list[str]:
    lines = [
        "### Capacity per page (no think time)",
        "",
        f"{args.users} concurrent connections sending {args.requests} requests per row back to back: the server is "
        f"saturated, so latency here is queueing (about connections x CPU per request / 2 cores), not the page's "
        f"speed. Server CPU: gunicorn workers and PostgreSQL backends, read from /proc, per request. Load average "
        f"before / after: {timings['load_before']:.1f} / {timings['load_after']:.1f}. Queries: per request on the "
        f"large data; in brackets the count on the demo data when it differs (* = higher on the large data: see the "
        f"notes below the table).",
        "",
        "| as | page | server CPU ms | req/s | median ms | p95 ms | p99 ms | errors | queries |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for case in cases:
        if not case.timings:
            lines.append(f"| {case.role} | {case.label} | – | – | – | – | – | {case.error_codes or 'not run'} | – |")
            continue
        errors = str(case.errors) + (f" {dict(case.error_codes)}" if case.errors else "")
        if case.throttled:
            errors += f" ({case.throttled} throttled, 429)"
        cpu = f"{case.cpu_ms_per_request:.1f}" if case.cpu_ms_per_request is not None else "–"
        lines.append(
            f"| {case.role} | {case.label} | {cpu} | {len(case.timings) / case.seconds:.0f} | "
            f"{statistics.median(case.timings):.0f} | {percentile(case.timings, 0.95):.0f} | "
            f"{percentile(case.timings, 0.99):.0f} | {errors} | {_queries(case)} |"
        )
    if skipped:
        lines += ["", "Not measured (URL or data not there yet): " + "; ".join(skipped) + "."]
    return lines


def table(cases, skipped, args, timings) -> str:
    lines = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: gunicorn {GUNICORN_WORKERS} workers x "
        f"{GUNICORN_THREADS} threads (gthread), PostgreSQL, Redis cache and broker, one Celery worker, all on this "
        f"2-core machine together with the load generator. Data: {_volume()} (seed_demo --scale large; loaded in "
        f"{timings['seed']:.0f} s).",
        "",
        *mix_table(cases, args, timings),
        *capacity_table(cases, skipped, args, timings),
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--write", action="store_true", help="put the table in benchmarks/README.md")
    parser.add_argument("--only", default="", help="measure only rows whose label contains this text")
    parser.add_argument("--mix-seconds", type=float, default=180, help="length of the mixed phase (0: skip it)")
    parser.add_argument(
        "--think",
        type=lambda text: [float(value) for value in text.split(",")],
        default=[1.0, 0.25],
        help="mean think times of the mixed phase, s, comma-separated: one run each (default 1,0.25)",
    )
    args = parser.parse_args()

    timings = {}
    print("Creating the database and loading the demo data ...", flush=True)
    create_database()
    flush_redis()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", quiet=True)
    call_command("collectstatic", verbosity=0, interactive=False)
    found = world()
    cases, skipped = build_cases(found)
    if args.only:
        cases = [case for case in cases if args.only in case.label or case.label.startswith("floor")]
    processes = start_processes()
    try:
        credentials = {"tokens": found["tokens"], "cookies": {}}
        for role, email in ROLES.items():
            if email:
                credentials["cookies"][role] = sign_in(email)
        for case in cases:
            case.demo_queries = query_count(case, credentials)
        print("Loading seed_demo --scale large into the running stack ...", flush=True)
        started = time.perf_counter()
        call_command("seed_demo", quiet=True, scale="large")
        timings["seed"] = time.perf_counter() - started
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would do soon after a bulk load
        timings["load_before"] = os.getloadavg()[0]
        for case in cases:
            requests = args.requests
            if case.api:
                forget_throttles()
                if case.role == "anonymous":  # and stay under the anonymous limit
                    requests = min(requests, ANONYMOUS_API_REQUESTS)
            case.large_queries = query_count(case, credentials)
            if case.large_queries is None:
                continue
            load(case, credentials, args.users, requests, processes[0].pid)
            print(
                f"{case.role:>14} | {case.label:<45} median {statistics.median(case.timings):6.0f} ms  "
                f"p95 {percentile(case.timings, 0.95):6.0f} ms  CPU {case.cpu_ms_per_request:5.1f} ms  "
                f"errors {case.errors}  "
                f"queries {case.demo_queries} -> {case.large_queries}",
                flush=True,
            )
        timings["load_after"] = os.getloadavg()[0]
        timings["mix"] = {}
        for think in args.think if args.mix_seconds > 0 else []:
            print(f"Users at work for {args.mix_seconds:.0f} s, think time {think:g} s ...", flush=True)
            forget_throttles()
            run = {"load_before": os.getloadavg()[0]}
            cpu_before, started = server_cpu_seconds(processes[0].pid), time.perf_counter()
            run["roles"] = mixed_load(cases, credentials, args.users, args.mix_seconds, think)
            run["seconds"] = time.perf_counter() - started
            run["cpu_share"] = (server_cpu_seconds(processes[0].pid) - cpu_before) / run["seconds"] / 2
            run["load_after"] = os.getloadavg()[0]
            timings["mix"][think] = run
    finally:
        stop_processes(processes)
    text = table(cases, skipped, args, timings)
    print(text)
    if args.write:
        write_section(
            "load",
            text,
            introduction="## Load (gunicorn, PostgreSQL, Redis)\n\n`.venv/bin/python -m benchmarks.load --write` "
            "builds the database, starts the stack and measures; see the script's docstring for what it does.\n\n",
        )
    print(json.dumps({"skipped": skipped}, indent=1))


if __name__ == "__main__":
    main()
