from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "bacuda_portal.core"
    label = "core"
    verbose_name = _("Portal core")

    def ready(self) -> None:
        from bacuda_portal.celery import ensure_filesystem_broker_folders

        ensure_filesystem_broker_folders()
