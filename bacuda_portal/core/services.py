"""Writes shared by every app: the audit log and the workers' heartbeats."""

import json
import re
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
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


# Shorter strings are not scrubbed: two letters would match inside unrelated words.
AUDIT_SCRUB_MIN_LENGTH = 3


def audit_pseudonymise(*, strings: Iterable[str], replacement: str = "[erased]") -> int:
    """Replace the given names and addresses (case-insensitively) wherever they appear in the audit log's
    ``target_repr`` and ``data``, keeping every event: action, time, actor, target type and id.

    Callers pass what they erased (a person's names and email addresses). Entries where the person is the actor
    keep the actor link: the user account itself is pseudonymised. Returns how many entries were rewritten.
    Side effects: audit entries updated in place (the one edit the audit log allows).
    """
    needles = sorted({text.strip() for text in strings if text and len(text.strip()) >= AUDIT_SCRUB_MIN_LENGTH})
    needles.sort(key=len, reverse=True)  # the longest first: "Jane Doe" before "Jane"
    if not needles:
        return 0
    query = Q()
    for needle in needles:
        # SQLite compares only ASCII letters case-insensitively, and stores JSON with non-ASCII letters as \u
        # escapes: look for the usual spellings of the name in both forms; the rewrite below ignores case.
        for variant in {needle, needle.lower(), needle.upper(), needle.title()}:
            query |= Q(target_repr__icontains=variant) | Q(data__icontains=variant)
            escaped = json.dumps(variant)[1:-1]
            if escaped != variant:
                query |= Q(data__icontains=escaped)
    pattern = re.compile("|".join(re.escape(needle) for needle in needles), re.IGNORECASE)

    def scrub(value):
        if isinstance(value, str):
            return pattern.sub(replacement, value)
        if isinstance(value, list):
            return [scrub(item) for item in value]
        if isinstance(value, dict):
            return {scrub(key): scrub(item) for key, item in value.items()}
        return value

    rewritten = 0
    for entry in AuditEntry.objects.filter(query).only("pk", "target_repr", "data").iterator(chunk_size=500):
        target_repr, data = scrub(entry.target_repr), scrub(entry.data)
        if target_repr != entry.target_repr or data != entry.data:
            AuditEntry.objects.filter(pk=entry.pk).update(target_repr=target_repr[:255], data=data)
            rewritten += 1
    return rewritten


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
