"""Background work of the reports app (queue ``reports``): each task takes ids and calls one service."""

from celery import shared_task

from . import services
from .models import Report


@shared_task(name="reports.render_report", acks_late=True, soft_time_limit=600, time_limit=660)
def render_report(*, report_id: int) -> None:
    report = Report.objects.filter(pk=report_id).first()
    if report is None:
        return  # deleted meanwhile: nothing to do
    services.report_render(report=report)


@shared_task(name="reports.sweep_reports", ignore_result=True)
def sweep_reports() -> None:
    services.reports_sweep()
