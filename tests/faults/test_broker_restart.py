"""Redis (the broker) stops and comes back while certificates are queued. Redis runs here without persistence, so
the queued messages are simply gone: the harshest case. The worker reconnects by itself, the beat sweep finds the
certificates still pending in the database and queues them again, and every one is rendered: nothing is lost.

A PRIVATE Redis server on a free port is started for the test; the shared one is never touched."""

import datetime as dt
import shutil
import socket
import subprocess
import time
from contextlib import contextmanager

import pytest
from django.db import transaction

from tests.factories import StaffFactory
from tests.worker import WorkerProcess, wait_for
from workshops import services
from workshops.models import Certificate

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed"),
]


class PrivateRedis:
    def __init__(self, tmp_path):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.dir = tmp_path
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        import redis

        client = redis.Redis.from_url(self.url)
        wait_for(lambda: self._ping(client), 20, "the private Redis server")
        return self

    @staticmethod
    def _ping(client):
        try:
            return client.ping()
        except Exception:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)

    def queue_length(self, queue: str) -> int:
        import redis

        return redis.Redis.from_url(self.url).llen(queue)


@contextmanager
def this_process_sends_to(url: str):
    """Point this test process's Celery producer at ``url`` (the services enqueue through it)."""
    from bacuda_portal.celery import app

    keys = ("broker_url", "broker_write_url", "broker_read_url", "broker_transport_options")
    saved = {key: app.conf.get(key) for key in keys}

    def reset_pools():
        from kombu import pools

        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None
        # kombu keeps producer pools in a process-wide registry keyed by the broker URL: one left there would
        # hand later tests a pool whose connections were closed above ("Acquire on closed pool").
        pools.reset()

    reset_pools()
    app.conf.update(broker_url=url, broker_write_url=url, broker_read_url=url, broker_transport_options={})
    try:
        yield
    finally:
        reset_pools()
        app.conf.update(saved)


@pytest.fixture
def redis_server(tmp_path, monkeypatch):
    server = PrivateRedis(tmp_path).start()
    monkeypatch.setenv("REDIS_URL", server.url)  # the worker processes started by this test use it
    yield server
    server.stop()


def test_queued_certificates_survive_a_broker_restart(tmp_path, redis_server):
    from tests.workshops.factories import NominationFactory, SessionFactory, WorkshopFactory

    staff = StaffFactory()
    workshop = WorkshopFactory(status="confirmed")
    session = SessionFactory(workshop=workshop)
    participants = [NominationFactory(workshop=workshop, status="accepted") for _ in range(6)]
    services.attendance_record(workshop=workshop, marks={(session.pk, p.pk): "present" for p in participants}, by=staff)
    workshop.status = "delivered"
    workshop.save()

    with this_process_sends_to(redis_server.url):
        worker = WorkerProcess(tmp_path, queues="reports")
        try:
            with transaction.atomic():
                services.certificates_issue(workshop=workshop, by=staff)
            wait_for(
                lambda: Certificate.objects.filter(attempts__gte=1).exists(),
                90,
                "the first rendering",
                worker.process,
                worker.log,
            )
            assert redis_server.queue_length("reports") > 0, "nothing was left queued: the test would prove nothing"

            # Redis goes away with its queue, and comes back empty on the same port.
            redis_server.stop()
            time.sleep(2)
            redis_server.start()
            assert redis_server.queue_length("reports") == 0
            time.sleep(5)  # whatever the worker still had in hand is done by now
            lost = Certificate.objects.exclude(status="ready").count()
            assert lost > 0, "every certificate was rendered before the restart: nothing was queued"

            # Beat's sweep, some minutes later: the rows still pending are queued again on the new Redis.
            requeued, failed = services.certificates_sweep(stale_after=dt.timedelta(0))
            assert failed == 0 and requeued >= lost
            wait_for(
                lambda: Certificate.objects.filter(status="ready").count() == len(participants),
                180,
                "every certificate rendered after the broker came back",
                worker.process,
                worker.log,
            )
            assert worker.process.poll() is None  # the same worker, reconnected by itself
        finally:
            worker.stop()
    assert not Certificate.objects.exclude(status="ready").exists()
