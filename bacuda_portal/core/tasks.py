"""Background work shared by every app; each task parses its arguments and calls one function."""

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from . import services


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
