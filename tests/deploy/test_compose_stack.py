"""docker-compose.yml and the Dockerfile, run without Docker: every service's own command, with its own environment.

No Docker engine runs on the project's machines, so this test does what the engine would do with everything but the
containers: it reads the services from ``docker-compose.yml`` (the portal's shared environment, each service's
command and the web health check) and the server command from the ``Dockerfile``'s ``CMD``, points the compose host
names (``postgres``, ``redis``) at this machine's PostgreSQL and Redis and the container paths at a temporary
folder, and starts them all under the production settings. Then it checks what ``docker compose up`` promises: the
migrate service exits 0, the health check passes, pages and static files are served, plain HTTP is sent to HTTPS,
there is one live worker for each of the three queues and nothing else, beat's tasks reach the workers, and the
queues drain.

It needs PostgreSQL and Redis, so it runs in the PostgreSQL + Redis phase of CI (``DATABASE_URL`` set to
PostgreSQL) and is skipped on the SQLite default.
"""

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent
REDIS_DB = 14  # the suite uses 1 (CI) and the load benchmark 12 and 13
pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the compose stack needs PostgreSQL and Redis: it runs in the PostgreSQL + Redis phase of CI",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _argv(command) -> list[str]:
    """A compose or Dockerfile command, with its programs taken from this virtual environment."""
    argv = shlex.split(command) if isinstance(command, str) else list(command)
    if argv[0] == "python":
        return [sys.executable, *argv[1:]]
    return [str(BIN / argv[0]), *argv[1:]]


class Stack:
    def __init__(self, tmp_path: Path, database: str):
        self.compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
        dockerfile = (ROOT / "Dockerfile").read_text()
        self.server_command = json.loads(re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE).group(1))
        self.port = _free_port()
        self.tmp = tmp_path
        self.database = database
        self.processes: dict[str, subprocess.Popen] = {}
        self.host = "portal.example.org"

    def services(self) -> dict:
        return self.compose["services"]

    def portal_services(self) -> list[str]:
        return [name for name, service in self.services().items() if service.get("build")]

    def environment(self, name: str) -> dict:
        """The service's environment as compose gives it, with host names and container paths made local."""
        service = self.services()[name]
        assert service.get("env_file") == ".env", "the portal services read the site's secrets from .env"
        dot_env = {  # what the production guide tells the operator to put in .env
            "DJANGO_SECRET_KEY": "compose-test-only-" + uuid.uuid4().hex * 2,
            "DJANGO_ALLOWED_HOSTS": f".example.org,{self.host}",
            "BACUDA_SITE_URL": f"https://{self.host}",
            "EMAIL_URL": "smtp://127.0.0.1:2525",
        }
        environment = {**dot_env, **{key: str(value) for key, value in service["environment"].items()}}
        for key, value in environment.items():
            value = value.replace("postgres://bacuda:bacuda@postgres:5432/bacuda", self.database)
            value = value.replace("redis://redis:6379/0", f"redis://127.0.0.1:6379/{REDIS_DB}")
            value = value.replace("/app/var", str(self.tmp / "var")).replace("/data", str(self.tmp / "data"))
            environment[key] = value
        # The image's own ENV (Dockerfile) and this test's process: the settings module and the worker heartbeat.
        keep = {key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG", "OMP_NUM_THREADS")}
        return {
            **keep,
            "DJANGO_SETTINGS_MODULE": "bacuda_portal.settings.production",
            "PYTHONUNBUFFERED": "1",
            "BACUDA_WORKER_HEARTBEAT_SECONDS": "1",
            **environment,
        }

    def run(self, name: str, argv: list[str], timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run(
            argv, cwd=ROOT, env=self.environment(name), capture_output=True, text=True, timeout=timeout
        )

    def start(self, name: str, argv: list[str]):
        log = (self.tmp / f"{name}.log").open("w")
        self.processes[name] = subprocess.Popen(
            argv, cwd=ROOT, env=self.environment(name), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def log(self, name: str) -> str:
        return (self.tmp / f"{name}.log").read_text(errors="replace")[-3000:]

    def stop(self):
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait(predicate, timeout: float, what: str, stack: Stack, name: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.5)
    raise AssertionError(f"Timed out waiting for {what}.\n--- {name} ---\n{stack.log(name)}")


@pytest.fixture
def compose_database():
    import psycopg

    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    name = f"bacuda_compose_{os.environ.get('BACUDA_TEST_DB_SUFFIX', '')}{os.getpid()}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    yield f"{base}/{name}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def broker():
    import redis

    client = redis.Redis(db=REDIS_DB)
    client.flushdb()
    yield client
    client.flushdb()


def _get(stack: Stack, path: str, **headers):
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=30)
    connection.request("GET", path, headers={"Host": stack.host, **headers})
    response = connection.getresponse()
    return response.status, response.getheader("Location") or "", response.read()


def _heartbeats(database_url: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(database_url) as connection:
        return connection.execute(
            "SELECT hostname, kind, queues FROM core_workerheartbeat WHERE stopped_at IS NULL ORDER BY hostname"
        ).fetchall()


def test_the_compose_services_run_and_serve(tmp_path, compose_database, broker):
    stack = Stack(tmp_path, compose_database)
    services = stack.services()
    assert {"migrate", "web", "beat", "postgres", "redis"} <= set(services)
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"

    # The image's build step (Dockerfile) collects the static files; the migrate service prepares the database.
    collected = stack.run("web", [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"])
    assert collected.returncode == 0, collected.stderr
    migrated = stack.run("migrate", _argv(services["migrate"]["command"]))
    assert migrated.returncode == 0, migrated.stderr

    server = [part.replace("0.0.0.0:8000", f"127.0.0.1:{stack.port}") for part in stack.server_command]
    assert server != stack.server_command, "the Dockerfile's CMD binds 0.0.0.0:8000"
    try:
        stack.start("web", _argv(server))
        for name in stack.portal_services():
            if name not in ("migrate", "web"):
                command = services[name]["command"].replace("%h", "compose-test")
                stack.start(name, _argv(command))

        # The web health check, exactly as compose runs it.
        check = services["web"]["healthcheck"]["test"]
        assert check[0] == "CMD"
        environment = {**stack.environment("web"), "BACUDA_HEALTHCHECK_PORT": str(stack.port)}

        def healthy():
            return subprocess.run(_argv(check[1:]), cwd=ROOT, env=environment, capture_output=True).returncode == 0

        _wait(healthy, 60, "the web health check", stack, "web")

        # Pages over HTTPS (as the proxy forwards them), static files from the image, plain HTTP redirected.
        status, _, body = _get(stack, "/en/", **{"X-Forwarded-Proto": "https"})
        assert status == 200 and b"BACUDA" in body
        stylesheet = re.search(rb'href="(/static/[^"]+\.css)"', body).group(1).decode()
        assert _get(stack, stylesheet, **{"X-Forwarded-Proto": "https"})[0] == 200
        status, location, _ = _get(stack, "/en/")
        assert status == 301 and location.startswith(f"https://{stack.host}/")

        # One live worker per queue, each consuming its own queue only; beat ticks through the default worker.
        def workers_and_beat():
            rows = _heartbeats(compose_database)
            workers = {tuple(queues) for _, kind, queues in rows if kind == "worker"}
            return (
                rows
                if workers == {("default",), ("reports",), ("models",)} and "beat" in {r[1] for r in rows}
                else None
            )

        rows = _wait(workers_and_beat, 90, "a worker per queue and beat's tick", stack, "beat")
        assert all(stack.processes[name].poll() is None for name in stack.processes), rows

        # Beat sent its sweeps to the reports and models queues at start; the workers took them.
        _wait(
            lambda: all(broker.llen(queue) == 0 for queue in ("default", "reports", "models")),
            60,
            "the queues to drain",
            stack,
            "worker-models",
        )
    finally:
        stack.stop()
    for name in stack.processes:
        assert "Traceback" not in stack.log(name), stack.log(name)
