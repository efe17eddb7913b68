"""Reads shared by every app: the health of the database, the broker, the workers and beat; the audit log."""

import datetime as dt
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AuditEntry, WorkerHeartbeat


@dataclass
class ComponentHealth:
    ok: bool
    detail: str = ""


@dataclass
class HealthReport:
    database: ComponentHealth
    broker: ComponentHealth
    queue_sizes: dict[str, int | None]
    workers: list[WorkerHeartbeat]
    beat: WorkerHeartbeat | None
    checked_at: datetime = field(default_factory=timezone.now)

    @property
    def live_workers(self) -> list[WorkerHeartbeat]:
        return [worker for worker in self.workers if worker.is_alive]

    @property
    def ok(self) -> bool:
        beat_ok = self.beat is not None and self.beat.is_alive
        return self.database.ok and self.broker.ok and bool(self.live_workers) and beat_ok


def database_health() -> ComponentHealth:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any driver error means "down"; the page must still render
        return ComponentHealth(False, type(error).__name__)
    return ComponentHealth(True, connection.vendor)


def broker_health() -> tuple[ComponentHealth, dict[str, int | None]]:
    """Connect to the broker and count the messages waiting in each queue."""
    from bacuda_portal.celery import app

    sizes: dict[str, int | None] = {}
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=3)
            channel = conn.default_channel
            for queue in app.conf.task_queues:
                try:
                    sizes[queue.name] = channel.queue_declare(queue=queue.name, passive=True).message_count
                except Exception:  # a queue nobody declared yet
                    sizes[queue.name] = None
            transport = conn.transport_cls
    except Exception as error:
        return ComponentHealth(False, type(error).__name__), sizes
    return ComponentHealth(True, str(transport)), sizes


def _mark_liveness(heartbeat: WorkerHeartbeat, now: datetime, stale_after: timedelta) -> WorkerHeartbeat:
    heartbeat.is_alive = heartbeat.stopped_at is None and now - heartbeat.last_seen_at <= stale_after
    return heartbeat


def health_report() -> HealthReport:
    database = database_health()
    broker, sizes = broker_health()
    now = timezone.now()
    workers: list[WorkerHeartbeat] = []
    beat = None
    if database.ok:
        stale_after = timedelta(seconds=settings.BACUDA_WORKER_STALE_SECONDS)
        # Beat ticks once a minute: it is late only after two missed ticks.
        beat_stale_after = max(stale_after, timedelta(seconds=150))
        for heartbeat in WorkerHeartbeat.objects.all():
            if heartbeat.kind == WorkerHeartbeat.Kind.BEAT:
                beat = _mark_liveness(heartbeat, now, beat_stale_after)
            else:
                workers.append(_mark_liveness(heartbeat, now, stale_after))
    return HealthReport(database=database, broker=broker, queue_sizes=sizes, workers=workers, beat=beat)


# --- The audit log ---------------------------------------------------------------------------------------------


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_entries(
    *,
    search: str = "",
    action: str = "",
    actor: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    """Entries matching the filters, newest first, with their actor and target type (no query per row)."""
    entries = AuditEntry.objects.select_related("actor", "target_type").order_by("-created_at", "-id")
    search = search.strip()
    if search:
        entries = entries.filter(
            Q(actor__email__icontains=search)
            | Q(action__icontains=search)
            | Q(target_repr__icontains=search)
            | Q(target_id=search)
        )
    if action.strip():
        entries = entries.filter(action__startswith=action.strip())
    if actor:
        entries = entries.filter(actor__email__iexact=actor)
    if date_from:
        entries = entries.filter(created_at__gte=_start_of(date_from))
    if date_to:
        entries = entries.filter(created_at__lt=_start_of(date_to + dt.timedelta(days=1)))
    return entries
