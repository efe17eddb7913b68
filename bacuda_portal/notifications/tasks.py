"""Background work of the notifications app; each task parses its arguments and calls one service."""

from celery import shared_task

from . import services


@shared_task(
    name="notifications.send",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_kwargs={"max_retries": 4},
    soft_time_limit=60,
)
def send_notification(*, notification_id: int) -> None:
    services.notification_send(notification_id=notification_id)


@shared_task(name="notifications.sweep", ignore_result=True)
def sweep_notifications() -> None:
    services.notifications_sweep()


@shared_task(name="notifications.reminders", ignore_result=True, soft_time_limit=600, time_limit=660)
def send_reminders() -> None:
    services.reminders_run()


@shared_task(name="notifications.digests", ignore_result=True, soft_time_limit=600, time_limit=660)
def send_digests() -> None:
    services.digests_send()
