"""Background work of the scholarships app: each task takes ids (or nothing) and calls one service. All run on
the ``default`` queue (no route in ``CELERY_TASK_ROUTES`` names them)."""

from celery import shared_task

from . import services


@shared_task(
    name="scholarships.send_letter",
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=30,
    retry_kwargs={"max_retries": 5},
    soft_time_limit=60,
)
def send_letter(*, letter_id: int) -> None:
    services.letter_send(letter_id=letter_id)


@shared_task(name="scholarships.sweep_letters", ignore_result=True)
def sweep_letters() -> None:
    services.letters_sweep()


@shared_task(name="scholarships.expire_offers", ignore_result=True)
def expire_offers() -> None:
    services.offers_expire()


@shared_task(name="scholarships.apply_retention", ignore_result=True, soft_time_limit=3600)
def apply_retention() -> None:
    """Kept for a beat schedule stored by an earlier release: retention now runs for every kind of personal data
    (scholarship applications included) in ``core.apply_retention``; running both is harmless (idempotent)."""
    from bacuda_portal.core import privacy_services

    privacy_services.retention_run()
