"""Background work of the algorithms app: each task takes ids and calls a service (or the job runner)."""

from celery import shared_task
from django.conf import settings

from . import jobs, runner, services


@shared_task(
    name="algorithms.run_job",
    bind=True,
    acks_late=True,
    ignore_result=True,
    soft_time_limit=settings.BACUDA_MODEL_JOB_SOFT_TIME_LIMIT,
    time_limit=settings.BACUDA_MODEL_JOB_TIME_LIMIT,
)
def run_job(self, *, job_id: int) -> None:
    """Run a model job (queue ``models``). The row decides: a job already done or taken is left alone."""
    runner.job_run(job_id=job_id, worker=self.request.hostname or "", task_id=self.request.id or "")


@shared_task(name="algorithms.sweep_jobs", ignore_result=True)
def sweep_jobs() -> None:
    """Recover model jobs that a dead worker or a lost message left behind (beat, every minute)."""
    jobs.jobs_sweep()


@shared_task(name="algorithms.sweep_pending_uploads", ignore_result=True)
def sweep_pending_uploads() -> None:
    """Delete the files kept for upload mapping steps left unfinished for a day (beat, hourly)."""
    services.pending_uploads_sweep()
