"""Under the production settings, served by gunicorn with the Dockerfile's server command, a deeply nested JSON body
posted with a token to the four endpoints of issue 17 answers 400 with its message, not 500.

The database is SQLite in a temporary folder (the parser needs no PostgreSQL), so this runs in every phase of CI.
Two-factor authentication for staff is switched off here only so that a staff token reaches the reports endpoint
without an authenticator; the two-factor policy has tests of its own.
"""

import http.client
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DEEP = "[" * 5000 + "]" * 5000
HOST = "portal.example.org"
ENDPOINTS = {
    "/api/v1/nominations/": "contact_point",
    "/api/v1/model-jobs/": "contact_point",
    "/api/v1/hs-suggestions/": "contact_point",
    "/api/v1/reports/": "staff",
}
MAKE_USERS = """
import json
from rest_framework.authtoken.models import Token
from bacuda_portal.members.models import Administration, ContactPoint, User
staff = User.objects.create_user(email="officer@example.org", password="x" * 20, role="project_officer")
member = User.objects.create_user(email="cp.kenya@example.org", password="x" * 20, role="contact_point")
ContactPoint.objects.create(user=member, administration=Administration.objects.get(code="KEN"))
tokens = {"staff": Token.objects.create(user=staff).key, "contact_point": Token.objects.create(user=member).key}
print(json.dumps(tokens))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(tmp_path: Path) -> dict:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "bacuda_portal.settings.production",
        "DJANGO_SECRET_KEY": "production-parsing-test-" + "k" * 40,
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "BACUDA_PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "BACUDA_BROKER_DIR": str(tmp_path / "broker"),
        "BACUDA_STAFF_MFA_REQUIRED": "false",
    }


def _gunicorn_argv(port: int) -> list[str]:
    """The Dockerfile's CMD, with this virtual environment's gunicorn, a local port and one worker."""
    command = json.loads(re.search(r"^CMD (\[.*\])$", (ROOT / "Dockerfile").read_text(), re.MULTILINE).group(1))
    assert command[0] == "gunicorn", command
    argv = [str(Path(sys.executable).parent / "gunicorn"), *command[1:]]
    argv[argv.index("--bind") + 1] = f"127.0.0.1:{port}"
    argv[argv.index("--workers") + 1] = "1"
    return argv


def _post(port: int, path: str, token: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": HOST, "X-Forwarded-Proto": "https", "Authorization": f"Token {token}",
               "Content-Type": "application/json"}  # fmt: skip
    connection.request("POST", path, body=DEEP, headers=headers)
    response = connection.getresponse()
    return response.status, response.read().decode()


def test_a_deep_body_is_a_400_under_gunicorn_and_the_production_settings(tmp_path):
    env = _environment(tmp_path)

    def manage(*args):
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                                text=True, timeout=300)  # fmt: skip
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    manage("migrate", "--noinput")
    tokens = json.loads(manage("shell", "--no-imports", "-c", MAKE_USERS).strip().splitlines()[-1])
    port = _free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(_gunicorn_argv(port), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "gunicorn.log").read_text()
                time.sleep(0.2)
        for path, role in ENDPOINTS.items():
            status, body = _post(port, path, tokens[role])
            assert status == 400, (path, status, body[:500], shlex.join(_gunicorn_argv(port)))
            assert json.loads(body) == {
                "detail": "The JSON is nested too deeply: at most 32 levels of arrays and objects are accepted."
            }
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
