"""The model-job state machine: every change of a ``ModelJob``'s status happens here.

queued -> running (``claim``, by a worker) -> succeeded (``succeed``) | failed | cancelled (``finish``);
queued -> cancelled (``cancel``, by a user); running -> queued again or failed (``sweep``, by beat, when the
worker died). The request side (``services.job_submit``), the worker (``runner``) and beat (``tasks``) all go
through these functions, so the log is trimmed and the end audited the same way whoever ends a job. The task is
queued by its name once the transaction commits (``core.background``): nothing here imports the tasks.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bacuda_portal.core.background import task_named
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.services import audit_record
from bacuda_portal.notifications import services as notifications
from bacuda_portal.notifications.enums import Kind as NotificationKind

from .enums import ACTIVE_STATUSES, JobStatus
from .models import ModelJob

RUN_TASK = "algorithms.run_job"
LOG_LIMIT = 200_000  # characters of log kept (the tail)


def log_line(text: str) -> str:
    return f"{timezone.now():%Y-%m-%d %H:%M:%S} {text}\n"


def logged(log: str, text: str) -> str:
    """``log`` with one more line, trimmed to its tail."""
    return (log + log_line(text))[-LOG_LIMIT:]


def enqueue(job_id: int) -> None:
    """Send the job to a worker once the transaction commits, and keep the Celery task id with it."""

    def send():
        result = task_named(RUN_TASK).apply_async(kwargs={"job_id": job_id})
        ModelJob.objects.filter(pk=job_id).update(celery_task_id=result.id or "")

    transaction.on_commit(send)


def finish(job: ModelJob, status: str, reason: str, note: str = "") -> None:
    """End a job the caller holds locked (or has just claimed): status, reason, time, log line, audit; staff
    notified of a failure (or their digest)."""
    job.status = status
    job.error = reason
    job.finished_at = timezone.now()
    job.log = logged(job.log, note or reason or JobStatus(status).label)
    job.save(update_fields=["status", "error", "finished_at", "log", "updated_at"])
    audit_record(actor=None, action=f"algorithms.job.{status}", target=job, reason=reason)
    if status == JobStatus.FAILED:
        notifications.notify_staff(
            kind=NotificationKind.WORK_FAILED,
            context={"work": str(job), "error": reason},
            about=job,
            link=("algorithms:job_detail", {"pk": job.pk}),
        )


def claim(*, job_id: int, worker: str = "", task_id: str = "") -> ModelJob | None:
    """Take the job for this worker (queued, or running with a stale heartbeat after its worker died), or None
    when it is not this worker's to run: done, cancelled, running elsewhere, or out of attempts."""
    now = timezone.now()
    stale = now - dt.timedelta(seconds=settings.BACUDA_MODEL_JOB_STALE_SECONDS)
    with transaction.atomic():
        job = ModelJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return None
        runnable = job.status == JobStatus.QUEUED or (
            job.status == JobStatus.RUNNING and job.heartbeat_at is not None and job.heartbeat_at < stale
        )
        if not runnable:
            return None
        if job.cancel_requested:
            finish(job, JobStatus.CANCELLED, "", note=_("Cancelled before it started."))
            return None
        if job.attempts >= settings.BACUDA_MODEL_JOB_MAX_ATTEMPTS:
            reason = _("The job was started %(count)d times without finishing; it was given up.") % {
                "count": job.attempts
            }
            finish(job, JobStatus.FAILED, reason)
            return None
        started = _("Attempt %(n)d started on %(worker)s.") % {"n": job.attempts + 1, "worker": worker or "-"}
        updated = ModelJob.objects.filter(pk=job.pk, status=job.status, attempts=job.attempts).update(
            status=JobStatus.RUNNING,
            attempts=F("attempts") + 1,
            started_at=now,
            heartbeat_at=now,
            finished_at=None,
            worker=worker[:255],
            celery_task_id=task_id or job.celery_task_id,
            percent=0,
            stage=_("Starting"),
            error="",
            log=logged(job.log, started),
        )
        if not updated:
            return None
    job.refresh_from_db()
    return job


def running_attempt(*, job_id: int, attempt: int):
    """The job's row while this attempt still runs it (empty once another worker took it over or it ended)."""
    return ModelJob.objects.filter(pk=job_id, status=JobStatus.RUNNING, attempts=attempt)


def lock_running_attempt(*, job_id: int, attempt: int) -> bool:
    """Inside a transaction: lock the row and say whether this attempt still runs it."""
    return running_attempt(job_id=job_id, attempt=attempt).select_for_update().exists()


def succeed(*, job: ModelJob, metrics: dict, log: str) -> None:
    """The end of a successful attempt, inside the transaction that stored its results."""
    ModelJob.objects.filter(pk=job.pk).update(
        status=JobStatus.SUCCEEDED,
        percent=100,
        stage=_("Done"),
        metrics=metrics,
        finished_at=timezone.now(),
        log=log,
    )
    audit_record(actor=None, action="algorithms.job.succeeded", target=job)


def end_attempt(*, job: ModelJob, attempt: int, status: str, reason: str, percent: int, stage: str, log: str) -> None:
    """A worker's attempt ends failed or cancelled, unless another worker took the job over meanwhile."""
    with transaction.atomic():
        updated = running_attempt(job_id=job.pk, attempt=attempt).update(
            status=status, error=reason, percent=percent, stage=stage, finished_at=timezone.now(), log=log
        )
        if updated:
            audit_record(actor=None, action=f"algorithms.job.{status}", target=job, reason=reason)


@transaction.atomic
def job_cancel(*, job: ModelJob, by) -> ModelJob:
    """Cancel a job: a queued one at once; a running one at its next progress report (the worker stops it and
    writes the log: it owns the log while it runs).

    Side effects: audit record.
    """
    job = ModelJob.objects.select_for_update().get(pk=job.pk)
    if job.status not in ACTIVE_STATUSES:
        raise TransitionError(_("Only a queued or running job can be cancelled."))
    if job.status == JobStatus.QUEUED:
        job.status = JobStatus.CANCELLED
        job.finished_at = timezone.now()
        job.log = logged(job.log, _("Cancelled before it started."))
    job.cancel_requested = True
    job.save(update_fields=["status", "finished_at", "cancel_requested", "log", "updated_at"])
    audit_record(actor=by, action="algorithms.job.cancelled", target=job)
    return job


def jobs_sweep(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Recover jobs a dead worker or a lost message left behind. Runs from beat. Returns (re-queued, failed).

    - running with no heartbeat for BACUDA_MODEL_JOB_STALE_SECONDS (the worker died): queued again, or failed
      once it has used BACUDA_MODEL_JOB_MAX_ATTEMPTS;
    - running for longer than the hard time limit: failed ("time limit");
    - queued for longer than BACUDA_MODEL_JOB_RESEND_SECONDS (a lost message, e.g. a broker restart): sent
      again (a duplicate is harmless: a worker takes a job only while it is queued);
    - a cancel requested on a job whose worker died: cancelled.
    """
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.BACUDA_MODEL_JOB_STALE_SECONDS)
    too_old = now - dt.timedelta(seconds=settings.BACUDA_MODEL_JOB_TIME_LIMIT)
    max_attempts = settings.BACUDA_MODEL_JOB_MAX_ATTEMPTS
    requeued = failed = 0
    candidates = ModelJob.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=stale) | ModelJob.objects.filter(
        status=JobStatus.RUNNING, started_at__lt=too_old
    )
    for job_id in list(candidates.values_list("pk", flat=True)):
        with transaction.atomic():
            job = ModelJob.objects.select_for_update().get(pk=job_id)
            if job.status != JobStatus.RUNNING:
                continue
            if job.started_at and job.started_at < too_old:
                reason = _("The job exceeded its time limit of %(seconds)d seconds.") % {
                    "seconds": settings.BACUDA_MODEL_JOB_SOFT_TIME_LIMIT
                }
                finish(job, JobStatus.FAILED, reason)
                failed += 1
            elif job.heartbeat_at is None or job.heartbeat_at >= stale:
                continue
            elif job.cancel_requested:
                finish(job, JobStatus.CANCELLED, "")
            elif job.attempts >= max_attempts:
                reason = ngettext(
                    "The worker running this job stopped answering; the job was given up after %(count)d attempt.",
                    "The worker running this job stopped answering; the job was given up after %(count)d attempts.",
                    job.attempts,
                ) % {"count": job.attempts}
                finish(job, JobStatus.FAILED, reason)
                failed += 1
            else:
                job.status = JobStatus.QUEUED
                job.queued_at = now
                job.log = logged(
                    job.log,
                    _("The worker running this job stopped answering (%(worker)s); queued again.")
                    % {"worker": job.worker or "?"},
                )
                job.save(update_fields=["status", "queued_at", "log", "updated_at"])
                audit_record(actor=None, action="algorithms.job.requeued", target=job, attempts=job.attempts)
                enqueue(job.pk)
                requeued += 1
    # Queued with no worker taking them: the message may be lost (a broker restart). Sending it again is safe.
    resend = now - dt.timedelta(seconds=settings.BACUDA_MODEL_JOB_RESEND_SECONDS)
    lost = ModelJob.objects.filter(status=JobStatus.QUEUED, queued_at__lt=resend)
    for job_id in list(lost.values_list("pk", flat=True)):
        with transaction.atomic():
            updated = ModelJob.objects.filter(pk=job_id, status=JobStatus.QUEUED, queued_at__lt=resend).update(
                queued_at=now
            )
            if updated:
                enqueue(job_id)
                requeued += 1
    return requeued, failed
