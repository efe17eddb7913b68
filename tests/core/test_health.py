"""The staff health page and the load balancers' liveness probe."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from bacuda_portal.core import services
from bacuda_portal.core.models import WorkerHeartbeat


def test_health_without_workers_is_a_503_that_says_what_is_missing(client_as, staff):
    response = client_as(staff).get(reverse("health"))
    assert response.status_code == 503
    content = response.content.decode()
    assert "Attention needed" in content
    assert "No worker has reported yet" in content
    assert "Queue default" in content  # the broker answered and counted its queues


def test_health_with_live_worker_and_beat_is_ok(client_as, staff):
    services.worker_heartbeat(hostname="w1@host", queues=["default", "models"], pid=123)
    services.beat_tick()
    response = client_as(staff).get(reverse("health"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "All systems working" in content
    assert "w1@host" in content
    assert "default, models" in content


def test_a_silent_worker_is_reported_not_working(client_as, staff):
    services.worker_heartbeat(hostname="w1@host", queues=["default"], pid=123)
    services.beat_tick()
    WorkerHeartbeat.objects.filter(hostname="w1@host").update(last_seen_at=timezone.now() - timedelta(minutes=10))
    response = client_as(staff).get(reverse("health"))
    assert response.status_code == 503
    assert "Not working" in response.content.decode()


def test_heartbeat_restart_resets_started_at(db):
    services.worker_heartbeat(hostname="w1@host", queues=["default"], pid=1)
    first = WorkerHeartbeat.objects.get().started_at
    services.worker_stopped(hostname="w1@host")
    services.worker_heartbeat(hostname="w1@host", queues=["default"], pid=2)
    heartbeat = WorkerHeartbeat.objects.get()
    assert heartbeat.stopped_at is None and heartbeat.pid == 2 and heartbeat.started_at >= first


def test_prune_forgets_old_workers(db):
    services.worker_heartbeat(hostname="old@host", queues=[], pid=1)
    services.worker_heartbeat(hostname="new@host", queues=[], pid=2)
    WorkerHeartbeat.objects.filter(hostname="old@host").update(last_seen_at=timezone.now() - timedelta(days=8))
    assert services.prune_worker_heartbeats() == 1
    assert list(WorkerHeartbeat.objects.values_list("hostname", flat=True)) == ["new@host"]


def test_liveness_probe_is_public_and_terse(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
