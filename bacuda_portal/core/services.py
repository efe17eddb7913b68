"""Writes shared by every app: the audit log and the workers' heartbeats."""

from datetime import timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from .models import AuditEntry, WorkerHeartbeat

BEAT_HOSTNAME = "celery-beat"


def audit_record(*, actor: Any, action: str, target: models.Model | None = None, **data: Any) -> AuditEntry:
    """Append one entry to the audit log. ``actor`` may be None (the system) or an anonymous user."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    entry = AuditEntry(actor=actor, action=action, data=data)
    if target is not None:
        entry.target_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
        entry.target_id = str(target.pk)
        entry.target_repr = str(target)[:255]
    entry.save()
    return entry


def worker_heartbeat(*, hostname: str, queues: list[str], pid: int | None) -> None:
    """A worker says it is alive; the first beat after a (re)start also resets ``started_at``."""
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(hostname=hostname, stopped_at__isnull=True, pid=pid).update(
        last_seen_at=now, queues=queues
    )
    if not updated:
        WorkerHeartbeat.objects.update_or_create(
            hostname=hostname,
            defaults={
                "kind": WorkerHeartbeat.Kind.WORKER,
                "queues": queues,
                "pid": pid,
                "started_at": now,
                "last_seen_at": now,
                "stopped_at": None,
            },
        )


def worker_stopped(*, hostname: str) -> None:
    WorkerHeartbeat.objects.filter(hostname=hostname).update(stopped_at=timezone.now())


def beat_tick() -> None:
    """Beat's periodic task ran on some worker: proof that the scheduler and a worker are both alive."""
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(hostname=BEAT_HOSTNAME).update(last_seen_at=now, stopped_at=None)
    if not updated:
        WorkerHeartbeat.objects.create(
            hostname=BEAT_HOSTNAME, kind=WorkerHeartbeat.Kind.BEAT, started_at=now, last_seen_at=now
        )


def prune_worker_heartbeats(*, older_than: timedelta = timedelta(days=7)) -> int:
    """Forget workers not seen for a week (hosts that were retired or renamed)."""
    deleted, _ = WorkerHeartbeat.objects.filter(last_seen_at__lt=timezone.now() - older_than).delete()
    return deleted
