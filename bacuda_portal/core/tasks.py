"""Background work shared by every app; each task parses its arguments and calls one function."""

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from . import privacy_services, services


@shared_task(
    name="core.send_email",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_kwargs={"max_retries": 5},
    soft_time_limit=60,
)
def send_email(*, to: list[str], subject: str, text: str, html: str = "") -> None:
    message = EmailMultiAlternatives(subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


@shared_task(name="core.beat_tick", ignore_result=True, expires=120)
def beat_tick() -> None:
    services.beat_tick()


@shared_task(name="core.prune_worker_heartbeats", ignore_result=True)
def prune_worker_heartbeats() -> None:
    services.prune_worker_heartbeats()


@shared_task(name="core.apply_retention", ignore_result=True, soft_time_limit=3600, time_limit=3660)
def apply_retention() -> None:
    """Daily: erase the personal data whose retention period has run out, in every registered category."""
    privacy_services.retention_run()


@shared_task(name="core.build_personal_export", acks_late=True, soft_time_limit=1800, time_limit=1860)
def build_personal_export(*, export_id: int) -> None:
    privacy_services.export_build(export_id=export_id)


@shared_task(name="core.sweep_personal_exports", ignore_result=True)
def sweep_personal_exports() -> None:
    privacy_services.exports_sweep()
