"""Starts a real Celery worker process against the test database and the test session's broker."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from bacuda_portal.core.models import WorkerHeartbeat


def database_url() -> str:
    """The URL of the database this test session uses (the test database, not the configured one)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"])
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(predicate, timeout: float, what: str, process: subprocess.Popen | None = None, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        if process is not None and process.poll() is not None:
            break
        time.sleep(0.2)
    output = log.read_text(errors="replace")[-4000:] if log and log.exists() else ""
    raise AssertionError(f"Timed out waiting for {what}.\n--- worker log ---\n{output}")


class WorkerProcess:
    def __init__(self, tmp_path: Path, queues: str = "default,reports,models"):
        self.hostname = f"test-{uuid.uuid4().hex[:8]}@localhost"
        self.mail_dir = tmp_path / "mail"
        self.mail_dir.mkdir()
        self.log = tmp_path / "worker.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bacuda_portal.settings.test",
            "DATABASE_URL": database_url(),
            "BACUDA_TEST_EMAIL_DIR": str(self.mail_dir),
            "BACUDA_WORKER_HEARTBEAT_SECONDS": "1",
            "BACUDA_TEST_PRIVATE_DIR": str(settings.PRIVATE_MEDIA_ROOT),
        }
        if settings.CELERY_BROKER_URL.startswith("filesystem://"):
            env["BACUDA_TEST_BROKER_DIR"] = str(settings.BROKER_DIR)
        command = [
            sys.executable, "-m", "celery", "-A", "bacuda_portal", "worker", "--pool=solo", "--purge",
            "-Q", queues, "-n", self.hostname, "--without-mingle", "--without-gossip", "--loglevel=INFO",
        ]  # fmt: skip
        self._log_handle = self.log.open("w")
        self.process = subprocess.Popen(
            command, env=env, stdout=self._log_handle, stderr=subprocess.STDOUT, cwd=settings.BASE_DIR
        )
        wait_for(
            lambda: WorkerHeartbeat.objects.filter(hostname=self.hostname, stopped_at__isnull=True).exists(),
            90,
            "the worker's first heartbeat",
            self.process,
            self.log,
        )

    def mails(self) -> list[str]:
        """Messages written completely (the file backend ends each with a line of 79 dashes), one item each: two
        connections opened in the same second can share a file name (time and object id), so a file may hold
        several messages."""
        end = "\n" + "-" * 79 + "\n"
        messages = []
        for path in sorted(self.mail_dir.iterdir()):
            pieces = path.read_text(errors="replace").split(end)
            messages += [piece + end for piece in pieces[:-1]]  # the last piece is empty or still being written
        return messages

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.terminate()  # warm shutdown: finishes the current task, then stops
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log_handle.close()
        return self.process.returncode
