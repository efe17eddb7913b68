"""Background work of the mailings app (queue ``default``): each task takes ids (or nothing) and calls a service."""

from celery import shared_task

from . import services


@shared_task(name="mailings.send_mailing", acks_late=True, soft_time_limit=3600, time_limit=3660)
def send_mailing(*, mailing_id: int) -> None:
    services.mailing_send(mailing_id=mailing_id)


@shared_task(name="mailings.sweep_mailings", ignore_result=True)
def sweep_mailings() -> None:
    services.mailings_sweep()
