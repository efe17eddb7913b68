"""Background work of the workshops app: each task takes ids and calls one service."""

from celery import shared_task

from . import services
from .models import Certificate


@shared_task(
    name="workshops.render_certificate",
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=10,
    retry_kwargs={"max_retries": 3},
    soft_time_limit=120,
)
def render_certificate(*, certificate_id: int) -> None:
    certificate = (
        Certificate.objects.select_related("nomination__workshop", "nomination__administration")
        .filter(pk=certificate_id)
        .first()
    )
    if certificate is None:
        return  # deleted meanwhile: nothing to do
    services.certificate_render(certificate=certificate)


@shared_task(name="workshops.sweep_certificates", ignore_result=True)
def sweep_certificates() -> None:
    services.certificates_sweep()
