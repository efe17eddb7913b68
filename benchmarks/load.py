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
5. sends every case ``--requests`` requests from ``--users`` concurrent users (threads with keep-alive
   connections, no think time: the worst case), beside ``/healthz`` as the floor.

``CASES`` is the page list: add a row (label, role, URL name, arguments from the world, query string). A row
whose URL name does not exist yet, or whose object is missing from the data, is listed as skipped.
"""

import argparse
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
}
os.environ.update(SERVER_ENV)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

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
    ("expert search (language + expertise)", "staff", "experts:list", None, "language=fr&expertise=1"),
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
    ("dashboard", "applicant", "members:dashboard", None, ""),
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


def load(case: Case, credentials: dict, users: int, requests: int):
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

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=users) as pool:
        for _ in range(users):
            pool.submit(user)
    case.seconds = time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


# --- Report -------------------------------------------------------------------------------------------------------
def table(cases, skipped, args, timings) -> str:
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
    lines = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: gunicorn {GUNICORN_WORKERS} workers x "
        f"{GUNICORN_THREADS} threads (gthread), PostgreSQL, Redis cache and broker, one Celery worker, all on this "
        f"2-core machine together with the load generator. {args.users} concurrent users without think time (the "
        f"worst case), {args.requests} requests per row. Data: {volume} (seed_demo --scale large; loaded in "
        f"{timings['seed']:.0f} s). Load average of the machine (all sessions on it) before / after: "
        f"{timings['load_before']:.1f} / {timings['load_after']:.1f}. Queries: per request on the large data; in "
        f"brackets the count on the demo data when it differs (* = higher on the large data: see the notes below the "
        f"table). Target: p95 under 250 ms.",
        "",
        "| as | page | median ms | p95 ms | p99 ms | req/s | errors | queries |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for case in cases:
        if not case.timings:
            lines.append(f"| {case.role} | {case.label} | – | – | – | – | {case.error_codes or 'not run'} | – |")
            continue
        p95 = percentile(case.timings, 0.95)
        queries = str(case.large_queries) if case.large_queries is not None else "–"
        if case.demo_queries is not None and case.large_queries is not None and case.demo_queries != case.large_queries:
            queries += f" ({case.demo_queries})"
            if case.large_queries > case.demo_queries:
                queries += " *"
        errors = str(case.errors) + (f" {dict(case.error_codes)}" if case.errors else "")
        if case.throttled:
            errors += f" ({case.throttled} throttled, 429)"
        over = " **over**" if p95 > 250 and not case.label.startswith("floor") else ""
        lines.append(
            f"| {case.role} | {case.label} | {statistics.median(case.timings):.0f} | {p95:.0f}{over} | "
            f"{percentile(case.timings, 0.99):.0f} | {len(case.timings) / case.seconds:.0f} | {errors} | {queries} |"
        )
    if skipped:
        lines += ["", "Not measured (URL or data not there yet): " + "; ".join(skipped) + "."]
    return "\n".join(lines)


def write_readme(text: str):
    readme = ROOT / "benchmarks" / "README.md"
    content = readme.read_text()
    heading = "## Load (gunicorn, PostgreSQL, Redis)"
    start, end = "<!-- load:start -->", "<!-- load:end -->"
    if start not in content:
        content = content.rstrip("\n") + (
            f"\n\n{heading}\n\n`.venv/bin/python -m benchmarks.load --write` builds the database, starts the stack and "
            f"measures; see the script's docstring for what it does.\n\n{start}\n{end}\n"
        )
    head, tail = content.partition(start)[0], content.partition(end)[2]
    readme.write_text(f"{head}{start}\n{text}\n{end}{tail}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--write", action="store_true", help="put the table in benchmarks/README.md")
    parser.add_argument("--only", default="", help="measure only rows whose label contains this text")
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
            if case.api and case.role == "anonymous":
                # DRF's anonymous throttle (60/min per IP) is on, as in production, and every simulated user here
                # has the same IP: start from a clean throttle history and stay under the limit.
                flush_redis()
                requests = min(requests, ANONYMOUS_API_REQUESTS)
            case.large_queries = query_count(case, credentials)
            if case.large_queries is None:
                continue
            load(case, credentials, args.users, requests)
            print(
                f"{case.role:>14} | {case.label:<45} median {statistics.median(case.timings):6.0f} ms  "
                f"p95 {percentile(case.timings, 0.95):6.0f} ms  errors {case.errors}  "
                f"queries {case.demo_queries} -> {case.large_queries}",
                flush=True,
            )
    finally:
        stop_processes(processes)
    timings["load_after"] = os.getloadavg()[0]
    text = table(cases, skipped, args, timings)
    print(text)
    if args.write:
        write_readme(text)
    print(json.dumps({"skipped": skipped}, indent=1))


if __name__ == "__main__":
    main()
