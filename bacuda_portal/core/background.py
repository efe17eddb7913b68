"""One kit for rows a worker renders or runs: a PDF report, a certificate, a decision letter, a personal data export,
a model job.

The row is the truth about the work (its fields: ``core.models.BackgroundWork``). A service creates it *waiting*
and ``enqueue``s its task by name once the transaction commits, so services never import their tasks and a
rolled-back request queues nothing. The task ``claim``s the row (waiting -> working, one more attempt): a
duplicate message then does nothing. The work ends done or ``fail``s with the reason. A beat ``sweep`` re-queues
rows a lost message or a killed worker left waiting or working past ``stale_after``, and fails them after
``max_attempts``; a failure that may pass goes back to waiting (``fail_or_retry``); staff ``requeue`` a failed one.

Each model keeps its own status enum (a report is *rendering*, a job *running*); ``Lifecycle`` names which of its
values mean waiting, working and failed.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from celery import current_app
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from .services import audit_record

ERROR_LENGTH = 2000


def enqueue(task_name: str, **kwargs) -> None:
    """Queue a task by its name when the current transaction commits (at once outside one). The route
    (``CELERY_TASK_ROUTES``) picks the queue; tests that run tasks eagerly run it in-process."""
    transaction.on_commit(lambda: task_named(task_name).apply_async(kwargs=kwargs))


def task_named(name: str):
    """The registered task of that name; the apps' ``tasks`` modules are imported the first time (a web process
    never imports them otherwise: the services do not)."""
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


def error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:ERROR_LENGTH]


@dataclass(frozen=True)
class Lifecycle:
    """The states and the task of one kind of background row (``model`` has ``status`` and ``BackgroundWork``)."""

    model: type[models.Model]
    waiting: str
    working: str
    failed: str
    task: str
    id_argument: str
    sweep_action: str  # the audit action of a sweep that changed anything, e.g. "reports.sweep"
    retry_action: str  # the audit action of staff's retry, e.g. "reports.report.retried"
    stale_after: dt.timedelta
    max_attempts: int = 3
    # Extra fields to reset when a failed row is queued again (e.g. a progress counter).
    retry_resets: dict = field(default_factory=dict)
    gave_up: Callable[[int], str] = field(
        default=lambda count: gettext("Gave up after %(count)d attempts: the worker never finished.") % {"count": count}
    )

    def enqueue(self, pk: int) -> None:
        enqueue(self.task, **{self.id_argument: pk})

    def claim(self, pk: int, *, now=None) -> bool:
        """Waiting -> working, one more attempt; False when another message or worker has it (or it ended)."""
        now = now or timezone.now()
        return bool(
            self.model.objects.filter(pk=pk, status=self.waiting).update(
                status=self.working, started_at=now, attempts=F("attempts") + 1, updated_at=now
            )
        )

    def fail(self, pk: int, error: str | BaseException, *, now=None) -> None:
        now = now or timezone.now()
        reason = error_text(error) if isinstance(error, BaseException) else str(error)[:ERROR_LENGTH]
        self.model.objects.filter(pk=pk).update(status=self.failed, error=reason, finished_at=now, updated_at=now)

    def fail_or_retry(self, pk: int, error: str | BaseException, *, now=None) -> bool:
        """A failure that may pass (a mail server down, a worker short of memory): back to waiting with the reason
        while attempts remain (the task's own retry, or the sweep, runs it again), failed after ``max_attempts``.
        Returns True when it will be tried again."""
        now = now or timezone.now()
        reason = error_text(error) if isinstance(error, BaseException) else str(error)[:ERROR_LENGTH]
        again = bool(
            self.model.objects.filter(pk=pk, status=self.working, attempts__lt=self.max_attempts).update(
                status=self.waiting, error=reason, queued_at=now, updated_at=now
            )
        )
        if not again:
            self.fail(pk, reason, now=now)
        return again

    def requeue(self, pk: int, *, by, now=None) -> bool:
        """A failed row queued again with a fresh count of attempts (staff's retry). Side effects: audit record;
        the task. False when the row is not failed (any more)."""
        now = now or timezone.now()
        changed = self.model.objects.filter(pk=pk, status=self.failed).update(
            status=self.waiting,
            attempts=0,
            error="",
            queued_at=now,
            started_at=None,
            finished_at=None,
            updated_at=now,
            **self.retry_resets,
        )
        if changed:
            audit_record(actor=by, action=self.retry_action, target=self.model.objects.get(pk=pk))
            self.enqueue(pk)
        return bool(changed)

    def sweep(self, *, now=None, stale_after: dt.timedelta | None = None) -> tuple[int, int]:
        """Re-queue rows left waiting or working past ``stale_after``; fail those tried ``max_attempts`` times.
        Side effects: the task for each re-queued row; one audit record when anything changed.
        Returns ``(requeued, failed)``."""
        now = now or timezone.now()
        stale = self.model.objects.filter(
            status__in=(self.waiting, self.working),
            updated_at__lt=now - (self.stale_after if stale_after is None else stale_after),
        )
        failed = stale.filter(attempts__gte=self.max_attempts).update(
            status=self.failed, error=self.gave_up(self.max_attempts), finished_at=now, updated_at=now
        )
        retry_ids = list(stale.filter(attempts__lt=self.max_attempts).values_list("pk", flat=True))
        self.model.objects.filter(pk__in=retry_ids).update(status=self.waiting, queued_at=now, updated_at=now)
        for pk in retry_ids:
            self.enqueue(pk)
        if retry_ids or failed:
            audit_record(actor=None, action=self.sweep_action, requeued=len(retry_ids), failed=failed)
        return len(retry_ids), failed
