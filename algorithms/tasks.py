"""Background work of the algorithms app: each task takes ids and calls a service (or the job runner)."""

from celery import shared_task
from django.conf import settings

from . import runner, services
from .models import CardExport


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
    """Recover model jobs and card PDFs that a dead worker or a lost message left behind (beat, every minute)."""
    services.jobs_sweep()
    services.card_exports_sweep()


@shared_task(
    name="reports.render_model_card",
    acks_late=True,
    ignore_result=True,
    autoretry_for=(Exception,),
    retry_backoff=10,
    retry_kwargs={"max_retries": 2},
    soft_time_limit=120,
)
def render_model_card(*, export_id: int) -> None:
    """Render a model card to PDF (queue ``reports``)."""
    export = CardExport.objects.select_related("algorithm__card").filter(pk=export_id).first()
    if export is None:
        return
    services.card_export_render(export=export)
